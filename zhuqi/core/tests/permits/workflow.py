"""审批许可: 待受理 → 审查中 (the coordinator reviews) → 已办结 (granted, noted in the enterprise file) or back."""

from django import forms

from zhuqi.cases import selectors
from zhuqi.cases.services import case_close, deadline_set
from zhuqi.cases.workflow import Actor, Status, action_register, row, turn
from zhuqi.core.workdays import add_workdays
from zhuqi.enterprises.models import TimelineEntry

KIND = "permit"
TIMELINE_KIND = "permit_decision"
REVIEW, GRANT = "permit_review", "permit_grant"
TRANSITIONS = [
    row(REVIEW, {Status.PENDING}, Status.IN_PROGRESS, {Actor.COORDINATOR}),
    row(GRANT, {Status.IN_PROGRESS}, Status.CLOSED, {Actor.COORDINATOR}, needs_comment=True),
]
# the coordinator's turn from application to decision; the zone office watches every one
TURNS = [turn({Status.PENDING, Status.IN_PROGRESS}, {Actor.COORDINATOR}, watches={Actor.ZONE_OFFICE})]


def _review(case, action, by, comment, details, today) -> dict:
    """The permit's owning department reviews it within the category's working days."""
    case.lead_department, case.assigned_on = case.category.department, today
    deadline_set(case, add_workdays(today, case.category.deadline_workdays))
    return {"department": case.lead_department.name, "deadline": case.deadline.isoformat()}


def _grant(case, action, by, comment, details, today) -> dict:
    case_close(case, today)
    if case.enterprise_id:
        TimelineEntry.objects.create(enterprise_id=case.enterprise_id, kind=TIMELINE_KIND, actor=by,
                                     summary=f"{case.number} 许可已批准", details={"case": case.pk})  # fmt: skip
    return {"granted": True, "permit_number": details.get("permit_number", "")}


def register_actions() -> None:
    action_register(REVIEW, "受理审查", effect=_review, informs=(Actor.REPORTER,))
    action_register(GRANT, "批准许可", effect=_grant, informs=(Actor.REPORTER, Actor.ENTERPRISE), fields={
        "permit_number": forms.RegexField(r"^XK\d{6}$", label="许可证编号", required=True,
                                          error_messages={"invalid": "许可证编号为 XK 加六位数字"}),
    })  # fmt: skip


def card(user) -> dict | None:
    waiting = selectors.waiting_for(user=user).filter(kind=KIND).count()
    return {"permits_waiting": waiting} if waiting else None


def permits_remind() -> int:
    return 0
