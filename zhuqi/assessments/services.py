"""Writes: the year's targets (zone office), the values units report for expected indicators (append-only), manual
adjustments of a month's points (append-only, a reason each, refused once the month is closed), and closing a month
(its scores stored as they stand). Each checks who acts, runs in one transaction and leaves an audit record."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import Enum

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent

from . import selectors
from .models import ZONE, Adjustment, ClosedMonth, FrozenScore, Kind, Phasing, ReportedValue, Target
from .scoring import quantize


class AssessmentError(Enum):
    NOT_ALLOWED = "not_allowed"
    REASON_REQUIRED = "reason_required"
    MONTH_CLOSED = "month_closed"
    MONTH_NOT_OVER = "month_not_over"
    UNKNOWN_UNIT = "unknown_unit"
    UNKNOWN_INDICATOR = "unknown_indicator"
    BAD_NUMBER = "bad_number"


def _refuse(code: AssessmentError, message: str, field: str | None = None):
    raise DomainError(code, message, field=field)


def _number(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        _refuse(AssessmentError.BAD_NUMBER, _("Enter a number"), field)
    if not number.is_finite() or abs(number) >= Decimal("1e13"):
        _refuse(AssessmentError.BAD_NUMBER, _("Enter a number"), field)
    return number


def _unit_known(unit_key: str) -> None:
    if unit_key != ZONE and unit_key not in selectors.units():
        _refuse(AssessmentError.UNKNOWN_UNIT, _("No such unit"), "unit_key")


# figures counted in whole things: 252.5 家 is a typing error, not a figure
WHOLE_UNITS = {"家", "个", "人", "件", "项", "宗"}


def _indicator_known(code: str, kind: str | None = None):
    rows = selectors.indicator_versions().filter(code=code)
    if kind:
        rows = rows.filter(kind=kind)
    indicator = rows.order_by("-valid_from").first()
    if indicator is None:
        _refuse(AssessmentError.UNKNOWN_INDICATOR, _("No such indicator"), "indicator_code")
    return indicator


def _figure(indicator, value) -> Decimal:
    number = _number(value, "value")
    if indicator.unit in WHOLE_UNITS and number != number.to_integral_value():
        _refuse(AssessmentError.BAD_NUMBER,
                _("%(name)s is counted in %(unit)s: enter a whole number") % {"name": indicator.name,
                                                                               "unit": indicator.unit}, "value")  # fmt: skip
    return number


@transaction.atomic
def target_set(*, year: int, unit_key: str, indicator_code: str, value, by, phasing: str = Phasing.MONTHLY,
               phases: list | None = None) -> Target:  # fmt: skip
    """Sets (or changes) a unit's target for a year; the change is kept in the audit trail."""
    if not selectors.can_manage(by):
        _refuse(AssessmentError.NOT_ALLOWED, _("Only the zone office sets targets"))
    _unit_known(unit_key)
    number = _figure(_indicator_known(indicator_code), value)
    phases = [float(_number(p, "phases")) for p in (phases or [])]
    if phasing not in Phasing.values:
        phasing = Phasing.MONTHLY
    target = Target.objects.filter(year=year, unit_key=unit_key, indicator_code=indicator_code).first()
    before = {"value": str(target.value), "phasing": target.phasing, "phases": target.phases} if target else {}
    if target is None:
        target = Target(year=year, unit_key=unit_key, indicator_code=indicator_code)
    target.value, target.phasing, target.phases = number, phasing, phases
    target.set_by, target.set_at = by, timezone.now()
    target.save()
    audit_record(
        actor=by,
        event=AuditEvent.UPDATE if before else AuditEvent.CREATE,
        obj=target,
        changes={"before": before, "after": {"value": str(number), "phasing": phasing, "phases": phases}},
    )
    return target


