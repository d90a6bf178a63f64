from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ORDER, LeadStatus, Stage

DATE = {"type": "date", "class": "form-control"}
DATE_ERRORS = {"required": _("Give the date"), "invalid": _("Give a valid date")}
AMOUNT_ERRORS = {"invalid": _("Give an amount in 10k yuan"), "min_value": _("An amount cannot be negative"),
                 "max_digits": _("This amount is too large"), "max_decimal_places": _("At most two decimals")}  # fmt: skip


def _amount(label, required=False):
    return forms.DecimalField(label=label, required=required, min_value=0, max_digits=12, decimal_places=2,
                              error_messages={**AMOUNT_ERRORS, "required": _("Give the amount")},
                              widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01",
                                                              "inputmode": "decimal"}))  # fmt: skip


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or PDFs in one input (their kind and size are checked by the service, from their bytes)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={
            "class": "form-control", "accept": "image/jpeg,image/png,image/webp,image/heic,application/pdf"}))  # fmt: skip
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class AdvanceForm(forms.Form):
    reached_on = forms.DateField(label=_("Reached on"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                 error_messages=DATE_ERRORS)  # fmt: skip
    evidence = forms.CharField(
        label=pgettext_lazy("project", "Evidence"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        required=False,
    )
    files = MultipleFileField(label=_("Photos or PDF files"), required=False,
                              help_text=_("Photos (JPG, PNG, WEBP, HEIC) or PDF, up to 20 MB each"))  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ProblemForm(forms.Form):
    description = forms.CharField(
        label=_("Problem"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}), required=False
    )


class ProjectForm(forms.Form):
    """A project's particulars, the planned date of each stage still ahead and the investment of each year. The
    choices are the user's own (owners it sees, its department or park), given by the view from the selectors."""

    name = forms.CharField(label=_("Project name"), max_length=120, error_messages={"required": _("Name the project")},
                           widget=forms.TextInput(attrs={"class": "form-control"}))  # fmt: skip
    owner = forms.ModelChoiceField(label=_("Owner firm"), queryset=None, required=False,
                                   widget=forms.Select(attrs={"class": "form-select"}))  # fmt: skip
    investor = forms.CharField(label=_("Investor"), max_length=120, required=False,
                               help_text=_("When the owner is not yet a firm of the zone"),
                               widget=forms.TextInput(attrs={"class": "form-control"}))  # fmt: skip
    industry = forms.CharField(label=_("Industry"), max_length=60, error_messages={"required": _("Give the industry")},
                               widget=forms.TextInput(attrs={"class": "form-control"}))  # fmt: skip
    park = forms.ModelChoiceField(label=_("Park"), queryset=None, required=False,
                                  widget=forms.Select(attrs={"class": "form-select"}))  # fmt: skip
    total_investment = _amount(_("Total investment (10k yuan)"), required=True)
    land_mu = _amount(_("Land (mu)"))
    energy_tce = _amount(_("Energy use (tce a year)"))
    department = forms.ModelChoiceField(label=_("Responsible department"), queryset=None,
                                        error_messages={"required": _("Choose the responsible department")},
                                        widget=forms.Select(attrs={"class": "form-select"}))  # fmt: skip
    officer = forms.ModelChoiceField(label=_("Responsible officer"), queryset=None, required=False,
                                     widget=forms.Select(attrs={"class": "form-select"}))  # fmt: skip
    is_key = forms.BooleanField(label=_("Key investment project"), required=False,
                                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, choices: dict, stage: str = Stage.PLANNING, reached=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        for field, key in (("owner", "owners"), ("park", "parks"), ("department", "departments"),
                           ("officer", "officers")):  # fmt: skip
            self.fields[field].queryset = choices[key]
        self.fields["officer"].label_from_instance = lambda u: u.full_name or u.username
        labels = dict(Stage.choices)
        self.plan_fields = []
        for stage_ in ORDER[ORDER.index(stage) + 1 :]:
            if stage_ in reached:
                continue
            name = f"plan_{stage_}"
            self.fields[name] = forms.DateField(label=labels[stage_], required=False, error_messages=DATE_ERRORS,
                                                widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))  # fmt: skip
            self.plan_fields.append(name)
        self.year_rows = []
        for year in years:
            self.fields[f"planned_{year}"] = _amount(_("Planned investment (10k yuan)"))
            self.fields[f"actual_{year}"] = _amount(_("Actual investment (10k yuan)"))
            self.year_rows.append(year)

    def plan_rows(self):
        return [self[name] for name in self.plan_fields]

    def years_bound(self):
        return [(year, self[f"planned_{year}"], self[f"actual_{year}"]) for year in self.year_rows]

    def planned(self) -> dict:
        return {name.removeprefix("plan_"): self.cleaned_data.get(name) for name in self.plan_fields}

    def years(self) -> dict:
        return {
            y: (self.cleaned_data.get(f"planned_{y}"), self.cleaned_data.get(f"actual_{y}")) for y in self.year_rows
        }

    def particulars(self) -> dict:
        fields = ["name", "owner", "investor", "industry", "park", "total_investment", "land_mu", "energy_tce",
                  "department", "officer", "is_key"]  # fmt: skip
        return {f: self.cleaned_data.get(f) for f in fields}


class LeadForm(forms.Form):
    name = forms.CharField(label=_("Target"), max_length=120,
                           error_messages={"required": _("Name the target firm or institute")},
                           widget=forms.TextInput(attrs={"class": "form-control"}))  # fmt: skip
    is_institute = forms.BooleanField(label=_("Research institute"), required=False,
                                      widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))  # fmt: skip
    industry = forms.CharField(label=_("Industry"), max_length=60, required=False,
                               widget=forms.TextInput(attrs={"class": "form-control"}))  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))  # fmt: skip


class LeadMoveForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"), choices=LeadStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))  # fmt: skip
    visited_on = forms.DateField(label=_("Visited on"), required=False, error_messages=DATE_ERRORS,
                                 widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))  # fmt: skip
    project = forms.ModelChoiceField(label=_("The project it became"), queryset=None, required=False,
                                     widget=forms.Select(attrs={"class": "form-select"}))  # fmt: skip

    def __init__(self, *args, projects, nexts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        if nexts is not None:
            self.fields["status"].choices = [(n, LeadStatus(n).label) for n in nexts]
        self.fields["status"].widget.attrs["class"] = "form-select"
