"""The demo's Spring Festival 2024 dispatch: the above-scale firms, every one working by 19 February as reported."""

import datetime

import pytest

from zhuqi.dispatch import selectors
from zhuqi.dispatch.demo import load_demo_dispatch
from zhuqi.dispatch.models import DispatchPeriod, PeriodStatus
from zhuqi.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_the_demo_period_rises_day_by_day_to_every_above_scale_firm_working_on_the_19th(zone):
    for n in range(12):
        EnterpriseFactory(park=zone.park_a if n % 2 else zone.park_b, scale="above", headcount=300 + n)
    EnterpriseFactory(park=zone.park_a, scale="below")
    assert load_demo_dispatch(seed=2024) == 12 * 9
    period = DispatchPeriod.objects.get()
    assert (period.status, period.is_demo, period.targets.count()) == (PeriodStatus.CLOSED, True, 12)
    figures = selectors.period_figures(user=zone.users["coordinator"], period=period)
    by_day = dict(zip(figures["days"], [f["resumption_rate"] for f in figures["series"]], strict=True))
    rates = list(by_day.values())
    assert rates == sorted(rates) and rates[0] < 50
    assert all(rate == 100 for day, rate in by_day.items() if day >= datetime.date(2024, 2, 19))
    assert figures["series"][-1]["capacity_recovery_rate"] > 90  # "综合产能已接近正常水平"
