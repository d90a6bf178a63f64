"""The catalogue's forms: a policy's entry, one condition (a rule of the shared engine with its clause and samples),
and a revision from a date."""

from django import forms
from django.utils.translation import gettext_lazy

from zhuqi.indicators.forms import DATE, RuleForm
from zhuqi.org.models import Department

from .models import BenefitKind, Policy


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("，", "\n").replace("、", "\n").splitlines() if line.strip()]


class PolicyForm(forms.ModelForm):
    materials = forms.CharField(label=gettext_lazy("Required materials"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=gettext_lazy("One a line, as the firm uploads them"))  # fmt: skip
    tags = forms.CharField(label=gettext_lazy("Beneficiaries"), required=False, max_length=300,
                           help_text=gettext_lazy("Separated by 、, e.g. 高新技术企业、规上工业企业"))  # fmt: skip

    class Meta:
        model = Policy
        fields = ["title", "doc_number", "issuer", "department", "level", "category", "mode", "summary", "full_text",
                  "contacts", "materials", "tags", "budget", "priority", "valid_from", "valid_to"]  # fmt: skip
        widgets = {"valid_from": forms.DateInput(**DATE), "valid_to": forms.DateInput(**DATE),
                   "summary": forms.Textarea(attrs={"rows": 3}), "full_text": forms.Textarea(attrs={"rows": 6})}  # fmt: skip

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"materials": "\n".join(instance.materials), "tags": "、".join(instance.tags)}
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("name")

    def clean_materials(self):
        return [line.strip() for line in self.cleaned_data["materials"].splitlines() if line.strip()]

    def clean_tags(self):
        return _lines(self.cleaned_data["tags"])

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", gettext_lazy("The end of validity is before its start"))
        return data

    def catalogue(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BenefitForm(forms.Form):
    benefit_kind = forms.ChoiceField(label=gettext_lazy("Kind of benefit"), choices=BenefitKind.choices)
    benefit = forms.CharField(
        label=gettext_lazy("Benefit (CEL, in 元)"), required=False, widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=gettext_lazy("A fixed sum such as 100000, or rd_expense * 5 / 100 > 200000 ? 200000 : rd_expense * 5 / 100"),
    )  # fmt: skip
    benefit_text = forms.CharField(label=gettext_lazy("Benefit in words"), max_length=200, required=False)
    source_document = forms.CharField(label=gettext_lazy("Source document (文号)"), max_length=120, required=False)


class RevisionForm(BenefitForm):
    valid_from = forms.DateField(label=gettext_lazy("The new rules apply from"), widget=forms.DateInput(**DATE))
    field_order = ["valid_from", "benefit_kind", "benefit", "benefit_text", "source_document"]


class ConditionForm(RuleForm):
    """A condition as an officer writes it: the rule form without what a policy's conditions do not use (code,
    severity, industry variants, dates — the version dates them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("code", "severity", "industry", "replaces", "valid_from", "valid_to"):
            del self.fields[name]
        self.fields["expression"].help_text = gettext_lazy(
            "Holds when the firm meets it, e.g. revenue >= 20000000 (amounts in 元); the indicators' codes are listed below"
        )
        self.fields["source_document"].label = gettext_lazy("Clause it comes from")
        self.fields["source_document"].required = True
        self.fields["samples"].required = True
        self.fields["samples"].help_text = gettext_lazy(
            "One a line, at least one met and one not: 成立：revenue=20000000 / 不成立：revenue=100 (amounts in 元)"
        )

    def clean_samples(self):
        samples = super().clean_samples()
        expects = {str(s.get("expect")) for s in samples}
        if not {"true", "false"} <= expects:
            raise forms.ValidationError(
                gettext_lazy("Give at least one sample that meets the condition and one that does not")
            )
        return samples
