"""Two people act on one case at the same moment, on two real PostgreSQL connections: exactly one wins, the
other is told someone else acted, and the history holds one event."""

import contextlib
import threading
from unittest import mock

import pytest
from django.db import connection, connections

from zhuqi.cases import figures, services
from zhuqi.cases.models import Case, CaseEvent, CaseMonthFigures
from zhuqi.cases.services import CaseError
from zhuqi.cases.tests.factories import CaseFactory
from zhuqi.cases.workflow import Status
from zhuqi.core.errors import DomainError

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_assigning_at_once_one_wins(zone, two_cases):
    case = two_cases[0]
    Case.objects.filter(pk=case.pk).update(status=Status.PENDING, lead_department=None, deadline=None)
    case.refresh_from_db()
    version = case.version
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(user, department_comment):
        try:
            barrier.wait()
            services.case_act(case=case, action="assign", by=user, comment=department_comment, expected_version=version)
            outcomes.append("won")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(zone.users["coordinator"], "管委会交办")),
        threading.Thread(target=attempt, args=(zone.users["officer_a"], "园区交办")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes, key=str) == sorted(["won", CaseError.STALE], key=str)
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED and case.version == version + 1
    assert CaseEvent.objects.filter(case=case, action="assign").count() == 1


@pytest.mark.django_db(transaction=True)
def test_without_a_version_the_second_is_refused_by_the_table(zone, two_cases):
    case = two_cases[0]
    Case.objects.filter(pk=case.pk).update(status=Status.ASSIGNED)
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(action, comment):
        try:
            barrier.wait()
            services.case_act(case=case, action=action, by=zone.users["department"], comment=comment)
            outcomes.append(action)
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=a) for a in (("accept", ""), ("return", "不属于本部门职责"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # the loser finds the case moved on: accepted (wrong status), or returned and so out of its hands
    losers = [o for o in outcomes if isinstance(o, CaseError)]
    assert len(outcomes) == 2 and len(losers) == 1 and losers[0] in (CaseError.WRONG_STATUS, CaseError.NOT_VISIBLE)
    winner = next(o for o in outcomes if not isinstance(o, CaseError))
    case.refresh_from_db()
    assert case.status == {"accept": Status.IN_PROGRESS, "return": Status.PENDING}[winner]
    assert CaseEvent.objects.filter(case=case).count() == 1


def _racing(*attempts):
    """Runs each (callable) on its own connection at the same moment; returns what each gave or raised."""
    barrier = threading.Barrier(len(attempts))
    outcomes = [None] * len(attempts)

    def run(i, attempt):
        try:
            barrier.wait()
            outcomes[i] = attempt()
        except Exception as error:  # noqa: BLE001 - the test looks at what each attempt raised
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_cases_merged_into_each_other_at_once_end_with_one_merged(zone, two_cases):
    case_a, _ = two_cases
    case_b = Case.objects.get(pk=case_a.pk)
    case_b.pk, case_b.number, case_b.description = None, "ZQ2026999999", "消防通道被占用（重复）"
    case_b.save()
    Case.objects.filter(pk__in=[case_a.pk, case_b.pk]).update(
        status=Status.PENDING, lead_department=None, deadline=None
    )
    coordinator = zone.users["coordinator"]
    outcomes = _racing(
        lambda: services.case_act(case=case_a, action="merge", by=coordinator, comment="重复", master=case_b),
        lambda: services.case_act(case=case_b, action="merge", by=coordinator, comment="重复", master=case_a),
    )
    won = [o for o in outcomes if isinstance(o, Case)]
    lost = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert lost[0].code in (CaseError.WRONG_STATUS, CaseError.INVALID)
    statuses = sorted(Case.objects.filter(pk__in=[case_a.pk, case_b.pk]).values_list("status", flat=True))
    assert statuses == [Status.MERGED, Status.PENDING]


@pytest.mark.django_db(transaction=True)
def test_opposite_moves_in_one_month_both_go_through_and_the_figures_hold(zone, two_cases):
    """An assignment (not assigned → 应急管理局) and a return (应急管理局 → not assigned) of two cases of the same
    month, park and category, each pausing between its two rollup rows: in the old order each held the row the
    other wanted next."""
    case_a, _ = two_cases
    returned = Case.objects.get(pk=case_a.pk)
    Case.objects.filter(pk=case_a.pk).update(status=Status.ASSIGNED)
    assigned = CaseFactory(
        enterprise=case_a.enterprise, park=case_a.park, reporter=case_a.reporter, category=case_a.category,
        created_at=case_a.created_at, number="ZQ2026999998",
    )  # fmt: skip
    pause = threading.Barrier(2)
    add = figures._add
    first = threading.local()

    def add_and_pause(*args, **kwargs):
        add(*args, **kwargs)
        if not getattr(first, "done", False):
            first.done = True
            with contextlib.suppress(threading.BrokenBarrierError):  # the other waits for this one's row, as it should
                pause.wait(timeout=2)

    with mock.patch.object(figures, "_add", add_and_pause):
        outcomes = _racing(
            lambda: services.case_act(case=assigned, action="assign", by=zone.users["coordinator"]),
            lambda: services.case_act(case=returned, action="return", by=zone.users["department"], comment="非本部门"),
        )
    assert all(isinstance(o, Case) for o in outcomes), outcomes
    kept = {(r.month, r.department_key, r.park_key, r.category_id): [getattr(r, f) for f in figures.FIELDS]
            for r in CaseMonthFigures.objects.all() if any(getattr(r, f) for f in figures.FIELDS)}  # fmt: skip
    figures.rollup_rebuild()
    rebuilt = {(r.month, r.department_key, r.park_key, r.category_id): [getattr(r, f) for f in figures.FIELDS]
               for r in CaseMonthFigures.objects.all() if any(getattr(r, f) for f in figures.FIELDS)}  # fmt: skip
    assert kept == rebuilt
