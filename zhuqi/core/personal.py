"""Unmasking personal data: a whole phone number is shown only on request, to those who may see it, and each
request is recorded in the audit trail (who, when, whose number)."""

from . import registry
from .audit import audit_record
from .models import AuditEvent


def _holders():
    return {kind: holder.model for kind, holder in registry.personal_data().items() if holder.model is not None}


def phone_unmask(*, user, kind: str, pk: int) -> str | None:
    """The whole number, or None when this person may not see it (or the record is not theirs to see)."""
    from zhuqi.core import scopes

    model = _holders().get(kind)
    if model is None:
        return None
    holder = model.objects.select_related("enterprise").filter(pk=pk).first()
    if holder is None or not scopes.enterprises_visible_to(user).filter(pk=holder.enterprise_id).exists():
        return None
    if not scopes.can_see_full_phone(user, holder.enterprise):
        return None
    audit_record(actor=user, event=AuditEvent.VIEW_PERSONAL, obj=holder, detail=f"{holder.enterprise.name} 电话")
    return holder.phone


def phones_unmasked_for_api(*, user, enterprise) -> bool:
    """The API's ?unmask=true: allowed and audited like the page's button."""
    from zhuqi.core import scopes

    if not scopes.can_see_full_phone(user, enterprise):
        return False
    audit_record(actor=user, event=AuditEvent.VIEW_PERSONAL, obj=enterprise, detail="接口：联系人电话")
    return True


def personal_data_purge(now=None) -> dict:
    """Personal data past its keeping period (ZHUQI_PERSONAL_DATA_KEEP_DAYS) is anonymised, run by the worker, in
    one transaction: each holder registered with core.registry.personal_data_register anonymises what it keeps
    (accounts disabled and unused that long lose name, phone and e-mail; contacts and responsible officials of
    enterprises deleted that long ago lose name and phone). The audit trail never held the numbers unmasked."""
    import datetime

    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.ZHUQI_PERSONAL_DATA_KEEP_DAYS)
    with transaction.atomic():
        return {kind: holder.purge(cutoff) for kind, holder in registry.personal_data().items() if holder.purge}


def _encrypted_models():
    """Every model with an encrypted field: (model, its encrypted fields, its blind indexes)."""
    from django.apps import apps

    from .fields import BlindIndexField

    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if getattr(f, "encrypts", False)]
        if fields:
            indexes = [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
            yield model, fields, indexes


def personal_data_rekey(*, batch_size: int = 500) -> dict[str, int]:
    """Rewrites every encrypted value and blind index not yet under the current ZHUQI_DATA_KEY, a batch per
    transaction (rows locked, so an edit meanwhile is not overwritten); rows already current are left alone,
    so it can be run again, or resumed after an interruption. Returns {model label: rows rewritten}."""
    from django.db import transaction
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from .crypto import blind_index, current_key, key_id_of

    current = current_key().id
    done = {}
    for model, fields, indexes in _encrypted_models():
        rows = model._base_manager
        raw = {f"raw_{f.attname}": Cast(f.attname, output_field=TextField()) for f in fields}
        after, rewritten = 0, 0
        while True:
            with transaction.atomic():
                batch = list(rows.select_for_update().filter(pk__gt=after).order_by("pk").annotate(**raw)[:batch_size])
                stale = [
                    row
                    for row in batch
                    if any(getattr(row, f"raw_{f.attname}") and key_id_of(getattr(row, f"raw_{f.attname}")) != current
                           for f in fields)
                    or any(getattr(row, i.attname) != blind_index(getattr(row, i.source) or "") for i in indexes)
                ]  # fmt: skip
                for row in stale:
                    for index in indexes:
                        setattr(row, index.attname, blind_index(getattr(row, index.source) or ""))
                if stale:
                    rows.bulk_update(stale, [f.attname for f in fields] + [i.attname for i in indexes])
            rewritten += len(stale)
            if len(batch) < batch_size:
                break
            after = batch[-1].pk
        if rewritten:
            audit_record(
                actor=None, actor_username="manage.py", event=AuditEvent.UPDATE, object_type=model._meta.label_lower,
                detail=f"个人信息改用当前密钥（{current}）重新加密 {rewritten} 条",
            )  # fmt: skip
        done[model._meta.label_lower] = rewritten
    return done
