"""The closed loop (问题收集办理) as data: states, actions, and who may take which action from which state.

case_act() in services.py is the only code that changes a case's status; it looks the action up here.
Pages and the API ask allowed_actions() which buttons to show, so the table decides both."""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    DEMAND = "demand", _("Enterprise demand")  # 企业诉求
    HAZARD = "hazard", _("Safety hazard")  # 安全隐患
    GRID_INCIDENT = "grid_incident", _("Grid incident")  # 网格事件
    ALARM = "alarm", _("Monitoring alarm")  # 监测告警


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
    ORDER_RECTIFICATION = "order_rectification", _("Order rectification")  # 下达整改 (hazards, on arrival)
    RECTIFY = "rectify", _("Report rectification")  # 整改反馈
    RECHECK = "recheck", _("Re-inspect: rectified")  # 复查通过
    RECHECK_FAIL = "recheck_fail", _("Re-inspect: not rectified")  # 复查不通过


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

# Who is told after each action: the part that acts next (services.people_playing() names the people).
NEXT: dict[str, tuple[Actor, ...]] = {
    "raise": (W.COORDINATOR,),
    A.ASSIGN: (W.LEAD_DEPARTMENT,),
    A.ROUTE: (W.LEAD_DEPARTMENT,),
    A.RETURN: (W.COORDINATOR,),
    A.ACCEPT: (W.ENTERPRISE,),
    A.TRANSFER: (W.LEAD_DEPARTMENT,),
    A.REQUEST_EXTENSION: (W.COORDINATOR,),
    A.DECIDE_EXTENSION: (W.LEAD_DEPARTMENT,),
    A.SUSPEND: (W.LEAD_DEPARTMENT,),
    A.RESUME: (W.LEAD_DEPARTMENT,),
    A.REPORT_RESULT: (W.VERIFIER,),
    A.VERIFY: (W.ENTERPRISE, W.REPORTER),
    A.REJECT_RESULT: (W.LEAD_DEPARTMENT,),
    A.RATE: (W.COORDINATOR, W.LEAD_DEPARTMENT),
    A.REOPEN: (W.LEAD_DEPARTMENT,),
    A.WITHDRAW: (W.COORDINATOR,),
    A.MERGE: (W.REPORTER,),
    A.SUPERVISE: (W.LEAD_DEPARTMENT,),
    A.REPLY_SUPERVISION: (W.ZONE_OFFICE,),
    A.COMMENT: (),
}

KINDS: dict[str, Any] = {}  # value -> label, of every registered kind
ACTION_LABELS: dict[str, Any] = {}  # value -> label, of every action a kind's table holds
EFFECTS: dict[str, Callable] = {}  # action -> (case, action, by, comment, details, today) -> what the event keeps
# a module's action -> {name: django form field}: what its form asks for beyond the comment; the case page renders
# them and the API cleans the same names in its request body with the same fields
FIELDS: dict[str, dict[str, Any]] = {}
PARTS: dict[str, Callable] = {}  # kind -> (user, case) -> the parts this kind adds to case_parts
PEOPLE: dict[str, Callable] = {}  # part a kind adds -> (case, active users) -> who plays it
TURNS: dict[str, Callable] = {}  # kind -> (user) -> Q: its cases waiting for this user (else the loop's turns)
RAISED_BY: dict[str, frozenset[str]] = {}  # a module's kind -> the sources that raise it (through its service)
ON_ARRIVAL: set[str] = {A.ROUTE}  # taken as the case arrives, never offered as a button
REPORTS_RESULT: set[str] = {A.REPORT_RESULT}  # whoever took it reported the result now being verified
ON_FILE: set[str] = {A.VERIFY, A.RATE}  # noted in the enterprise file (一企一档) with the result


class WorkflowError(Exception):
    pass


def effect_register(action: str, effect: Callable) -> None:
    if EFFECTS.get(action, effect) is not effect:
        raise WorkflowError(f"action {action!r} has an effect already")
    EFFECTS[action] = effect


def action_register(
    action: str,
    label,
    *,
    effect: Callable,
    next: tuple = (),
    on_arrival=False,
    reports_result=False,
    on_file=False,
    fields: dict | None = None,
) -> None:
    """A module's own action: its label, its effect, whom it tells next, the fields its form asks for."""
    ACTION_LABELS[action] = label
    effect_register(action, effect)
    NEXT[action] = tuple(next)
    if fields:
        FIELDS[action] = dict(fields)
    for flag, table in ((on_arrival, ON_ARRIVAL), (reports_result, REPORTS_RESULT), (on_file, ON_FILE)):
        if flag:
            table.add(action)


def case_kind_register(
    kind: str,
    label,
    *,
    transitions: list[Transition],
    parts: Callable | None = None,
    turn: Callable | None = None,
    raised_by=(),
) -> None:
    """A kind of case and its transition table. Rows shared with other kinds (the loop, COMMON) must be the same
    row; a kind that needs an action to behave otherwise registers an action of its own."""
    KINDS[kind] = label
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
    if turn is not None:
        TURNS[kind] = turn
    if raised_by:
        RAISED_BY[kind] = frozenset(raised_by)


def people_register(part: str, people: Callable) -> None:
    PEOPLE[part] = people


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
