"""Every (status, action) pair, legal and illegal; who may act; and the loop from report to rating."""

import datetime
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhuqi.cases import services
from zhuqi.cases.models import Case, CaseEvent, Kind, SupervisionNotice
from zhuqi.cases.services import CaseError
from zhuqi.cases.tests.factories import CaseFactory, CategoryFactory
from zhuqi.cases.workflow import TRANSITIONS, Action, Actor, Status, allowed_actions
from zhuqi.core.errors import DomainError
from zhuqi.inspections.hazards import HazardAction
from zhuqi.inspections.models import HAZARD_KIND, Hazard
from zhuqi.org.models import Role
from zhuqi.org.tests.factories import DepartmentFactory, UserFactory

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def loop(zone):
    """A demand from enterprise A (park A), owned by 人力资源管理局, and one person for each part; hazards are
    found and re-inspected by the same department's inspectors."""
    hr = DepartmentFactory(name="人力资源管理局")
    other = DepartmentFactory(name="经济发展局")
    people = {
        Actor.RECHECKER: UserFactory(username="hr_inspector", role=Role.DEPARTMENT_HANDLER, department=hr),
        Actor.COORDINATOR: zone.users["coordinator"],
        Actor.ZONE_OFFICE: zone.users["coordinator"],
        Actor.LEAD_DEPARTMENT: UserFactory(username="hr", role=Role.DEPARTMENT_HANDLER, department=hr),
        Actor.VERIFIER: zone.users["officer_a"],
        Actor.REPORTER: zone.users["enterprise_a"],
        Actor.ENTERPRISE: zone.users["enterprise_a"],
        Actor.PARTICIPANT: zone.users["coordinator"],
    }
    category = CategoryFactory(department=hr, deadline_workdays=5)
    hazards = CategoryFactory(kind=HAZARD_KIND, name="安全生产隐患", department=hr, deadline_workdays=10)
    return {"zone": zone, "hr": hr, "other": other, "people": people, "category": category, "hazards": hazards}


def kind_for(action: Action) -> Kind:
    return HAZARD_KIND if TRANSITIONS[action].kinds == {HAZARD_KIND} else Kind.DEMAND


def make_case(loop, status: Status, kind: Kind = Kind.DEMAND, **fields) -> Case:
    zone = loop["zone"]
    defaults = {
        "enterprise": zone.enterprise_a,
        "park": zone.park_a,
        "reporter": loop["people"][Actor.REPORTER],
        "category": loop["hazards"] if kind == HAZARD_KIND else loop["category"],
        "status": status,
    }
    if status not in (Status.PENDING, Status.WITHDRAWN):
        defaults |= {
            "lead_department": loop["hr"],
            "deadline": datetime.date(2026, 12, 1),
            "assigned_on": datetime.date(2026, 11, 20),
        }
    if status == Status.MERGED:
        defaults["master"] = CaseFactory(
            enterprise=zone.enterprise_a, park=zone.park_a, reporter=defaults["reporter"], category=loop["category"]
        )
    if status == Status.SUSPENDED:
        defaults["suspended_on"] = datetime.date(2026, 11, 20)
    if status in (Status.AWAITING_VERIFICATION, Status.CLOSED, Status.RATED):
        defaults["reported_on"] = datetime.date(2026, 11, 25)
    if status in (Status.CLOSED, Status.RATED):
        defaults["result"] = "solved"
    if status == Status.RATED:
        defaults["rating"] = "dissatisfied"
    case = CaseFactory(**(defaults | fields))
    if kind == HAZARD_KIND:
        Hazard.objects.create(case=case)
    return case


