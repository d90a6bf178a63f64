"""Reads for the monitoring screens: who sees which points, the live overview, a point's trend and an alarm."""

import datetime

from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.db.models.functions import TruncMinute
from django.http import Http404
from django.utils import timezone

from zhuqi.core import scopes
from zhuqi.org.models import Role

from .models import Alarm, AlarmLevel, AlarmStatus, MonitoringPoint, Reading

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


def overview(*, user) -> dict:
    """The live screen: points by state, open alarms (gravest and oldest first) and the online rate per firm."""
    points = points_visible_to(user)
    by_state = dict(points.values_list("state").annotate(n=Count("pk")).order_by())
    firms = (
        points.values("enterprise_id", "enterprise__name")
        .annotate(
            points=Count("pk"),
            online=Count("pk", filter=~Q(state=AlarmLevel.OFFLINE)),
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
    total = sum(by_state.values())
    latest = points.aggregate(latest=Max("last_at"))["latest"]
    return {
        # no reading anywhere in the last two minutes: the ingester or the broker is not running
        "live": latest is not None and timezone.now() - latest < datetime.timedelta(minutes=2),
        "latest": latest,
        "states": [(s, by_state.get(s, 0)) for s in STATES],
        "total": total,
        "online_rate": round(100 * (total - by_state.get(AlarmLevel.OFFLINE, 0)) / total, 1) if total else None,
        "firms": list(firms),
        "alarms": list(open_alarms),
        "now": timezone.now(),
    }


def point_get_for_user(*, user, pk: int) -> MonitoringPoint:
    point = points_visible_to(user).select_related("enterprise").filter(pk=pk).first()
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
