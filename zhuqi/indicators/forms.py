"""The rule-writing page's form: a rule as staff type it, with its message values and samples one a line."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhuqi.enterprises.models import Industry

from .engine import Verdict
from .models import Severity

EXPECT = {"成立": Verdict.TRUE, "不成立": Verdict.FALSE, "无法判断": Verdict.UNKNOWN,
          "true": Verdict.TRUE, "false": Verdict.FALSE, "unknown": Verdict.UNKNOWN}  # fmt: skip
EXPECT_WORD = {Verdict.TRUE: "成立", Verdict.FALSE: "不成立", Verdict.UNKNOWN: "无法判断"}
_PAIR = re.compile(r"^((?:last\.)?[a-z][a-z0-9_]*)\s*=\s*(.+)$")
DATE = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


def _value(text: str):
    text = text.strip()
    if text in ("是", "true"):
        return True
    if text in ("否", "false"):
        return False
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'“”":
        return text[1:-1]
    if text.startswith(("“", "「")) and text.endswith(("”", "」")):
        return text[1:-1]
    number = text.replace(",", "")
    if re.fullmatch(r"-?\d+", number):
        return int(number)
    if re.fullmatch(r"-?\d+\.\d*", number):
        return float(number)
    raise forms.ValidationError(_("%(value)s is neither a number, 是/否, nor text in quotes") % {"value": text})


def samples_parse(text: str) -> list[dict]:
    """One sample a line: `不成立：rd_expense=400，revenue=1000，last.revenue=900`."""
    samples = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = re.split(r"[:：]", line, maxsplit=1)
        verdict = EXPECT.get(parts[0].strip())
        if len(parts) != 2 or verdict is None:
            raise forms.ValidationError(_("Line %(line)d: begin with 成立, 不成立 or 无法判断 and a colon")
                                        % {"line": number})  # fmt: skip
        rest = parts[1]
        values, last = {}, {}
        for pair in filter(None, (p.strip() for p in re.split(r"[,，;；]\s*(?=(?:last\.)?[a-z][a-z0-9_]*\s*=)", rest))):
            match = _PAIR.match(pair)
            if not match:
                raise forms.ValidationError(_("Line %(line)d: write each value as code=value, not %(pair)s")
                                            % {"line": number, "pair": pair})  # fmt: skip
            try:
                value = _value(match[2])
            except forms.ValidationError as exc:
                raise forms.ValidationError(_("Line %(line)d: %(problem)s")
                                            % {"line": number, "problem": exc.messages[0]}) from None  # fmt: skip
            name = match[1]
            if name.startswith("last."):
                last[name[5:]] = value
            else:
                values[name] = value
        samples.append({"values": values, "last": last, "expect": verdict})
    return samples


def samples_text(samples: list) -> str:
    def shown(value):
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, str):
            return f'"{value}"'
        return str(value)

    lines = []
    for sample in samples or []:
        pairs = [f"{k}={shown(v)}" for k, v in (sample.get("values") or {}).items()]
        pairs += [f"last.{k}={shown(v)}" for k, v in (sample.get("last") or {}).items()]
        lines.append(f"{EXPECT_WORD.get(sample.get('expect'), sample.get('expect'))}：{'，'.join(pairs)}")
    return "\n".join(lines)


def values_parse(text: str) -> dict[str, str]:
    found = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, expression = line.partition("=")
        if not sep or not re.fullmatch(r"[a-z][a-z0-9_]*", name.strip()) or not expression.strip():
            raise forms.ValidationError(_("Line %(line)d: write name = CEL expression") % {"line": number})
        found[name.strip()] = expression.strip()
    return found


class RuleForm(forms.Form):
    code = forms.RegexField(label=gettext_lazy("Rule code"), max_length=60, regex=r"^[A-Za-z][A-Za-z0-9_.\-]*$",
                            error_messages={"invalid": gettext_lazy("Letters, digits, _ . - only, starting with a letter")})  # fmt: skip
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    expression = forms.CharField(
        label=gettext_lazy("Condition (CEL)"), widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=gettext_lazy("Holds when the data are right, e.g. rd_staff <= tech_staff; last.revenue is last period's"),
    )  # fmt: skip
    message = forms.CharField(label=gettext_lazy("Message shown"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=gettext_lazy("Shown when the condition fails; {code} and {last.code} insert values"))  # fmt: skip
    values = forms.CharField(
        label=gettext_lazy("Values for the message (CEL)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=gettext_lazy("One a line: growth = double(revenue - last.revenue) * 100.0 / double(last.revenue)"),
    )  # fmt: skip
    severity = forms.ChoiceField(label=gettext_lazy("Severity"), choices=Severity.choices)
    industry = forms.ChoiceField(label=gettext_lazy("Industry"), required=False,
                                 choices=[("", gettext_lazy("Every industry")), *Industry.choices])  # fmt: skip
    replaces = forms.CharField(label=gettext_lazy("Replaces for this industry"), max_length=60, required=False,
                               help_text=gettext_lazy("The code of the set's rule for every industry that this one takes the place of"))  # fmt: skip
    valid_from = forms.DateField(label=gettext_lazy("Valid from"), required=False, widget=forms.DateInput(**DATE))
    valid_to = forms.DateField(label=gettext_lazy("Valid to"), required=False, widget=forms.DateInput(**DATE))
    source_document = forms.CharField(label=gettext_lazy("Source document (文号)"), max_length=120, required=False)
    samples = forms.CharField(
        label=gettext_lazy("Sample data"), required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=gettext_lazy("One a line: 不成立：rd_expense=400，revenue=1000 (amounts in 元; last.code for last period)"),
    )  # fmt: skip

    def __init__(self, *args, rule=None, **kwargs):
        if rule is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": rule.code, "name": rule.name, "expression": rule.expression, "message": rule.message,
                "values": "\n".join(f"{k} = {v}" for k, v in (rule.values or {}).items()),
                "severity": rule.severity, "industry": rule.industry, "replaces": rule.replaces,
                "valid_from": rule.valid_from, "valid_to": rule.valid_to, "source_document": rule.source_document,
                "samples": samples_text(rule.samples),
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        if rule is not None:
            self.fields["code"].disabled = True  # a rule is known by its code; a new code is a new rule

    def clean_samples(self):
        return samples_parse(self.cleaned_data.get("samples") or "")

    def clean_values(self):
        return values_parse(self.cleaned_data.get("values") or "")


class TrialForm(forms.Form):
    """A firm's real values to run the rule on: its name or credit code, and the period."""

    firm = forms.CharField(label=gettext_lazy("Enterprise (name or credit code)"), max_length=100, required=False)
    period = forms.RegexField(label=gettext_lazy("Period"), max_length=10, required=False,
                              regex=r"^\d{4}(Q[1-4]|-\d{2}(-\d{2})?)?$",
                              error_messages={"invalid": gettext_lazy("A period such as 2024, 2024Q1, 2024-03")})  # fmt: skip
