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
    """Whose silent points get no offline alarm of their own at this sweep: those of these gateways, and those of
    these firms linked to no gateway."""

    everything: bool
    firms: frozenset
    gateways: frozenset = frozenset()


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
    """Opens and ends the platform's and the gateways' outages (the groups' newest readings in two GROUP BYs: the
    platform, and each gateway's points — a firm's points linked to no gateway counting as one group) and says
    whose silent points are covered."""
    active = MonitoringPoint.objects.filter(is_active=True)
    platform = active.aggregate(**GROUP)
    counts = {"opened": 0, "ended": 0}
    grace = now - datetime.timedelta(seconds=settings.ZHUQI_OUTAGE_SECONDS)
    platform_open = Outage.objects.filter(scope=OutageScope.PLATFORM, ended_at__isnull=True).first()
    if platform["n"] and _silent(platform, now):
        if platform_open is None:
            counts["opened"] += _open(enterprise_id=None, gateway_id=None, group=platform, now=now)
    elif platform_open is not None:
        counts["ended"] += _end(platform_open, now)
    groups_decided = (
        platform["n"]
        and _alive(platform, now)
        and not Outage.objects.filter(scope=OutageScope.PLATFORM, ended_at__gte=grace).exists()
    )
    gateway_outages = Outage.objects.filter(scope=OutageScope.GATEWAY).select_related("enterprise", "gateway")
    open_by_group = {(o.enterprise_id, o.gateway_id): o for o in gateway_outages.filter(ended_at__isnull=True)}
    covered = set(gateway_outages.filter(ended_at__gte=grace).values_list("enterprise_id", "gateway_id"))
    for group in active.values("enterprise_id", "gateway_id").annotate(**GROUP).order_by("enterprise_id", "gateway_id"):
        key = (group["enterprise_id"], group["gateway_id"])
        outage = open_by_group.pop(key, None)
        if _silent(group, now):
            covered.add(key)
            if outage is None and groups_decided:
                counts["opened"] += _open(enterprise_id=key[0], gateway_id=key[1], group=group, now=now)
        elif outage is not None:
            covered.add(key)
            counts["ended"] += _end(outage, now)
        elif not _alive(group, now):
            covered.add(key)
    for outage in open_by_group.values():  # no point in use is linked to it any more
        counts["ended"] += _end(outage, now)
    cover = Cover(
        everything=not groups_decided,
        firms=frozenset(firm for firm, gateway in covered if gateway is None),
        gateways=frozenset(gateway for _firm, gateway in covered if gateway is not None),
    )
    return cover, counts


def outages_to_escalate(*, now: datetime.datetime):
    """Gateways' outages still open ZHUQI_OUTAGE_ESCALATE_MINUTES after they were noticed, not yet a case: the
    firm did not bring its gateway back, so its points are unwatched (services.outage_to_case)."""
    due = now - datetime.timedelta(minutes=settings.ZHUQI_OUTAGE_ESCALATE_MINUTES)
    return Outage.objects.filter(
        scope=OutageScope.GATEWAY, ended_at__isnull=True, case__isnull=True, started_at__lte=due
    ).order_by("pk")


def _open(*, enterprise_id, gateway_id, group, now) -> int:
    try:
        with transaction.atomic():
            outage = Outage.objects.create(
                scope=OutageScope.GATEWAY if enterprise_id else OutageScope.PLATFORM, enterprise_id=enterprise_id,
                gateway_id=gateway_id, started_at=now, last_reading_at=group["newest"], points=group["n"],
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
        gateway = outage.gateway.name if outage.gateway_id else _("sensor gateway")
        where = f"{firm} · {gateway}" if outage.gateway_id else firm
        if ended:
            title = _("Gateway back: %(firm)s, after %(minutes)s minutes") % {"firm": where, "minutes": minutes}
            sms = sms_fit("{firm}{gateway}已恢复数据（中断{minutes}分钟）",
                          shrink={"firm": firm_short(firm), "gateway": _sms_gateway(outage)}, minutes=minutes)  # fmt: skip
            body = ""
        else:
            due = outage.started_at + datetime.timedelta(minutes=settings.ZHUQI_OUTAGE_ESCALATE_MINUTES)
            title = _("Gateway silent: %(firm)s, %(n)s points without readings since %(since)s") % {
                "firm": where, "n": outage.points, "since": since,
            }  # fmt: skip
            sms = sms_fit("{firm}{gateway}无数据：{n}个监测点自{since}起无读数，请于{due}前恢复，逾期转应急管理局",
                          shrink={"firm": firm_short(firm), "gateway": _sms_gateway(outage)}, n=outage.points,
                          since=since, due=timezone.localtime(due).strftime("%H:%M"))  # fmt: skip
            body = _(
                "Check the gateway's power and network. No offline alarm is raised per point while it lasts; if it is "
                "still silent at %(due)s, it becomes a case for the emergency-management bureau."
            ) % {"due": timezone.localtime(due).strftime("%H:%M")}
    notify(people, title=title, body=body, url=url, sms=True, sms_text=sms)


def _sms_gateway(outage: Outage) -> str:
    return outage.gateway.name if outage.gateway_id else "采集网关"
