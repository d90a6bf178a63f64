"""The alarm rule (limits, dead band, minimum duration), the alarm's life and who may act on it, offline points,
and the escalation of unacknowledged or repeating alarms into cases for the emergency-management bureau."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from zhuqi.cases.models import Case, Category, Kind
from zhuqi.core.errors import DomainError
from zhuqi.monitoring.evaluation import NORMAL, Limits, standing, step
from zhuqi.monitoring.gateways import gateway_create
from zhuqi.monitoring.models import Alarm, AlarmAction, AlarmLevel, AlarmStatus, MonitoringPoint, Quantity, Reading
from zhuqi.monitoring.services import alarm_act, alarms_sweep, readings_store

T0 = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC)
LIMITS = Limits(low=10, high=80, high_high=90, dead_band=2, min_duration=datetime.timedelta(seconds=30))


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


@pytest.fixture
def point(zone):
    Category.objects.create(
        kind=Kind.ALARM, name="监测告警", department=zone.users["department"].department, deadline_workdays=1,
        routes_directly=True,
    )  # fmt: skip
    return MonitoringPoint.objects.create(
        enterprise=zone.enterprise_a, code="LT-303", name="1号储罐液位", quantity=Quantity.TANK_LEVEL, unit="%",
        low_limit=10, high_limit=80, high_high_limit=90, dead_band=2, min_duration_seconds=30,
    )  # fmt: skip


def feed(point, values, start=0, every=10, now=None):
    """values every `every` seconds from `start`; returns the StoreResult."""
    return readings_store([(point.pk, at(start + n * every), v) for n, v in enumerate(values)], now=now or at(start))


def test_standing_holds_a_level_within_its_dead_band():
    assert standing(LIMITS, 80, NORMAL) == AlarmLevel.HIGH
    assert standing(LIMITS, 79, NORMAL) == NORMAL
    assert standing(LIMITS, 79, AlarmLevel.HIGH) == AlarmLevel.HIGH  # within the band of a level held
    assert standing(LIMITS, 77.9, AlarmLevel.HIGH) == NORMAL
    assert standing(LIMITS, 89, AlarmLevel.HIGH_HIGH) == AlarmLevel.HIGH_HIGH
    assert standing(LIMITS, 11, AlarmLevel.LOW) == AlarmLevel.LOW


@given(st.lists(st.floats(min_value=78.5, max_value=81.5), min_size=1, max_size=60))
def test_a_value_hovering_at_a_limit_changes_state_at_most_once(values):
    """Between limit − dead band and limit + dead band, once in alarm the point stays in alarm: no flapping."""
    state, pending, since, changes = NORMAL, "", None, 0
    for n, value in enumerate(values):
        moved = step(LIMITS, state, pending, since, at(n * 10), value)
        state, pending, since = moved.state, moved.pending_level, moved.pending_since
        changes += moved.changed_to is not None
    assert changes <= 1


@given(st.integers(min_value=1, max_value=2))
def test_a_spike_shorter_than_the_minimum_duration_raises_nothing(readings_over):
    state, pending, since = NORMAL, "", None
    for n in range(readings_over):
        moved = step(LIMITS, state, pending, since, at(n * 10), 95)
        state, pending, since = moved.state, moved.pending_level, moved.pending_since
        assert moved.changed_to is None
    assert step(LIMITS, state, pending, since, at(readings_over * 10), 50).changed_to is None


def test_an_alarm_is_raised_rises_returns_and_is_told_to_the_firm(point, zone):
    result = feed(point, [50, 85, 85, 85, 85, 92, 92, 92, 92, 70, 70, 70, 70])
    assert result.stored == 13
    alarm = Alarm.objects.get()
    assert (alarm.level, alarm.status, alarm.value, alarm.peak_value) == (AlarmLevel.HIGH_HIGH, "triggered", 85, 92)
    assert alarm.triggered_at == at(40)  # 85 from 10s, held for 30s
    assert alarm.normal_since == at(120)
    assert [e.action for e in alarm.events.all()] == ["trigger", "rise", "normal"]
    assert zone.users["enterprise_a"].notifications.filter(title__contains="1号储罐液位").exists()


def test_duplicates_are_stored_once_and_late_readings_are_not_evaluated(point):
    feed(point, [50, 51, 52])
    again = readings_store([(point.pk, at(0), 50), (point.pk, at(10), 51), (point.pk, at(10), 51)], now=at(30))
    assert (again.stored, again.duplicates) == (0, 3)
    late = readings_store([(point.pk, at(15), 99)], now=at(30))
    assert (late.stored, late.late) == (1, 1)
    assert Reading.objects.filter(point_id=point.pk).count() == 4
    point.refresh_from_db()
    assert (point.last_value, point.state) == (52, NORMAL) and not Alarm.objects.exists()


def test_readings_stored_by_a_batch_whose_evaluation_failed_raise_their_alarm_when_they_come_again(point):
    """The ingester stores readings on a connection of its own; if the evaluation then fails, the readings are
    in the table but the point never saw them. Sent again, they are duplicates and are still evaluated."""
    Reading.objects.bulk_create([Reading(point=point, at=at(n * 10), value=95) for n in range(4)])
    again = feed(point, [95, 95, 95, 95])
    assert (again.stored, again.duplicates, again.late) == (0, 4, 0)
    point.refresh_from_db()
    assert point.state == AlarmLevel.HIGH_HIGH and point.last_at == at(30)
    assert Alarm.objects.get(point=point).level == AlarmLevel.HIGH_HIGH


def test_the_firm_acknowledges_handles_and_clears_once_back_to_normal(point, zone):
    feed(point, [85, 85, 85, 85])
    alarm = Alarm.objects.get()
    firm, other = zone.users["enterprise_a"], zone.users["enterprise_b"]
    with pytest.raises(DomainError):
        alarm_act(alarm=alarm, action="acknowledge", by=other)
    alarm_act(alarm=alarm, action="acknowledge", by=firm)
    with pytest.raises(DomainError, match="处置"):
        alarm_act(alarm=alarm, action="clear", by=firm)
    alarm_act(alarm=alarm, action="handle", by=firm, comment="关闭进料阀，转料至2号罐")
    with pytest.raises(DomainError, match="恢复正常"):
        alarm_act(alarm=alarm, action="clear", by=firm)
    feed(point, [60, 60, 60, 60], start=100)
    alarm = alarm_act(alarm=alarm, action="clear", by=firm)
    assert alarm.status == AlarmStatus.CLEARED
    # the next excursion is a new alarm
    feed(point, [86, 86, 86, 86], start=200)
    assert Alarm.objects.exclude(status=AlarmStatus.CLEARED).count() == 1


@pytest.mark.parametrize("status", list(AlarmStatus))
@pytest.mark.parametrize("action", ["acknowledge", "handle", "clear"])
def test_each_step_of_an_alarm_is_taken_exactly_from_the_statuses_its_table_lists(point, zone, status, action):
    from zhuqi.monitoring.services import ALARM_TRANSITIONS

    feed(point, [85, 85, 85, 85])
    feed(point, [60, 60, 60, 60], start=100)  # back to normal, so that clearing waits on the status alone
    Alarm.objects.update(status=status)
    alarm, row = Alarm.objects.get(), ALARM_TRANSITIONS[action]
    if status in row.sources:
        acted = alarm_act(alarm=alarm, action=action, by=zone.users["enterprise_a"], comment="已处置")
        assert acted.status == row.target and getattr(acted, row.stamp) is not None
    else:
        with pytest.raises(DomainError) as refused:
            alarm_act(alarm=alarm, action=action, by=zone.users["enterprise_a"], comment="已处置")
        assert refused.value.code.value == "wrong_status"
        assert Alarm.objects.get().status == status


def test_an_unacknowledged_alarm_becomes_a_case_for_the_bureau_with_its_history(point, zone, settings):
    settings.ZHUQI_ALARM_ACK_MINUTES = 5
    feed(point, [85, 85, 85, 85])
    assert alarms_sweep(now=at(60))["cases"] == 0
    assert alarms_sweep(now=at(60 + 6 * 60))["cases"] == 1
    case = Case.objects.get(kind="alarm")
    assert case.lead_department == zone.users["department"].department and case.status == "assigned"
    assert "1号储罐液位" in case.description and str(AlarmAction.TRIGGER.label) in case.description
    assert Alarm.objects.get().case == case
    assert alarms_sweep(now=at(60 + 7 * 60))["cases"] == 0  # once


def test_an_alarm_that_keeps_coming_back_becomes_a_case(point, settings):
    settings.ZHUQI_ALARM_REPEAT_COUNT = 3
    values = [85] * 4 + [60] * 4
    for n in range(3):
        feed(point, values, start=n * 100, now=at(n * 100))
    alarm = Alarm.objects.get()
    assert alarm.repeats == 2 and alarm.case is not None
    assert "coming back" in alarm.case.description or "反复" in alarm.case.description


def test_a_silent_point_goes_offline_and_back(point):
    """Silent while another point of its firm reports: an offline alarm of its own (outages are test_outages)."""
    other = MonitoringPoint.objects.create(
        enterprise=point.enterprise, code="LT-304", name="2号储罐液位", quantity=Quantity.TANK_LEVEL, unit="%"
    )
    feed(point, [50])
    readings_store([(other.pk, at(point.offline_after_seconds + 20), 50)], now=at(point.offline_after_seconds + 20))
    assert alarms_sweep(now=at(point.offline_after_seconds + 30))["offline"] == 1
    point.refresh_from_db()
    assert point.state == AlarmLevel.OFFLINE
    alarm = Alarm.objects.get()
    assert alarm.level == AlarmLevel.OFFLINE
    feed(point, [50, 50, 50, 50], start=point.offline_after_seconds + 60)
    point.refresh_from_db()
    alarm.refresh_from_db()
    assert point.state == NORMAL and alarm.normal_since is not None


def test_the_screens_show_each_user_their_own_points(point, zone, client_as):
    feed(point, [85, 85, 85, 85])
    alarm = Alarm.objects.get()
    for name, status in [("coordinator", 200), ("department", 200), ("officer_a", 200), ("enterprise_a", 200),
                         ("officer_b", 404), ("enterprise_b", 404), ("grid_a", 403)]:  # fmt: skip
        client = client_as(zone.users[name])
        assert client.get(reverse("alarm-detail", args=[alarm.pk])).status_code == status, name
        assert client.get(reverse("point-detail", args=[point.pk])).status_code == status, name
    page = client_as(zone.users["enterprise_b"]).get(reverse("monitoring-overview"))
    assert "1号储罐液位" not in page.content.decode()
    live = client_as(zone.users["coordinator"]).get(reverse("monitoring-overview"), HTTP_HX_REQUEST="true")
    assert live.content.decode().lstrip().startswith('<div id="live"') and "1号储罐液位" in live.content.decode()
    client = client_as(zone.users["enterprise_a"])
    client.post(reverse("alarm-action", args=[alarm.pk, "acknowledge"]))
    assert Alarm.objects.get().status == AlarmStatus.ACKNOWLEDGED
    trend = client.get(reverse("point-detail", args=[point.pk]) + "?hours=1", HTTP_HOST="testserver")
    assert trend.context["chart"]["limits"]["high"] == 80


def test_the_batch_endpoint_stores_only_the_gateways_own_points(point, zone, client):
    """Readings come from the firm's own gateway with its device token; no person's session writes them."""
    _gateway, token = gateway_create(by=zone.users["enterprise_a"], enterprise=zone.enterprise_a, name="1号网关")
    now = timezone.now().replace(microsecond=0)
    firm_a = zone.enterprise_a.credit_code
    body = {"readings": [
        {"enterprise": firm_a, "point": "LT-303", "t": now.isoformat(), "v": 55.5},
        {"enterprise": firm_a, "point": "LT-303", "t": now.isoformat(), "v": 55.5},
        {"enterprise": firm_a, "point": "NOPE", "t": now.isoformat(), "v": 1},
    ]}  # fmt: skip
    response = client.post(
        "/api/monitoring/readings", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200
    assert response.json() == {"received": 3, "stored": 1, "duplicates": 1, "late": 0, "unknown_points": 1, "alarms": 0}
    header = client.post("/api/monitoring/readings", body, content_type="application/json", HTTP_X_GATEWAY_TOKEN=token)
    assert header.status_code == 200 and header.json()["stored"] == 0
    bad = client.post(
        "/api/monitoring/readings",
        {"readings": [{"enterprise": firm_a, "point": "LT-303", "t": "2026-11-23T08:00:00", "v": 1}]},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert bad.status_code == 422
    assert "时区" in bad.json()["detail"][0]["msg"]


def _until_someone_waits_for_a_lock(cursor):
    for _ in range(200):
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        if cursor.fetchone()[0]:
            return
        time.sleep(0.05)
    raise AssertionError("the sweep never waited for the point's lock")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_point_that_reports_while_the_sweep_waits_for_it_stays_online(zone):
    """The sweep has read the point as silent; before it gets the point's lock, a reading comes in. Under the
    lock it must see that reading and leave the point alone."""
    point = MonitoringPoint.objects.create(
        enterprise=zone.enterprise_a, code="PT-302", name="1号储罐压力", quantity=Quantity.TANK_PRESSURE, unit="MPa",
        high_limit=0.8, min_duration_seconds=0, offline_after_seconds=300,
    )  # fmt: skip
    readings_store([(point.pk, at(0), 0.5)], now=at(0))
    locked = threading.Event()

    def reporter():
        try:
            with transaction.atomic():
                MonitoringPoint.objects.select_for_update().get(pk=point.pk)
                locked.set()
                with connection.cursor() as cursor:
                    _until_someone_waits_for_a_lock(cursor)
                readings_store([(point.pk, at(400), 0.5)], now=at(400))
        finally:
            connection.close()

    thread = threading.Thread(target=reporter)
    thread.start()
    assert locked.wait(10)
    swept = alarms_sweep(now=at(410))
    thread.join(10)
    point.refresh_from_db()
    assert (swept["offline"], point.state, point.last_at) == (0, NORMAL, at(400))
    assert not Alarm.objects.filter(point=point).exists()
