"""Deleting and restoring the records users never delete for good: enterprises, cases, inspections. A deletion
hides the record everywhere and can be undone; both are audited with the reason."""

from enum import Enum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import audit_record
from .errors import DomainError
from .models import AuditEvent


class DeletionError(Enum):
    NOT_ALLOWED = "not_allowed"
    IN_USE = "in_use"
    INVALID = "invalid"


def _kinds():
    from zhuqi.cases.models import Case
    from zhuqi.enterprises.models import Enterprise
    from zhuqi.inspections.models import Inspection

    return {"enterprise": Enterprise, "case": Case, "inspection": Inspection}


KIND_LABELS = {
    "enterprise": gettext_lazy("Enterprise"), "case": gettext_lazy("Case"), "inspection": gettext_lazy("Inspection"),
}  # fmt: skip


def deletable_model(kind: str):
    model = _kinds().get(kind)
    if model is None:
        raise DomainError(DeletionError.INVALID, _("Unknown kind of record"))
    return model


# What a module keeps about its records beyond the record itself (the case figures' monthly rollup) moves with a
# deletion and a restoration, in the same transaction: each registers its model here from AppConfig.ready().
ON_DELETE: dict[type, tuple] = {}


def deletion_hooks_register(model, *, deleted, restored) -> None:
    ON_DELETE[model] = (deleted, restored)


def _may_delete(by) -> None:
    from . import scopes

    if not scopes.can_delete_records(by):
        raise DomainError(DeletionError.NOT_ALLOWED, _("Only the zone office deletes and restores records"))


def _still_needed(obj) -> str | None:
    from zhuqi.cases.models import Case
    from zhuqi.cases.workflow import FINISHED, Status
    from zhuqi.enterprises.models import Enterprise

    if isinstance(obj, Enterprise):
        ended = {*FINISHED, Status.WITHDRAWN, Status.MERGED}
        open_cases = Case.objects.filter(enterprise=obj).exclude(status__in=ended).count()
        if open_cases:
            return _("The enterprise still has %(count)d open cases; finish them first") % {"count": open_cases}
    return None


@transaction.atomic
def record_delete(obj, *, by, reason: str):
    _may_delete(by)
    reason = reason.strip()
    if not reason:
        raise DomainError(DeletionError.INVALID, _("Give the reason for deleting it"), field="reason")
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    problem = _still_needed(obj)
    if problem:
        raise DomainError(DeletionError.IN_USE, problem)
    obj.deleted_at, obj.deleted_by, obj.deletion_reason = timezone.now(), by, reason[:200]
    obj.save(update_fields=["deleted_at", "deleted_by", "deletion_reason"])
    if type(obj) in ON_DELETE:
        ON_DELETE[type(obj)][0](obj)
    audit_record(actor=by, event=AuditEvent.DELETE, obj=obj, detail=reason)
    return obj


@transaction.atomic
def record_restore(obj, *, by):
    _may_delete(by)
    obj = type(obj).everything.select_for_update().get(pk=obj.pk)
    if obj.deleted_at is None:
        return obj
    obj.deleted_at, obj.deleted_by, obj.deletion_reason = None, None, ""
    obj.save(update_fields=["deleted_at", "deleted_by", "deletion_reason"])
    if type(obj) in ON_DELETE:
        ON_DELETE[type(obj)][1](obj)
    audit_record(actor=by, event=AuditEvent.UNDELETE, obj=obj)
    return obj


def deleted_records(by) -> dict[str, list]:
    """The recycle bin: what was deleted, newest first, by kind."""
    _may_delete(by)
    shown_with = {"inspection": ["enterprise"]}  # what each kind's name is made of (Inspection.__str__)
    return {
        kind: list(
            model.everything.filter(deleted_at__isnull=False)
            .select_related("deleted_by", *shown_with.get(kind, []))
            .order_by("-deleted_at")[:200]
        )
        for kind, model in _kinds().items()
    }
