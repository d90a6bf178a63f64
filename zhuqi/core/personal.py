"""Unmasking personal data: a whole phone number is shown only on request, to those who may see it, and each
request is recorded in the audit trail (who, when, whose number)."""

from .audit import audit_record
from .models import AuditEvent


def _holders():
    from zhuqi.enterprises.models import Contact
    from zhuqi.inspections.models import ResponsibleOfficial

    return {"contact": Contact, "official": ResponsibleOfficial}


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
    """Personal data past its keeping period (ZHUQI_PERSONAL_DATA_KEEP_DAYS) is anonymised, run by the worker:
    accounts disabled and unused that long lose name, phone and e-mail (the account name stays, so the audit
    trail still says who did what); contacts and responsible officials of enterprises deleted that long ago lose
    name and phone. The audit trail never held the numbers unmasked."""
    import datetime

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    from zhuqi.enterprises.models import Contact
    from zhuqi.inspections.models import ResponsibleOfficial

    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.ZHUQI_PERSONAL_DATA_KEEP_DAYS)
    done = {"accounts": 0, "contacts": 0, "officials": 0}
    with transaction.atomic():
        gone = (
            get_user_model()
            .objects.filter(is_active=False)
            .exclude(full_name__startswith="已注销")
            .alias(last_seen=Coalesce("last_login", "date_joined"))
            .filter(last_seen__lt=cutoff)
        )
        for user in gone:
            user.full_name, user.phone, user.email = f"已注销用户{user.pk}", "", ""
            user.save(update_fields=["full_name", "phone", "phone_hash", "email"])
            audit_record(actor=None, actor_username="系统", event=AuditEvent.ANONYMISE, obj=user, detail="超过保存期限")
            done["accounts"] += 1
        for model, key in ((Contact, "contacts"), (ResponsibleOfficial, "officials")):
            expired = model.objects.filter(enterprise__in=_deleted_enterprises_before(cutoff)).exclude(
                name="（已匿名）"
            )
            done[key] = expired.update(name="（已匿名）", phone="", phone_hash="")
        if done["contacts"] or done["officials"]:
            audit_record(actor=None, actor_username="系统", event=AuditEvent.ANONYMISE, object_type="enterprises.contact",
                         detail=f"已删除企业的联系人 {done['contacts']} 人、责任人 {done['officials']} 人超过保存期限")  # fmt: skip
    return done


def _deleted_enterprises_before(cutoff):
    from zhuqi.enterprises.models import Enterprise

    return Enterprise.everything.filter(deleted_at__lt=cutoff)


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
