"""Reads of the daily dispatch, each starting from the user's scope: the zone sees every firm, a department every
firm (read only), a park officer the park's firms, a firm itself; the figures are computed in SQL over the
reports of the target firms the user may see.

The figures, as 复工复产 statistics define them:
- 复工率 (resumption rate) = target firms reporting 正常 or 部分 that day ÷ all target firms of the period (frozen
  when it opened); a firm that has not reported counts as not resumed.
- 返岗率 (staff return rate) = Σ 在岗人数 ÷ Σ 计划人数 (the firms' usual staff), over the firms that reported.
- 产能恢复率 (capacity recovery rate) = Σ 当日产值 ÷ Σ 正常日产值, over the firms that reported; a firm that gave its
  产能利用率 instead of its output counts 产能利用率 × 正常日产值.
- 报送率 = target firms that reported ÷ all target firms."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from zhuqi.core import scopes
from zhuqi.enterprises.models import Enterprise, Industry
from zhuqi.org.models import Park, Role

from .models import WORKING, DailyReport, DispatchPeriod, DispatchTarget, OperatingStatus, PeriodStatus

STAFF = (Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER)
READERS = (*STAFF, Role.ENTERPRISE_CONTACT)


def _role(user):
    return getattr(user, "role", None) if user is not None and user.is_authenticated and user.is_active else None


def can_use_dispatch(user) -> bool:
    return _role(user) in READERS


def can_manage_periods(user) -> bool:
    return _role(user) == Role.ZONE_COORDINATOR


def can_see_figures(user) -> bool:
    return _role(user) in STAFF


def enterprises_in_dispatch_of(user) -> QuerySet:
    """The firms whose reports this user reads: as the registry's scope says, for the roles dispatch serves."""
    if _role(user) not in READERS:
        return Enterprise.objects.none()
    return scopes.enterprises_visible_to(user)


def enterprises_reportable_by(user) -> QuerySet:
    """A firm reports for itself; its park's officer or the zone office may report for it (by phone)."""
    role = _role(user)
    if role == Role.ENTERPRISE_CONTACT:
        return Enterprise.objects.filter(pk=user.enterprise_id)
    if role in (Role.ZONE_COORDINATOR, Role.PARK_OFFICER):
        return scopes.enterprises_visible_to(user)
    return Enterprise.objects.none()


def reports_visible_to(user) -> QuerySet:
    """The registered scope "dispatch.reports" (and the timeline kind's)."""
    return DailyReport.objects.filter(enterprise__in=enterprises_in_dispatch_of(user))


def targets_visible_to(user) -> QuerySet:
    return DispatchTarget.objects.filter(enterprise__in=enterprises_in_dispatch_of(user))


def periods_visible_to(user) -> QuerySet:
    """The zone office sees every period, drafts included; the others the opened periods that ask a firm they see."""
    role = _role(user)
    if role == Role.ZONE_COORDINATOR:
        return DispatchPeriod.objects.all()
    if role not in READERS:
        return DispatchPeriod.objects.none()
    asked = targets_visible_to(user).values("period_id")
    return DispatchPeriod.objects.exclude(status=PeriodStatus.DRAFT).filter(pk__in=asked)


def period_list(*, user) -> QuerySet:
    return periods_visible_to(user).annotate(
        target_count=Count("targets", filter=Q(targets__in=targets_visible_to(user)), distinct=True)
    )


def period_get_for_user(*, user, pk: int) -> DispatchPeriod:
    """404 alike for a missing period and one the user may not see."""
    return periods_visible_to(user).get(pk=pk)


def _rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


TOTALS = {
    "reported": Count("pk"),
    "working": Count("pk", filter=Q(operating_status__in=WORKING)),
    "on_duty": Sum("staff_on_duty"),
    "planned": Sum("staff_planned"),
    "output": Sum("output_value"),
    "normal": Sum("normal_output"),
}


def _figures(row: dict, targets: int) -> dict:
    return {
        "targets": targets,
        "reported": row.get("reported") or 0,
        "working": row.get("working") or 0,
        "on_duty": row.get("on_duty") or 0,
        "planned": row.get("planned") or 0,
        "output": row.get("output") or Decimal(0),
        "resumption_rate": _rate(row.get("working"), targets),
        "report_rate": _rate(row.get("reported"), targets),
        "staff_return_rate": _rate(row.get("on_duty"), row.get("planned")),
        "capacity_recovery_rate": _rate(row.get("output"), row.get("normal")),
    }


GROUPS = {"park": "park_id", "industry": "industry"}


