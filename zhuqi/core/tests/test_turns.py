"""Who acts next is said once, in each kind's turns, and the three uses agree for every registered kind (the permits
proof module's among them): a case is in the 待办 (and on the 工作台) of exactly those whose turn it is, or who watch
it, among those who see it; whoever finds it there can do something with it; whoever's turn has just come is told;
and each part's people and the cases where a user plays it answer the same question both ways round. The cases
are walked through their tables by random people taking random actions they are offered."""

import datetime
import random

import pytest
from django.db.models import Count
from django.urls import reverse

from zhuqi.cases import selectors, services
from zhuqi.cases.models import Case, Source
from zhuqi.cases.tests.factories import CategoryFactory
from zhuqi.cases.turns import people_playing, whose_turn
from zhuqi.cases.workflow import PART_PEOPLE, RAISED_BY, TRANSITIONS, TURNS, Action, Status
from zhuqi.core import scopes
from zhuqi.core.errors import DomainError
from zhuqi.grids.models import INCIDENT_KIND
from zhuqi.grids.services import incident_report
from zhuqi.inspections.hazards import HazardAction, hazard_record
from zhuqi.inspections.models import HAZARD_KIND
from zhuqi.inspections.tests.factories import photo
from zhuqi.notifications.models import Notification
from zhuqi.org.models import Department, Role
from zhuqi.org.tests.factories import UserFactory
from zhuqi.policies.applications import application_submit
from zhuqi.policies.models import APPLICATION_KIND, Policy

pytestmark = pytest.mark.django_db

WALKS, MAX_WALKS, STEPS = 3, 12, 20
ENDINGS = {Status.WITHDRAWN, Status.MERGED}


@pytest.fixture
def people(zone):
    safety = Department.objects.get(name="应急管理局")
    other = Department.objects.create(name="经济发展局")
    UserFactory(username="inspector2", role=Role.DEPARTMENT_HANDLER, department=safety)
    UserFactory(username="economy", role=Role.DEPARTMENT_HANDLER, department=other)
    return {"safety": safety, "other": other}


def raise_case(kind, zone, people) -> Case:
    """Each kind from its own door: a hazard by an inspector, an incident on patrol, the rest as their sources
    raise them."""
    category = CategoryFactory(kind=kind, department=people["safety"], name=f"{kind} 类别")
    users = zone.users
    if kind == HAZARD_KIND:
        return hazard_record(by=users["department"], enterprise=zone.enterprise_a, category=category,
                                      description="配电箱门损坏")  # fmt: skip
    if kind == INCIDENT_KIND:
        return incident_report(by=users["grid_a"], grid=zone.grid_a, category=category, description="路灯损坏")
    if kind == APPLICATION_KIND:
        return policy_application(zone, people).case
    source = sorted(RAISED_BY.get(kind, {Source.ENTERPRISE}))[0]
    by = users["enterprise_a"] if source == Source.ENTERPRISE else users["coordinator"]
    return services.case_raise(by=by, category=category, description="需要协调", source=source,
                               enterprise=zone.enterprise_a)  # fmt: skip


def policy_application(zone, people):
    """申报: a firm applies under a 快申快享 policy of the safety department, with its one material."""
    from zhuqi.policies.conditions import above_scale
    from zhuqi.policies.services import policy_create

    policy = Policy.objects.filter(title="安全生产标准化奖补").first() or policy_create(
        by=zone.users["coordinator"], title="安全生产标准化奖补", issuer="平顶山高新区管委会", department=people["safety"],
        category="funds", mode="fast", summary="达标奖励", valid_from=datetime.date(2020, 1, 1), benefit="50000",
        conditions=[above_scale("平高管〔2025〕12号 第二条")], materials=["申请表"], rematch=False,
    )  # fmt: skip
    return application_submit(by=zone.users["enterprise_a"], policy=policy, amount="50000",
                              materials={"申请表": photo("申请表.png")})  # fmt: skip


