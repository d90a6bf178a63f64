"""The closed loop (问题收集办理) as data: states, actions, and who may take which action from which state.

case_act() in services.py is the only code that changes a case's status; it looks the action up here.
Pages and the API ask allowed_actions() which buttons to show, so the table decides both."""

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    """The engine's own kind; the modules register theirs (case_kind_register: 安全隐患, 网格事件, 监测告警 …)."""

    DEMAND = "demand", _("Enterprise demand")  # 企业诉求


class Source(models.TextChoices):
    ENTERPRISE = "enterprise", _("Raised by the enterprise")  # 企业自主提交
    VISIT = "visit", _("Visit")  # 走访
    SYMPOSIUM = "symposium", _("Symposium")  # 座谈会
    CALL = "call", _("Phone call")  # 来电
    SURVEY = "survey", _("Satisfaction survey")  # 满意度调查
    PATROL = "patrol", _("Grid patrol")  # 网格巡查
    INSPECTION = "inspection", _("Inspection")  # 安全检查
    MONITORING = "monitoring", _("Monitoring and early warning")  # 监测预警
    QR_BOARD = "qr_board", _("QR board")  # 扫码反映 (an employee, from the firm's printed board)


class Status(models.TextChoices):
    PENDING = "pending", pgettext_lazy("case status", "Awaiting acceptance")  # 待受理
    ASSIGNED = "assigned", pgettext_lazy("case status", "Assigned")  # 已交办
    IN_PROGRESS = "in_progress", pgettext_lazy("case status", "In progress")  # 办理中
    SUSPENDED = "suspended", pgettext_lazy("case status", "Suspended")  # 挂起
    AWAITING_VERIFICATION = "awaiting_verification", pgettext_lazy("case status", "Awaiting verification")  # 待核查
    CLOSED = "closed", pgettext_lazy("case status", "Closed")  # 已办结
    RATED = "rated", pgettext_lazy("case status", "Rated")  # 已评价
    WITHDRAWN = "withdrawn", pgettext_lazy("case status", "Withdrawn")  # 已撤回
    MERGED = "merged", pgettext_lazy("case status", "Merged")  # 已合并


class Action(models.TextChoices):
    ASSIGN = "assign", _("Assign")  # 交办
    ROUTE = "route", _("Route to the owning department")  # 自动分派 (categories that route directly)
    RETURN = "return", _("Send back")  # 退回
    ACCEPT = "accept", _("Accept")  # 受理
    TRANSFER = "transfer", _("Transfer")  # 转办
    REQUEST_EXTENSION = "request_extension", _("Ask for more time")  # 申请延期
    DECIDE_EXTENSION = "decide_extension", _("Decide on more time")  # 审批延期
    SUSPEND = "suspend", _("Suspend")  # 挂起
    RESUME = "resume", _("Resume")  # 恢复
    REPORT_RESULT = "report_result", _("Report the result")  # 反馈办理结果
    VERIFY = "verify", _("Verify")  # 核查通过
    REJECT_RESULT = "reject_result", _("Send back for rework")  # 核查不通过
    RATE = "rate", _("Rate")  # 评价
    REOPEN = "reopen", _("Reopen")  # 重新办理
    WITHDRAW = "withdraw", _("Withdraw")  # 撤回
    MERGE = "merge", _("Merge into another case")  # 合并
    SUPERVISE = "supervise", _("Issue a supervision notice")  # 督办
    REPLY_SUPERVISION = "reply_supervision", _("Reply to the supervision notice")  # 督办回复
    COMMENT = "comment", _("Comment")  # 备注


