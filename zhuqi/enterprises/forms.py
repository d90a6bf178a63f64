from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuqi.org.models import Grid, Park

from .models import Enterprise, QualificationKind, Scale, Tag


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name, pinyin initials or credit code"), "type": "search"}),
    )
    park = forms.ModelChoiceField(Park.objects.all(), label=_("Park"), required=False, empty_label=_("All parks"))
    grid = forms.ModelChoiceField(Grid.objects.all(), label=_("Grid"), required=False, empty_label=_("All grids"))
    tag = forms.ModelChoiceField(Tag.objects.all(), label=_("Tags"), required=False, empty_label=_("All tags"))
    qualification = forms.ChoiceField(
        label=_("Qualification"), required=False, choices=[("", _("All qualifications")), *QualificationKind.choices]
    )
    scale = forms.ChoiceField(label=_("Scale"), required=False, choices=[("", _("All scales")), *Scale.choices])
    overdue = forms.BooleanField(label=_("Overdue visits only"), required=False)
    officer = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.role == "park_officer":
            self.fields["park"].queryset = Park.objects.filter(pk=user.park_id)


class EnterpriseForm(forms.ModelForm):
    # the version the editor saw (edits only): a save over someone else's newer one is refused
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "park",
            "grid",
            "address",
            "industry",
            "industry_detail",
            "scale",
            "headcount",
            "tags",
            "environmental_grade",
            "established_on",
            "serious_breach_on",
            "serious_breach_source",
        ]
        widgets = {
            "tags": forms.CheckboxSelectMultiple,
            "established_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "serious_breach_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Grid.objects.select_related("community__town")
        if user is not None and user.role == "park_officer":
            self.fields["park"].queryset = Park.objects.filter(pk=user.park_id)
            self.fields["park"].required = True
        if user is None or user.role != "zone_coordinator":
            # the 严重失信 mark is the zone office's to set or lift
            for name in ("serious_breach_on", "serious_breach_source"):
                del self.fields[name]

    def validate_unique(self):
        # uniqueness is checked by the service inside its transaction, with the same messages
        pass


class VisitForm(forms.Form):
    officers = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Other officers present"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    visited_on = forms.DateField(
        label=_("Visit date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    people_met = forms.CharField(label=_("Enterprise people met"), max_length=200, required=False)
    other_officers = forms.CharField(
        label=_("Other participants (not on the platform)"), max_length=200, required=False
    )
    topics = forms.CharField(label=_("Topics"), widget=forms.Textarea(attrs={"rows": 3}))
    findings = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    problems = forms.CharField(
        label=_("Problems raised by the enterprise"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One problem per line; once saved they go to the problem ledger"),
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()
        self.fields["officers"].queryset = colleagues.select_related("park", "department").order_by("full_name")
        self.order_fields(["visited_on", "officers"])

    def clean_visited_on(self):
        value = self.cleaned_data["visited_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The visit date cannot be later than today"))
        return value


class OfficerAssignForm(forms.Form):
    officer = forms.ModelChoiceField(
        queryset=None, label=_("Chief service officer"), required=False, empty_label=_("(none for now)")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=40)
    title = forms.CharField(label=_("Position"), max_length=40, required=False)
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$",
        required=False,
        error_messages={
            "invalid": _("The phone number is not valid (a mobile has 11 digits; a landline looks like 0375-1234567)")
        },
    )
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Qualification"), choices=QualificationKind.choices)
    certificate_no = forms.CharField(label=_("Certificate number"), max_length=40)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("“Valid until” cannot be earlier than “valid from”"))
        return data


class LedgerUploadForm(forms.Form):
    file = forms.FileField(label=_("Enterprise ledger (.xlsx, .xls, .ods or .csv)"))
