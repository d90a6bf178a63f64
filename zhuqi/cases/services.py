"""Writes to cases. case_act() is the only way a case changes status: it locks the row, checks the
transition table and the part the user plays, applies the action, and appends the history event."""

import datetime
from enum import Enum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core import scopes
from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.core.workdays import add_workdays, workdays_between
from zhuqi.org.models import Department, Role

from .models import Case, CaseEvent, Category, Rating, Result, Source
from .workflow import TRANSITIONS, Action, Actor, Status


class CaseError(Enum):
    NOT_VISIBLE = "not_visible"
    NOT_ALLOWED = "not_allowed"
    WRONG_STATUS = "wrong_status"
    STALE = "stale"
    COMMENT_REQUIRED = "comment_required"
    INVALID = "invalid"


def case_parts(*, user, case: Case) -> set[Actor]:
    """The parts this user plays towards this case; empty when they may not see it."""
    if not scopes.cases_visible_to(user).filter(pk=case.pk).exists():
        return set()
    parts = {Actor.PARTICIPANT}
    if user.role == Role.ZONE_COORDINATOR or (
        user.role == Role.PARK_OFFICER and case.park_id is not None and case.park_id == user.park_id
    ):
        parts.add(Actor.COORDINATOR)
    if user.role == Role.DEPARTMENT_HANDLER and user.department_id == case.lead_department_id:
        parts.add(Actor.LEAD_DEPARTMENT)
    if case.reporter_id == user.pk:
        parts |= {Actor.REPORTER, Actor.VERIFIER}
    if user.role == Role.PARK_OFFICER and case.park_id is not None and case.park_id == user.park_id:
        parts.add(Actor.VERIFIER)
    if user.role == Role.ENTERPRISE_CONTACT and case.enterprise_id == user.enterprise_id:
        parts.add(Actor.ENTERPRISE)
    return parts


@transaction.atomic
def case_raise(
    *, by, category: Category, description: str, source: Source, enterprise=None, visit_problem=None
) -> Case:
    """登记: a new case, waiting to be assigned."""
    if enterprise is not None and not scopes.can_see_enterprise(by, enterprise):
        raise DomainError(CaseError.NOT_VISIBLE, _("You may not raise a case for this enterprise"))
    if by.role == Role.ENTERPRISE_CONTACT and (enterprise is None or enterprise.pk != by.enterprise_id):
        raise DomainError(CaseError.NOT_ALLOWED, _("An enterprise raises cases for itself only"))
    description = (description or "").strip()
    if not description:
        raise DomainError(CaseError.INVALID, _("Describe the problem"), field="description")
    case = Case.objects.create(
        kind=category.kind,
        category=category,
        enterprise=enterprise,
        park_id=enterprise.park_id if enterprise else None,
        description=description,
        source=source,
        visit_problem=visit_problem,
        reporter=by,
        priority=category.priority,
    )
    case.number = f"ZQ{timezone.localdate():%Y}{case.pk:06d}"
    case.save(update_fields=["number"])
    CaseEvent.objects.create(
        case=case,
        action="raise",
        actor=by,
        actor_part=Actor.REPORTER,
        to_status=Status.PENDING,
        comment=description[:500],
    )
    audit_record(actor=by, event=AuditEvent.CREATE, obj=case)
    return case


def _today() -> datetime.date:
    return timezone.localdate()


def _department(value) -> Department:
    if isinstance(value, Department):
        return value
    try:
        return Department.objects.get(pk=value)
    except (Department.DoesNotExist, ValueError, TypeError):
        raise DomainError(CaseError.INVALID, _("Choose a department"), field="department") from None


