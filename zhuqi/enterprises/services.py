"""Writes to the enterprise registry. Each function checks permission, runs in one transaction,
appends to the enterprise's timeline and to the audit trail."""

import datetime
from enum import Enum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core import scopes
from zhuqi.core.attachments import attachment_problem, attachment_store
from zhuqi.core.audit import audit_record, field_changes
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.core.pinyin import initials

from .credit_code import normalise
from .models import (
    Contact,
    Enterprise,
    OfficerAssignment,
    Qualification,
    TimelineEntry,
    TimelineKind,
    Visit,
    VisitProblem,
)


class EnterpriseError(Enum):
    FORBIDDEN = "forbidden"
    INVALID = "invalid"
    NOT_AN_OFFICER = "not_an_officer"
    FUTURE_VISIT = "future_visit"
    STALE = "stale"


REGISTRY_FIELDS = [
    "credit_code",
    "name",
    "former_names",
    "park",
    "grid",
    "address",
    "industry",
    "industry_detail",
    "scale",
    "headcount",
    "environmental_grade",
    "established_on",
    "serious_breach_on",
    "serious_breach_source",
]
# the 严重失信 mark is the zone office's to set or lift
ZONE_ONLY_FIELDS = ("serious_breach_on", "serious_breach_source")


def _snapshot(enterprise: Enterprise) -> dict:
    data = {name: getattr(enterprise, name) for name in REGISTRY_FIELDS}
    if enterprise.pk:
        data["tags"] = sorted(t.name for t in enterprise.tags.all())
    return data


def _validated(enterprise) -> None:
    """full_clean with a Chinese message; for an enterprise, also against the deleted ones (full_clean only
    looks among the live ones, and the database would refuse a second enterprise with a deleted one's code)."""
    clash = None
    if isinstance(enterprise, Enterprise):  # one query for both fields
        clash = (
            Enterprise.everything.filter(deleted_at__isnull=False)
            .filter(Q(credit_code=enterprise.credit_code) | Q(name=enterprise.name))
            .exclude(pk=enterprise.pk)
            .values_list("credit_code", flat=True)
            .first()
        )
    if clash is not None:
        field = "credit_code" if clash == enterprise.credit_code else "name"
        raise DomainError(
            EnterpriseError.INVALID,
            _("A deleted enterprise has this %(field)s; the zone office can restore it from the recycle bin")
            % {"field": Enterprise._meta.get_field(field).verbose_name},
            field=field,
        )
    try:
        enterprise.full_clean()
    except ValidationError as exc:
        raise DomainError(EnterpriseError.INVALID, "；".join(exc.messages)) from exc


def _breach_checked(enterprise: Enterprise, before: dict, by) -> None:
    """严重失信: only the zone office sets or lifts the mark; a date needs its source, and is not in the future."""
    changed = [n for n in ZONE_ONLY_FIELDS if getattr(enterprise, n) != before.get(n)]
    if not changed:
        return
    if getattr(by, "role", None) != "zone_coordinator":
        raise DomainError(EnterpriseError.FORBIDDEN, _("Only the zone office may set or lift the seriously "
                          "untrustworthy mark"), field=changed[0])  # fmt: skip
    if enterprise.serious_breach_on is None:
        enterprise.serious_breach_source = ""
        return
    if enterprise.serious_breach_on > timezone.localdate():
        raise DomainError(EnterpriseError.INVALID, _("The listing date cannot be in the future"),
                          field="serious_breach_on")  # fmt: skip
    if not enterprise.serious_breach_source.strip():
        raise DomainError(EnterpriseError.INVALID, _("Say where the seriously untrustworthy listing comes from"),
                          field="serious_breach_source")  # fmt: skip


@transaction.atomic
def enterprise_register(*, by, tags=(), contacts=(), **fields) -> Enterprise:
    if not scopes.can_register_enterprises(by):
        raise DomainError(EnterpriseError.FORBIDDEN, _("You may not register enterprises"))
    if by.role == "park_officer" and fields.get("park") != by.park:
        raise DomainError(
            EnterpriseError.FORBIDDEN, _("You can only register enterprises of your own park"), field="park"
        )
    fields["credit_code"] = normalise(fields.get("credit_code", ""))
    enterprise = Enterprise(**fields)
    enterprise.name_initials = initials(enterprise.name)
    _breach_checked(enterprise, {"serious_breach_on": None, "serious_breach_source": ""}, by)
    _validated(enterprise)
    enterprise.save()
    enterprise.tags.set(tags)
    for contact in contacts:
        Contact.objects.create(enterprise=enterprise, **contact)
    TimelineEntry.objects.create(
        enterprise=enterprise, kind=TimelineKind.REGISTERED, actor=by, summary=_("Enterprise file opened")
    )
    audit_record(actor=by, event=AuditEvent.CREATE, obj=enterprise, changes=field_changes({}, _snapshot(enterprise)))
    return enterprise


