"""Two people act on one case at the same moment, on two real PostgreSQL connections: exactly one wins, the
other is told someone else acted, and the history holds one event."""

import threading

import pytest
from django.db import connection, connections

from zhuqi.cases import services
from zhuqi.cases.models import Case, CaseEvent
from zhuqi.cases.services import CaseError
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