def photo(name="evidence.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def details_for(action: Action, loop, case: Case) -> dict:
    if action == Action.ROUTE:
        type(case.category).objects.filter(pk=case.category_id).update(routes_directly=True)
    if action == Action.TRANSFER:
        return {"department": loop["other"]}
    if action == Action.REQUEST_EXTENSION:
        return {"days": 5}
    if action == Action.DECIDE_EXTENSION:
        Case.objects.filter(pk=case.pk).update(pending_extension_days=3)
        return {"approve": True}
    if action == Action.REPORT_RESULT:
        return {"result": "solved"}
    if action == HazardAction.RECTIFY:
        return {"measures": "更换老化电线", "responsible": "王主任", "files": [photo()]}
    if action == HazardAction.RECHECK:
        return {"files": [photo()]}
    if action == Action.RATE:
        return {"rating": "satisfied"}
    if action == Action.MERGE:
        master = make_case(loop, Status.PENDING, description="同一问题的先报事项")
        return {"master": master}
    if action == Action.REPLY_SUPERVISION and case.lead_department_id:
        SupervisionNotice.objects.create(
            number=f"督办〔2026〕{case.pk}号",
            case=case,
            department=case.lead_department,
            requirement="请于三个工作日内反馈",
            reply_due=datetime.date(2026, 12, 1),
            issued_by=loop["people"][Actor.ZONE_OFFICE],
        )
    return {}


PAIRS = [(status, action) for status in Status for action in Action]


@pytest.mark.parametrize(("status", "action"), PAIRS, ids=[f"{s.value}-{a.value}" for s, a in PAIRS])
def test_each_action_is_taken_exactly_from_the_states_the_table_lists(loop, status, action):
    transition = TRANSITIONS[action]
    case = make_case(loop, status, kind_for(action))
    actor = loop["people"][sorted(transition.actors)[0]]
    details = details_for(action, loop, case)
    attempt = {"case": case, "action": action, "by": actor, "comment": "说明", **details}
    if status in transition.sources:
        acted = services.case_act(**attempt)
        assert acted.status == (transition.target or status)
        event = CaseEvent.objects.get(case=case, action=action)
        assert (event.from_status, event.to_status, event.actor) == (status, acted.status, actor)
    else:
        sees_it = bool(services.case_parts(user=actor, case=case))
        with pytest.raises(DomainError) as refused:
            services.case_act(**attempt)
        assert refused.value.code == (CaseError.WRONG_STATUS if sees_it else CaseError.NOT_VISIBLE)
        assert Case.objects.get(pk=case.pk).status == status
        assert not CaseEvent.objects.filter(case=case).exists()


@pytest.mark.parametrize("action", [a for a in Action if a != Action.COMMENT])
def test_only_the_parts_the_table_names_may_take_an_action(loop, action):
    transition = TRANSITIONS[action]
    status = sorted(transition.sources)[0]
    zone = loop["zone"]
    for user in [*zone.users.values(), *loop["people"].values()]:
        case = make_case(loop, status, kind_for(action))
        parts = services.case_parts(user=user, case=case)
        details = details_for(action, loop, case)
        if transition.actors & parts:
            continue
        with pytest.raises(DomainError) as refused:
            services.case_act(case=case, action=action, by=user, comment="说明", **details)
        assert refused.value.code in (CaseError.NOT_ALLOWED, CaseError.NOT_VISIBLE), user.username


def test_the_table_decides_which_buttons_a_part_sees():
    assert allowed_actions(Status.ASSIGNED, {Actor.LEAD_DEPARTMENT, Actor.PARTICIPANT}) == [
        Action.RETURN,
        Action.ACCEPT,
        Action.REPLY_SUPERVISION,
        Action.COMMENT,
    ]
    assert allowed_actions(Status.RATED, {Actor.ENTERPRISE, Actor.PARTICIPANT}) == []


def test_reasons_are_required_where_the_table_says_so(loop):
    case = make_case(loop, Status.ASSIGNED)
    with pytest.raises(DomainError) as refused:
        services.case_act(case=case, action=Action.RETURN, by=loop["people"][Actor.LEAD_DEPARTMENT])
    assert refused.value.code == CaseError.COMMENT_REQUIRED


@mock.patch("zhuqi.cases.services._today", return_value=datetime.date(2026, 2, 12))
def test_the_whole_loop_from_report_to_rating(_today, loop):
    people = loop["people"]
    case = services.case_raise(
        by=people[Actor.ENTERPRISE],
        category=loop["category"],
        description="招工难，急需电工 5 名",
        source="enterprise",
        enterprise=loop["zone"].enterprise_a,
    )
    assert case.number.startswith("ZQ") and case.status == Status.PENDING and case.park == loop["zone"].park_a
    case = services.case_act(case=case, action=Action.ASSIGN, by=people[Actor.VERIFIER])  # the park assigns
    assert case.lead_department == loop["hr"]
    assert case.deadline == datetime.date(2026, 2, 26)  # 5 working days across the 2026 Spring Festival
    case = services.case_act(case=case, action=Action.ACCEPT, by=people[Actor.LEAD_DEPARTMENT])
    case = services.case_act(
        case=case,
        action=Action.REPORT_RESULT,
        by=people[Actor.LEAD_DEPARTMENT],
        comment="已推荐 6 名电工，企业录用 5 名",
        result="solved",
    )
    case = services.case_act(
        case=case, action=Action.REJECT_RESULT, by=people[Actor.VERIFIER], comment="企业反映只到岗 3 人"
    )
    assert (case.status, case.rework_count, case.result) == (Status.IN_PROGRESS, 1, "")
    case = services.case_act(
        case=case,
        action=Action.REPORT_RESULT,
        by=people[Actor.LEAD_DEPARTMENT],
        comment="补充推荐 2 名，已全部到岗",
        result="solved",
    )
    case = services.case_act(case=case, action=Action.VERIFY, by=people[Actor.ENTERPRISE])
    assert case.closed_on_time is True
    case = services.case_act(
        case=case, action=Action.RATE, by=people[Actor.ENTERPRISE], rating="satisfied", comment="响应快"
    )
    assert (case.status, case.rating) == (Status.RATED, "satisfied")
    assert list(case.events.values_list("action", flat=True)) == [
        "raise",
        "assign",
        "accept",
        "report_result",
        "reject_result",
        "report_result",
        "verify",
        "rate",
    ]


def test_suspended_time_does_not_count_against_the_deadline(loop):
    case = make_case(loop, Status.IN_PROGRESS, deadline=datetime.date(2026, 3, 10))
    coordinator = loop["people"][Actor.COORDINATOR]
    with mock.patch("zhuqi.cases.services._today", return_value=datetime.date(2026, 3, 2)):
        case = services.case_act(case=case, action=Action.SUSPEND, by=coordinator, comment="等待省里批复")
    with mock.patch("zhuqi.cases.services._today", return_value=datetime.date(2026, 3, 6)):
        case = services.case_act(case=case, action=Action.RESUME, by=coordinator)
    assert case.deadline == datetime.date(2026, 3, 16)  # 4 working days paused (3–6 March)
    assert case.events.last().details["paused_workdays"] == 4


def test_an_extension_moves_the_deadline_only_when_approved(loop):
    case = make_case(loop, Status.IN_PROGRESS, deadline=datetime.date(2026, 3, 10))
    department, coordinator = loop["people"][Actor.LEAD_DEPARTMENT], loop["people"][Actor.COORDINATOR]
    case = services.case_act(
        case=case, action=Action.REQUEST_EXTENSION, by=department, comment="需协调电力公司", days=5
    )
    with pytest.raises(DomainError):
        services.case_act(case=case, action=Action.REQUEST_EXTENSION, by=department, comment="再申请", days=2)
    case = services.case_act(case=case, action=Action.DECIDE_EXTENSION, by=coordinator, approve=True)
    assert (case.deadline, case.pending_extension_days) == (datetime.date(2026, 3, 17), None)


def test_a_dissatisfied_rating_may_be_reopened_once(loop):
    case = make_case(loop, Status.RATED)
    coordinator, department = loop["people"][Actor.COORDINATOR], loop["people"][Actor.LEAD_DEPARTMENT]
    case = services.case_act(case=case, action=Action.REOPEN, by=coordinator, comment="企业不满意，重新办理")
    case = services.case_act(case=case, action=Action.REPORT_RESULT, by=department, comment="再次处理", result="solved")
    case = services.case_act(case=case, action=Action.VERIFY, by=loop["people"][Actor.VERIFIER])
    case = services.case_act(case=case, action=Action.RATE, by=loop["people"][Actor.ENTERPRISE], rating="dissatisfied")
    with pytest.raises(DomainError, match="only once|一次"):
        services.case_act(case=case, action=Action.REOPEN, by=coordinator, comment="再来一次")


def test_a_stale_version_is_refused_and_nothing_changes(loop):
    case = make_case(loop, Status.ASSIGNED)
    department = loop["people"][Actor.LEAD_DEPARTMENT]
    services.case_act(case=case, action=Action.ACCEPT, by=department, expected_version=case.version)
    with pytest.raises(DomainError) as refused:
        services.case_act(case=case, action=Action.COMMENT, by=department, comment="x", expected_version=case.version)
    assert refused.value.code == CaseError.STALE
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_internal_notes_are_marked_not_public(loop):
    case = make_case(loop, Status.IN_PROGRESS)
    services.case_act(
        case=case,
        action=Action.COMMENT,
        by=loop["people"][Actor.LEAD_DEPARTMENT],
        comment="内部：需经发局配合",
        public=False,
    )
    assert CaseEvent.objects.get(case=case).is_public is False


def _closed_by_the_department(loop, reporter, enterprise):
    hr = loop["people"][Actor.LEAD_DEPARTMENT]
    case = make_case(loop, Status.IN_PROGRESS, reporter=reporter, enterprise=enterprise)
    case = services.case_act(case=case, action=Action.REPORT_RESULT, by=hr, comment="已办结", result="solved")
    return services.case_act(case=case, action=Action.VERIFY, by=loop["zone"].users["officer_a"])


def test_an_officer_who_raised_a_case_does_not_rate_it_the_enterprise_does(loop):
    officer = loop["zone"].users["officer_a"]
    case = _closed_by_the_department(loop, officer, loop["zone"].enterprise_a)
    assert Action.RATE not in services.actions_available(user=officer, case=case)
    with pytest.raises(DomainError) as refused:
        services.case_act(case=case, action=Action.RATE, by=officer, rating="satisfied")
    assert refused.value.code == CaseError.NOT_ALLOWED
    coordinator = loop["people"][Actor.COORDINATOR]  # the enterprise has its own account: no rating by phone
    assert Action.RATE not in services.actions_available(user=coordinator, case=case)
    case = services.case_act(case=case, action=Action.RATE, by=loop["zone"].users["enterprise_a"], rating="satisfied")
    assert case.events.last().actor_part == Actor.ENTERPRISE


def test_without_an_enterprise_account_a_coordinator_records_the_rating_by_phone_not_the_reporter(loop):
    zone = loop["zone"]
    zone.users["enterprise_a"].delete()
    officer = zone.users["officer_a"]
    case = _closed_by_the_department(loop, officer, zone.enterprise_a)
    assert Action.RATE not in services.actions_available(user=officer, case=case)  # raised it: not theirs to rate
    coordinator = zone.users["coordinator"]
    assert Action.RATE in services.actions_available(user=coordinator, case=case)
    case = services.case_act(case=case, action=Action.RATE, by=coordinator, rating="fairly_satisfied",
                             comment="电话回访企业负责人")  # fmt: skip
    event = case.events.last()
    assert (event.actor_part, event.details["by_phone"], case.rating) == (
        Actor.RATING_BY_PHONE, True, "fairly_satisfied",
    )  # fmt: skip


def test_nobody_verifies_the_result_they_reported(loop):
    hr = loop["people"][Actor.LEAD_DEPARTMENT]
    case = make_case(loop, Status.IN_PROGRESS, reporter=hr)  # the handler raised it and so is a verifier too
    case = services.case_act(case=case, action=Action.REPORT_RESULT, by=hr, comment="已办结", result="solved")
    assert not {Action.VERIFY, Action.REJECT_RESULT} & set(services.actions_available(user=hr, case=case))
    for action in (Action.VERIFY, Action.REJECT_RESULT):
        with pytest.raises(DomainError) as refused:
            services.case_act(case=case, action=action, by=hr, comment="自己核查")
        assert refused.value.code == CaseError.NOT_ALLOWED
    case = services.case_act(case=case, action=Action.VERIFY, by=loop["zone"].users["officer_a"])
    assert case.status == Status.CLOSED
    assert Action.RATE not in services.actions_available(user=hr, case=case)


@pytest.mark.parametrize("bad", ["十", "5.5", 5.5, "", None, [], "0", 999])
def test_a_number_of_days_that_is_not_a_whole_number_in_range_is_refused_with_a_message(loop, bad):
    case = make_case(loop, Status.IN_PROGRESS)
    department = loop["people"][Actor.LEAD_DEPARTMENT]
    if bad in ("", None):  # left out: the default (none for an extension)
        with pytest.raises(DomainError) as refused:
            services.case_act(case=case, action=Action.REQUEST_EXTENSION, by=department, comment="需协调", days=bad)
        assert refused.value.field == "days"
        return
    for action, name, by in [
        (Action.REQUEST_EXTENSION, "days", department),
        (Action.TRANSFER, "deadline_workdays", loop["people"][Actor.COORDINATOR]),
        (Action.SUPERVISE, "reply_workdays", loop["people"][Actor.ZONE_OFFICE]),
    ]:
        extra = {"department": loop["other"]} if action == Action.TRANSFER else {}
        with pytest.raises(DomainError) as refused:
            services.case_act(case=case, action=action, by=by, comment="说明", **{name: bad}, **extra)
        assert refused.value.code == CaseError.INVALID and refused.value.message
    assert Case.objects.get(pk=case.pk).version == case.version


@pytest.mark.parametrize("master_status", [Status.CLOSED, Status.RATED, Status.WITHDRAWN, Status.MERGED])
def test_a_case_is_not_merged_into_one_no_longer_being_handled(loop, master_status):
    case = make_case(loop, Status.PENDING)
    master = make_case(loop, master_status, description="先报的同一问题")
    with pytest.raises(DomainError) as refused:
        services.case_act(case=case, action=Action.MERGE, by=loop["people"][Actor.COORDINATOR], comment="重复",
                          master=master)  # fmt: skip
    assert (refused.value.code, refused.value.field) == (CaseError.INVALID, "master")
    assert Case.objects.get(pk=case.pk).status == Status.PENDING


def _conflict(sqlstate):
    """What Django raises when PostgreSQL gives up a transaction to resolve a conflict."""
    from django.db import OperationalError

    cause = Exception("deadlock detected")
    cause.sqlstate = sqlstate
    error = OperationalError("deadlock detected")
    error.__cause__ = cause
    return error


@pytest.mark.django_db(transaction=True)
def test_a_deadlocked_action_is_tried_again_and_goes_through_once(loop):
    case = make_case(loop, Status.ASSIGNED)
    apply = services.EFFECTS[Action.ACCEPT]
    failures = iter([_conflict("40P01"), _conflict("40001")])

    def fails_twice(*args):
        error = next(failures, None)
        if error:
            raise error
        return apply(*args)

    with mock.patch.dict(services.EFFECTS, {Action.ACCEPT: fails_twice}), mock.patch.object(services.time, "sleep"):
        case = services.case_act(case=case, action=Action.ACCEPT, by=loop["people"][Actor.LEAD_DEPARTMENT])
    assert case.status == Status.IN_PROGRESS and CaseEvent.objects.filter(case=case).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_lasting_deadlock_reaches_the_user_as_a_message_not_an_error_page(loop, client):
    case = make_case(loop, Status.ASSIGNED)
    client.force_login(loop["people"][Actor.LEAD_DEPARTMENT])
    with (
        mock.patch.dict(services.EFFECTS, {Action.ACCEPT: mock.Mock(side_effect=_conflict("40P01"))}),
        mock.patch.object(services.time, "sleep"),
    ):
        answer = client.post(
            f"/api/cases/{case.pk}/actions", {"action": "accept"}, content_type="application/json",
            headers={"If-Match": f'"{case.version}"'},
        )  # fmt: skip
        page = client.post(
            reverse("case-action", args=[case.pk, "accept"]), {"accept-expected_version": case.version}, follow=True
        )
    assert answer.status_code == 503 and answer.json()["code"] == "busy"
    assert "稍后" in answer.json()["message"]
    assert page.status_code == 200 and "稍后" in page.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.ASSIGNED and not CaseEvent.objects.filter(case=case).exists()


def test_the_rollup_rows_of_a_move_are_updated_in_the_order_of_their_keys():
    from zhuqi.cases import figures

    month = datetime.date(2026, 11, 1)
    vector = dict.fromkeys(figures.FIELDS, 0) | {"received": 1}
    touched = []
    with mock.patch.object(figures, "_add", lambda key, changes: touched.append(key)):
        figures.rollup_move(((month, 7, 1, 3), vector), ((month, 0, 1, 3), vector))  # a return
        figures.rollup_move(((month, 0, 1, 3), vector), ((month, 7, 1, 3), vector))  # an assignment
    assert touched == [(month, 0, 1, 3), (month, 7, 1, 3)] * 2


@pytest.mark.parametrize(("given", "deadline"), [(None, datetime.date(2026, 11, 30)), (8, datetime.date(2026, 12, 3))])
def test_a_reopened_case_gets_a_new_deadline_from_the_day_it_is_reopened(loop, given, deadline):
    """Its deadline was 10 March; reopened on Monday 23 November 2026 with the category's 5 working days, or 8
    given, it is due 30 November or 3 December, green, not overdue in the figures, and on time when done."""
    from zhuqi.cases import selectors

    case = make_case(loop, Status.RATED, deadline=datetime.date(2026, 3, 10), assigned_on=datetime.date(2026, 3, 2),
                     paused_workdays=2)  # fmt: skip
    today = datetime.date(2026, 11, 23)
    extra = {"deadline_workdays": given} if given else {}
    with mock.patch("zhuqi.cases.services._today", return_value=today):
        case = services.case_act(case=case, action=Action.REOPEN, by=loop["people"][Actor.COORDINATOR],
                                 comment="企业不满意，重新办理", **extra)  # fmt: skip
    assert (case.assigned_on, case.deadline, case.paused_workdays) == (today, deadline, 0)
    assert today < case.warn_on < deadline
    assert case.events.last().details["deadline"] == deadline.isoformat()
    coordinator = loop["people"][Actor.COORDINATOR]
    listed = selectors.case_list(user=coordinator, today=today).get(pk=case.pk)
    assert listed.flag == selectors.Flag.GREEN
    figures = selectors.case_figures(user=coordinator, today=today)
    assert figures["total"]["overdue"] == 0
    with mock.patch("zhuqi.cases.services._today", return_value=today):
        case = services.case_act(case=case, action=Action.REPORT_RESULT, by=loop["people"][Actor.LEAD_DEPARTMENT],
                                 comment="再次处理", result="solved")  # fmt: skip
        case = services.case_act(case=case, action=Action.VERIFY, by=loop["people"][Actor.VERIFIER])
    assert (case.closed_on_time, case.handling_workdays) == (True, 0)


def test_reopening_with_a_deadline_out_of_range_is_refused(loop):
    case = make_case(loop, Status.RATED)
    with pytest.raises(DomainError) as refused:
        services.case_act(case=case, action=Action.REOPEN, by=loop["people"][Actor.COORDINATOR], comment="重办",
                          deadline_workdays=500)  # fmt: skip
    assert refused.value.field == "deadline" and Case.objects.get(pk=case.pk).status == Status.RATED
