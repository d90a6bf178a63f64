from django import forms
from django.utils.translation import gettext_lazy as _

from zhuqi.cases.services import categories_raisable_by_hand

from .models import DispatchPeriod, OperatingStatus
from .services import report_check

NUMBER = {"inputmode": "numeric", "pattern": "[0-9]*", "class": "form-control form-control-lg"}
DECIMAL = {"inputmode": "decimal", "class": "form-control form-control-lg"}


class PeriodForm(forms.ModelForm):
    class Meta:
        model = DispatchPeriod
        fields = ["name", "kind", "starts_on", "ends_on", "cutoff", "target_scale", "target_parks", "target_tags",
                  "target_list"]  # fmt: skip
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "cutoff": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "target_parks": forms.CheckboxSelectMultiple,
            "target_tags": forms.CheckboxSelectMultiple,
            "target_list": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "target_scale": _("Firms that match every criterion given are asked; named enterprises are added."),
            "target_list": _("Hold Ctrl (or Cmd) to pick several."),
        }


class ReportForm(forms.Form):
    """One short form for a phone: the status as three big buttons, then the numbers."""

    operating_status = forms.ChoiceField(label=_("Operating status"), choices=OperatingStatus.choices,
                                         widget=forms.RadioSelect)  # fmt: skip
    staff_on_duty = forms.CharField(label=_("Staff at work (people)"), widget=forms.TextInput(attrs=NUMBER))
    staff_planned = forms.CharField(label=_("Planned staff (people)"), widget=forms.TextInput(attrs=NUMBER))
    output_value = forms.CharField(label=_("Output today (10,000 yuan)"), required=False,
                                   widget=forms.TextInput(attrs=DECIMAL))  # fmt: skip
    capacity_utilisation = forms.CharField(label=_("or capacity utilisation (%)"), required=False,
                                           widget=forms.TextInput(attrs=DECIMAL))  # fmt: skip
    normal_output = forms.CharField(label=_("Normal daily output (10,000 yuan)"), widget=forms.TextInput(attrs=DECIMAL))
    problems = forms.CharField(label=_("Difficulties and problems"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))  # fmt: skip
    case_category = forms.ModelChoiceField(label=_("Raise it as a case, in the category"), required=False,
                                           queryset=None, empty_label=_("No, only report it"))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_category"].queryset = categories_raisable_by_hand().order_by("name")
        for name in (
            "operating_status",
            "staff_on_duty",
            "staff_planned",
            "output_value",
            "capacity_utilisation",
            "normal_output",
        ):
            self.fields[name].required = False  # report_check says what is missing, in its own words

    def clean(self):
        data = super().clean()
        values = {k: data.get(k) for k in ("operating_status", "staff_on_duty", "staff_planned", "output_value",
                                           "capacity_utilisation", "normal_output", "problems")}  # fmt: skip
        _clean, found = report_check(**values)
        for field, message in found.items():
            self.add_error(field, message)
        if data.get("case_category") and not (data.get("problems") or "").strip():
            self.add_error("problems", _("Describe the problem to raise it as a case"))
        return data

    def values(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in ("operating_status", "staff_on_duty", "staff_planned",
                                                      "output_value", "capacity_utilisation", "normal_output",
                                                      "problems")}  # fmt: skip


class RaiseCaseForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_raisable_by_hand().order_by("name")
