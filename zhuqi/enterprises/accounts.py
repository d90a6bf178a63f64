"""企业账号开通: the zone office opens its enterprises' accounts in bulk from the registry, each for the firm's
contact with a mobile, who sets the password by the one-time link (accounts.provisioning)."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from zhuqi.accounts.provisioning import invite_send, require_role
from zhuqi.core.audit import audit_record
from zhuqi.core.models import AuditEvent
from zhuqi.org.models import Role

from .models import Enterprise

User = get_user_model()


def enterprises_without_account():
    has_account = User.objects.filter(enterprise=OuterRef("pk"), role=Role.ENTERPRISE_CONTACT, is_active=True)
    return (
        Enterprise.objects.alias(has=Exists(has_account)).filter(has=False)
        .select_related("park").prefetch_related("contacts").order_by("park__sort_order", "name")
    )  # fmt: skip


@dataclass
class BulkOpening:
    opened: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (enterprise, reason)


def enterprise_accounts_open(*, by, enterprises) -> BulkOpening:
    """企业账号开通: for each enterprise without an account, one for its primary contact (enterprise contact role
    only), named by the firm's credit code; the contact gets the one-time link by SMS. Each firm on its own, so
    one without a contact does not hold up the rest."""
    require_role(by, Role.ZONE_COORDINATOR)
    result = BulkOpening()
    for enterprise in enterprises.prefetch_related("contacts"):
        if User.objects.filter(enterprise=enterprise, role=Role.ENTERPRISE_CONTACT, is_active=True).exists():
            result.skipped.append((enterprise, _("already has an account")))
            continue
        contact = next((c for c in enterprise.contacts.all() if c.phone), None)
        if contact is None:
            result.skipped.append((enterprise, _("no contact with a mobile")))
            continue
        if User.objects.filter(username__iexact=enterprise.credit_code).exists():
            result.skipped.append((enterprise, _("an account with its credit code exists (disabled)")))
            continue
        with transaction.atomic():
            user = User(
                username=enterprise.credit_code, full_name=contact.name, role=Role.ENTERPRISE_CONTACT,
                enterprise=enterprise, phone=contact.phone,
            )  # fmt: skip
            user.set_unusable_password()
            user.save()
            audit_record(
                actor=by, event=AuditEvent.CREATE, obj=user,
                changes={"role": [None, Role.ENTERPRISE_CONTACT], "unit": [None, enterprise.name]},
            )  # fmt: skip
            invite_send(user, by=by, opened=True)
        result.opened.append(user)
    return result
