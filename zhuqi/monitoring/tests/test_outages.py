"""When every point of the platform (the ingestion) or of one firm (its gateway) falls silent, one outage is told to
whoever can fix it — never an offline alarm per point, a case per alarm and an SMS per contact; a point silent
while the others report still gets its own offline alarm; the live screen's online rate follows the last readings."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from zhuqi.cases.models import Case, Category
from zhuqi.monitoring import selectors
from zhuqi.monitoring.gateways import gateway_points
from zhuqi.monitoring.models import (
    ALARM_KIND,
    Alarm,
    AlarmLevel,
    Gateway,
    MonitoringPoint,
    Outage,
    OutageScope,
    Quantity,
)
from zhuqi.monitoring.services import alarms_sweep, readings_store
from zhuqi.notifications.models import Notification, OutboxMessage
from zhuqi.org.models import Role, User
from zhuqi.org.tests.factories import UserFactory

T0 = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC)


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


@pytest.fixture
def platform(zone):
    """Three points at firm A, two at firm B, reporting every 10 s for the first minute (B's last scan 9 s before
    A's, as gateways scan on their own clocks); SMS-able contacts and a system administrator."""
    Category.objects.create(kind=ALARM_KIND, name="监测告警", department=zone.users["department"].department,
                            deadline_workdays=1, routes_directly=True)  # fmt: skip
    for name, phone in [("sysadmin", "13700000001"), ("enterprise_a", "13700000002"), ("enterprise_b", "13700000003")]:
        zone.users[name].phone = phone
        zone.users[name].save()
    points = {"a": [], "b": []}
    for firm, enterprise, n in [("a", zone.enterprise_a, 3), ("b", zone.enterprise_b, 2)]:
        for i in range(n):
            points[firm].append(MonitoringPoint.objects.create(
                enterprise=enterprise, code=f"GT-{firm}{i}", name=f"{firm}{i}号可燃气体", quantity=Quantity.FLAMMABLE_GAS,
                unit="%LEL", high_limit=25, high_high_limit=50, min_duration_seconds=0,
            ))  # fmt: skip
    report(points["a"], range(0, 61, 10))
    report(points["b"], range(0, 52, 10))
    return points


def report(points, seconds):
    for s in seconds:
        readings_store([(p.pk, at(s), 5.0) for p in points], now=at(s))


def sweep_every_minute(start, minutes, between=None):
    for minute in range(start, start + minutes):
        if between:
            between(minute * 60)
        alarms_sweep(now=at(minute * 60 + 30))


def told(user):
    return Notification.objects.filter(recipient=user).count()


def sms_count():
    return OutboxMessage.objects.filter(channel="sms").count()


def test_twenty_minutes_without_any_reading_is_one_outage_for_the_system_administrator(platform, zone, client_as):
    UserFactory(username="sysadmin2", role=Role.SYSTEM_ADMIN, phone="13700000009")
    sweep_every_minute(1, 20)
    outage = Outage.objects.get()
    assert (outage.scope, outage.enterprise, outage.points, outage.ended_at) == (OutageScope.PLATFORM, None, 5, None)
    assert Alarm.objects.count() == 0 and Case.objects.count() == 0
    admins = User.objects.filter(role=Role.SYSTEM_ADMIN)
    assert [told(admin) for admin in admins] == [1, 1] and sms_count() == 2  # one message each
    assert told(zone.users["enterprise_a"]) == told(zone.users["enterprise_b"]) == 0
    assert MonitoringPoint.objects.filter(state=AlarmLevel.OFFLINE).count() == 5  # the screen shows them offline
    screen = client_as(zone.users["coordinator"]).get(reverse("monitoring-overview")).content.decode()
    assert 'id="outage-platform"' in screen and 'id="live-off"' not in screen  # one banner saying it all

    everyone = platform["a"] + platform["b"]
    report(everyone, range(21 * 60, 21 * 60 + 31, 10))
    sweep_every_minute(21, 5, between=lambda s: report(everyone, [s + 5]))
    outage.refresh_from_db()
    assert outage.ended_at is not None and Outage.objects.count() == 1
    assert told(zone.users["sysadmin"]) == 2  # and once more: it is over
    assert Alarm.objects.count() == 0 and Case.objects.count() == 0
    assert not MonitoringPoint.objects.filter(state=AlarmLevel.OFFLINE).exists()


def test_a_silent_gateway_is_one_outage_for_its_firm_and_ends_when_it_reports(platform, zone):
    sweep_every_minute(2, 20, between=lambda s: report(platform["b"], [s, s + 10]))
    outage = Outage.objects.get()
    assert (outage.scope, outage.enterprise, outage.points) == (OutageScope.GATEWAY, zone.enterprise_a, 3)
    assert Alarm.objects.count() == 0 and Case.objects.count() == 0
    assert told(zone.users["enterprise_a"]) == 1 and sms_count() == 1
    sms = OutboxMessage.objects.get(channel="sms").body
    assert sms.startswith("【助企】森源电气采集网关无数据：3个监测点") and len(sms) <= 70
    assert told(zone.users["sysadmin"]) == told(zone.users["enterprise_b"]) == 0

    sweep_every_minute(22, 2, between=lambda s: report(platform["a"] + platform["b"], [s, s + 10]))
    outage.refresh_from_db()
    assert outage.ended_at is not None and told(zone.users["enterprise_a"]) == 2


def test_a_point_silent_while_its_firm_reports_gets_its_own_offline_alarm(platform, zone):
    quiet, *talking = platform["a"]
    sweep_every_minute(2, 10, between=lambda s: report(talking + platform["b"], [s, s + 10]))
    alarm = Alarm.objects.get()
    assert (alarm.point, alarm.level) == (quiet, AlarmLevel.OFFLINE)
    assert not Outage.objects.exists()
    assert told(zone.users["enterprise_a"]) == 1 and told(zone.users["sysadmin"]) == 0
    assert Case.objects.count() == 0  # not yet past its time to be acknowledged


def test_a_gateway_still_silent_after_the_ingestion_came_back_gets_its_outage_once_the_backlog_is_in(platform, zone):
    sweep_every_minute(1, 10)
    assert Outage.objects.get().scope == OutageScope.PLATFORM
    sweep_every_minute(11, 6, between=lambda s: report(platform["b"], [s, s + 10]))
    assert Outage.objects.filter(scope=OutageScope.PLATFORM, ended_at__isnull=False).count() == 1
    firm = Outage.objects.get(scope=OutageScope.GATEWAY)
    assert firm.enterprise == zone.enterprise_a and Alarm.objects.count() == 0
    assert told(zone.users["enterprise_a"]) == 1 and told(zone.users["sysadmin"]) == 2


def test_the_live_screen_counts_online_only_points_heard_from_recently(zone, client_as):
    now = timezone.now()
    fresh = MonitoringPoint.objects.create(enterprise=zone.enterprise_a, code="T1", name="甲", unit="%",
                                           quantity=Quantity.TANK_LEVEL, last_at=now - datetime.timedelta(seconds=20))  # fmt: skip
    stale = MonitoringPoint.objects.create(enterprise=zone.enterprise_a, code="T2", name="乙", unit="%",
                                           quantity=Quantity.TANK_LEVEL, last_at=now - datetime.timedelta(minutes=3))  # fmt: skip
    page = client_as(zone.users["coordinator"]).get(reverse("monitoring-overview"))
    assert page.context["online_rate"] == 50.0 and page.context["live"]
    # nothing for three minutes, not yet swept
    MonitoringPoint.objects.filter(pk=fresh.pk).update(last_at=stale.last_at)
    page = client_as(zone.users["coordinator"]).get(reverse("monitoring-overview"))
    body = page.content.decode()
    assert page.context["online_rate"] == 0 and 'id="live-off"' in body and "100%" not in body
    assert page.context["firms"][0]["online"] == 0


def test_each_user_sees_the_outages_of_their_own_firms_and_the_platforms(platform, zone, client_as):
    sweep_every_minute(2, 5, between=lambda s: report(platform["b"], [s, s + 10]))
    for name, shown in [("coordinator", True), ("officer_a", True), ("enterprise_a", True), ("officer_b", False),
                        ("enterprise_b", False)]:  # fmt: skip
        page = client_as(zone.users[name]).get(reverse("monitoring-overview")).content.decode()
        assert ('id="outage-gateway-' in page) is shown, name


@pytest.fixture
def gateways(platform, zone):
    """Firm A's points split over two gateways: its gas controller (two points) and its tank DCS (one point)."""
    coordinator = zone.users["coordinator"]
    made = {}
    for name, points in [("气体报警控制器网关", platform["a"][:2]), ("罐区DCS采集网关", platform["a"][2:])]:
        made[name] = Gateway.objects.create(enterprise=zone.enterprise_a, name=name, token_hash=name,
                                            mqtt_password_hash="-", created_by=coordinator)  # fmt: skip
        MonitoringPoint.objects.filter(pk__in=[p.pk for p in points]).update(gateway=made[name])
    return made


def test_one_silent_gateway_of_a_firm_is_one_outage_named_after_it_while_its_other_gateway_reports(
    platform, gateways, zone, client_as, monkeypatch
):
    gas, tanks = gateways["气体报警控制器网关"], gateways["罐区DCS采集网关"]
    sweep_every_minute(2, 15, between=lambda s: report(platform["a"][2:] + platform["b"], [s, s + 10]))
    outage = Outage.objects.get()
    assert (outage.scope, outage.enterprise, outage.gateway, outage.points) == (
        OutageScope.GATEWAY, zone.enterprise_a, gas, 2,
    )  # fmt: skip
    assert Alarm.objects.count() == 0 and Case.objects.count() == 0
    assert told(zone.users["enterprise_a"]) == 1 and sms_count() == 1
    sms = OutboxMessage.objects.get(channel="sms").body
    assert sms.startswith("【助企】森源电气气体报警控制器网关无数据：2个监测点") and "逾期转应急管理局" in sms
    assert len(sms) <= 70
    assert not MonitoringPoint.objects.filter(gateway=tanks, state=AlarmLevel.OFFLINE).exists()

    # the live screen, read while the gas controller is still silent: below 100 %, and the banner names it
    monkeypatch.setattr(selectors, "timezone", SimpleNamespace(now=lambda: at(16 * 60 + 35)))
    page = client_as(zone.users["coordinator"]).get(reverse("monitoring-overview"))
    monkeypatch.undo()
    body = page.content.decode()
    assert page.context["online_rate"] == 60.0 and "100%" not in body
    assert f'id="outage-gateway-{outage.pk}"' in body and "气体报警控制器网关" in body

    # now the tank DCS falls silent too: a second outage, its own, told once more
    sweep_every_minute(17, 5, between=lambda s: report(platform["b"], [s, s + 10]))
    assert Outage.objects.filter(ended_at__isnull=True).count() == 2
    assert Outage.objects.get(gateway=tanks).points == 1
    assert Alarm.objects.count() == 0 and told(zone.users["enterprise_a"]) == 2


def test_a_gateway_silent_past_the_escalation_time_is_one_case_for_the_department_and_its_officer_is_told(
    platform, gateways, zone, settings
):
    settings.ZHUQI_OUTAGE_ESCALATE_MINUTES = 30
    zone.users["officer_a"].phone = "13700000004"
    zone.users["officer_a"].save()
    sweep_every_minute(2, 25, between=lambda s: report(platform["a"][2:] + platform["b"], [s, s + 10]))
    outage = Outage.objects.get()
    assert outage.case is None and Case.objects.count() == 0  # noticed at 02:30, not yet due
    sweep_every_minute(27, 30, between=lambda s: report(platform["a"][2:] + platform["b"], [s, s + 10]))
    outage.refresh_from_db()
    case = Case.objects.get()  # one case, whatever the number of sweeps or of points
    assert outage.case == case and case.enterprise == zone.enterprise_a
    assert case.lead_department == zone.users["department"].department and case.status == "assigned"
    assert "气体报警控制器网关" in case.description and "GT-a0" in case.description
    assert Alarm.objects.count() == 0
    officer = zone.users["officer_a"]
    assert told(officer) == 1
    sms = OutboxMessage.objects.get(channel="sms", body__contains=case.number).body
    assert sms.startswith("【助企】森源电气采集网关停报") and "已转应急管理局" in sms and len(sms) <= 70
    assert told(zone.users["enterprise_a"]) == 1  # the firm was told once, when it was noticed

    # it comes back: the outage ends, the case stays with the department to close
    everyone = platform["a"] + platform["b"]
    sweep_every_minute(57, 3, between=lambda s: report(everyone, [s, s + 10]))
    outage.refresh_from_db()
    assert outage.ended_at is not None and Case.objects.count() == 1 and told(zone.users["enterprise_a"]) == 2


def test_a_point_takes_only_a_gateway_of_its_own_firm_in_use(platform, gateways, zone):
    other = Gateway.objects.create(enterprise=zone.enterprise_b, name="别家网关", token_hash="x",
                                   mqtt_password_hash="-", created_by=zone.users["coordinator"])  # fmt: skip
    point = platform["a"][0]
    point.gateway = other
    with pytest.raises(ValidationError) as refused:
        point.full_clean()
    assert "gateway" in refused.value.message_dict
    revoked = gateways["罐区DCS采集网关"]
    Gateway.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    point.gateway = Gateway.objects.get(pk=revoked.pk)
    with pytest.raises(ValidationError):
        point.full_clean()
    point.gateway = gateways["气体报警控制器网关"]
    point.full_clean()


def test_a_gateways_token_reports_its_own_points_and_the_firms_unlinked_ones_only(platform, gateways, zone):
    gas, tanks = gateways["气体报警控制器网关"], gateways["罐区DCS采集网关"]
    MonitoringPoint.objects.filter(pk=platform["a"][2].pk).update(gateway=None)
    assert set(gateway_points(gas, ["GT-a0", "GT-a1", "GT-a2"])) == {"GT-a0", "GT-a1", "GT-a2"}
    assert set(gateway_points(tanks, ["GT-a0", "GT-a1", "GT-a2"])) == {"GT-a2"}


def test_the_demos_points_report_through_two_gateways_of_their_own_firm(zone):
    from zhuqi.enterprises.tests.factories import TagFactory
    from zhuqi.monitoring.demo import load_demo_monitoring

    zone.enterprise_a.tags.add(TagFactory(name="危化企业"))
    assert load_demo_monitoring(hours=1) == 5
    points = MonitoringPoint.objects.select_related("gateway")
    assert all(p.gateway.enterprise_id == p.enterprise_id == zone.enterprise_a.pk for p in points)
    assert {p.code: p.gateway.name for p in points}["GT-101"] == "气体报警控制器网关"
    assert Gateway.objects.filter(enterprise=zone.enterprise_a).count() == 2