class Actor(models.TextChoices):
    """The parts a person plays towards one case; services.case_parts() says which a user plays."""

    COORDINATOR = (
        "coordinator",
        pgettext_lazy("case part", "Coordinator"),
    )  # 统筹: the zone office, or the park office for its enterprises
    ZONE_OFFICE = "zone_office", pgettext_lazy("case part", "Zone office")  # 管委会: issues 督办单
    LEAD_DEPARTMENT = "lead_department", pgettext_lazy("case part", "Lead department")  # 主办部门
    VERIFIER = (
        "verifier",
        pgettext_lazy("case part", "Verifier"),
    )  # the enterprise's park officer, or whoever reported it
    REPORTER = "reporter", pgettext_lazy("case part", "Reporter")  # who raised it
    ENTERPRISE = "enterprise", pgettext_lazy("case part", "Enterprise")  # the enterprise's own contact
    PARTICIPANT = "participant", pgettext_lazy("case part", "Participant")  # anyone who may see the case
    # 复查人: the lead department's inspectors, except whoever reported the rectification
    RECHECKER = "rechecker", pgettext_lazy("case part", "Re-inspector")
    # the coordinator, recording by phone the rating of an enterprise that has no account (or of whoever
    # reported an incident that concerns no enterprise); the event says it was by phone
    RATING_BY_PHONE = "rating_by_phone", pgettext_lazy("case part", "Rating recorded by phone")
    # parts that bar an action, whatever other part the person plays:
    RESULT_REPORTER = (
        "result_reporter",
        pgettext_lazy("case part", "Reported the result"),
    )  # whoever reported the result now being verified or rated
    OFFICIAL_REPORTER = (
        "official_reporter",
        pgettext_lazy("case part", "Raised it for the enterprise"),
    )  # a member of staff who raised the case, so did not suffer the problem themselves


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    target: Status | None  # None: the status stays (the action records something)
    actors: frozenset[Actor]
    kinds: frozenset[str]  # the kinds whose tables hold this row (filled by case_kind_register)
    needs_comment: bool = False
    needs_evidence: bool = False  # at least one photo or document
    barred: frozenset[Actor] = frozenset()  # whoever plays one of these may not act, whatever else they play


S, A, W, K = Status, Action, Actor, Kind
OPEN = {S.ASSIGNED, S.IN_PROGRESS, S.SUSPENDED, S.AWAITING_VERIFICATION}


def row(action, sources, target, actors, needs_comment=False, needs_evidence=False, barred=()) -> Transition:
    """One row of a kind's table, as the kinds (here and in the modules) write them."""
    return Transition(
        action, frozenset(sources), target, frozenset(actors), frozenset(), needs_comment, needs_evidence,
        frozenset(barred),
    )  # fmt: skip


_t = row


# The coordinator's loop, shared by demands, grid incidents and alarms (each registers it for its kind).
LOOP: list[Transition] = [
    _t(A.ASSIGN, {S.PENDING}, S.ASSIGNED, {W.COORDINATOR}),
    _t(A.ROUTE, {S.PENDING}, S.ASSIGNED, {W.REPORTER}),
    _t(A.RETURN, {S.ASSIGNED}, S.PENDING, {W.LEAD_DEPARTMENT}, needs_comment=True),
    _t(A.ACCEPT, {S.ASSIGNED}, S.IN_PROGRESS, {W.LEAD_DEPARTMENT}),
    _t(A.TRANSFER, {S.ASSIGNED, S.IN_PROGRESS}, S.ASSIGNED, {W.COORDINATOR}, needs_comment=True),
    _t(A.REQUEST_EXTENSION, {S.IN_PROGRESS}, None, {W.LEAD_DEPARTMENT}, needs_comment=True),
    _t(A.DECIDE_EXTENSION, {S.IN_PROGRESS}, None, {W.COORDINATOR}),
    _t(A.SUSPEND, {S.IN_PROGRESS}, S.SUSPENDED, {W.COORDINATOR}, needs_comment=True),
    _t(A.RESUME, {S.SUSPENDED}, S.IN_PROGRESS, {W.COORDINATOR}),
    _t(A.REPORT_RESULT, {S.IN_PROGRESS}, S.AWAITING_VERIFICATION, {W.LEAD_DEPARTMENT}, needs_comment=True),
    # nobody verifies the result they reported themselves
    _t(A.VERIFY, {S.AWAITING_VERIFICATION}, S.CLOSED, {W.VERIFIER}, barred={W.RESULT_REPORTER}),
    _t(
        A.REJECT_RESULT,
        {S.AWAITING_VERIFICATION},
        S.IN_PROGRESS,
        {W.VERIFIER},
        needs_comment=True,
        barred={W.RESULT_REPORTER},
    ),  # fmt: skip
    # the rating is the enterprise's: its own contact, or its words taken down by phone — never staff rating
    # a case they raised or a result they reported (the satisfaction rate counts these)
    _t(
        A.RATE,
        {S.CLOSED},
        S.RATED,
        {W.ENTERPRISE, W.RATING_BY_PHONE},
        barred={W.RESULT_REPORTER, W.OFFICIAL_REPORTER},
    ),  # fmt: skip
    _t(A.REOPEN, {S.RATED}, S.IN_PROGRESS, {W.COORDINATOR}, needs_comment=True),
    _t(A.WITHDRAW, {S.PENDING, S.ASSIGNED}, S.WITHDRAWN, {W.REPORTER}),
    _t(A.MERGE, {S.PENDING, S.ASSIGNED}, S.MERGED, {W.COORDINATOR}, needs_comment=True),
]
# What every kind has: the zone office's supervision, its reply, and comments.
COMMON: list[Transition] = [
    _t(A.SUPERVISE, OPEN, None, {W.ZONE_OFFICE}, needs_comment=True),
    _t(A.REPLY_SUPERVISION, OPEN, None, {W.LEAD_DEPARTMENT}, needs_comment=True),
    _t(A.COMMENT, {S.PENDING, *OPEN, S.CLOSED}, None, {W.PARTICIPANT}, needs_comment=True),
]

