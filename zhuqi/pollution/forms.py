from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Action, Grade, Level, Sector, SourceKind, SpotResult


class AlertForm(forms.Form):
    level = forms.ChoiceField(label=_("Alert level"), choices=Level.choices)
    document = forms.CharField(label=_("Issuing document"), max_length=120)
    region = forms.CharField(label=_("Region"), max_length=60, initial="平顶山市")
    starts_at = forms.DateTimeField(label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Until"), required=False,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))  # fmt: skip


class CheckInForm(forms.Form):
    output = forms.DecimalField(
        label=pgettext_lazy("pollution", "Output today"), min_value=0, max_digits=12, decimal_places=2
    )
    lines_stopped = forms.IntegerField(label=_("Lines stopped"), min_value=0, max_value=1000)
    lines_cut = forms.IntegerField(label=_("Lines cut back"), min_value=0, max_value=1000, required=False)
    old_trucks_used = forms.IntegerField(label=_("国四-or-older heavy trucks used"), min_value=0, max_value=100000,
                                         required=False, initial=0)  # fmt: skip
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    photo = forms.FileField(label=_("Photo of the site"), required=False)


class SpotCheckForm(forms.Form):
    result = forms.ChoiceField(label=pgettext_lazy("pollution", "Result"), choices=[(SpotResult.COMPLIANT, SpotResult.COMPLIANT.label),
                                                          (SpotResult.NON_COMPLIANT, SpotResult.NON_COMPLIANT.label)],
                               widget=forms.RadioSelect)  # fmt: skip
    note = forms.CharField(label=_("What was found"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("Performance grade"), choices=Grade.choices)
    graded_on = forms.DateField(label=_("Graded on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    document = forms.CharField(label=_("Grading document"), max_length=120)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class FirmForm(forms.Form):
    """A firm's figures on the reduction list; a firm put on the list also gets its first grading."""

    sector = forms.ChoiceField(label=_("Grading industry"), choices=Sector.choices)
    livelihood = forms.BooleanField(label=_("Livelihood guarantee (民生保障)"), required=False,
                                    help_text=_("Produces to heat or supply demand (以热定产) during alerts"))  # fmt: skip
    on_list = forms.BooleanField(label=_("On the reduction list"), required=False, initial=True)
    capacity_unit = forms.CharField(label=_("Output unit"), max_length=10, initial="吨")
    approval_capacity = forms.DecimalField(label=_("Daily capacity in the environmental approval"), min_value=0.01,
                                           max_digits=12, decimal_places=2)  # fmt: skip
    permit_capacity = forms.DecimalField(label=_("Daily capacity in the discharge permit"), min_value=0.01,
                                         max_digits=12, decimal_places=2)  # fmt: skip
    last_year_daily = forms.DecimalField(label=_("Last year's actual daily average"), min_value=0, max_digits=12,
                                         decimal_places=2, required=False)  # fmt: skip
    normal_load_kw = forms.DecimalField(label=_("Normal electricity load (kW)"), min_value=0, max_digits=12,
                                        decimal_places=1, required=False)  # fmt: skip
    heavy_trucks = forms.IntegerField(label=_("Heavy trucks in use"), min_value=0, max_value=100000, initial=0)
    old_trucks = forms.IntegerField(label=_("国四-or-older heavy trucks"), min_value=0, max_value=100000, initial=0)


class NewFirmForm(FirmForm):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    grade = forms.ChoiceField(label=_("Performance grade"), choices=Grade.choices)
    graded_on = forms.DateField(label=_("Graded on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    document = forms.CharField(label=_("Grading document"), max_length=120)

    field_order = ["enterprise", "grade", "graded_on", "document"]

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class SourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind of source"), choices=SourceKind.choices)
    daily_capacity = forms.DecimalField(label=_("Daily capacity"), min_value=0, max_digits=12, decimal_places=2,
                                        initial=0)  # fmt: skip
    so2 = forms.DecimalField(label="SO₂ (kg/d)", min_value=0, max_digits=10, decimal_places=2, initial=0)
    nox = forms.DecimalField(label="NOx (kg/d)", min_value=0, max_digits=10, decimal_places=2, initial=0)
    pm = forms.DecimalField(label=_("Particulate (kg/d)"), min_value=0, max_digits=10, decimal_places=2, initial=0)
    vocs = forms.DecimalField(label="VOCs (kg/d)", min_value=0, max_digits=10, decimal_places=2, initial=0)


class OverrideForm(forms.Form):
    action = forms.ChoiceField(label=_("Measure"), choices=Action.choices)
    cut_percent = forms.IntegerField(label=_("Output cut (%)"), min_value=0, max_value=100, initial=0)
    lines_stop_percent = forms.IntegerField(label=_("Lines stopped (%)"), min_value=0, max_value=100, initial=0)
    transport_ban = forms.BooleanField(label=_("No 国四-or-older heavy trucks"), required=False, initial=True)
    road_transport_stopped = forms.BooleanField(label=_("No road transport at all"), required=False)
    text = forms.CharField(label=_("Measure in words"), max_length=200,
                           help_text=_("What the firm stops or cuts: lines, processes, by how much"))  # fmt: skip
    reason = forms.CharField(label=_("Reason"), max_length=200,
                             help_text=_("Why the firm's list differs from the guide's default"))  # fmt: skip
