"""目标 · 绩效考核: assessment indicators as data (a CEL formula over the modules' figures, a way to points, versioned
and dated like the rules), the year's targets per unit with their phasing, the values units report for the expected
indicators (append-only), the manual adjustments (append-only, each with its reason), and the closed months' frozen
scores."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhuqi.core.models import AppendOnlyModel

ZONE = "zone"


class Kind(models.TextChoices):
    SERVICE = "service", _("Service indicator (scored monthly)")  # 服务指标
    EXPECTED = "expected", _("Expected indicator (target and progress)")  # 预期性指标


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Scoring(models.TextChoices):
    PROPORTIONAL = "proportional", _("Proportional to target (capped)")
    BANDS = "bands", _("Bands")
    DEDUCTION = "deduction", _("Deduction per event")


class AppliesTo(models.TextChoices):
    ALL = "all", _("Departments and parks")
    DEPARTMENT = "department", _("Departments")
    PARK = "park", _("Parks")


class Source(models.TextChoices):
    FORMULA = "formula", _("Counted from the platform's figures")
    REPORTED = "reported", _("Reported by the unit each month")


class AssessmentIndicator(models.Model):
    """One version of an indicator; the version in effect in a month is the latest whose valid_from is not after
    the month's first day."""

    code = models.CharField(_("Indicator code"), max_length=40)
    version = models.PositiveIntegerField(_("Version"), default=1)
    valid_from = models.DateField(_("Valid from"))
    name = models.CharField(_("Name"), max_length=60)
    unit = models.CharField(_("Unit of measure"), max_length=10, blank=True)
    kind = models.CharField(_("Kind"), max_length=10, choices=Kind.choices, default=Kind.SERVICE)
    direction = models.CharField(_("Direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    applies_to = models.CharField(_("Assessed units"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.ALL)
    source = models.CharField(_("Source"), max_length=10, choices=Source.choices, default=Source.FORMULA)
    formula = models.TextField(_("Formula (CEL over figures)"), blank=True)
    scoring = models.CharField(_("Scoring"), max_length=14, choices=Scoring.choices, default=Scoring.PROPORTIONAL)
    # proportional: {"target": default target}; bands: {"bands": [[bound, points], ...]}; deduction: {"per": points}
    params = models.JSONField(_("Scoring parameters"), default=dict, blank=True)
    max_points = models.DecimalField(_("Weight (points)"), max_digits=6, decimal_places=2, default=0)
    order = models.PositiveIntegerField(_("Order"), default=0)
    source_document = models.CharField(_("Source document (文号)"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("Assessment indicator")
        verbose_name_plural = _("Assessment indicators")
        ordering = ["order", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="assessment_indicator_version")]

    def __str__(self):
        return f"{self.name} v{self.version}"


class Phasing(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Target(models.Model):
    """A unit's target for a year (zone, department:<id>, park:<id>), phased by month or quarter: `phases` gives
    each period's share of the target (empty: even)."""

    year = models.PositiveIntegerField(_("Year"))
    unit_key = models.CharField(_("Unit"), max_length=30)
    indicator_code = models.CharField(_("Indicator code"), max_length=40)
    value = models.DecimalField(pgettext_lazy("assessment", "Target"), max_digits=16, decimal_places=2)
    phasing = models.CharField(_("Phasing"), max_length=10, choices=Phasing.choices, default=Phasing.MONTHLY)
    phases = models.JSONField(_("Phases"), default=list, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("Set by"))  # fmt: skip
    set_at = models.DateTimeField(_("Set at"), default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("assessment", "Target")
        verbose_name_plural = pgettext_lazy("assessment", "Targets")
        ordering = ["year", "unit_key", "indicator_code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit_key", "indicator_code"], name="assessment_target_unique")
        ]

    def __str__(self):
        return f"{self.year} {self.unit_key} {self.indicator_code} {self.value}"


class ReportedValue(AppendOnlyModel):
    """A value a unit (or the zone office) reports for an expected indicator and month; a correction is a newer
    row, the latest counts and the earlier ones stay."""

    year = models.PositiveIntegerField(_("Year"))
    month = models.PositiveSmallIntegerField(pgettext_lazy("assessment", "Month"))
    unit_key = models.CharField(_("Unit"), max_length=30)
    indicator_code = models.CharField(_("Indicator code"), max_length=40)
    value = models.DecimalField(_("Value"), max_digits=16, decimal_places=2)
    note = models.CharField(_("Note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("Entered by"))  # fmt: skip
    entered_at = models.DateTimeField(_("Entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("Reported value")
        verbose_name_plural = _("Reported values")
        ordering = ["year", "month", "unit_key", "indicator_code", "-entered_at", "-id"]
        indexes = [models.Index(fields=["indicator_code", "year", "unit_key"], name="reported_value_idx")]

    def __str__(self):
        return f"{self.year}-{self.month:02d} {self.unit_key} {self.indicator_code} {self.value}"


class Adjustment(AppendOnlyModel):
    """A manual change of a unit's points on one indicator in one month, with its reason; the latest for (month,
    unit, indicator) is the one that counts (0 takes an adjustment back), every earlier one stays in the history."""

    year = models.PositiveIntegerField(_("Year"))
    month = models.PositiveSmallIntegerField(pgettext_lazy("assessment", "Month"))
    unit_key = models.CharField(_("Unit"), max_length=30)
    indicator_code = models.CharField(_("Indicator code"), max_length=40)
    points = models.DecimalField(_("Points added (negative: deducted)"), max_digits=6, decimal_places=2)
    reason = models.CharField(_("Reason"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("Adjusted by"))  # fmt: skip
    at = models.DateTimeField(_("Adjusted at"), default=timezone.now)

    class Meta:
        verbose_name = _("Score adjustment")
        verbose_name_plural = _("Score adjustments")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["year", "month", "unit_key"], name="adjustment_month_unit_idx")]
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="adjustment_has_reason")]

    def __str__(self):
        return f"{self.year}-{self.month:02d} {self.unit_key} {self.indicator_code} {self.points:+}"


class ClosedMonth(models.Model):
    """A month closed by the zone office: its scores are stored in FrozenScore and no longer follow the data."""

    year = models.PositiveIntegerField(_("Year"))
    month = models.PositiveSmallIntegerField(pgettext_lazy("assessment", "Month"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("Closed by"))  # fmt: skip
    closed_at = models.DateTimeField(pgettext_lazy("assessment", "Closed at"), default=timezone.now)

    class Meta:
        verbose_name = _("Closed month")
        verbose_name_plural = _("Closed months")
        ordering = ["-year", "-month"]
        constraints = [models.UniqueConstraint(fields=["year", "month"], name="closed_month_unique")]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"


class FrozenScore(models.Model):
    """One unit's score on one indicator as it stood when the month was closed (indicator_code "" is the total,
    with the rank)."""

    closed = models.ForeignKey(ClosedMonth, on_delete=models.CASCADE, related_name="scores")
    unit_key = models.CharField(_("Unit"), max_length=30)
    unit_name = models.CharField(_("Unit name"), max_length=60)
    indicator_code = models.CharField(_("Indicator code"), max_length=40, blank=True)
    value = models.DecimalField(_("Value"), max_digits=16, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(
        pgettext_lazy("assessment", "Target"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    points = models.DecimalField(pgettext_lazy("assessment", "Points"), max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField(_("Rank"), null=True, blank=True)
    inputs = models.JSONField(_("Inputs"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Frozen score")
        verbose_name_plural = _("Frozen scores")
        constraints = [
            models.UniqueConstraint(fields=["closed", "unit_key", "indicator_code"], name="frozen_score_unique")
        ]

    def __str__(self):
        return f"{self.closed} {self.unit_key} {self.indicator_code or 'total'} {self.points}"
