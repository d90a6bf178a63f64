"""Deleting and restoring the records users never delete for good (enterprises, cases, inspections: whatever the
modules register with core.registry.deletable_register). A deletion hides the record everywhere and can be
undone; both are audited with the reason."""

from enum import Enum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import registry
from .audit import audit_record
from .errors import DomainError
from .models import AuditEvent


class DeletionError(Enum):
    NOT_ALLOWED = "not_allowed"
    IN_USE = "in_use"
    INVALID = "invalid"


def _entry(kind: str) -> registry.Deletable:
    entry = registry.deletables().get(kind)
    if entry is None:
        raise DomainError(DeletionError.INVALID, _("Unknown kind of record"))
    return entry


def _entry_of(obj) -> tuple[str, registry.Deletable | None]:
    for kind, entry in registry.deletables().items():
        if isinstance(obj, entry.model):
            return kind, entry
    return "", None


def deletable_model(kind: str):
    return _entry(kind).model


def kind_label(kind: str):
    return _entry(kind).label


def _may_delete(by) -> None:
    from . import scopes

    if not scopes.can_delete_records(by):
        raise DomainError(DeletionError.NOT_ALLOWED, _("Only the zone office deletes and restores records"))


def _still_needed(kind: str, obj) -> str | None:
    for guard in registry.deletion_guards(kind):
        problem = guard(obj)
        if problem:
            return problem
    return None


@transaction.atomic
def record_delete(obj, *, by, reason: str):
    _may_delete(by)
    reason = reason.strip()
    if not reason:
        raise DomainError(DeletionError.INVALID, _("Give the reason for deleting it"), field="reason")
    kind, entry = _entry_of(obj)
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    problem = _still_needed(kind, obj)
    if problem:
        raise DomainError(DeletionError.IN_USE, problem)
    obj.deleted_at, obj.deleted_by, obj.deletion_reason = timezone.now(), by, reason[:200]
    obj.save(update_fields=["deleted_at", "deleted_by", "deletion_reason"])
    if entry is not None and entry.deleted is not None:
        entry.deleted(obj)
    audit_record(actor=by, event=AuditEvent.DELETE, obj=obj, detail=reason)
    return obj


@transaction.atomic
def record_restore(obj, *, by):
    _may_delete(by)
    _kind, entry = _entry_of(obj)
    obj = type(obj).everything.select_for_update().get(pk=obj.pk)
    if obj.deleted_at is None:
        return obj
    obj.deleted_at, obj.deleted_by, obj.deletion_reason = None, None, ""
    obj.save(update_fields=["deleted_at", "deleted_by", "deletion_reason"])
    if entry is not None and entry.restored is not None:
        entry.restored(obj)
    audit_record(actor=by, event=AuditEvent.UNDELETE, obj=obj)
    return obj


def deleted_records(by) -> dict[str, list]:
    """The recycle bin: what was deleted, newest first, by kind."""
    _may_delete(by)
    return {
        kind: list(
            entry.model.everything.filter(deleted_at__isnull=False)
            .select_related("deleted_by", *entry.shown_with)
            .order_by("-deleted_at")[:200]
        )
        for kind, entry in registry.deletables().items()
    }