def _apply(case: Case, action: Action, by, comment: str, details: dict) -> dict:
    """What each action does beyond moving the status; returns what the event should remember."""
    today = _today()
    if action in (Action.ASSIGN, Action.TRANSFER):
        department = _department(details.get("department") or case.category.department)
        if action == Action.TRANSFER and department.pk == case.lead_department_id:
            raise DomainError(CaseError.INVALID, _("Transfer to another department"), field="department")
        days = int(details.get("deadline_workdays") or case.category.deadline_workdays)
        if not 1 <= days <= 120:
            raise DomainError(CaseError.INVALID, _("The deadline must be 1 to 120 working days"), field="deadline")
        case.lead_department = department
        case.assigned_on = today
        case.deadline = add_workdays(today, days)
        assisting = [_department(d) for d in details.get("assisting", [])]
        case.save()
        case.assisting_departments.set([d for d in assisting if d.pk != department.pk])
        return {
            "department": department.name,
            "deadline": case.deadline.isoformat(),
            "workdays": days,
            "assisting": [d.name for d in assisting],
        }
    if action == Action.RETURN:
        returned_by = case.lead_department.name if case.lead_department else ""
        case.lead_department, case.deadline, case.assigned_on = None, None, None
        return {"department": returned_by}
    if action == Action.REQUEST_EXTENSION:
        days = int(details.get("days") or 0)
        if not 1 <= days <= 60:
            raise DomainError(CaseError.INVALID, _("Ask for 1 to 60 more working days"), field="days")
        if case.pending_extension_days:
            raise DomainError(CaseError.WRONG_STATUS, _("An extension is already waiting for a decision"))
        case.pending_extension_days = days
        return {"days": days}
    if action == Action.DECIDE_EXTENSION:
        if not case.pending_extension_days:
            raise DomainError(CaseError.WRONG_STATUS, _("No extension is waiting for a decision"))
        approved = bool(details.get("approve"))
        days = case.pending_extension_days
        if approved:
            case.deadline = add_workdays(case.deadline, days)
        case.pending_extension_days = None
        return {"approved": approved, "days": days, "deadline": case.deadline.isoformat()}
    if action == Action.SUSPEND:
        case.suspended_on = today
        return {}
    if action == Action.RESUME:
        paused = max(workdays_between(case.suspended_on, today), 0)
        case.deadline = add_workdays(case.deadline, paused)
        case.suspended_on = None
        return {"paused_workdays": paused, "deadline": case.deadline.isoformat()}
    if action == Action.REPORT_RESULT:
        result = details.get("result")
        if result not in Result.values:
            raise DomainError(CaseError.INVALID, _("Say whether the problem was solved"), field="result")
        case.result, case.result_text = result, comment
        return {"result": result}
    if action == Action.VERIFY:
        case.closed_at = timezone.now()
        case.closed_on_time = today <= case.deadline
        return {"on_time": case.closed_on_time}
    if action == Action.REJECT_RESULT:
        case.rework_count += 1
        case.result = ""
        return {"rework": case.rework_count}
    if action == Action.RATE:
        rating = details.get("rating")
        if rating not in Rating.values:
            raise DomainError(CaseError.INVALID, _("Choose a rating"), field="rating")
        case.rating, case.rating_comment = rating, comment[:500]
        return {"rating": rating}
    if action == Action.REOPEN:
        if case.rating != Rating.DISSATISFIED or case.reopened:
            raise DomainError(
                CaseError.WRONG_STATUS, _("Only a case rated dissatisfied can be reopened, and only once")
            )
        case.reopened = True
        case.closed_at, case.closed_on_time, case.result = None, None, ""
        return {"previous_rating": case.rating}
    if action == Action.MERGE:
        master = details.get("master")
        if (
            not isinstance(master, Case)
            or master.pk == case.pk
            or master.status == Status.MERGED
            or not scopes.cases_visible_to(by).filter(pk=master.pk).exists()
        ):
            raise DomainError(CaseError.INVALID, _("Choose the case this one duplicates"), field="master")
        case.master = master
        return {"master": master.number}
    return {}


@transaction.atomic
def case_act(
    *,
    case: Case,
    action: Action | str,
    by,
    comment: str = "",
    expected_version: int | None = None,
    public: bool = True,
    **details,
) -> Case:
    transition = TRANSITIONS.get(Action(action)) if action in Action.values else None
    if transition is None:
        raise DomainError(CaseError.NOT_ALLOWED, _("Unknown action"))
    case = Case.objects.select_for_update(of=("self",)).select_related("category", "lead_department").get(pk=case.pk)
    if expected_version is not None and expected_version != case.version:
        raise DomainError(CaseError.STALE, _("Someone else has acted on this case meanwhile; reload it and try again"))
    parts = case_parts(user=by, case=case)
    if not parts:
        raise DomainError(CaseError.NOT_VISIBLE, _("No such case"))
    if case.status not in transition.sources:
        raise DomainError(
            CaseError.WRONG_STATUS,
            _("This cannot be done while the case is “%(status)s”") % {"status": Status(case.status).label},
        )
    acting_as = transition.actors & parts
    if not acting_as:
        raise DomainError(CaseError.NOT_ALLOWED, _("You may not do this on this case"))
    comment = (comment or "").strip()
    if transition.needs_comment and not comment:
        raise DomainError(CaseError.COMMENT_REQUIRED, _("Please give a reason or description"), field="comment")
    before = case.status
    remembered = _apply(case, transition.action, by, comment, details)
    if transition.target is not None:
        case.status = transition.target
    case.version += 1
    case.save()
    CaseEvent.objects.create(
        case=case,
        action=transition.action,
        actor=by,
        actor_part=sorted(acting_as)[0],
        from_status=before,
        to_status=case.status,
        comment=comment,
        is_public=public,
        details=remembered,
    )
    return case
