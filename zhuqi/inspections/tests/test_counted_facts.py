"""The hazards' counted facts, read by policies, pipelines and the assessment through indicators.facts_of: open
major hazards and overdue hazards now, major hazards found in a period — every firm asked gets a count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhuqi.cases.models import Case
from zhuqi.cases.workflow import Status
from zhuqi.indicators.models import Indicator, Obtained
from zhuqi.indicators.selectors import facts_of
from zhuqi.inspections.hazards import hazard_record
from zhuqi.inspections.models import HazardGrade

from .factories import make_checklist

pytestmark = pytest.mark.django_db


def record(zone, checklist, *, grade, deadline, raised_at):
    case = hazard_record(
        by=zone.users["department"], enterprise=zone.enterprise_a, category=checklist.hazard_category,
        description="储罐区报警联锁未投用", grade=grade,
    )  # fmt: skip
    Case.objects.filter(pk=case.pk).update(created_at=raised_at, deadline=deadline)
    return case


def test_open_overdue_and_period_hazards_are_counted_per_firm_in_one_query(zone):
    checklist = make_checklist(zone.users["department"].department, by=zone.users["department"])
    today = datetime.date.today()
    in_2024 = datetime.datetime(2024, 5, 6, 10, tzinfo=datetime.UTC)
    major_open = record(zone, checklist, grade=HazardGrade.MAJOR, deadline=today + datetime.timedelta(days=5),
                        raised_at=in_2024)  # fmt: skip
    major_closed = record(zone, checklist, grade=HazardGrade.MAJOR, deadline=today - datetime.timedelta(days=5),
                          raised_at=in_2024)  # fmt: skip
    record(zone, checklist, grade=HazardGrade.GENERAL, deadline=today - datetime.timedelta(days=1),
           raised_at=in_2024.replace(year=2023))  # fmt: skip
    Case.objects.filter(pk=major_closed.pk).update(status=Status.CLOSED)

    with CaptureQueriesContext(connection) as queries:
        facts = facts_of(enterprises=[zone.enterprise_a, zone.enterprise_b], period="2024",
                         codes=["open_major_hazards", "overdue_hazards", "major_hazards_in_period"])  # fmt: skip
    assert facts[zone.enterprise_a.pk] == {"open_major_hazards": 1, "overdue_hazards": 1, "major_hazards_in_period": 2}
    assert facts[zone.enterprise_b.pk] == {"open_major_hazards": 0, "overdue_hazards": 0, "major_hazards_in_period": 0}
    inspections_queries = [q for q in queries.captured_queries if "cases_hazard" in q["sql"]]
    assert len(inspections_queries) == 1

    assert facts_of(enterprises=[zone.enterprise_a], period="2023", codes=["major_hazards_in_period"]) == {
        zone.enterprise_a.pk: {"major_hazards_in_period": 0}
    }
    # once rectified and closed it is no longer open
    Case.objects.filter(pk=major_open.pk).update(status=Status.RATED)
    assert facts_of(enterprises=[zone.enterprise_a], period="2024", codes=["open_major_hazards"]) == {
        zone.enterprise_a.pk: {"open_major_hazards": 0}
    }


def test_the_hazard_facts_are_declared_as_counted_indicators():
    declared = Indicator.objects.filter(code__in=["open_major_hazards", "overdue_hazards", "major_hazards_in_period"])
    assert {i.code: (i.obtained, i.value_kind) for i in declared} == {
        code: (Obtained.COUNTED, "integer")
        for code in ["open_major_hazards", "overdue_hazards", "major_hazards_in_period"]
    }