@transaction.atomic
def enterprise_update(
    *, enterprise: Enterprise, by, tags=None, expected_version: int | None = None, **fields
) -> Enterprise:
    """`expected_version`: the version the editor saw; when someone saved in between, the edit is refused."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if not scopes.can_edit_enterprise(by, enterprise):
        raise DomainError(EnterpriseError.FORBIDDEN, _("You may not change this enterprise's file"))
    if expected_version is not None and expected_version != enterprise.version:
        raise DomainError(
            EnterpriseError.STALE,
            _("Someone else changed this file while you were editing it; reload it and make your changes again"),
        )
    if by.role == "park_officer" and "park" in fields and fields["park"] != by.park:
        raise DomainError(
            EnterpriseError.FORBIDDEN, _("A park officer cannot move an enterprise out of the park"), field="park"
        )
    before = _snapshot(enterprise)
    if "credit_code" in fields:
        fields["credit_code"] = normalise(fields["credit_code"])
    if "name" in fields and fields["name"] != enterprise.name:
        enterprise.former_names = [*enterprise.former_names, enterprise.name]
    for name, value in fields.items():
        setattr(enterprise, name, value)
    enterprise.name_initials = initials(enterprise.name)
    _breach_checked(enterprise, before, by)
    _validated(enterprise)
    enterprise.version += 1
    enterprise.save()
    if tags is not None:
        enterprise.tags.set(tags)
    changes = field_changes(before, _snapshot(enterprise))
    if changes:
        labels = [str(Enterprise._meta.get_field(n).verbose_name) for n in changes]
        TimelineEntry.objects.create(
            enterprise=enterprise,
            kind=TimelineKind.UPDATED,
            actor=by,
            summary=_("Changed: %(fields)s") % {"fields": "、".join(labels)},
            details=changes,
        )
        audit_record(actor=by, event=AuditEvent.UPDATE, obj=enterprise, changes=changes)
    return enterprise


@transaction.atomic
def enterprise_assign_officer(*, enterprise: Enterprise, officer, by, reason: str = "") -> Enterprise:
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if not scopes.can_edit_enterprise(by, enterprise):
        raise DomainError(EnterpriseError.FORBIDDEN, _("You may not assign this enterprise's chief service officer"))
    if officer is not None and not scopes.officers_assignable_by(by).filter(pk=officer.pk).exists():
        raise DomainError(
            EnterpriseError.NOT_AN_OFFICER,
            _("%(name)s cannot be assigned as chief service officer") % {"name": officer},
            field="officer",
        )
    previous = enterprise.service_officer
    if previous == officer:
        return enterprise
    enterprise.service_officer = officer
    enterprise.save(update_fields=["service_officer", "updated_at"])
    OfficerAssignment.objects.create(enterprise=enterprise, officer=officer, assigned_by=by, reason=reason)
    summary = _("Chief service officer changed from %(old)s to %(new)s") % {
        "old": previous or _("(none)"),
        "new": officer or _("(none)"),
    }
    TimelineEntry.objects.create(
        enterprise=enterprise,
        kind=TimelineKind.OFFICER_CHANGED,
        actor=by,
        summary=summary,
        details={"reason": reason},
    )
    audit_record(
        actor=by,
        event=AuditEvent.UPDATE,
        obj=enterprise,
        changes={"service_officer": [str(previous or ""), str(officer or "")]},
    )
    return enterprise


@transaction.atomic
def contact_add(
    *, enterprise: Enterprise, by, name: str, phone: str = "", title: str = "", is_primary: bool = False
) -> Contact:
    if not scopes.can_edit_enterprise(by, enterprise):
        raise DomainError(EnterpriseError.FORBIDDEN, _("You may not change this enterprise's file"))
    contact = Contact(enterprise=enterprise, name=name, phone=phone, title=title, is_primary=is_primary)
    _validated(contact)
    if is_primary:
        enterprise.contacts.update(is_primary=False)
    contact.save()
    audit_record(actor=by, event=AuditEvent.CREATE, obj=contact, object_repr=f"{enterprise} / {name}")
    return contact


@transaction.atomic
def qualification_add(
    *, enterprise: Enterprise, by, kind: str, certificate_no: str, valid_from: datetime.date, valid_until: datetime.date
) -> Qualification:
    if not scopes.can_edit_enterprise(by, enterprise):
        raise DomainError(EnterpriseError.FORBIDDEN, _("You may not change this enterprise's file"))
    qualification = Qualification(
        enterprise=enterprise,
        kind=kind,
        certificate_no=certificate_no,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    if valid_until < valid_from:
        raise DomainError(
            EnterpriseError.INVALID, _("“Valid until” cannot be earlier than “valid from”"), field="valid_until"
        )
    _validated(qualification)
    qualification.save()
    TimelineEntry.objects.create(
        enterprise=enterprise,
        kind=TimelineKind.QUALIFICATION,
        actor=by,
        summary=_("Recognised as %(kind)s, valid until %(until)s")
        % {"kind": qualification.get_kind_display(), "until": valid_until},
    )
    audit_record(actor=by, event=AuditEvent.CREATE, obj=qualification, object_repr=f"{enterprise} / {qualification}")
    return qualification


@transaction.atomic
def visit_log(
    *,
    enterprise: Enterprise,
    by,
    visited_on: datetime.date,
    topics: str,
    officers=(),
    other_officers: str = "",
    people_met: str = "",
    findings: str = "",
    problems: list[str] = (),
    files=(),
) -> Visit:
    """走访: the visit, the problems raised in it and its photos, all saved or none."""
    if not scopes.can_log_visit(by, enterprise):
        raise DomainError(EnterpriseError.FORBIDDEN, _("You may not log visits to this enterprise"))
    if visited_on > timezone.localdate():
        raise DomainError(
            EnterpriseError.FUTURE_VISIT, _("The visit date cannot be later than today"), field="visited_on"
        )
    for upload in files:
        problem = attachment_problem(upload)
        if problem:
            raise DomainError(EnterpriseError.INVALID, problem, field="attachments")
    officers = list(officers)
    strangers = {o.pk for o in officers} - set(
        scopes.colleagues_of(by).filter(pk__in=[o.pk for o in officers]).values_list("pk", flat=True)
    )
    if strangers:
        raise DomainError(
            EnterpriseError.INVALID, _("Only colleagues of your own unit can be named as present"), field="officers"
        )
    visit = Visit(
        enterprise=enterprise,
        visited_on=visited_on,
        topics=topics.strip(),
        other_officers=other_officers,
        people_met=people_met,
        findings=findings,
        recorded_by=by,
    )
    _validated(visit)
    visit.save()
    visit.officers.set({by, *officers})
    descriptions = [p.strip() for p in problems if p and p.strip()]
    VisitProblem.objects.bulk_create([VisitProblem(visit=visit, description=d) for d in descriptions])
    for upload in files:
        attachment_store(owner=visit, upload=upload, by=by)
    names = "、".join(sorted(str(u) for u in visit.officers.all()))
    summary = _("%(names)s visited: %(topics)s") % {"names": names, "topics": visit.topics[:120]}
    if descriptions:
        summary += _(" (%(n)d problems collected)") % {"n": len(descriptions)}
    TimelineEntry.objects.create(
        enterprise=enterprise,
        kind=TimelineKind.VISIT,
        actor=by,
        summary=summary[:300],
        visit=visit,
        occurred_at=timezone.make_aware(datetime.datetime.combine(visited_on, datetime.time(9, 0))),
    )
    audit_record(actor=by, event=AuditEvent.CREATE, obj=visit)
    return visit


LEDGER_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv")


@transaction.atomic
def ledger_import_start(*, by, upload):
    """Stores an uploaded ledger and starts checking it in the background."""
    from django.conf import settings

    from zhuqi.core.background import run_in_background

    from .ledger import ledger_import_check
    from .models import LedgerImport

    if not scopes.can_import_enterprises(by):
        raise DomainError(EnterpriseError.FORBIDDEN, _("You may not import enterprise ledgers"))
    suffix = "." + upload.name.lower().rsplit(".", 1)[-1] if "." in upload.name else ""
    if suffix not in LEDGER_SUFFIXES:
        raise DomainError(
            EnterpriseError.INVALID,
            _("Please upload the ledger as an Excel workbook (.xlsx or .xls), an OpenDocument sheet (.ods) or CSV"),
            field="file",
        )
    if upload.size > settings.ZHUQI_IMPORT_MAX_BYTES:
        raise DomainError(
            EnterpriseError.INVALID,
            _("The file is over the %(mb)d MB limit") % {"mb": settings.ZHUQI_IMPORT_MAX_BYTES // 1048576},
            field="file",
        )
    job = LedgerImport(original_name=upload.name[:200], uploaded_by=by)
    job.file.save("ledger" + suffix, upload, save=False)
    job.save()
    transaction.on_commit(lambda: run_in_background(ledger_import_check, job_id=job.pk))
    return job


def _queue_step(job, status) -> None:
    from zhuqi.core.background import run_in_background

    from .ledger import ledger_import_check, ledger_import_run
    from .models import LedgerImport

    job.status = status
    job.queued_at = timezone.now()
    job.heartbeat_at = None
    job.done_rows = 0
    job.error = ""
    job.save(update_fields=["status", "queued_at", "heartbeat_at", "done_rows", "error"])
    step = ledger_import_run if status == LedgerImport.Status.IMPORTING else ledger_import_check
    transaction.on_commit(lambda: run_in_background(step, job_id=job.pk))


@transaction.atomic
def ledger_import_confirm(*, job, by):
    from .models import LedgerImport

    job = LedgerImport.objects.select_for_update().get(pk=job.pk)
    if job.uploaded_by_id != by.pk:
        raise DomainError(EnterpriseError.FORBIDDEN, _("You can only confirm ledgers you uploaded yourself"))
    refusal = {
        LedgerImport.Status.CHECKING: _("The ledger is still being checked"),
        LedgerImport.Status.IMPORTING: _("The ledger is already being imported"),
        LedgerImport.Status.IMPORTED: _("This ledger has already been imported"),
        LedgerImport.Status.FAILED: _("The last step failed; retry it first"),
    }.get(job.status)
    if refusal and not job.interrupted():
        raise DomainError(EnterpriseError.INVALID, refusal)
    if job.status == LedgerImport.Status.CHECKED and job.problem_count:
        raise DomainError(EnterpriseError.INVALID, _("The ledger has not passed its check and cannot be imported"))
    if job.interrupted():
        raise DomainError(EnterpriseError.INVALID, _("The last step was interrupted; retry it first"))
    _queue_step(job, LedgerImport.Status.IMPORTING)
    return job


@transaction.atomic
def ledger_import_retry(*, job, by):
    """Starts again a step that failed or was interrupted: the import when the check had passed, else the check.
    Nothing of the earlier attempt was saved, so the retry starts from an unchanged registry."""
    from .models import LedgerImport

    job = LedgerImport.objects.select_for_update().get(pk=job.pk)
    if job.uploaded_by_id != by.pk:
        raise DomainError(EnterpriseError.FORBIDDEN, _("You can only retry ledgers you uploaded yourself"))
    if not (job.status == LedgerImport.Status.FAILED or job.interrupted()):
        raise DomainError(EnterpriseError.INVALID, _("Only a step that failed or was interrupted can be retried"))
    checked = job.valid_rows and not job.problem_count and job.status != LedgerImport.Status.CHECKING
    _queue_step(job, LedgerImport.Status.IMPORTING if checked else LedgerImport.Status.CHECKING)
    return job


ANONYMISED = "（已匿名）"


def people_of_deleted_enterprises_anonymise(model, cutoff, what: str) -> int:
    """Contacts (and the like: `model` has enterprise, name, phone) of enterprises deleted before `cutoff` lose
    name and phone (core.personal.personal_data_purge runs it)."""
    expired = model.objects.filter(enterprise__in=Enterprise.everything.filter(deleted_at__lt=cutoff)).exclude(
        name=ANONYMISED
    )
    done = expired.update(name=ANONYMISED, phone="", phone_hash="")
    if done:
        audit_record(actor=None, actor_username="系统", event=AuditEvent.ANONYMISE,
                     object_type=model._meta.label_lower, detail=f"已删除企业的{what} {done} 人超过保存期限")  # fmt: skip
    return done


def contacts_anonymise_expired(cutoff) -> int:
    return people_of_deleted_enterprises_anonymise(Contact, cutoff, "联系人")
