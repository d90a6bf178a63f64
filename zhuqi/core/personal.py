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