# The table: each action's row, and the kinds whose tables hold it. Filled by case_kind_register from the apps'
# AppConfig.ready(): cases registers demands, grids its incidents, monitoring its alarms, inspections its
# hazards (which go from the inspector straight to the enterprise, and are closed by a re-inspection, not rated).
TRANSITIONS: dict[str, Transition] = {}


# Who acts next, said once per kind: whose turn it is while a case stands in a status (and a condition holds).
@dataclass(frozen=True)
class Turn:
    """While a case of the kind stands in one of `statuses` and `when` holds (a condition in SQL on the case, asked
    anew each time: windows move with the clock), it is the turn of those who play a part in `acts`: it is in their
    待办 (and on their 工作台), and they are told when the turn comes to them. Those who play a part in `watches` find it
    in their 待办 without being told (the zone office over a park's decisions). The people of each part, and the cases
    where a user is among them, are the part's own (part_register; cases.turns registers the engine's)."""

    statuses: frozenset[Status]
    acts: frozenset[Actor]
    watches: frozenset[Actor] = frozenset()
    when: Callable[[], Q] | None = None


def turn(statuses, acts, watches=(), when=None) -> Turn:
    return Turn(frozenset(statuses), frozenset(acts), frozenset(watches), when)


def extension_asked() -> Q:
    return Q(pending_extension_days__isnull=False)


def rating_open() -> Q:
    """The enterprise rates a closed case within 30 days."""
    return Q(closed_at__gte=timezone.now() - datetime.timedelta(days=30))


def reopenable() -> Q:
    """A dissatisfied rating waits 30 days for the coordinator's decision whether to reopen (once)."""
    return Q(rating="dissatisfied", reopened=False, closed_at__gte=timezone.now() - datetime.timedelta(days=30))


def supervision_unreplied() -> Q:
    from .models import SupervisionNotice

    return Q(Exists(SupervisionNotice.objects.filter(case_id=OuterRef("pk"), replied_at__isnull=True)))


# The loop's turns (demands, grid incidents, alarms): the coordinator (the park office for its enterprises, the zone
# office for the rest) assigns; the lead department accepts and handles; the coordinator decides an extension asked
# for; the verifier checks the result; the enterprise rates; the coordinator decides whether to reopen after a
# dissatisfied rating. A suspended case waits for no one's 待办.
LOOP_TURNS: list[Turn] = [
    turn({S.PENDING}, {W.COORDINATOR}),
    turn({S.ASSIGNED, S.IN_PROGRESS}, {W.LEAD_DEPARTMENT}),
    turn({S.IN_PROGRESS}, {W.COORDINATOR}, watches={W.ZONE_OFFICE}, when=extension_asked),
    turn({S.AWAITING_VERIFICATION}, {W.VERIFIER}),
    turn({S.CLOSED}, {W.ENTERPRISE}, when=rating_open),
    turn({S.RATED}, {W.COORDINATOR}, watches={W.ZONE_OFFICE}, when=reopenable),
]
# with COMMON: a supervision notice waits for the lead department's reply
COMMON_TURNS: list[Turn] = [turn(OPEN, {W.LEAD_DEPARTMENT}, when=supervision_unreplied)]

