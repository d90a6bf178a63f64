"""Writes to cases. case_act() is the only way a case changes status: it locks the row, checks the
transition table and the part the user plays, applies the action, and appends the history event."""

import datetime
import functools
import math
import random
import time
from enum import Enum

from django.db import IntegrityError, OperationalError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core import scopes
from zhuqi.core.attachments import attachment_problem, attachment_store
from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.core.workdays import add_workdays, workdays_between
from zhuqi.enterprises.models import TimelineEntry, VisitProblem
from zhuqi.notifications.services import notify
from zhuqi.org.models import Department, Role, User

from .figures import contribution, rollup_move
from .models import (
    TIMELINE_KIND,
    Case,
    CaseEvent,
    Category,
    Kind,
    Rating,
    Reminder,
    ReminderKind,
    Result,
    Source,
    SupervisionNotice,
    Symposium,
)
from .texts import case_action_sms, reminder_sms, reply_due_sms
from .turns import people_playing, told_after, whose_turn
from .workflow import (
    CLOCK_RUNNING,
    EFFECTS,
    FINISHED,
    ON_ARRIVAL,
    ON_FILE,
    OPEN,
    PARTS,
    RAISED_BY,
    REPORTS_RESULT,
    TRANSITIONS,
    Action,
    Actor,
    Status,
    action_label,
    allowed_actions,
    effect_register,
)

WARNING_SHARE = 0.8  # yellow once 80% of the working days are used
MERGEABLE_INTO = frozenset({Status.PENDING, *OPEN})


class CaseError(Enum):
    NOT_VISIBLE = "not_visible"
    NOT_ALLOWED = "not_allowed"
    WRONG_STATUS = "wrong_status"
    STALE = "stale"
    COMMENT_REQUIRED = "comment_required"
    INVALID = "invalid"
    BUSY = "busy"


ATTEMPTS = 4
CONFLICTS = {"40P01", "40001"}  # PostgreSQL: deadlock detected, serialization failure


def retrying(service):
    """One transaction for the service, tried again when the database gives it up to resolve a deadlock or a
    serialization conflict (the other transaction went through; this one will, a moment later), and after a
    few tries a message instead of an error page. Inside another transaction it is that one's to retry."""
    atomic = transaction.atomic(service)

    @functools.wraps(service)
    def run(*args, **kwargs):
        if transaction.get_connection().in_atomic_block:
            return atomic(*args, **kwargs)
        for attempt in range(ATTEMPTS):
            try:
                return atomic(*args, **kwargs)
            except OperationalError as error:
                if getattr(error.__cause__, "sqlstate", None) not in CONFLICTS:
                    raise
            for upload in kwargs.get("files") or ():
                upload.seek(0)
            time.sleep(random.uniform(0.02, 0.1) * (attempt + 1))  # noqa: S311 - spreading retries, not secrets
        raise DomainError(CaseError.BUSY, _("Many people are working on this at once; please try again in a moment"))

    return run


def case_parts(*, user, case: Case) -> set[Actor]:
    """The parts this user plays towards this case; empty when they may not see it."""
    if not scopes.cases_visible_to(user).filter(pk=case.pk).exists():
        return set()
    parts = {Actor.PARTICIPANT}
    if user.role == Role.ZONE_COORDINATOR:
        parts.add(Actor.ZONE_OFFICE)
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
    if case.kind in PARTS:
        parts |= PARTS[case.kind](user, case)
    if Actor.COORDINATOR in parts and not _has_enterprise_account(case):
        parts.add(Actor.RATING_BY_PHONE)
    if case.reporter_id == user.pk and Actor.ENTERPRISE not in parts:
        parts.add(Actor.OFFICIAL_REPORTER)
    if case.status in (Status.AWAITING_VERIFICATION, Status.CLOSED) and _result_reporter_id(case) == user.pk:
        parts.add(Actor.RESULT_REPORTER)
    return parts


def _has_enterprise_account(case: Case) -> bool:
    return case.enterprise_id is not None and (
        User.objects.filter(is_active=True, role=Role.ENTERPRISE_CONTACT, enterprise_id=case.enterprise_id).exists()
    )


