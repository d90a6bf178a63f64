"""The ingester's points' last value and time, written every few seconds rather than with every batch: a steady
point's row catches up within the interval, a crossing is written at once, a late reading stays late, and the
offline sweep never takes a reporting point for a silent one."""

import datetime

import pytest

from zhuqi.monitoring.models import Alarm, AlarmLevel, MonitoringPoint, Quantity, Reading
from zhuqi.monitoring.services import alarms_sweep, grouped_readings_store
from zhuqi.monitoring.storage import LastValues

T0 = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC)


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def point(zone):
    return MonitoringPoint.objects.create(
        enterprise=zone.enterprise_a, code="PT-302", name="1号储罐压力", quantity=Quantity.TANK_PRESSURE, unit="kPa",
        high_limit=80, high_high_limit=90, min_duration_seconds=0, offline_after_seconds=300,
    )  # fmt: skip


@pytest.fixture
def held(django_capture_on_commit_callbacks):
    """A LastValues on a clock the test moves, and a store that commits as the ingester's does."""
    clock = Clock()
    last_values = LastValues(every=5.0, clock=clock)

    def store(point, seconds, value):
        with django_capture_on_commit_callbacks(execute=True):
            return grouped_readings_store({point.pk: {at(seconds): value}}, received=1, last_values=last_values)

    return clock, last_values, store


def table(point):
    point.refresh_from_db()
    return point.last_value, point.last_at


def test_a_steady_points_last_value_reaches_the_table_within_the_interval(point, held):
    clock, last_values, store = held
    store(point, 0, 50)
    assert table(point) == (50, at(0))  # a point not written before: at once

    clock.now += 1
    store(point, 1, 51)
    assert table(point) == (50, at(0))  # held
    assert last_values.flush() == 0  # not due yet

    clock.now += 5  # the interval
    assert last_values.flush() == 1
    assert table(point) == (51, at(1))
    assert Reading.objects.filter(point=point).count() == 2  # the readings themselves were stored at once


def test_a_point_reporting_steadily_is_never_more_than_the_interval_behind(point, held):
    clock, _last_values, store = held
    behind = []
    for second in range(30):
        store(point, second, 50 + second % 3)
        _value, last_at = table(point)
        assert last_at >= at(second - 5)
        behind.append(last_at < at(second))
        clock.now += 1
    assert sum(behind) > 15  # most batches did not write the row


def test_a_crossing_is_written_at_once(point, held):
    clock, _last_values, store = held
    store(point, 0, 50)
    clock.now += 1
    store(point, 1, 95)
    point.refresh_from_db()
    assert (point.last_value, point.last_at, point.state) == (95, at(1), AlarmLevel.HIGH_HIGH)
    assert Alarm.objects.get().value == 95
    clock.now += 1
    store(point, 2, 96)  # still in alarm: not at rest, written with every batch
    assert table(point) == (96, at(2))


def test_a_reading_older_than_a_held_one_is_late(point, held):
    clock, _last_values, store = held
    store(point, 0, 50)
    clock.now += 1
    store(point, 10, 51)  # held: the table still says at(0)
    clock.now += 1
    late = store(point, 5, 95)  # past the high-high limit, but older than the point's last reading
    assert late.late == 1 and not Alarm.objects.exists()
    assert table(point) == (50, at(0))


def test_everything_held_is_written_at_shutdown(point, held):
    clock, last_values, store = held
    store(point, 0, 50)
    clock.now += 1
    store(point, 1, 51)
    assert last_values.flush(everything=True) == 1
    assert table(point) == (51, at(1))


def test_a_flush_leaves_a_newer_row_alone(point, held):
    clock, last_values, store = held
    store(point, 0, 50)
    clock.now += 1
    store(point, 1, 51)
    MonitoringPoint.objects.filter(pk=point.pk).update(last_value=60, last_at=at(2))  # another writer, newer
    assert last_values.flush(everything=True) == 1
    assert table(point) == (60, at(2))


def test_the_sweep_never_takes_a_reporting_but_held_point_for_offline(point, held):
    """A point with a short offline time, reporting every second: its row lags by at most a quarter of that
    time, however long the ingester's own interval."""
    clock, last_values, store = held
    last_values.every = 60.0
    point.offline_after_seconds = 8
    point.save(update_fields=["offline_after_seconds"])
    for second in range(60):
        clock.now += 1
        store(point, second, 50)
        last_values.flush()
        assert alarms_sweep(now=at(second) + datetime.timedelta(seconds=0.5))["offline"] == 0
    point.refresh_from_db()
    assert point.state == "normal" and at(60 - 1 - 2) <= point.last_at
    assert alarms_sweep(now=at(60 + 8))["offline"] == 1  # silent for its offline time: offline after all


def test_a_batch_of_quiet_readings_does_not_read_the_open_alarms(point, held):
    """A point back to normal whose alarm is still open (not yet cleared) takes quiet readings as any point at
    rest: the batch neither reads nor locks the alarms, and the alarm stays as it was."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clock, _last_values, store = held
    store(point, 0, 95)
    store(point, 1, 50)
    alarm = Alarm.objects.get()
    assert alarm.normal_since == at(1)
    with CaptureQueriesContext(connection) as queries:
        for second in range(2, 5):
            clock.now += 1
            store(point, second, 50)
    assert not [q for q in queries.captured_queries if "monitoring_alarm" in q["sql"]]
    assert Alarm.objects.get().normal_since == at(1)
    store(point, 5, 96)  # and back in alarm: the full rule, with the alarm open
    alarm.refresh_from_db()
    assert (alarm.normal_since, alarm.repeats, alarm.peak_value) == (None, 1, 96)


def test_with_the_database_down_the_ingester_tries_the_last_values_again_only_after_its_retry_time(monkeypatch):
    from django.db import OperationalError

    from zhuqi.monitoring.ingest import Ingester

    ingester = Ingester("mqtt://127.0.0.1:1", retry_seconds=60)
    tried = []

    def database_down(**kwargs):
        tried.append(kwargs)
        raise OperationalError("the database is down")

    monkeypatch.setattr(ingester.last_values, "flush", database_down)
    for _ in range(3):  # the store loop, between batches
        ingester._flush_last_values()
    assert len(tried) == 1 and len(ingester.counters.errors) == 1
    ingester._flush_last_values(everything=True)  # at shutdown it tries regardless
    assert len(tried) == 2
