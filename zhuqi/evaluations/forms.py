import re
import tomllib
from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import Scoring


class ObjectionForm(forms.Form):
    item_code = forms.ChoiceField(label=_("Item objected to"), required=False)
    text = forms.CharField(label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    evidence = forms.FileField(label=_("Evidence (PDF or photo)"))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_code"].choices = [("", _("The whole score"))] + list(items)

    def clean_evidence(self):
        evidence = self.cleaned_data["evidence"]
        name = evidence.name.lower()
        if not name.endswith((".pdf", ".jpg", ".jpeg", ".png")):
            raise forms.ValidationError(_("Attach a PDF, JPG or PNG file"))
        if evidence.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB"))
        return evidence


class DecisionForm(forms.Form):
    upheld = forms.ChoiceField(label=_("Decision"), choices=[("no", _("Reject")), ("yes", _("Uphold"))])
    reason = forms.CharField(label=_("Reason"), max_length=300)
    corrected_value = forms.CharField(label=_("Corrected value of the item"), required=False, max_length=30)


# -- a method's version, edited by the park -------------------------------------------------------------------------

CODE = RegexValidator(r"^[a-z][a-z0-9_-]*$", _("Lower-case letters, digits, _ and -, starting with a letter"))


def _toml_lines(text: str, message) -> dict:
    try:
        return tomllib.loads(text or "")
    except tomllib.TOMLDecodeError:
        raise forms.ValidationError(message) from None


def toml_text(values: dict) -> str:
    """Facts or points as `code = value` lines, as the form shows them and _toml_lines reads them back."""

    def shown(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float | Decimal):
            return str(value)
        return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'

    return "\n".join(f"{code} = {shown(value)}" for code, value in values.items())


def grades_text(grades: list) -> str:
    return "；".join(f"{g['grade']} {g['min']}" for g in grades)


class MethodForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    document = forms.CharField(label=_("Source document (文号)"), max_length=200)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    grades = forms.CharField(label=_("Grades and the points each needs"), max_length=200,
                             help_text=_("Highest first, e.g. A 85；B 70；C 55；D 0"))  # fmt: skip

    def clean_grades(self):
        grades = []
        for part in re.split(r"[;；,，\n]+", self.cleaned_data["grades"].strip()):
            found = re.fullmatch(r"\s*([A-Za-z0-9+-]{1,2})\s+(\d+(?:\.\d+)?)\s*", part)
            if not found:
                raise forms.ValidationError(_("Write each grade and its minimum points, e.g. A 85；B 70"))
            number = Decimal(found.group(2))
            grades.append(
                {"grade": found.group(1).upper(), "min": int(number) if number == int(number) else float(number)}
            )
        if [g["min"] for g in grades] != sorted((g["min"] for g in grades), reverse=True):
            raise forms.ValidationError(_("List the grades from the highest minimum to the lowest"))
        return grades


class MethodNewForm(MethodForm):
    park = forms.ModelChoiceField(label=_("Park"), queryset=None, empty_label=None)
    code = forms.CharField(label=_("Method code"), max_length=40, validators=[CODE],
                           help_text=_("Kept by every version, e.g. huojuyuan-performance"))  # fmt: skip
    field_order = ["park", "code", "name", "document", "valid_from", "grades"]

    def __init__(self, *args, parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks
        del self.fields["valid_to"]


class ItemForm(forms.Form):
    code = forms.CharField(label=_("Item code"), max_length=40, validators=[CODE])
    name = forms.CharField(label=_("Name"), max_length=100)
    expression = forms.CharField(label=_("Value (CEL)"), widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("Over the firm's indicators, e.g. double(taxes_paid) / 10000.0 / land_area_mu"))  # fmt: skip
    unit = forms.CharField(label=_("Unit of measure"), max_length=20, required=False)
    weight = forms.DecimalField(label=_("Weight (points)"), max_digits=6, decimal_places=2, min_value=0)
    scoring = forms.ChoiceField(label=_("Scoring"), choices=Scoring.choices)
    low = forms.DecimalField(label=_("Value for no points"), required=False, max_digits=18, decimal_places=4)
    high = forms.DecimalField(label=_("Value for full points"), required=False, max_digits=18, decimal_places=4)
    bands = forms.CharField(label=_("Bands (from value: points)"), required=False, max_length=300,
                            help_text=_("Highest first, e.g. 6: 15；5: 12；4: 9"))  # fmt: skip
    lower_is_better = forms.BooleanField(label=_("Lower values reach the bands"), required=False)
    per = forms.DecimalField(label=_("Points deducted per event"), required=False, max_digits=6, decimal_places=2)

    def clean(self):
        data = super().clean()
        scoring = data.get("scoring")
        if scoring == Scoring.LINEAR:
            for name in ("low", "high"):
                if data.get(name) is None:
                    self.add_error(name, _("Needed for linear scoring"))
        if scoring == Scoring.BANDS:
            bands = []
            for part in re.split(r"[;；\n]+", (data.get("bands") or "").strip()):
                found = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*[:：]\s*(\d+(?:\.\d+)?)\s*", part)
                if not found:
                    self.add_error("bands", _("Write each band as value: points, e.g. 6: 15；5: 12"))
                    break
                bands.append([_number(found.group(1)), _number(found.group(2))])
            data["band_list"] = bands
        return data

    def spec(self) -> dict:
        data = self.cleaned_data
        params = {}
        if data["scoring"] == Scoring.LINEAR:
            params = {"low": _number(data["low"]), "high": _number(data["high"])}
        elif data["scoring"] == Scoring.BANDS:
            params = {"bands": data["band_list"], **({"lower_is_better": True} if data["lower_is_better"] else {})}
        elif data["scoring"] == Scoring.DEDUCTION and data.get("per") is not None:
            params = {"per": _number(data["per"])}
        return {"code": data["code"], "name": data["name"], "expression": data["expression"].strip(),
                "unit": data["unit"], "weight": data["weight"], "scoring": data["scoring"], "params": params}  # fmt: skip

    @staticmethod
    def initial_of(item: dict) -> dict:
        params = item.get("params", {})
        return {**item, "low": params.get("low"), "high": params.get("high"), "per": params.get("per"),
                "bands": "；".join(f"{v}: {p}" for v, p in params.get("bands", [])),
                "lower_is_better": params.get("lower_is_better", False)}  # fmt: skip


class ExclusionForm(forms.Form):
    code = forms.CharField(label=_("Exclusion code"), max_length=40, validators=[CODE])
    label = forms.CharField(label=_("Shown as"), max_length=100)
    expression = forms.CharField(label=_("Excluded when (CEL)"), max_length=500,
                                 help_text=_("e.g. years_registered < 1"))  # fmt: skip


class WorkedFirmForm(forms.Form):
    label = forms.CharField(label=_("Firm"), max_length=100)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("One a line: code = value (true / false for yes or no)"))  # fmt: skip
    points = forms.CharField(label=_("Points expected per item"), widget=forms.Textarea(attrs={"rows": 3}),
                             required=False, help_text=_("One a line: item code = points"))  # fmt: skip
    total = forms.DecimalField(label=_("Total expected"), required=False, max_digits=7, decimal_places=2)
    grade = forms.CharField(label=_("Grade expected"), required=False, max_length=2)
    excluded = forms.CharField(label=_("Exclusion expected"), required=False, max_length=40,
                               help_text=_("The exclusion's code, when the firm is not to be scored"))  # fmt: skip

    def clean_facts(self):
        return _toml_lines(self.cleaned_data["facts"], _("Write one fact a line: code = value"))

    def clean_points(self):
        return _toml_lines(self.cleaned_data["points"], _("Write one item a line: item code = points"))

    def spec(self) -> dict:
        data = self.cleaned_data
        return {"label": data["label"], "facts": data["facts"], "points": data["points"], "total": data["total"],
                "grade": data["grade"].upper(), "excluded": data["excluded"]}  # fmt: skip

    @staticmethod
    def initial_of(worked: dict) -> dict:
        return {**worked, "facts": toml_text(worked["facts"]), "points": toml_text(worked["points"])}


def _number(value):
    number = Decimal(str(value))
    return int(number) if number == int(number) else float(number)


ItemFormSet = forms.formset_factory(ItemForm, extra=1, can_delete=True)
ExclusionFormSet = forms.formset_factory(ExclusionForm, extra=1, can_delete=True)
WorkedFormSet = forms.formset_factory(WorkedFirmForm, extra=1, can_delete=True)


def method_spec_from(head: MethodForm, items, exclusions, worked, *, code: str) -> dict:
    """The import-shaped dict of a method from its valid forms (deleted and untouched extra rows left out)."""

    def kept(formset):
        start = formset.initial_form_count()
        return [f for n, f in enumerate(formset.forms)
                if (n < start or f.has_changed()) and not f.cleaned_data.get("DELETE")]  # fmt: skip

    data = head.cleaned_data
    return {
        "method": {"code": code, "name": data["name"], "document": data["document"], "valid_from": data["valid_from"],
                   "valid_to": data["valid_to"], "grades": data["grades"]},
        "items": [f.spec() for f in kept(items)],
        "exclusions": [{k: f.cleaned_data[k] for k in ("code", "label", "expression")} for f in kept(exclusions)],
        "worked": [f.spec() for f in kept(worked)],
    }  # fmt: skip


class StartRunForm(forms.Form):
    year = forms.IntegerField(label=_("Year evaluated"), min_value=2000, max_value=2100)


class ZoneFigureForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    code = forms.ChoiceField(label=_("Figure"))
    value = forms.DecimalField(label=_("Value"), max_digits=22, decimal_places=4)
    source = forms.CharField(label=_("Source"), max_length=200, help_text=_("e.g. 平顶山市统计公报 2024"))

    def __init__(self, *args, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = list(codes)
