"""指标 and 规则: the catalogue of what the zone collects, each firm's values per period with where they came from,
and the rules (CEL) that check them. Every module reads and writes these through services and selectors."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuqi.enterprises.models import Industry

from .periods import PeriodKind
from .units import Unit

# CEL identifiers; "last" is the previous period's values, the rest are CEL's own words
RESERVED = {
    "last", "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if",
    "import", "let", "loop", "package", "namespace", "return", "var", "void", "while", "int", "uint", "double",
    "string", "bytes", "bool", "list", "map", "type", "dyn", "has", "size", "values",
}  # fmt: skip
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def validate_code(value: str) -> None:
    if not CODE_PATTERN.match(value or "") or value in RESERVED:
        raise ValidationError(
            _("A code is lower-case letters, digits and underscores, starting with a letter, and not a word of CEL")
        )


class ValueKind(models.TextChoices):
    AMOUNT = "amount", _("Amount of money")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    TEXT = "text", _("Text")
    BOOLEAN = "boolean", _("Yes / no")


class Obtained(models.TextChoices):
    REPORTED = "reported", _("Reported on a form")
    COMPUTED = "computed", _("Computed from other indicators")
    COUNTED = "counted", _("Counted from the platform's records")


class Indicator(models.Model):
    code = models.CharField(_("Indicator code"), max_length=40, unique=True, validators=[validate_code])
    name = models.CharField(_("Name"), max_length=100)
    value_kind = models.CharField(_("Kind of value"), max_length=10, choices=ValueKind.choices)
    # amounts are kept in 元 whatever this says; this is the unit they are shown in unless a form says otherwise
    unit = models.CharField(_("Unit of measure"), max_length=10, choices=Unit.choices, blank=True)
    period_kind = models.CharField(_("Period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    obtained = models.CharField(_("How obtained"), max_length=10, choices=Obtained.choices, default=Obtained.REPORTED)
    formula = models.TextField(_("Formula (CEL)"), blank=True, help_text=_("For a computed indicator"))
    definition = models.TextField(_("Definition"), blank=True)
    choices = models.JSONField(_("Allowed answers"), default=list, blank=True)

    class Meta:
        verbose_name = _("Indicator")
        verbose_name_plural = _("Indicators")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="indicator_amount_in_money_unit",
                condition=~models.Q(value_kind="amount") | models.Q(unit__in=["元", "千元", "万元"]),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class Origin(models.TextChoices):
    RETURN = "return", _("Form return")
    CORRECTION = "correction", _("Correction")
    COMPUTED = "computed", _("Computed")
    COUNTED = "counted", _("Counted by the platform")
    IMPORT = "import", _("Imported from a file")


class IndicatorValue(models.Model):
    """One value of one indicator for one enterprise and period. A correction adds a version and keeps the old
    one (is_current False): who reported what, and when, stays readable."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="indicator_values",
        verbose_name=_("Enterprise"), db_index=False,
    )  # fmt: skip
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("Indicator")
    )
    period = models.CharField(_("Period"), max_length=10)
    number = models.DecimalField(_("Number (amounts in 元)"), max_digits=22, decimal_places=4, null=True, blank=True)
    text = models.CharField(_("Text"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("Version"), default=1)
    is_current = models.BooleanField(_("Current"), default=True)
    origin = models.CharField(_("Origin"), max_length=12, choices=Origin.choices)
    origin_ref = models.CharField(_("Origin record"), max_length=60, blank=True)  # "reporting.return:42"
    origin_version = models.CharField(_("Form version"), max_length=60, blank=True)
    reason = models.CharField(_("Reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("Recorded by"),
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("Recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("Indicator value")
        verbose_name_plural = _("Indicator values")
        ordering = ["enterprise", "indicator", "period", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "indicator", "period", "version"], name="value_version_unique"
            ),
            models.UniqueConstraint(
                fields=["enterprise", "indicator", "period"],
                condition=models.Q(is_current=True),
                name="value_one_current",
            ),  # fmt: skip
        ]
        indexes = [
            models.Index(
                fields=["indicator", "period"], condition=models.Q(is_current=True), name="value_indicator_period_idx"
            ),
            models.Index(
                fields=["enterprise", "period"], condition=models.Q(is_current=True), name="value_firm_period_idx"
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.indicator.code} {self.period} v{self.version}"


class Severity(models.TextChoices):
    ERROR = "error", _("Error")  # 错误: must be corrected
    WARNING = "warning", _("Warning")  # 警示: may stand with an explanation


class RuleSet(models.Model):
    """A named group of rules evaluated together: a form version's checks, a policy's conditions. A set in use by
    a form version is frozen: its rules no longer change (a new version gets a new set)."""

    code = models.CharField(_("Rule set code"), max_length=80, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    frozen_at = models.DateTimeField(_("Frozen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Rule set")
        verbose_name_plural = _("Rule sets")
        ordering = ["code"]

    def __str__(self):
        return self.name


class RuleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In effect")
    RETIRED = "retired", _("Retired")


class Rule(models.Model):
    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules", verbose_name=_("Rule set"))
    code = models.CharField(_("Rule code"), max_length=60)
    name = models.CharField(_("Name"), max_length=200)
    expression = models.TextField(_("Condition (CEL)"), help_text=_("Holds when the data are right"))
    message = models.CharField(
        _("Message shown"),
        max_length=300,
        help_text=_("Shown when the condition fails; {code} and {last.code} insert values"),
    )
    values = models.JSONField(_("Values for the message (CEL)"), default=dict, blank=True)
    severity = models.CharField(_("Severity"), max_length=10, choices=Severity.choices, default=Severity.ERROR)
    reads = models.JSONField(_("Indicators read"), default=list, editable=False)
    valid_from = models.DateField(_("Valid from"), null=True, blank=True)
    valid_to = models.DateField(_("Valid to"), null=True, blank=True)
    source_document = models.CharField(_("Source document (文号)"), max_length=120, blank=True)
    # a rule for one industry (the firm's 行业门类 in the registry), in place of the set's rule for every industry
    # that it names: ratio and wage ranges differ between manufacturing and software
    industry = models.CharField(_("Industry"), max_length=1, choices=Industry.choices, blank=True,
                                help_text=_("Empty: every industry"))  # fmt: skip
    replaces = models.CharField(
        _("Replaces for this industry"), max_length=60, blank=True,
        help_text=_("The code of the set's rule for every industry that this one takes the place of"),
    )  # fmt: skip
    samples = models.JSONField(
        _("Sample data"), default=list, blank=True,
        help_text=_('[{"values": {...}, "last": {...}, "expect": "true" | "false" | "unknown"}]'),
    )  # fmt: skip
    status = models.CharField(_("Status"), max_length=10, choices=RuleStatus.choices, default=RuleStatus.DRAFT)
    order = models.PositiveIntegerField(_("Order"), default=0)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Rule")
        verbose_name_plural = _("Rules")
        ordering = ["ruleset", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "code"], name="rule_code_unique_in_set"),
            models.CheckConstraint(
                name="rule_valid_to_after_from",
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
            ),  # fmt: skip
        ]

    def __str__(self):
        return f"{self.code} {self.name}"