@transaction.atomic
def reported_value_record(*, year: int, month: int, unit_key: str, indicator_code: str, value, by,
                          note: str = "") -> ReportedValue:  # fmt: skip
    """A unit's value of an expected indicator for a month; a correction is a new row (the earlier stays)."""
    if not (selectors.can_manage(by) or selectors.own_unit(by) == unit_key):
        _refuse(AssessmentError.NOT_ALLOWED, _("A unit reports its own values; the zone office any unit's"))
    _unit_known(unit_key)
    indicator = _indicator_known(indicator_code, Kind.EXPECTED)
    if not 1 <= month <= 12:
        _refuse(AssessmentError.BAD_NUMBER, _("Enter a number"), "month")
    row = ReportedValue.objects.create(year=year, month=month, unit_key=unit_key, indicator_code=indicator_code,
                                       value=_figure(indicator, value), note=note[:200], entered_by=by)  # fmt: skip
    audit_record(actor=by, event=AuditEvent.CREATE, obj=row)
    return row


@transaction.atomic
def adjustment_record(*, year: int, month: int, unit_key: str, indicator_code: str, points, reason: str,
                      by) -> Adjustment:  # fmt: skip
    """Adds or deducts points by hand: only the zone office, only with a reason, only while the month is open."""
    if not selectors.can_manage(by):
        _refuse(AssessmentError.NOT_ALLOWED, _("Only the zone office adjusts scores"))
    reason = (reason or "").strip()
    if not reason:
        _refuse(AssessmentError.REASON_REQUIRED, _("An adjustment needs a reason"), "reason")
    if ClosedMonth.objects.select_for_update().filter(year=year, month=month).exists():
        _refuse(AssessmentError.MONTH_CLOSED, _("This month is closed: its scores no longer change"))
    _unit_known(unit_key)
    _indicator_known(indicator_code, Kind.SERVICE)
    row = Adjustment.objects.create(year=year, month=month, unit_key=unit_key, indicator_code=indicator_code,
                                    points=quantize(_number(points, "points")), reason=reason[:300], by=by)  # fmt: skip
    audit_record(actor=by, event=AuditEvent.CREATE, obj=row)
    return row


@transaction.atomic
def month_close(*, year: int, month: int, by) -> ClosedMonth:
    """Freezes a month that is over: every unit's lines and total, with its rank, stored as they stand now."""
    if not selectors.can_manage(by):
        _refuse(AssessmentError.NOT_ALLOWED, _("Only the zone office closes a month"))
    today = timezone.localdate()
    if (year, month) >= (today.year, today.month):
        _refuse(AssessmentError.MONTH_NOT_OVER, _("A month can be closed once it is over"))
    try:
        with transaction.atomic():
            closed = ClosedMonth.objects.create(year=year, month=month, closed_by=by)
    except IntegrityError:
        _refuse(AssessmentError.MONTH_CLOSED, _("This month is already closed"))
    scores = selectors.MonthScores(year, month)
    rows, totals = [], {}
    for unit_key, (name, _kind) in scores.units.items():
        lines = scores.lines(unit_key)
        totals[unit_key] = quantize(sum((line.points for line in lines), Decimal(0)))
        for line in lines:
            spec = line.spec
            rows.append(FrozenScore(
                closed=closed, unit_key=unit_key, unit_name=name, indicator_code=spec.code, value=line.value,
                target=line.target, points=line.points,
                inputs={"figures": {k: int(v) if isinstance(v, int) else str(v) for k, v in line.inputs.items()},
                        "name": spec.name, "unit": spec.unit, "formula": spec.formula, "version": spec.version,
                        "method": spec.method_text(), "max_points": str(spec.max_points),
                        "computed_points": str(line.computed), "source_document": spec.source_document,
                        "adjustment": str(line.adjustment) if line.adjustment else None, "reason": line.reason},
            ))  # fmt: skip
    ranks = selectors._ranked(totals)
    rows += [FrozenScore(closed=closed, unit_key=k, unit_name=scores.units[k][0], indicator_code="", points=t,
                         rank=ranks[k]) for k, t in totals.items()]  # fmt: skip
    FrozenScore.objects.bulk_create(rows)
    audit_record(actor=by, event=AuditEvent.CREATE, obj=closed, detail=f"{len(totals)} units")
    return closed
