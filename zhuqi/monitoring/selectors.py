"""Reads for the monitoring screens: who sees which points, the live overview, a point's trend and an alarm."""

import datetime

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMinute
from django.http import Http404
from django.utils import timezone

from zhuqi.core import scopes
from zhuqi.org.models import Role

from .models import Alarm, AlarmLevel, AlarmStatus, MonitoringPoint, Outage, OutageScope, Reading

STATES = ["normal", AlarmLevel.LOW, AlarmLevel.HIGH, AlarmLevel.HIGH_HIGH, AlarmLevel.OFFLINE]


def can_see_monitoring(user) -> bool:
    return getattr(user, "role", None) in (
        Role.ZONE_COORDINATOR,
        Role.DEPARTMENT_HANDLER,
        Role.PARK_OFFICER,
        Role.ENTERPRISE_CONTACT,
    )


def points_visible_to(user) -> QuerySet:
    return MonitoringPoint.objects.filter(enterprise__in=scopes.enterprises_visible_to(user), is_active=True)


def alarms_visible_to(user) -> QuerySet:
    return Alarm.objects.filter(enterprise__in=scopes.enterprises_visible_to(user))


def heard_from_recently(now: datetime.datetime) -> Q:
    """A point counts as online when it is not marked offline and its last reading is within its offline time and
    within ZHUQI_OUTAGE_SECONDS: what the live screen's online rate counts, not the state alone (which the sweep
    sets only once a point's offline time has passed)."""
    second = Value(datetime.timedelta(seconds=1), DurationField())
    seconds = ExpressionWrapper(F("offline_after_seconds"), IntegerField())  # SQLite multiplies plain integers only
    silence = ExpressionWrapper(second * seconds, DurationField())
    recent = now - datetime.timedelta(seconds=settings.ZHUQI_OUTAGE_SECONDS)
    return ~Q(state=AlarmLevel.OFFLINE) & Q(last_at__gte=recent) & Q(last_at__gte=Value(now) - silence)


# alarms by level, then offline, then normal: the order of the live screen's and the file's point lists
GRAVITY_ORDER = [AlarmLevel.HIGH_HIGH, AlarmLevel.HIGH, AlarmLevel.LOW, AlarmLevel.OFFLINE, "normal"]
GRAVEST_FIRST = Case(
    *(When(state=state, then=Value(rank)) for rank, state in enumerate(GRAVITY_ORDER)), output_field=IntegerField()
)


def outages_visible_to(user) -> QuerySet:
    """The platform's outage is shown to everyone who sees the live screen (it explains every firm's silence); a
    gateway's to those who see its firm. The system administrator, told of the platform's, sees those in the admin."""
    if not (can_see_monitoring(user) or getattr(user, "role", None) == Role.SYSTEM_ADMIN):
        return Outage.objects.none()
    return Outage.objects.filter(
        Q(scope=OutageScope.PLATFORM) | Q(enterprise__in=scopes.enterprises_visible_to(user))
    ).select_related("enterprise", "gateway", "case")


def overview(*, user, state: str = "") -> dict:
    """The live screen: points by state, open outages and alarms (gravest and oldest first), the online rate per
    firm, and the points themselves (gravest first, or those in one state), each linking to its trend."""
    now = timezone.now()
    points = points_visible_to(user)
    online = heard_from_recently(now)
    by_state = dict(points.values_list("state").annotate(n=Count("pk")).order_by())
    firms = (
        points.values("enterprise_id", "enterprise__name")
        .annotate(
            points=Count("pk"),
            online=Count("pk", filter=online),
            alarming=Count("pk", filter=Q(state__in=[AlarmLevel.LOW, AlarmLevel.HIGH, AlarmLevel.HIGH_HIGH])),
        )
        .order_by("-alarming", "enterprise__name")
    )
    for firm in firms:
        firm["online_rate"] = round(100 * firm["online"] / firm["points"], 1) if firm["points"] else None
    open_alarms = (
        alarms_visible_to(user)
        .exclude(status=AlarmStatus.CLEARED)
        .select_related("point", "enterprise", "case")
        .order_by("status", "-triggered_at")[:100]
    )
    listed = points.filter(state=state) if state in STATES else points
    totals = points.aggregate(total=Count("pk"), online=Count("pk", filter=online), latest=Max("last_at"))
    total, latest = totals["total"], totals["latest"]
    outages = list(outages_visible_to(user).filter(ended_at__isnull=True)[:50])
    return {
        # no reading anywhere in the last two minutes: the ingester or the broker is not running
        "live": latest is not None and now - latest < datetime.timedelta(minutes=2),
        "latest": latest,
        "states": [(s, by_state.get(s, 0)) for s in STATES],
        "state": state if state in STATES else "",
        "total": total,
        "online_rate": round(100 * totals["online"] / total, 1) if total else None,
        "firms": list(firms),
        "alarms": list(open_alarms),
        "outages": outages,
        "platform_down": any(o.scope == OutageScope.PLATFORM for o in outages),
        "points": list(
            listed.select_related("enterprise").order_by(GRAVEST_FIRST, "enterprise__name", "code")[:POINTS_SHOWN]
        ),
        "points_listed": listed.count(),
        "now": now,
    }


POINTS_SHOWN = 200


def enterprise_points(*, user, enterprise) -> QuerySet:
    """The firm's points in use, as the user may see them, gravest first (the enterprise file's monitoring panel)."""
    return points_visible_to(user).filter(enterprise=enterprise).order_by(GRAVEST_FIRST, "code")


