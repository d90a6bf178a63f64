"""The monthly rollup must give the same figures as counting the cases themselves, for any period, and must
follow every action the services take."""

import datetime
import random
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhuqi.cases import selectors, services
from zhuqi.cases.figures import FIELDS, rollup_rebuild
from zhuqi.cases.models import Case, CaseMonthFigures
from zhuqi.cases.tests.factories import CaseFactory, CategoryFactory
from zhuqi.cases.workflow import Status, allowed_actions
from zhuqi.core.deletion import record_delete, record_restore
from zhuqi.core.errors import DomainError
from zhuqi.org.models import Department

TODAY = datetime.date(2026, 11, 23)
STATES = [
    ({"status": Status.PENDING}, False),
    ({"status": Status.WITHDRAWN}, False),
    ({"status": Status.IN_PROGRESS}, True),
    ({"status": Status.CLOSED, "result": "solved", "closed_on_time": True, "handling_workdays": 3}, True),
    (
        {
            "status": Status.RATED,
            "result": "partly_solved",
            "closed_on_time": False,
            "rating": "dissatisfied",
            "rework_count": 1,
            "handling_workdays": 9,
        },
        True,
    ),  # fmt: skip
    (
        {
            "status": Status.RATED,
            "result": "solved",
            "closed_on_time": True,
            "rating": "satisfied",
            "handling_workdays": 2,
        },
        True,
    ),  # fmt: skip
]


@pytest.fixture
def spread(zone):
    """Sixty cases over two years, in both parks, two departments and every state; a few of them deleted."""
    rng = random.Random(5)
    departments = [Department.objects.get(name="应急管理局"), Department.objects.create(name="经济发展局")]
    categories = [
        CategoryFactory(name="安全生产", department=departments[0]),
        CategoryFactory(name="融资", department=departments[1]),
        CategoryFactory(kind="grid_incident", name="占道经营", department=departments[1]),
    ]
    for _n in range(60):
        fields, assigned = rng.choice(STATES)
        raised = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 690))
        enterprise = rng.choice([zone.enterprise_a, zone.enterprise_b])
        extra = {"lead_department": rng.choice(departments), "assigned_on": raised,
                 "deadline": raised + datetime.timedelta(days=rng.choice([5, 30, 400]))} if assigned else {}  # fmt: skip
        CaseFactory(
            enterprise=enterprise, park=enterprise.park, reporter=zone.users["officer_a"], category=rng.choice(categories),
            created_at=timezone.make_aware(datetime.datetime.combine(raised, datetime.time(rng.randint(0, 23)))),
            **fields, **extra,
        )  # fmt: skip
    for case in rng.sample(list(Case.objects.all()), 6):
        record_delete(case, by=zone.users["coordinator"], reason="重复录入")
    return zone


def live_only(**kwargs):
    with mock.patch.object(selectors, "_split_period", lambda a, b: (None, [(a, b)])):
        return selectors.case_figures(**kwargs)


days = st.one_of(st.none(), st.dates(datetime.date(2024, 12, 1), datetime.date(2026, 12, 31)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    date_from=days,
    date_to=days,
    group_by=st.sampled_from(["department", "park", "category"]),
    kind=st.sampled_from(["", "demand", "grid_incident"]),
)
def test_the_rollup_and_the_cases_give_the_same_figures_for_any_period(spread, date_from, date_to, group_by, kind):
    for user in (spread.users["coordinator"], spread.users["officer_a"]):
        filters = selectors.CaseFilters(date_from=date_from, date_to=date_to, kind=kind)
        args = {"user": user, "filters": filters, "group_by": group_by, "today": TODAY}
        fast, slow = selectors.case_figures(**args), live_only(**args)
        assert fast["total"] == slow["total"]
        assert sorted(fast["rows"], key=lambda r: r["id"] or 0) == sorted(slow["rows"], key=lambda r: r["id"] or 0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rollup_follows_every_action_the_services_take(spread, seed):
    rng = random.Random(seed)
    people = [spread.users[u] for u in ("coordinator", "officer_a", "officer_b", "department", "enterprise_a")]
    details = {"report_result": {"result": "solved"}, "rate": {"rating": "dissatisfied"}, "request_extension": {"days": 3},
               "decide_extension": {"approve": True}}  # fmt: skip
    cases = list(Case.everything.all())
    departments = list(Department.objects.all())
    done = deletions = 0
    for _step in range(200):
        case, person = rng.choice(cases), rng.choice(people)
        case.refresh_from_db()
        if rng.random() < 0.1:  # the zone office deletes a case, or restores one from the recycle bin
            if case.deleted_at is None:
                record_delete(case, by=spread.users["coordinator"], reason="误录")
            else:
                record_restore(case, by=spread.users["coordinator"])
            deletions += 1
            continue
        possible = allowed_actions(Status(case.status), services.case_parts(user=person, case=case))
        possible = [a for a in possible if a not in ("comment", "merge", "supervise", "reply_supervision")]
        if not possible:
            continue
        action = rng.choice(possible)
        extra = details.get(action, {}) | ({"department": rng.choice(departments)} if action == "transfer" else {})
        try:
            services.case_act(case=case, action=action, by=person, comment="说明", **extra)
            done += 1
        except DomainError:
            continue
    kept = {
        (r.month, r.department_key, r.park_key, r.category_id): tuple(getattr(r, f) for f in FIELDS)
        for r in CaseMonthFigures.objects.all()
        if any(getattr(r, f) for f in FIELDS)
    }
    rollup_rebuild()
    rebuilt = {
        (r.month, r.department_key, r.park_key, r.category_id): tuple(getattr(r, f) for f in FIELDS)
        for r in CaseMonthFigures.objects.all()
        if any(getattr(r, f) for f in FIELDS)
    }
    assert done > 10 and deletions > 5 and kept == rebuilt
