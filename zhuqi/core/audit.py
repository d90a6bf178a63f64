"""Writing the audit trail. Services call audit_record() inside their own transaction."""

from django.db import models

from .context import current_ip
from .models import AuditEvent, AuditRecord


def _jsonable(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def field_changes(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value differs."""
    return {
        name: [_jsonable(before.get(name)), _jsonable(after.get(name))]
        for name in after
        if _jsonable(before.get(name)) != _jsonable(after.get(name))
    }


def audit_record(
    *,
    actor,
    event: AuditEvent,
    obj: models.Model | None = None,
    object_type: str = "",
    object_repr: str = "",
    changes: dict | None = None,
    outcome: str = "success",
    detail: str = "",
    actor_username: str = "",
) -> AuditRecord:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_repr = object_repr or str(obj)[:200]
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditRecord.objects.create(
        actor=actor if authenticated else None,
        actor_username=actor.get_username() if authenticated else actor_username,
        ip_address=current_ip.get(),
        event=event,
        object_type=object_type,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=object_repr[:200],
        changes=changes or {},
        outcome=outcome,
        detail=detail[:500],
    )