# Who hears of an action besides those whose turn it has just become (the kinds' turns say those): the enterprise
# that its demand was accepted, the department that it may stop for now, whoever asked what was decided.
INFORMS: dict[str, tuple[Actor, ...]] = {
    A.ACCEPT: (W.ENTERPRISE, W.REPORTER),
    A.DECIDE_EXTENSION: (W.LEAD_DEPARTMENT,),
    A.SUSPEND: (W.LEAD_DEPARTMENT,),
    A.VERIFY: (W.REPORTER,),
    A.RATE: (W.COORDINATOR, W.LEAD_DEPARTMENT),
    A.WITHDRAW: (W.COORDINATOR,),
    A.MERGE: (W.REPORTER,),
    A.REPLY_SUPERVISION: (W.ZONE_OFFICE,),
}


@dataclass(frozen=True)
class Part:
    """A part as the turns need it: its people for a case, and the same question the other way round, the cases
    (a condition in SQL, None for none) where a user is among them. A test holds the two to each other."""

    people: Callable  # (case, active users) -> QuerySet of users
    cases: Callable  # (user) -> Q | None


KINDS: dict[str, Any] = {}  # value -> label, of every registered kind
STATUS_NAMES: dict[str, dict[str, Any]] = {}  # kind -> {status: what the kind calls it} (case_kind_register(statuses=))
ACTION_LABELS: dict[str, Any] = {}  # value -> label, of every action a kind's table holds
EFFECTS: dict[str, Callable] = {}  # action -> (case, action, by, comment, details, today) -> what the event keeps
# a module's action -> {name: django form field}: what its form asks for beyond the comment; the case page renders
# them and the API cleans the same names in its request body with the same fields
FIELDS: dict[str, dict[str, Any] | Callable] = {}
PARTS: dict[str, Callable] = {}  # kind -> (user, case) -> the parts this kind adds to case_parts
PART_PEOPLE: dict[str, Part] = {}  # part -> who plays it for a case, and where a user plays it (part_register)
TURNS: dict[str, list[Turn]] = {}  # kind -> whose turn it is in which status (case_kind_register(turns=...))
RAISED_BY: dict[str, frozenset[str]] = {}  # a module's kind -> the sources that raise it (through its service)
ON_ARRIVAL: set[str] = {A.ROUTE}  # taken as the case arrives, never offered as a button
REPORTS_RESULT: set[str] = {A.REPORT_RESULT}  # whoever took it reported the result now being verified
ON_FILE: set[str] = {A.VERIFY, A.RATE}  # noted in the enterprise file (一企一档) with the result
ATTACHMENTS: set[str] = set()  # a module's actions whose form takes photos or documents
COMMENT_LABELS: dict[str, Any] = {}  # a module's action -> what its comment is called on the form
SMS_ASKED: dict[str, str] = {}  # a module's action -> what its SMS asks of the person told (cases.texts)


class WorkflowError(Exception):
    pass


def effect_register(action: str, effect: Callable) -> None:
    if EFFECTS.get(action, effect) is not effect:
        raise WorkflowError(f"action {action!r} has an effect already")
    EFFECTS[action] = effect


def module_fields(action: str, case=None) -> dict[str, Any]:
    """The fields a module's action asks for: fixed, or made for the case (an application's own checklist)."""
    fields = FIELDS.get(action, {})
    if callable(fields):
        return fields(case) if case is not None else {}
    return fields


