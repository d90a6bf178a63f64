"""The closed loop's counted fact: a firm's cases closed in a period, read through indicators.facts_of."""

import datetime

import pytest

from zhuqi.cases.models import Case
from zhuqi.cases.workflow import Status
from zhuqi.indicators.models import Indicator, Obtained
from zhuqi.indicators.selectors import facts_of

from .factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_cases_closed_in_the_period_are_counted_per_firm(zone):
    def closed(enterprise, when, status=Status.CLOSED):
        case = CaseFactory(
            enterprise=enterprise, park=enterprise.park, reporter=zone.users["coordinator"],
            lead_department=zone.users["department"].department, deadline=datetime.date(2024, 1, 20),
        )  # fmt: skip
        Case.objects.filter(pk=case.pk).update(status=status, closed_at=datetime.datetime(*when, tzinfo=datetime.UTC))

    closed(zone.enterprise_a, (2024, 2, 1, 9))
    closed(zone.enterprise_a, (2024, 11, 30, 9), Status.RATED)
    closed(zone.enterprise_a, (2023, 12, 1, 9))
    closed(zone.enterprise_a, (2024, 6, 1, 9), Status.IN_PROGRESS)  # reopened since: not closed
    closed(zone.enterprise_b, (2024, 6, 1, 9))
    CaseFactory(enterprise=zone.enterprise_b, park=zone.park_b, reporter=zone.users["coordinator"])  # waiting

    facts = facts_of(
        enterprises=[zone.enterprise_a, zone.enterprise_b], period="2024", codes=["cases_closed_in_period"]
    )
    assert facts == {
        zone.enterprise_a.pk: {"cases_closed_in_period": 2},
        zone.enterprise_b.pk: {"cases_closed_in_period": 1},
    }
    assert facts_of(enterprises=[zone.enterprise_a], period="2024-02", codes=["cases_closed_in_period"]) == {
        zone.enterprise_a.pk: {"cases_closed_in_period": 1}
    }
    assert Indicator.objects.get(code="cases_closed_in_period").obtained == Obtained.COUNTED
