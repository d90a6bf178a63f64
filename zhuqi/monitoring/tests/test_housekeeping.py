"""Minute and hour summaries computed in the database, readings dropped after their keeping period, and on
PostgreSQL the day partitions that make dropping cheap."""

import datetime

import pytest
from django.db import connection

from zhuqi.monitoring import housekeeping
from zhuqi.monitoring.models import MonitoringPoint, Quantity, Reading, ReadingHour, ReadingMinute
from zhuqi.monitoring.services import readings_store

NOW = datetime.datetime(2026, 11, 23, 9, 0, 30, tzinfo=datetime.UTC)


@pytest.fixture
def point(zone):
    return MonitoringPoint.objects.create(
        enterprise=zone.enterprise_a, code="TT-301", name="1号储罐温度", quantity=Quantity.TANK_TEMPERATURE, unit="℃",
        high_limit=45, high_high_limit=55,
    )  # fmt: skip


def test_summaries_average_each_minute_and_hour_and_take_in_late_readings(point):
    start = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC)
    readings_store([(point.pk, start + datetime.timedelta(seconds=20 * n), 20 + n % 3) for n in range(180)], now=start)
    housekeeping.summaries_roll_up(now=NOW)
    first = ReadingMinute.objects.get(point=point, bucket=start)
    assert (first.n, first.low, first.high, round(first.avg, 3)) == (3, 20, 22, 21)
    assert ReadingMinute.objects.filter(point=point).count() == 60
    hour = ReadingHour.objects.get(point=point, bucket=start)
    assert hour.n == 180 and round(hour.avg, 3) == 21
    # a reading that arrives late for its minute is counted at the next roll-up
    readings_store([(point.pk, start + datetime.timedelta(minutes=59, seconds=50), 40)], now=NOW)
    housekeeping.summaries_roll_up(now=NOW)
    assert ReadingMinute.objects.get(point=point, bucket=start + datetime.timedelta(minutes=59)).high == 40


def test_readings_past_their_keeping_period_are_dropped_and_summaries_stay(point, settings):
    settings.ZHUQI_READINGS_KEEP_DAYS = 30
    old = NOW - datetime.timedelta(days=31)
    readings_store([(point.pk, old, 20), (point.pk, NOW - datetime.timedelta(days=1), 21)], now=old)
    housekeeping.summaries_roll_up(now=NOW)
    result = housekeeping.readings_purge(now=NOW)
    assert list(Reading.objects.values_list("value", flat=True)) == [21]
    assert result["readings_deleted"] + result["partitions_dropped"] >= 1
    assert ReadingHour.objects.filter(point=point).count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="day partitions are PostgreSQL's")
def test_day_partitions_are_made_ahead_take_rows_from_the_default_and_are_dropped_whole(point, settings):
    settings.ZHUQI_READINGS_KEEP_DAYS = 2
    with connection.cursor() as cursor:  # a committed test before this one (the demo's) may have made today's
        for name in housekeeping._partitions().values():
            cursor.execute(f'DROP TABLE "{name}"')
    today = NOW.date()
    readings_store([(point.pk, NOW, 20)], now=NOW)  # no partition yet: the default one takes it
    assert housekeeping.partitions_ensure(today=today, ahead=2) == 4
    assert set(housekeeping._partitions()) == {today + datetime.timedelta(days=d) for d in range(-1, 3)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM monitoring_reading")
        assert cursor.fetchall() == [(housekeeping.PARTITION.format(today),)]
    # four days on, keeping two: the days that ended more than two days ago go whole
    dropped = housekeeping.readings_purge(now=NOW + datetime.timedelta(days=4))["partitions_dropped"]
    assert dropped == 3 and Reading.objects.count() == 0
    assert set(housekeeping._partitions()) == {today + datetime.timedelta(days=2)}
