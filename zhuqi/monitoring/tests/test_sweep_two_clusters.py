"""Two clusters sweep at the same moment: a silent point gets one offline alarm, an unacknowledged alarm one case."""

import datetime

import pytest
from django.db import connection

from zhuqi.cases.models import Case, Category
from zhuqi.core.tests.together import at_once
from zhuqi.monitoring.models import ALARM_KIND, Alarm, AlarmLevel, MonitoringPoint, Quantity
from zhuqi.monitoring.services import alarms_sweep, readings_store

T0 = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC)


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_raise_each_offline_alarm_and_each_case_once(zone, settings):
    if connection.vendor != "postgresql":
        pytest.skip("two connections at once: PostgreSQL")
    settings.ZHUQI_ALARM_ACK_MINUTES = 5
    Category.objects.create(kind=ALARM_KIND, name="监测告警", department=zone.users["department"].department,
                            deadline_workdays=1, routes_directly=True)  # fmt: skip
    common = {"enterprise": zone.enterprise_a, "quantity": Quantity.TANK_LEVEL, "unit": "%", "low_limit": 10,
              "high_limit": 80, "high_high_limit": 90, "dead_band": 2, "min_duration_seconds": 30}  # fmt: skip
    alarming = MonitoringPoint.objects.create(code="LT-303", name="1号储罐液位", **common)
    silent = MonitoringPoint.objects.create(code="LT-304", name="2号储罐液位", **common)
    readings_store([(alarming.pk, at(n * 10), 85) for n in range(4)] + [(silent.pk, at(0), 50)], now=at(0))
    now = at(10 * 60)  # the alarm unacknowledged past its five minutes, the silent point past its offline time
    alarming.refresh_from_db()
    MonitoringPoint.objects.filter(pk=alarming.pk).update(last_at=now)  # still reporting
    at_once(lambda: alarms_sweep(now=now))
    assert Alarm.objects.filter(point=silent, level=AlarmLevel.OFFLINE).count() == 1
    assert Case.objects.filter(kind="alarm").count() == 1
    assert Alarm.objects.get(point=alarming).case is not None