def period_figures(*, user, period: DispatchPeriod, group: str = "park", day: datetime.date | None = None) -> dict:
    """复工率, 返岗率, 产能恢复率 for the zone (as this user sees it) day by day, and by park or industry on `day`
    and day by day: three GROUP BY queries, whatever the number of firms."""
    column = GROUPS[group]
    targets = DispatchTarget.objects.filter(period=period, pk__in=targets_visible_to(user).values("pk"))
    reports = DailyReport.objects.filter(target__in=targets)
    target_counts = {r[column]: r["n"] for r in targets.values(column).annotate(n=Count("pk")).order_by()}
    total_targets = sum(target_counts.values())
    by_day = {r["day"]: r for r in reports.values("day").annotate(**TOTALS).order_by()}
    by_group_day = {}
    for r in reports.values("day", f"target__{column}").annotate(**TOTALS).order_by():
        by_group_day[(r[f"target__{column}"], r["day"])] = r
    days = period.days()
    today = timezone.localdate()
    shown_days = [d for d in days if d <= today] or days[:1]
    if day is None or day not in days:
        day = shown_days[-1]
    names = _group_names(group, target_counts)
    groups = [
        {
            "key": key,
            "name": names[key],
            "figures": _figures(by_group_day.get((key, day), {}), count),
            "series": [_figures(by_group_day.get((key, d), {}), count)["resumption_rate"] for d in shown_days],
        }
        for key, count in sorted(target_counts.items(), key=lambda kv: str(names[kv[0]]))
    ]
    return {
        "day": day,
        "days": shown_days,
        "zone": _figures(by_day.get(day, {}), total_targets),
        "series": [_figures(by_day.get(d, {}), total_targets) for d in shown_days],
        "groups": groups,
    }


def _group_names(group: str, counts: dict) -> dict:
    if group == "park":
        parks = dict(Park.objects.filter(pk__in=[k for k in counts if k]).values_list("pk", "name"))
        return {k: parks.get(k, "—") if k else "—" for k in counts}
    labels = dict(Industry.choices)
    return {k: labels.get(k, "—") if k else "—" for k in counts}


def targets_not_reported(*, user, period: DispatchPeriod, day: datetime.date) -> QuerySet:
    """The cut-off list: target firms this user sees without a report for the day, with their officer."""
    return (
        targets_visible_to(user)
        .filter(period=period)
        .exclude(reports__day=day)
        .select_related("enterprise__service_officer", "park")
        .order_by("park__name", "enterprise__name")
    )


def reports_of_day(*, user, period: DispatchPeriod, day: datetime.date, notable_only: bool = False) -> QuerySet:
    """The day's reports; notable_only: those that need a look (not working normally, a problem, late)."""
    reports = reports_visible_to(user).filter(target__period=period, day=day)
    if notable_only:
        notable = ~Q(operating_status=OperatingStatus.NORMAL) | ~Q(problems="") | Q(is_late=True)
        reports = reports.filter(notable)
    return reports.select_related("enterprise", "target__park", "reported_by", "case").order_by(
        "target__park__name", "enterprise__name"
    )


def report_of(*, target: DispatchTarget, day: datetime.date) -> DailyReport | None:
    return DailyReport.objects.filter(target=target, day=day).first()


def last_report(*, target: DispatchTarget) -> DailyReport | None:
    """What prefills today's form: the firm's last report in this period."""
    return DailyReport.objects.filter(target=target).order_by("-day").first()


def open_targets_of(*, user, day: datetime.date) -> QuerySet:
    """The open periods' targets this user may report for today."""
    return DispatchTarget.objects.filter(
        period__status=PeriodStatus.OPEN, period__starts_on__lte=day, period__ends_on__gte=day,
        enterprise__in=enterprises_reportable_by(user),
    ).select_related("period", "enterprise")  # fmt: skip


def missing_for_officer(*, officer, now: datetime.datetime | None = None) -> list[DispatchTarget]:
    """The service officer's firms that have not reported today in an open period whose cut-off has passed."""
    now = timezone.localtime(now or timezone.now())
    day = now.date()
    return list(
        DispatchTarget.objects.filter(
            period__status=PeriodStatus.OPEN, period__starts_on__lte=day, period__ends_on__gte=day,
            period__cutoff__lt=now.time(), enterprise__service_officer=officer,
        )
        .exclude(reports__day=day)
        .select_related("period", "enterprise")
        .order_by("period_id", "enterprise__name")[:50]
    )  # fmt: skip


def cockpit_dispatch(*, today: datetime.date | None = None) -> dict | None:
    """Registered as `cockpit.dispatch`: the dispatch in progress (the latest opened and not yet ended) with the
    zone's figures of its latest day so far, as its page shows them to the zone office; else the last one that ran
    (its name and dates only), or None. Three small queries."""
    today = today or timezone.localdate()
    period = DispatchPeriod.objects.filter(status=PeriodStatus.OPEN).order_by("-starts_on", "-id").first()
    if period is None:
        last = DispatchPeriod.objects.filter(status=PeriodStatus.CLOSED).order_by("-ends_on", "-id").first()
        return None if last is None else {"period": last, "in_progress": False}
    days = [d for d in period.days() if d <= today] or period.days()[:1]
    targets = DispatchTarget.objects.filter(period=period, enterprise__deleted_at__isnull=True)
    row = DailyReport.objects.filter(target__in=targets, day=days[-1]).aggregate(**TOTALS)
    return {"period": period, "in_progress": True, "day": days[-1], "figures": _figures(row, targets.count())}