def details_for(action, case, people, rng) -> dict:
    return {
        Action.TRANSFER: {"department": people["other"] if case.lead_department_id == people["safety"].pk
                          else people["safety"]},
        Action.REQUEST_EXTENSION: {"days": 3},
        Action.DECIDE_EXTENSION: {"approve": rng.choice([True, False])},
        Action.REPORT_RESULT: {"result": "solved"},
        Action.RATE: {"rating": rng.choice(["satisfied", "dissatisfied"])},
        HazardAction.RECTIFY: {"measures": "更换配电箱门", "responsible": "王电工"},
        "permit_grant": {"permit_number": "XK000001"},
    }.get(action, {})  # fmt: skip


def assert_the_three_agree(case, users):
    case.refresh_from_db()
    turn = {pk for _turn, pk in whose_turn(case, watching=True)}
    for user in users:
        in_queue = selectors.waiting_for(user=user).filter(pk=case.pk).exists()
        sees = scopes.cases_visible_to(user).filter(pk=case.pk).exists()
        assert in_queue == (user.pk in turn and sees), (case.kind, case.status, user.username)
        if in_queue:  # whoever finds it in their 待办 has something to do with it
            assert set(services.actions_available(user=user, case=case)) - {Action.COMMENT}, (
                case.kind, case.status, user.username,
            )  # fmt: skip
    for part in {part for t in TURNS[case.kind] for part in t.acts | t.watches}:
        players = set(people_playing(case, part).values_list("pk", flat=True))
        wheres = {user.pk: PART_PEOPLE[part].cases(user) for user in users}
        counts = Case.everything.filter(pk=case.pk).aggregate(  # each user's side in one query
            **{f"u{pk}": Count("pk", filter=where) for pk, where in wheres.items() if where is not None}
        )
        plays = {pk for pk in wheres if counts.get(f"u{pk}")}
        assert plays == players, (case.kind, case.status, part)


def choose(offered, rng):
    """An action among those offered (each action alike, however many may take it), seldom one that ends the case
    before it got anywhere; then someone offered it."""
    actions = sorted({action for _user, action in offered})
    weights = [0.1 if TRANSITIONS[a].target in ENDINGS else 1 for a in actions]
    action = rng.choices(actions, weights)[0]
    return rng.choice([user for user, a in offered if a == action]), action


def walk(case, users, people, rng) -> set:
    url = reverse("case-detail", args=[case.pk])
    seen = set()
    for _step in range(STEPS):
        assert_the_three_agree(case, users)
        seen.add(case.status)
        seeing = scopes.cases_visible_to  # only those who see it are offered anything
        offered = [
            (user, action)
            for user in users
            if seeing(user).filter(pk=case.pk).exists()
            for action in services.actions_available(user=user, case=case)
            if action not in (Action.COMMENT, Action.MERGE)
        ]
        if not offered:
            break
        user, action = choose(offered, rng)
        before = whose_turn(case)
        last_notice = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        files = [photo()] if TRANSITIONS[action].needs_evidence else []
        try:
            case = services.case_act(case=case, action=action, by=user, comment="说明", files=files,
                                     **details_for(action, case, people, rng))  # fmt: skip
        except DomainError:
            continue  # refused by the effect (a transfer to the same department): offered by the table, not the rule
        come = {pk for _turn, pk in whose_turn(case) - before} - {user.pk}
        told = set(Notification.objects.filter(pk__gt=last_notice, url=url).values_list("recipient_id", flat=True))
        assert come <= told, (case.kind, action, come - told)
    return seen


@pytest.mark.parametrize("kind", sorted(TURNS))
def test_the_queue_the_notices_and_the_parts_agree_for_every_kind(zone, people, kind):
    users = list(type(zone.users["coordinator"]).objects.filter(is_active=True).order_by("username"))
    # the walks stand in every status the kind's turns name that its table can reach: at least WALKS of them, and
    # more (seeded alike) while a status is still unvisited, since a random walk may end early (withdrawn, suspended)
    reachable = {Status.PENDING} | {t.target for t in TRANSITIONS.values() if kind in t.kinds and t.target}
    named = {status for t in TURNS[kind] for status in t.statuses} & reachable
    seen = set()
    for seed in range(MAX_WALKS):
        if seed >= WALKS and named <= seen:
            break
        seen |= walk(raise_case(kind, zone, people), users, people, random.Random(f"{kind}-{seed}"))
    assert named <= seen, (kind, seen)
