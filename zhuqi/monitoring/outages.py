"""Outages (停报): every point of the platform, or every point of one firm, silent at once. The fault is then the
ingestion or the firm's gateway, not each sensor: one Outage is opened and told once to whoever can fix it (the
system administrators for the platform, the firm's contacts for its gateway) and it ends by itself when data comes
back. While it lasts the sweep raises no offline alarm of their own for the points it covers: no case storm, no SMS
storm.

A group (the platform, a firm) is *silent* when its newest reading is older than its threshold
(ZHUQI_OUTAGE_SECONDS, or the shortest offline time among its points when that is shorter), and *alive* when its
newest reading is within half of that; in between nothing is decided yet. A gateway's outage is opened only while
the platform is alive, and a point's own offline alarm only while its firm and the platform are alive, so a stopped
ingestion is never taken for many gateways, nor a gateway for its points. For the same threshold after an outage
has ended its points get no alarm of their own either: what was held back is still arriving."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core.sms_text import firm_short, sms_fit
from zhuqi.notifications.services import notify
from zhuqi.org.models import Role, User

from .models import MonitoringPoint, Outage, OutageScope


@dataclass(frozen=True)
class Cover:
    """Whose silent points get no offline alarm of their own at this sweep."""

    everything: bool
    firms: frozenset


def _threshold(group) -> datetime.timedelta:
    seconds = settings.ZHUQI_OUTAGE_SECONDS
    if group["shortest"] is not None:
        seconds = min(seconds, group["shortest"])
    return datetime.timedelta(seconds=seconds)


def _silent(group, now) -> bool:
    return group["newest"] is None or group["newest"] < now - _threshold(group)


def _alive(group, now) -> bool:
    return group["newest"] is not None and group["newest"] >= now - _threshold(group) / 2


GROUP = {"n": Count("pk"), "newest": Max("last_at"), "shortest": Min("offline_after_seconds")}


def outages_sweep(*, now: datetime.datetime) -> tuple[Cover, dict]:
    """Opens and ends the platform's and the firms' outages (the groups' newest readings in two GROUP BYs) and
    says whose silent points are covered."""
    active = MonitoringPoint.objects.filter(is_active=True)
    platform = active.aggregate(**GROUP)
    counts = {"opened": 0, "ended": 0}
    grace = now - datetime.timedelta(seconds=settings.ZHUQI_OUTAGE_SECONDS)
    platform_open = Outage.objects.filter(scope=OutageScope.PLATFORM, ended_at__isnull=True).first()
    if platform["n"] and _silent(platform, now):
        if platform_open is None:
            counts["opened"] += _open(enterprise_id=None, group=platform, now=now)
    elif platform_open is not None:
        counts["ended"] += _end(platform_open, now)
    firms_decided = (
        platform["n"]
        and _alive(platform, now)
        and not Outage.objects.filter(scope=OutageScope.PLATFORM, ended_at__gte=grace).exists()
    )
    open_by_firm = {
        o.enterprise_id: o
        for o in Outage.objects.filter(scope=OutageScope.GATEWAY, ended_at__isnull=True).select_related("enterprise")
    }
    covered = set(
        Outage.objects.filter(scope=OutageScope.GATEWAY, ended_at__gte=grace).values_list("enterprise_id", flat=True)
    )
    for firm in active.values("enterprise_id").annotate(**GROUP).order_by("enterprise_id"):
        firm_id, outage = firm["enterprise_id"], open_by_firm.pop(firm["enterprise_id"], None)
        if _silent(firm, now):
            covered.add(firm_id)
            if outage is None and firms_decided:
                counts["opened"] += _open(enterprise_id=firm_id, group=firm, now=now)
        elif outage is not None:
            covered.add(firm_id)
            counts["ended"] += _end(outage, now)
        elif not _alive(firm, now):
            covered.add(firm_id)
    for outage in open_by_firm.values():  # the firm has no point in use any more
        counts["ended"] += _end(outage, now)
    return Cover(everything=not firms_decided, firms=frozenset(covered)), counts


def _open(*, enterprise_id, group, now) -> int:
    try:
        with transaction.atomic():
            outage = Outage.objects.create(
                scope=OutageScope.GATEWAY if enterprise_id else OutageScope.PLATFORM, enterprise_id=enterprise_id,
                started_at=now, last_reading_at=group["newest"], points=group["n"],
            )  # fmt: skip
            _tell(outage, ended=False)
    except IntegrityError:  # another sweep opened it at the same moment, and told them
        return 0
    return 1


def _end(outage: Outage, now) -> int:
    with transaction.atomic():
        if not Outage.objects.filter(pk=outage.pk, ended_at__isnull=True).update(ended_at=now):
            return 0  # another sweep ended it
        outage.ended_at = now
        _tell(outage, ended=True)
    return 1


def _tell(outage: Outage, *, ended: bool) -> None:
    """One message (inbox, SMS) to each person who can fix it, when it starts and when it ends."""
    since = timezone.localtime(outage.last_reading_at or outage.started_at).strftime("%H:%M")
    minutes = round(
        ((outage.ended_at or outage.started_at) - (outage.last_reading_at or outage.started_at)).total_seconds() / 60
    )
    if outage.scope == OutageScope.PLATFORM:
        people = User.objects.filter(is_active=True, role=Role.SYSTEM_ADMIN)
        url = reverse("admin:monitoring_outage_changelist")
        if ended:
            title = _("Sensor data is back after %(minutes)s minutes") % {"minutes": minutes}
            sms = sms_fit("监测数据接入已恢复（中断{minutes}分钟）", shrink={}, minutes=minutes)
            body = ""
        else:
            title = _("Sensor data stopped: %(n)s points without readings since %(since)s") % {
                "n": outage.points, "since": since,
            }  # fmt: skip
            sms = sms_fit("监测数据接入中断：全平台{n}个监测点自{since}起无读数，请检查MQTT服务与接收程序",
                          shrink={}, n=outage.points, since=since)  # fmt: skip
            body = _("Check the MQTT broker and the ingester. No offline alarm is raised per point while it lasts.")
    else:
        people = User.objects.filter(is_active=True, role=Role.ENTERPRISE_CONTACT, enterprise_id=outage.enterprise_id)
        url = reverse("monitoring-overview")
        firm = outage.enterprise.name
        if ended:
            title = _("Gateway back: %(firm)s, after %(minutes)s minutes") % {"firm": firm, "minutes": minutes}
            sms = sms_fit(
                "{firm}采集网关已恢复数据（中断{minutes}分钟）", shrink={"firm": firm_short(firm)}, minutes=minutes
            )
            body = ""
        else:
            title = _("Gateway silent: %(firm)s, %(n)s points without readings since %(since)s") % {
                "firm": firm, "n": outage.points, "since": since,
            }  # fmt: skip
            sms = sms_fit("{firm}采集网关无数据：{n}个监测点自{since}起无读数，请检查网关供电与网络",
                          shrink={"firm": firm_short(firm)}, n=outage.points, since=since)  # fmt: skip
            body = _("Check the gateway's power and network. No offline alarm is raised per point while it lasts.")
    notify(people, title=title, body=body, url=url, sms=True, sms_text=sms)