def _result_reporter_id(case: Case) -> int | None:
    """Who reported the result (or the rectification) the case now stands on."""
    return (
        case.events.filter(action__in=sorted(REPORTS_RESULT))
        .order_by("-at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )


def _tell_next(case: Case, action, by, *, before=frozenset(), public: bool, comment: str = "") -> None:
    """Those whose turn it has just become (the kind's turns) and those the action informs."""
    recipients = told_after(case, action, set(before), by=by, public=public)
    if not recipients:
        return
    label = _("New case") if action == "raise" else action_label(action)
    sms = case.priority != "normal" or action == Action.SUPERVISE
    notify(
        recipients,
        title=f"{case.number} {label}",
        body=(comment or case.description)[:200],
        url=reverse("case-detail", args=[case.pk]),
        sms=sms,
        sms_text=case_action_sms(case, action) if sms else "",
    )


def _on_file(case: Case, by, summary: str) -> None:
    """The enterprise file (一企一档) shows each case when raised and when closed or rated."""
    if case.enterprise_id:
        TimelineEntry.objects.create(
            enterprise_id=case.enterprise_id,
            kind=TIMELINE_KIND,
            actor=by,
            summary=summary[:300],
            details={"case": case.pk, "number": case.number},
        )


def actions_available(*, user, case: Case) -> list[Action]:
    """The buttons to show: what the table allows this user, less what the case's own state rules out now."""
    actions = allowed_actions(Status(case.status), case_parts(user=user, case=case), case.kind)
    ruled_out = set(ON_ARRIVAL)
    ruled_out.add(Action.REQUEST_EXTENSION if case.pending_extension_days else Action.DECIDE_EXTENSION)
    if case.status == Status.RATED and (case.rating != Rating.DISSATISFIED or case.reopened):
        ruled_out.add(Action.REOPEN)
    if not case.supervision_notices.filter(replied_at__isnull=True).exists():
        ruled_out.add(Action.REPLY_SUPERVISION)
    return [a for a in actions if a not in ruled_out]


# What each source raises by hand (the page, the API, visits, symposia): enterprise demands. The modules' kinds
# come with a record of their own (a grid incident its grid, a hazard its grade and rectification, an alarm the
# alarm) and are raised only through their own service, from the sources each registers with its table
# (workflow.case_kind_register(raised_by=...)): grids' incident_report from patrols, hazard_record from
# inspections, monitoring's alarm_to_case from monitoring.
RAISES: dict[Source, frozenset[Kind]] = {
    source: frozenset({Kind.DEMAND})
    for source in (Source.ENTERPRISE, Source.VISIT, Source.SYMPOSIUM, Source.CALL, Source.SURVEY, Source.PATROL,
                   Source.INSPECTION)
}  # fmt: skip


# raised only by a service of its own from its own source, never picked by hand: the QR board's public form
OWN_SOURCE_RAISES: dict[Source, frozenset[Kind]] = {Source.QR_BOARD: frozenset({Kind.DEMAND})}


def kinds_raised_by_hand(source) -> frozenset[Kind]:
    return RAISES.get(source, frozenset()) - set(RAISED_BY)


def kinds_raised(source) -> frozenset[str]:
    """What this source raises: by hand, and through the modules' own services."""
    registered = {kind for kind, sources in RAISED_BY.items() if source in sources}
    return RAISES.get(source, frozenset()) | OWN_SOURCE_RAISES.get(source, frozenset()) | registered


def categories_raisable_by_hand():
    """The categories the page and the API offer."""
    kinds = set().union(*(kinds_raised_by_hand(source) for source in Source))
    return Category.objects.filter(is_active=True, kind__in=sorted(kinds))


@retrying
def case_submit(*, by, category: Category, source: Source, **fields) -> Case:
    """登记 by hand — the page, the API, a visit's problems, a symposium: who may raise cases at all, and only
    the kinds their source raises by hand."""
    if not scopes.can_raise_case(by):
        raise DomainError(CaseError.NOT_ALLOWED, _("Your role does not raise cases"))
    if by.role == Role.ENTERPRISE_CONTACT and source != Source.ENTERPRISE:
        raise DomainError(CaseError.INVALID, _("Choose where the problem came from"), field="source")
    if category.kind not in kinds_raised_by_hand(source):
        raise DomainError(CaseError.INVALID, _("This category cannot be raised here"), field="category")
    return case_raise(by=by, category=category, source=source, **fields)


@retrying
def case_raise(
    *,
    by,
    category: Category,
    description: str,
    source: Source,
    enterprise=None,
    visit_problem=None,
    symposium=None,
    files=(),
    raised_at: datetime.datetime | None = None,
    grid=None,
    latitude=None,
    longitude=None,
    location: str = "",
) -> Case:
    """登记: a new case, waiting to be assigned, or already with its department where the category routes
    directly (grid incidents). The engine's own entry: people raise cases through case_submit, and grid
    incidents, hazards and alarms through their own services."""
    if enterprise is not None and not scopes.can_see_enterprise(by, enterprise):
        raise DomainError(CaseError.NOT_VISIBLE, _("You may not raise a case for this enterprise"))
    if by.role == Role.ENTERPRISE_CONTACT and (enterprise is None or enterprise.pk != by.enterprise_id):
        raise DomainError(CaseError.NOT_ALLOWED, _("An enterprise raises cases for itself only"))
    if source not in Source.values:
        raise DomainError(CaseError.INVALID, _("Choose where the problem came from"), field="source")
    if category.kind not in kinds_raised(Source(source)):
        raise DomainError(CaseError.INVALID, _("This category cannot be raised here"), field="category")
    if not category.is_active:
        raise DomainError(CaseError.INVALID, _("This category is no longer in use"), field="category")
    description = (description or "").strip()
    if not description:
        raise DomainError(CaseError.INVALID, _("Describe the problem"), field="description")
    if len(description) > 5000:
        raise DomainError(CaseError.INVALID, _("Keep the description under 5,000 characters"), field="description")
    for upload in files:
        problem = attachment_problem(upload)
        if problem:
            raise DomainError(CaseError.INVALID, problem, field="attachments")
    if (latitude is None) != (longitude is None) or (
        latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
    ):
        raise DomainError(CaseError.INVALID, _("The location is not a valid position"), field="location")
    if grid is not None and by.role == Role.GRID_MEMBER and grid.member_id != by.pk:
        raise DomainError(CaseError.NOT_ALLOWED, _("Report incidents in your own grid"), field="grid")
    case = Case.objects.create(
        kind=category.kind,
        category=category,
        enterprise=enterprise,
        park_id=enterprise.park_id if enterprise else getattr(by, "park_id", None),
        description=description,
        source=source,
        visit_problem=visit_problem,
        symposium=symposium,
        reporter=by,
        priority=category.priority,
        created_at=raised_at or timezone.now(),
        grid=grid,
        latitude=latitude,
        longitude=longitude,
        location=location.strip()[:200],
    )
    case.number = f"ZQ{timezone.localtime(case.created_at):%Y}{case.pk:06d}"
    case.save(update_fields=["number"])
    rollup_move(None, contribution(case))
    CaseEvent.objects.create(
        case=case,
        action="raise",
        actor=by,
        actor_part=Actor.REPORTER,
        to_status=Status.PENDING,
        comment=description[:500],
        at=case.created_at,
    )
    for upload in files:
        attachment_store(owner=case, upload=upload, by=by)
    _on_file(case, by, _("%(number)s raised: %(text)s") % {"number": case.number, "text": description[:100]})
    audit_record(actor=by, event=AuditEvent.CREATE, obj=case)
    if category.routes_directly:
        return case_act(case=case, action=Action.ROUTE, by=by)
    _tell_next(case, "raise", by, public=True)
    return case


@retrying
def cases_from_visit(*, by, problems: dict[VisitProblem, Category]) -> list[Case]:
    """A visit's problems become cases, each in the category the officer chose; all or none."""
    cases = []
    for problem, category in problems.items():
        if hasattr(problem, "case"):
            raise DomainError(CaseError.INVALID, _("“%(text)s” is already a case") % {"text": problem.description[:30]})
        cases.append(
            case_submit(
                by=by,
                category=category,
                description=problem.description,
                source=Source.VISIT,
                enterprise=problem.visit.enterprise,
                visit_problem=problem,
            )
        )
    return cases


@retrying
def symposium_record(
    *, by, title: str, held_on: datetime.date, park=None, notes: str = "", problems: list[tuple]
) -> Symposium:
    """座谈会: one record for the meeting and one case per (enterprise, category, problem) raised in it."""
    if by.role not in (Role.ZONE_COORDINATOR, Role.PARK_OFFICER):
        raise DomainError(CaseError.NOT_ALLOWED, _("Symposia are recorded by the zone or park office"))
    if held_on > timezone.localdate():
        raise DomainError(CaseError.INVALID, _("The date cannot be later than today"), field="held_on")
    if not problems:
        raise DomainError(CaseError.INVALID, _("Enter at least one problem raised"), field="problems")
    if by.role == Role.PARK_OFFICER:
        park = by.park
    symposium = Symposium.objects.create(title=title.strip(), held_on=held_on, park=park, notes=notes, recorded_by=by)
    enterprises = {enterprise for enterprise, _category, _text in problems}
    symposium.enterprises.set(enterprises)
    for enterprise, category, text in problems:
        case_submit(
            by=by,
            category=category,
            description=text,
            source=Source.SYMPOSIUM,
            enterprise=enterprise,
            symposium=symposium,
        )
    audit_record(actor=by, event=AuditEvent.CREATE, obj=symposium)
    return symposium


def _today() -> datetime.date:
    return timezone.localdate()


def deadline_set(case: Case, deadline: datetime.date) -> None:
    """The deadline and the day the case turns yellow (80% of its working days used)."""
    case.deadline = deadline
    total = max(workdays_between(case.assigned_on, deadline) - case.paused_workdays, 1)
    case.warn_on = add_workdays(case.assigned_on, math.ceil(total * WARNING_SHARE) + case.paused_workdays)


def _department(value) -> Department:
    if isinstance(value, Department):
        return value
    try:
        return Department.objects.get(pk=value)
    except (Department.DoesNotExist, ValueError, TypeError):
        raise DomainError(CaseError.INVALID, _("Choose a department"), field="department") from None


def _whole_number(details: dict, name: str, default: int, low: int, high: int, message: str, field: str) -> int:
    """A number of days from the page, the API or a caller: anything but a whole number in range is refused."""
    value = details.get(name)
    if value in (None, ""):
        value = default
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, float | bool) or not low <= number <= high:
        raise DomainError(CaseError.INVALID, message, field=field)
    return number


# What each action does beyond moving the status, one handler per action, each returning what the event should
# remember; a module registers the handlers of its own actions (workflow.action_register), as inspections does
# for the hazards' rectification and re-inspection.


def _assign(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    if action == Action.ROUTE:
        if not case.category.routes_directly:
            raise DomainError(CaseError.NOT_ALLOWED, _("This category waits for a coordinator to assign it"))
        details = {}  # the category decides department and deadline
    department = _department(details.get("department") or case.category.department)
    if action == Action.TRANSFER and department.pk == case.lead_department_id:
        raise DomainError(CaseError.INVALID, _("Transfer to another department"), field="department")
    days = _whole_number(
        details, "deadline_workdays", case.category.deadline_workdays, 1, 120,
        _("The deadline must be 1 to 120 working days"), "deadline",
    )  # fmt: skip
    case.lead_department = department
    case.assigned_on = today
    case.paused_workdays = 0
    deadline_set(case, add_workdays(today, days))
    assisting = [_department(d) for d in details.get("assisting", [])]
    case.save()
    case.assisting_departments.set([d for d in assisting if d.pk != department.pk])
    return {
        "department": department.name,
        "deadline": case.deadline.isoformat(),
        "workdays": days,
        "assisting": [d.name for d in assisting],
    }


def _return(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    returned_by = case.lead_department.name if case.lead_department else ""
    case.lead_department, case.deadline, case.warn_on, case.assigned_on = None, None, None, None
    return {"department": returned_by}


def _request_extension(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    days = _whole_number(details, "days", 0, 1, 60, _("Ask for 1 to 60 more working days"), "days")
    if case.pending_extension_days:
        raise DomainError(CaseError.WRONG_STATUS, _("An extension is already waiting for a decision"))
    case.pending_extension_days = days
    return {"days": days}


def _decide_extension(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    if not case.pending_extension_days:
        raise DomainError(CaseError.WRONG_STATUS, _("No extension is waiting for a decision"))
    approved = bool(details.get("approve"))
    days = case.pending_extension_days
    if approved:
        deadline_set(case, add_workdays(case.deadline, days))
    case.pending_extension_days = None
    return {"approved": approved, "days": days, "deadline": case.deadline.isoformat()}


def _suspend(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    case.suspended_on = today
    return {}


def _resume(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    paused = max(workdays_between(case.suspended_on, today), 0)
    case.paused_workdays += paused
    deadline_set(case, add_workdays(case.deadline, paused))
    case.suspended_on = None
    return {"paused_workdays": paused, "deadline": case.deadline.isoformat()}


def _report_result(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    result = details.get("result")
    if result not in Result.values:
        raise DomainError(CaseError.INVALID, _("Say whether the problem was solved"), field="result")
    case.result, case.result_text, case.reported_on = result, comment, today
    return {"result": result}


def case_close(case: Case, today: datetime.date) -> dict:
    """办结: on time when the result was reported by the deadline; the verifier's (or re-inspector's) own delay
    is not held against the department."""
    case.closed_at = timezone.now()
    case.reported_on = case.reported_on or today
    case.closed_on_time = case.reported_on <= case.deadline
    case.handling_workdays = max(workdays_between(case.assigned_on, case.reported_on) - case.paused_workdays, 0)
    return {"on_time": case.closed_on_time, "workdays": case.handling_workdays}


def _verify(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    return case_close(case, today)


def case_rework(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    """Back for another round: the result reported is not accepted."""
    case.rework_count += 1
    case.result = ""
    return {"rework": case.rework_count}


def _rate(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    rating = details.get("rating")
    if rating not in Rating.values:
        raise DomainError(CaseError.INVALID, _("Choose a rating"), field="rating")
    case.rating, case.rating_comment = rating, comment[:500]
    return {"rating": rating}


def _reopen(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    if case.rating != Rating.DISSATISFIED or case.reopened:
        raise DomainError(CaseError.WRONG_STATUS, _("Only a case rated dissatisfied can be reopened, and only once"))
    # a new round of handling, timed from today as after a transfer: the old deadline has long passed
    days = _whole_number(
        details, "deadline_workdays", case.category.deadline_workdays, 1, 120,
        _("The deadline must be 1 to 120 working days"), "deadline",
    )  # fmt: skip
    case.reopened = True
    case.closed_at, case.closed_on_time, case.result, case.handling_workdays = None, None, "", None
    case.assigned_on, case.paused_workdays, case.reported_on, case.suspended_on = today, 0, None, None
    case.pending_extension_days = None
    deadline_set(case, add_workdays(today, days))
    return {"previous_rating": case.rating, "deadline": case.deadline.isoformat(), "workdays": days}


def _merge(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    master = details.get("master")
    if (
        not isinstance(master, Case)
        or master.pk == case.pk
        or not scopes.cases_visible_to(by).filter(pk=master.pk).exists()
    ):
        raise DomainError(CaseError.INVALID, _("Choose the case this one duplicates"), field="master")
    master = Case.objects.get(pk=master.pk)  # as it stands now, under the lock case_act took
    if master.status not in MERGEABLE_INTO:
        raise DomainError(
            CaseError.INVALID, _("A case can be merged only into one still being handled"), field="master"
        )
    case.master = master
    return {"master": master.number}


def _supervise(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    days = _whole_number(
        details, "reply_workdays", 3, 1, 20, _("The reply is due in 1 to 20 working days"), "reply_workdays"
    )
    notice = SupervisionNotice.objects.create(
        number=f"pending-{case.pk}-{case.version}",
        case=case,
        department=case.lead_department,
        requirement=comment,
        reply_due=add_workdays(today, days),
        issued_by=by,
    )
    notice.number = _("Supervision [%(year)s] No. %(n)s") % {"year": today.year, "n": notice.pk}
    notice.save(update_fields=["number"])
    return {"notice": notice.pk, "number": notice.number, "reply_due": notice.reply_due.isoformat()}


def _reply_supervision(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    notice = case.supervision_notices.filter(replied_at__isnull=True).order_by("issued_at").first()
    if notice is None:
        raise DomainError(CaseError.WRONG_STATUS, _("No supervision notice is waiting for a reply"))
    notice.reply, notice.replied_by, notice.replied_at = comment, by, timezone.now()
    notice.save(update_fields=["reply", "replied_by", "replied_at"])
    return {"notice": notice.pk, "number": notice.number}


def _records_only(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    return {}


for _action, _effect in {
    Action.ASSIGN: _assign, Action.ROUTE: _assign, Action.TRANSFER: _assign, Action.RETURN: _return,
    Action.REQUEST_EXTENSION: _request_extension, Action.DECIDE_EXTENSION: _decide_extension,
    Action.SUSPEND: _suspend, Action.RESUME: _resume, Action.REPORT_RESULT: _report_result, Action.VERIFY: _verify,
    Action.REJECT_RESULT: case_rework, Action.RATE: _rate, Action.REOPEN: _reopen, Action.MERGE: _merge,
    Action.SUPERVISE: _supervise, Action.REPLY_SUPERVISION: _reply_supervision, Action.COMMENT: _records_only,
    Action.ACCEPT: _records_only, Action.WITHDRAW: _records_only,
}.items():  # fmt: skip
    effect_register(_action, _effect)


@retrying
def case_act(
    *,
    case: Case,
    action: Action | str,
    by,
    comment: str = "",
    expected_version: int | None = None,
    public: bool = True,
    files=(),
    **details,
) -> Case:
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise DomainError(CaseError.NOT_ALLOWED, _("Unknown action"))
    master = details.get("master") if transition.action == Action.MERGE else None
    if isinstance(master, Case):
        # both rows, in the order of their ids: A→B and B→A at once queue, and the second finds its case merged
        locked = Case.objects.select_for_update().filter(pk__in=[case.pk, master.pk]).order_by("pk")
        list(locked.values_list("pk", flat=True))
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
    if case.kind not in transition.kinds:
        raise DomainError(CaseError.NOT_ALLOWED, _("This does not apply to a case of this kind"))
    acting_as = transition.actors & parts
    if not acting_as:
        raise DomainError(CaseError.NOT_ALLOWED, _("You may not do this on this case"))
    if transition.barred & parts:
        raise DomainError(
            CaseError.NOT_ALLOWED,
            _("Not by whoever raised the case for the enterprise or reported the result: someone else does this"),
        )
    comment = (comment or "").strip()
    if transition.needs_comment and not comment:
        raise DomainError(CaseError.COMMENT_REQUIRED, _("Please give a reason or description"), field="comment")
    if transition.needs_evidence and not files:
        raise DomainError(CaseError.INVALID, _("Attach photos or documents as evidence"), field="attachments")
    for upload in files:
        problem = attachment_problem(upload)
        if problem:
            raise DomainError(CaseError.INVALID, problem, field="attachments")
    if not public and by.role == Role.ENTERPRISE_CONTACT:
        public = True  # an enterprise's own words are never hidden from it
    before, counted_before, turns_before = case.status, contribution(case), whose_turn(case)
    remembered = EFFECTS[transition.action](case, transition.action, by, comment, details, _today())
    if Actor.RATING_BY_PHONE in acting_as:
        remembered["by_phone"] = True
    if transition.target is not None:
        case.status = transition.target
    case.version += 1
    case.save()
    rollup_move(counted_before, contribution(case))
    event = CaseEvent.objects.create(
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
    for upload in files:
        attachment_store(owner=event, upload=upload, by=by)
    if transition.action in ON_FILE:
        what = case.get_rating_display() if transition.action == Action.RATE else case.get_result_display()
        _on_file(case, by, f"{case.number} {action_label(transition.action)}：{what}")
    _tell_next(case, transition.action, by, before=turns_before, public=public, comment=comment)
    return case


def enterprise_open_cases(enterprise) -> str | None:
    """An enterprise with cases still open is not deleted (core.deletion asks, registered in apps.py)."""
    ended = {*FINISHED, Status.WITHDRAWN, Status.MERGED}
    open_cases = Case.objects.filter(enterprise=enterprise).exclude(status__in=ended).count()
    if open_cases:
        return _("The enterprise still has %(count)d open cases; finish them first") % {"count": open_cases}
    return None


def reminders_send(*, today: datetime.date | None = None) -> int:
    """What the worker runs: tell the lead department when a case turns yellow and on its last day, the
    coordinators when it is overdue, and the department when a supervision reply falls due. Each reminder
    goes out once per case and deadline, however often this runs."""
    today = today or timezone.localdate()
    running = Case.objects.filter(status__in=CLOCK_RUNNING).select_related("lead_department", "enterprise", "category")
    batches = [
        (ReminderKind.OVERDUE, running.filter(deadline__lt=today), (Actor.COORDINATOR, Actor.LEAD_DEPARTMENT)),
        (ReminderKind.DUE_TODAY, running.filter(deadline=today), (Actor.LEAD_DEPARTMENT,)),
        (
            ReminderKind.WARNING,
            running.filter(warn_on__lte=today, deadline__gt=today),
            (Actor.LEAD_DEPARTMENT,),
        ),
    ]
    titles = {
        ReminderKind.OVERDUE: _("%(number)s is overdue (deadline %(deadline)s)"),
        ReminderKind.DUE_TODAY: _("%(number)s is due today"),
        ReminderKind.WARNING: _("%(number)s: 80%% of the time is used, due %(deadline)s"),
    }
    sent = 0
    for kind, cases, parts in batches:
        already = Reminder.objects.filter(kind=kind, case__in=cases).values("case_id", "deadline")
        done = {(r["case_id"], r["deadline"]) for r in already}
        for case in cases.iterator(chunk_size=500):
            if (case.pk, case.deadline) in done:
                continue
            try:
                with transaction.atomic():
                    Reminder.objects.create(case=case, kind=kind, deadline=case.deadline)
                    people = set()
                    for part in parts:
                        people |= set(people_playing(case, part))
                    notify(
                        people,
                        title=titles[kind] % {"number": case.number, "deadline": case.deadline},
                        body=case.description[:200],
                        url=reverse("case-detail", args=[case.pk]),
                        sms=kind != ReminderKind.WARNING,
                        sms_text=reminder_sms(case, kind),
                    )
            except IntegrityError:  # another worker sent it meanwhile
                continue
            sent += 1
    notices = SupervisionNotice.objects.filter(replied_at__isnull=True, reply_due__lte=today).select_related(
        "case__enterprise", "case__category"
    )
    for notice in notices:
        try:
            with transaction.atomic():
                Reminder.objects.create(case=notice.case, kind=ReminderKind.REPLY_DUE, deadline=notice.reply_due)
                notify(
                    User.objects.filter(
                        is_active=True, role=Role.DEPARTMENT_HANDLER, department_id=notice.department_id
                    ),
                    title=_("Reply to %(number)s is due %(due)s") % {"number": notice.number, "due": notice.reply_due},
                    body=notice.requirement[:200],
                    url=reverse("case-detail", args=[notice.case_id]),
                    sms=True,
                    sms_text=reply_due_sms(notice),
                )
        except IntegrityError:
            continue
        sent += 1
    return sent