def enterprise_monitoring_panel(*, user, enterprise) -> dict:
    """The enterprise file's monitoring panel (registered in apps.py as the selector "enterprise.monitoring"): its
    points with their state and a link to each trend, for those who see the live screen."""
    if not can_see_monitoring(user):
        return {}
    return {"monitoring_points": list(enterprise_points(user=user, enterprise=enterprise))}


def has_points(user) -> bool:
    """An enterprise contact sees 实时监测 only when the firm has sensors."""
    return MonitoringPoint.objects.filter(enterprise_id=user.enterprise_id, is_active=True).exists()


def point_get_for_user(*, user, pk: int) -> MonitoringPoint:
    point = points_visible_to(user).select_related("enterprise", "gateway").filter(pk=pk).first()
    if point is None:
        raise Http404
    return point


def point_trend(*, point: MonitoringPoint, hours: int, now: datetime.datetime | None = None) -> list[list]:
    """[time, value] pairs over the last hours: every reading up to six hours, beyond that the minute's
    average, lowest and highest (so a short spike still shows), computed in SQL."""
    now = now or timezone.now()
    readings = Reading.objects.filter(point=point, at__gte=now - datetime.timedelta(hours=hours)).order_by("at")
    if hours <= 6:
        return [[_wall(at), v] for at, v in readings.values_list("at", "value")[:20000]]
    rows = (
        readings.annotate(minute=TruncMinute("at"))
        .values("minute")
        .annotate(avg=Avg("value"), low=Min("value"), high=Max("value"))
        .order_by("minute")
    )
    return [[_wall(r["minute"]), round(r["avg"], 3), r["low"], r["high"]] for r in rows]


def _wall(moment: datetime.datetime) -> str:
    """The zone's wall-clock time, so the chart reads the same whatever time zone the browser is in."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def alarm_get_for_user(*, user, pk: int) -> Alarm:
    alarm = alarms_visible_to(user).select_related("point", "enterprise", "case").filter(pk=pk).first()
    if alarm is None:
        raise Http404
    return alarm


def counted_facts(*, enterprise_ids: list[int], period: str) -> dict[int, dict]:
    """The monitoring's fact of firms (`indicators.counted.monitoring`), in one GROUP BY: ``alarms_in_period``, the
    alarms triggered in the period that the firm confirmed (acknowledged; those handled or cleared since were
    confirmed first). Every firm asked gets a count, 0 when it has none."""
    from zhuqi.core.period_keys import period_times

    start, end = period_times(period)
    rows = (
        Alarm.objects.filter(
            enterprise_id__in=enterprise_ids,
            triggered_at__gte=start,
            triggered_at__lt=end,
            acknowledged_at__isnull=False,
        )  # fmt: skip
        .values("enterprise_id")
        .annotate(alarms=Count("pk"))
        .values_list("enterprise_id", "alarms")
    )
    facts = {pk: {"alarms_in_period": 0} for pk in enterprise_ids}
    for pk, alarms in rows:
        facts[pk] = {"alarms_in_period": alarms}
    return facts


def latest_by_firm(
    *, enterprise_ids: list[int], quantity: str, since: datetime.datetime | None = None, highest: bool = False
) -> dict[int, float]:
    """Registered as monitoring.latest_by_firm: each firm's latest value of a quantity, summed over its points of
    that quantity (a firm's electricity load is the sum of its meters), or the highest of them (`highest`: a
    concentration at several outlets does not add up), from the points' last values — one GROUP BY. Points not
    heard from since `since` are left out."""
    points = MonitoringPoint.objects.filter(enterprise_id__in=enterprise_ids, quantity=quantity, is_active=True,
                                            last_value__isnull=False)  # fmt: skip
    if since is not None:
        points = points.filter(last_at__gte=since)
    return {row["enterprise_id"]: row["total"]
            for row in points.values("enterprise_id").annotate(total=Max("last_value") if highest else Sum("last_value"))}  # fmt: skip


def cockpit_alarms(*, now: datetime.datetime | None = None) -> dict:
    """Registered as `cockpit.monitoring`: the zone's open alarms (not yet cleared) by level, those still waiting to
    be acknowledged and those past their time to be, and the points online, as the live screen counts them for the
    zone office; two aggregate queries."""
    now = now or timezone.now()
    # a deleted firm's alarms and points leave the live screen with it
    open_alarms = Alarm.objects.exclude(status=AlarmStatus.CLEARED).filter(enterprise__deleted_at__isnull=True)
    counts = open_alarms.aggregate(
        open=Count("pk"),
        unacknowledged=Count("pk", filter=Q(status=AlarmStatus.TRIGGERED)),
        late=Count("pk", filter=Q(status=AlarmStatus.TRIGGERED, acknowledge_by__lt=now)),
        firms=Count("enterprise", distinct=True),
        **{level: Count("pk", filter=Q(level=level)) for level in AlarmLevel.values},
    )
    points = MonitoringPoint.objects.filter(is_active=True, enterprise__deleted_at__isnull=True).aggregate(
        total=Count("pk"), online=Count("pk", filter=heard_from_recently(now))
    )
    return {
        **counts,
        "levels": [(level, label, counts[level]) for level, label in reversed(AlarmLevel.choices)],
        "points": points["total"],
        "online_rate": round(100 * points["online"] / points["total"], 1) if points["total"] else None,
    }