def action_register(
    action: str,
    label,
    *,
    effect: Callable,
    informs: tuple = (),
    on_arrival=False,
    reports_result=False,
    on_file=False,
    fields: dict | None = None,
    attachments=False,
    comment_label=None,
    sms: str = "",
) -> None:
    """A module's own action: its label, its effect, whom it informs beyond those whose turn it makes it (the kind's
    turns), the fields its form asks for (and whether photos or documents, and what its comment is called), and what
    its SMS asks of the person told ({due}: the case's deadline)."""
    ACTION_LABELS[action] = label
    effect_register(action, effect)
    if informs:
        INFORMS[action] = tuple(informs)
    if fields:
        FIELDS[action] = fields if callable(fields) else dict(fields)
    if comment_label:
        COMMENT_LABELS[action] = comment_label
    if sms:
        SMS_ASKED[action] = sms
    for flag, table in (
        (on_arrival, ON_ARRIVAL), (reports_result, REPORTS_RESULT), (on_file, ON_FILE), (attachments, ATTACHMENTS),
    ):  # fmt: skip
        if flag:
            table.add(action)


def case_kind_register(
    kind: str,
    label,
    *,
    transitions: list[Transition],
    turns: list[Turn],
    parts: Callable | None = None,
    raised_by=(),
    statuses: dict[str, Any] | None = None,
) -> None:
    """A kind of case: its transition table, and whose turn it is in which status (said once: the 待办, the 工作台 and
    the notices all read it). Rows shared with other kinds (the loop, COMMON) must be the same row; a kind that
    needs an action to behave otherwise registers an action of its own. `statuses` names the engine's statuses as
    the kind's users call its steps (an application's 已交办 is its 园区初审), wherever a case of it is shown."""
    KINDS[kind] = label
    if statuses:
        STATUS_NAMES[kind] = dict(statuses)
    for its_turn in turns:
        for part in its_turn.acts | its_turn.watches:
            if part not in PART_PEOPLE:
                raise WorkflowError(f"{kind!r}: part {part!r} has no people registered (part_register)")
    TURNS[kind] = list(turns)
    for row in transitions:
        current = TRANSITIONS.get(row.action)
        if current is not None and dataclasses.replace(current, kinds=frozenset()) != row:
            raise WorkflowError(f"{kind!r} registers another row for {row.action!r}")
        TRANSITIONS[row.action] = dataclasses.replace(row, kinds=(current.kinds if current else frozenset()) | {kind})
        ACTION_LABELS.setdefault(row.action, Action(row.action).label if row.action in Action.values else row.action)
        if row.action not in EFFECTS:
            raise WorkflowError(f"action {row.action!r} has no effect registered")
    if parts is not None:
        PARTS[kind] = parts
    if raised_by:
        RAISED_BY[kind] = frozenset(raised_by)


def part_register(part: str, *, people: Callable, cases: Callable) -> None:
    """Who plays a part for a case (people(case, active users) -> users) and, the other way round, the cases where
    a user does (cases(user) -> Q, or None for none): what the turns need of a part."""
    PART_PEOPLE[part] = Part(people, cases)


class ActionName(str):
    """A module's action as the pages use it: its value, with its label (the engine's own are Action's members)."""

    @property
    def value(self) -> str:
        return str(self)

    @property
    def label(self):
        return action_label(self)


def as_action(value: str):
    return Action(value) if value in Action.values else ActionName(value)


def kind_choices() -> list[tuple[str, Any]]:
    """The registered kinds, as the kind columns' choices (a callable: a new kind needs no migration)."""
    return list(KINDS.items())


def action_choices() -> list[tuple[str, Any]]:
    return list(ACTION_LABELS.items())


def kind_label(kind: str):
    return KINDS.get(kind, kind)


def status_label(kind: str, status: str):
    """A case's status as its kind names it, else the engine's name."""
    named = STATUS_NAMES.get(kind, {}).get(status)
    return named if named is not None else (Status(status).label if status in Status.values else status)


def action_label(action: str):
    return ACTION_LABELS.get(action, action)


# Counted as finished for the figures: closed or rated; withdrawn and merged cases leave the counts.
FINISHED = frozenset({S.CLOSED, S.RATED})
CLOCK_RUNNING = frozenset({S.ASSIGNED, S.IN_PROGRESS, S.AWAITING_VERIFICATION})


def allowed_actions(status: Status, parts: set[Actor], kind: str = Kind.DEMAND) -> list[str]:
    """The actions whose table row admits this kind, this status and one of the parts the user plays, and bars
    none of them."""
    return [
        as_action(t.action)
        for t in TRANSITIONS.values()
        if kind in t.kinds and status in t.sources and t.actors & parts and not t.barred & parts
    ]
