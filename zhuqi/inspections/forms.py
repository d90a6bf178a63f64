import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuqi.enterprises.models import Industry, Tag
from zhuqi.org.models import Department, Park

from .models import Checklist, HazardGrade, Outcome, RiskColour
from .selectors import inspectors_of
from .services import PROPOSED, AnswerInput

DATE = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


class InspectionStartForm(forms.Form):
    checklist = forms.ModelChoiceField(Checklist.objects.none(), label=_("Checklist"))
    inspected_on = forms.DateField(label=_("Inspected on"), widget=forms.DateInput(**DATE), initial=timezone.localdate)

    def __init__(self, *args, checklists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = checklists

    def clean_inspected_on(self):
        day = self.cleaned_data["inspected_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be later than today"))
        return day


class InspectionRecordForm(forms.Form):
    """The checklist on a phone: per item an outcome, a note, photos, and for a hazard its particulars."""

    inspectors = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Inspectors who went"), required=False, widget=forms.CheckboxSelectMultiple
    )
    representative = forms.CharField(label=_("Enterprise representative"), max_length=40, required=False)
    summary = forms.CharField(
        label=_("Findings and advice"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    inspector_signature = forms.CharField(required=False, widget=forms.HiddenInput)
    representative_signature = forms.CharField(required=False, widget=forms.HiddenInput)
    latitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)

    def __init__(self, *args, inspection, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection
        self.fields["inspectors"].queryset = inspectors_of(user).order_by("full_name")
        self.answers = list(inspection.answers.select_related("item"))
        for answer in self.answers:
            n, item = answer.item_id, answer.item
            grade, colour = PROPOSED[item.severity]
            self.fields[f"outcome_{n}"] = forms.ChoiceField(
                label=item.text, choices=Outcome.choices, required=False, widget=forms.RadioSelect,
                initial=answer.outcome,
            )  # fmt: skip
            self.fields[f"note_{n}"] = forms.CharField(
                label=_("Note"), max_length=500, required=False, initial=answer.note,
                widget=forms.TextInput(attrs={"placeholder": _("Note")}),
            )  # fmt: skip
            self.fields[f"description_{n}"] = forms.CharField(
                label=_("Hazard description"), max_length=2000, required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip
            self.fields[f"place_{n}"] = forms.CharField(label=_("Where"), max_length=100, required=False)
            self.fields[f"grade_{n}"] = forms.ChoiceField(
                label=_("Hazard grade"), choices=HazardGrade.choices, initial=grade
            )
            self.fields[f"colour_{n}"] = forms.ChoiceField(
                label=_("Risk colour"), choices=RiskColour.choices, initial=colour
            )
            self.fields[f"deadline_{n}"] = forms.DateField(
                label=_("Rectify by"), required=False, widget=forms.DateInput(**DATE),
                help_text=_("Blank: the category's working days"),
            )  # fmt: skip
        if not self.is_bound:
            self.initial.setdefault("inspectors", list(inspection.inspectors.values_list("pk", flat=True)))
            self.initial.setdefault("representative", inspection.representative)
            self.initial.setdefault("summary", inspection.summary)

    def rows(self):
        """(item, its bound fields) in checklist order, for the template."""
        for answer in self.answers:
            n = answer.item_id
            names = ("outcome", "note", "description", "place", "grade", "colour", "deadline")
            yield answer, {name: self[f"{name}_{n}"] for name in names}

    def clean(self):
        data = super().clean()
        for answer in self.answers:
            deadline = data.get(f"deadline_{answer.item_id}")
            if deadline and deadline <= self.inspection.inspected_on:
                self.add_error(f"deadline_{answer.item_id}", _("The deadline must be after the inspection day"))
            if deadline and deadline > self.inspection.inspected_on + datetime.timedelta(days=366):
                self.add_error(f"deadline_{answer.item_id}", _("The deadline must be within a year"))
        return data

    def answer_inputs(self, files) -> dict[int, AnswerInput]:
        data = self.cleaned_data
        return {
            a.item_id: AnswerInput(
                outcome=data.get(f"outcome_{a.item_id}") or "",
                note=data.get(f"note_{a.item_id}") or "",
                photos=files.getlist(f"photos_{a.item_id}"),
                description=data.get(f"description_{a.item_id}") or "",
                grade=data.get(f"grade_{a.item_id}") or "",
                colour=data.get(f"colour_{a.item_id}") or "",
                place=data.get(f"place_{a.item_id}") or "",
                deadline=data.get(f"deadline_{a.item_id}"),
            )
            for a in self.answers
        }


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team"), max_length=40, required=False)
    members = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Members"), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = people


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    checklist = forms.ModelChoiceField(Checklist.objects.none(), label=_("Checklist"))
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(**DATE))
    ends_on = forms.DateField(label=_("To"), widget=forms.DateInput(**DATE))
    parks = forms.ModelMultipleChoiceField(
        Park.objects.all(), label=_("Parks"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: all parks"),
    )  # fmt: skip
    tags = forms.ModelMultipleChoiceField(
        Tag.objects.all(), label=_("Tags"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Enterprises with any of these tags; none ticked: all"),
    )  # fmt: skip
    industry = forms.ChoiceField(
        label=_("Industry section"), required=False, choices=[("", _("All industries")), *Industry.choices]
    )

    def __init__(self, *args, checklists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = checklists

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The campaign ends before it starts"))
        return data

    def targets_described(self) -> str:
        data = self.cleaned_data
        parts = ["、".join(p.name for p in data["parks"]) or str(_("All parks"))]
        if data["tags"]:
            parts.append("、".join(t.name for t in data["tags"]))
        if data["industry"]:
            parts.append(str(Industry(data["industry"]).label))
        return " · ".join(parts)


class ReportForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(**DATE))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(**DATE))
    department = forms.ModelChoiceField(
        Department.objects.all(), label=_("Department"), required=False, empty_label=_("All departments")
    )
    park = forms.ModelChoiceField(Park.objects.all(), label=_("Park"), required=False, empty_label=_("All parks"))
    campaign = forms.IntegerField(required=False, widget=forms.HiddenInput)
    enterprise = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date"))
        return data
