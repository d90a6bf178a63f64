"""Who acts next, read from the one declaration: each kind's turns (workflow.case_kind_register(turns=...)) and
each part's people (workflow.part_register). The 待办 queue and the 工作台 (selectors.waiting_for), the notice after
every action (services.case_act) and the reminders' recipients all come from here, so that a kind says once whose
turn it is and the three cannot drift apart."""

import functools
import operator

from django.db.models import BooleanField, Q, Value, When
from django.db.models import Case as SqlCase

from zhuqi.core.roles import Role
from zhuqi.org.models import User

from .models import Case
from .workflow import INFORMS, PART_PEOPLE, TURNS, Actor, Turn, part_register


def _coordinators(case, users):
    """The park office for its enterprises' cases, the zone office for the rest."""
    if case.park_id:
        return users.filter(role=Role.PARK_OFFICER, park_id=case.park_id)
    return users.filter(role=Role.ZONE_COORDINATOR)


def _coordinating(user):
    if user.role == Role.ZONE_COORDINATOR:
        return Q(park__isnull=True)
    if user.role == Role.PARK_OFFICER:
        return Q(park_id=user.park_id)
    return None


def _verifiers(case, users):
    return users.filter(Q(role=Role.PARK_OFFICER, park_id=case.park_id) | Q(pk=case.reporter_id))


def _verifying(user):
    mine = Q(reporter=user)
    return mine | Q(park_id=user.park_id) if user.role == Role.PARK_OFFICER else mine


ENGINE_PARTS = {
    Actor.COORDINATOR: (_coordinators, _coordinating),
    Actor.ZONE_OFFICE: (
        lambda case, users: users.filter(role=Role.ZONE_COORDINATOR),
        lambda user: Q() if user.role == Role.ZONE_COORDINATOR else None,
    ),
    Actor.LEAD_DEPARTMENT: (
        lambda case, users: users.filter(role=Role.DEPARTMENT_HANDLER, department_id=case.lead_department_id),
        lambda user: Q(lead_department_id=user.department_id) if user.role == Role.DEPARTMENT_HANDLER else None,
    ),
    Actor.VERIFIER: (_verifiers, _verifying),
    Actor.REPORTER: (lambda case, users: users.filter(pk=case.reporter_id), lambda user: Q(reporter=user)),
    Actor.ENTERPRISE: (
        lambda case, users: users.filter(role=Role.ENTERPRISE_CONTACT, enterprise_id=case.enterprise_id),
        lambda user: Q(enterprise_id=user.enterprise_id) if user.role == Role.ENTERPRISE_CONTACT else None,
    ),
}
for _part, (_people, _cases) in ENGINE_PARTS.items():
    part_register(_part, people=_people, cases=_cases)


def people_playing(case: Case, part: str):
    """The active people who play `part` towards this case."""
    found = PART_PEOPLE.get(part)
    users = User.objects.filter(is_active=True)
    return found.people(case, users) if found else users.none()


def _where(its_turn: Turn) -> Q:
    where = Q(status__in=sorted(its_turn.statuses))
    return where & its_turn.when() if its_turn.when else where


def queue_condition(user) -> Q:
    """The cases (of every kind) on which it is this user's turn, or which the user watches, as one condition."""
    kinds_of: dict[Turn, list[str]] = {}  # a turn shared by several kinds (the loop's) is asked once
    for kind, turns in TURNS.items():
        for its_turn in turns:
            kinds_of.setdefault(its_turn, []).append(kind)
    turn_of_user = Q(pk__in=[])
    for its_turn, kinds in kinds_of.items():
        mine = [PART_PEOPLE[part].cases(user) for part in sorted(its_turn.acts | its_turn.watches)]
        mine = [q for q in mine if q is not None]
        if mine:
            # Q() | x is x to Django, not "every case": an empty condition makes the parts' condition empty
            either = Q() if any(not q for q in mine) else functools.reduce(operator.or_, mine)
            turn_of_user |= Q(kind__in=sorted(kinds)) & _where(its_turn) & either
    return turn_of_user


def turns_now(case: Case) -> list[Turn]:
    """The turns this case stands in now, as the database has it (one query)."""
    turns = TURNS.get(case.kind, [])
    if not turns:
        return []
    flags = {
        f"t{i}": SqlCase(When(_where(t), then=Value(True)), default=Value(False), output_field=BooleanField())
        for i, t in enumerate(turns)
    }
    row = Case.everything.filter(pk=case.pk).annotate(**flags).values(*flags).first()
    return [t for i, t in enumerate(turns) if row and row[f"t{i}"]]


def whose_turn(case: Case, *, watching: bool = False) -> set[tuple[Turn, int]]:
    """(turn, user id) for everyone whose turn it is on this case now (and, with watching, who watches it)."""
    pairs = set()
    for its_turn in turns_now(case):
        for part in its_turn.acts | (its_turn.watches if watching else frozenset()):
            pairs |= {(its_turn, pk) for pk in people_playing(case, part).values_list("pk", flat=True)}
    return pairs


def told_after(case: Case, action: str, before: set[tuple[Turn, int]], *, by, public: bool):
    """Whom to tell after an action: those whose turn it has just become, and those the action informs; never the
    one who acted, and no enterprise of a note it may not read."""
    ids = {pk for _turn, pk in whose_turn(case) - before}
    for part in INFORMS.get(action, ()):
        ids |= set(people_playing(case, part).values_list("pk", flat=True))
    ids.discard(by.pk)
    people = User.objects.filter(pk__in=ids)
    return people if public else people.exclude(role=Role.ENTERPRISE_CONTACT)
