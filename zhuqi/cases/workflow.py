"""The closed loop (问题收集办理) as data: states, actions, and who may take which action from which state.

case_act() in services.py is the only code that changes a case's status; it looks the action up here.
Pages and the API ask allowed_actions() which buttons to show, so the table decides both."""

from dataclasses import dataclass

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
    kinds: frozenset[Kind]
    needs_comment: bool = False
    needs_evidence: bool = False  # at least one photo or document
    barred: frozenset[Actor] = frozenset()  # whoever plays one of these may not act, whatever else they play


S, A, W, K = Status, Action, Actor, Kind
OPEN = {S.ASSIGNED, S.IN_PROGRESS, S.SUSPENDED, S.AWAITING_VERIFICATION}
# Demands, grid incidents and alarms share the coordinator's loop; a hazard goes from the inspector straight
# to the enterprise, which rectifies it, and is closed by a re-inspection, not rated.
LOOP = {K.DEMAND, K.GRID_INCIDENT, K.ALARM}
ALL = set(K)


def _t(action, sources, target, actors, kinds=LOOP, needs_comment=False, needs_evidence=False, barred=()):
    return Transition(
        action, frozenset(sources), target, frozenset(actors), frozenset(kinds), needs_comment, needs_evidence,
        frozenset(barred),
    )  # fmt: skip


TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in [
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
            A.REJECT_RESULT, {S.AWAITING_VERIFICATION}, S.IN_PROGRESS, {W.VERIFIER}, needs_comment=True,
            barred={W.RESULT_REPORTER},
        ),  # fmt: skip
        # the rating is the enterprise's: its own contact, or its words taken down by phone — never staff rating
        # a case they raised or a result they reported (the satisfaction rate counts these)
        _t(
            A.RATE, {S.CLOSED}, S.RATED, {W.ENTERPRISE, W.RATING_BY_PHONE},
            barred={W.RESULT_REPORTER, W.OFFICIAL_REPORTER},
        ),  # fmt: skip
        _t(A.REOPEN, {S.RATED}, S.IN_PROGRESS, {W.COORDINATOR}, needs_comment=True),
        _t(A.WITHDRAW, {S.PENDING, S.ASSIGNED}, S.WITHDRAWN, {W.REPORTER}),
        _t(A.MERGE, {S.PENDING, S.ASSIGNED}, S.MERGED, {W.COORDINATOR}, needs_comment=True),
        _t(A.SUPERVISE, OPEN, None, {W.ZONE_OFFICE}, ALL, needs_comment=True),
        _t(A.REPLY_SUPERVISION, OPEN, None, {W.LEAD_DEPARTMENT}, ALL, needs_comment=True),
        _t(A.COMMENT, {S.PENDING, *OPEN, S.CLOSED}, None, {W.PARTICIPANT}, ALL, needs_comment=True),
        _t(A.ORDER_RECTIFICATION, {S.PENDING}, S.IN_PROGRESS, {W.REPORTER}, {K.HAZARD}),
        _t(
            A.RECTIFY,
            {S.IN_PROGRESS},
            S.AWAITING_VERIFICATION,
            {W.ENTERPRISE, W.LEAD_DEPARTMENT},
            {K.HAZARD},
            needs_comment=True,
            needs_evidence=True,
        ),  # fmt: skip
        _t(
            A.RECHECK,
            {S.AWAITING_VERIFICATION},
            S.CLOSED,
            {W.RECHECKER},
            {K.HAZARD},
            needs_comment=True,
            needs_evidence=True,
        ),  # fmt: skip
        _t(A.RECHECK_FAIL, {S.AWAITING_VERIFICATION}, S.IN_PROGRESS, {W.RECHECKER}, {K.HAZARD}, needs_comment=True),
    ]
}

# Who is told after each action: the part that acts next (services.people_playing() names the people).
NEXT: dict[Action | str, tuple[Actor, ...]] = {
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
    A.ORDER_RECTIFICATION: (W.ENTERPRISE,),
    A.RECTIFY: (W.RECHECKER,),
    A.RECHECK: (W.ENTERPRISE, W.REPORTER),
    A.RECHECK_FAIL: (W.ENTERPRISE,),
}

# Counted as finished for the figures: closed or rated; withdrawn and merged cases leave the counts.
FINISHED = frozenset({S.CLOSED, S.RATED})
CLOCK_RUNNING = frozenset({S.ASSIGNED, S.IN_PROGRESS, S.AWAITING_VERIFICATION})


def allowed_actions(status: Status, parts: set[Actor], kind: Kind = Kind.DEMAND) -> list[Action]:
    """The actions whose table row admits this kind, this status and one of the parts the user plays, and bars
    none of them."""
    return [
        t.action
        for t in TRANSITIONS.values()
        if kind in t.kinds and status in t.sources and t.actors & parts and not t.barred & parts
    ]
