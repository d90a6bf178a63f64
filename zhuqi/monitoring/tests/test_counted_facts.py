"""The monitoring's counted fact: alarms the firm confirmed in a period, read through indicators.facts_of."""

import datetime

import pytest

from zhuqi.indicators.models import Indicator, Obtained
from zhuqi.indicators.selectors import facts_of
from zhuqi.monitoring.models import Alarm, AlarmLevel, AlarmStatus, MonitoringPoint, Quantity

pytestmark = pytest.mark.django_db


def test_confirmed_alarms_of_the_period_are_counted_and_unconfirmed_ones_are_not(zone):
    point = MonitoringPoint.objects.create(
        enterprise=zone.enterprise_a, code="LT-303", name="1号储罐液位", quantity=Quantity.TANK_LEVEL, unit="%",
        low_limit=10, high_limit=80, high_high_limit=90, dead_band=2, min_duration_seconds=30,
    )  # fmt: skip

    def alarm(triggered, acknowledged, status):
        at = datetime.datetime(*triggered, tzinfo=datetime.UTC)
        return Alarm.objects.create(
            point=point, enterprise=zone.enterprise_a, level=AlarmLevel.choices[0][0], status=status,
            triggered_at=at, acknowledge_by=at + datetime.timedelta(minutes=10),
            acknowledged_at=at + datetime.timedelta(minutes=3) if acknowledged else None,
        )  # fmt: skip

    alarm((2024, 3, 1, 8), True, AlarmStatus.CLEARED)
    alarm((2024, 7, 1, 8), True, AlarmStatus.CLEARED)
    alarm((2024, 8, 1, 8), False, AlarmStatus.CLEARED)  # never confirmed
    alarm((2025, 1, 2, 8), True, AlarmStatus.ACKNOWLEDGED)

    facts = facts_of(enterprises=[zone.enterprise_a, zone.enterprise_b], period="2024", codes=["alarms_in_period"])
    assert facts == {zone.enterprise_a.pk: {"alarms_in_period": 2}, zone.enterprise_b.pk: {"alarms_in_period": 0}}
    assert facts_of(enterprises=[zone.enterprise_a], period="2024Q3", codes=["alarms_in_period"]) == {
        zone.enterprise_a.pk: {"alarms_in_period": 1}
    }
    assert facts_of(enterprises=[zone.enterprise_a], period="2025-01", codes=["alarms_in_period"]) == {
        zone.enterprise_a.pk: {"alarms_in_period": 1}
    }
    assert Indicator.objects.get(code="alarms_in_period").obtained == Obtained.COUNTED
