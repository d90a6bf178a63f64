"""Opening and keeping accounts from the pages, with 三员分立 kept: the system administrator opens accounts (with
a business role, never an administrator's), disables them, sends a new password link, unlocks them and moves
them to another unit of the same kind; roles change only through services.role_change, by the security
administrator (the zone office opens its enterprises' accounts in bulk: enterprises.accounts). Nobody is handed a password: the person gets a one-time link to set their own. Every action
is in the audit trail."""

import datetime
import hashlib
import secrets
from enum import Enum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core import registry
from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.core.sms_text import SIGNATURE, SMS_LIMIT, firm_short
from zhuqi.org.models import ADMIN_ROLES, Role

from .models import AccountInvite
from .services import UNIT_OF_ROLE, account_disable, sessions_end

INVITE_DAYS = 3
User = get_user_model()


class ProvisioningError(Enum):
    NOT_ALLOWED = "not_allowed"
    INVALID = "invalid"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def require_role(by, role: Role):
    if not (by and by.is_authenticated and by.is_active and by.role == role):
        raise DomainError(ProvisioningError.NOT_ALLOWED, _("You may not keep accounts"))


def invite_send(user, *, by, opened: bool) -> str:
    """A new one-time link (earlier unused ones stop working), sent by SMS to the phone, else by email."""
    AccountInvite.objects.filter(user=user, used_at__isnull=True).update(expires_at=timezone.now())
    token = secrets.token_urlsafe(9)
    AccountInvite.objects.create(
        user=user, token_hash=_hash(token), created_by=by,
        expires_at=timezone.now() + datetime.timedelta(days=INVITE_DAYS),
    )  # fmt: skip
    link = f"{settings.ZHUQI_SITE_URL}{reverse('account-invite', args=[token])}"
    who = firm_short(user.enterprise.name) if user.enterprise_id else user.full_name
    what = "账号已开通" if opened else "密码已重置"
    fixed = f"{what}，{INVITE_DAYS}日内点链接设密码："
    room = SMS_LIMIT - len(SIGNATURE) - len(fixed) - len(link)
    text = f"{SIGNATURE}{who[: max(room, 2)]}{fixed}{link}"  # the link is never cut, even past one message
    registry.selector("outbox.write")(  # the notifications app's outbox, registered from its ready()
        phones=[user.phone] if user.phone else [],
        emails=[user.email] if user.email and not user.phone else [],
        subject=_("Set your Zhuqi password"),
        body=_("Open this link within %(days)d days to set your password: %(link)s")
        % {"days": INVITE_DAYS, "link": link},
        sms_text=text,
    )
    return token


def _unit_fields(role, *, department=None, park=None, enterprise=None) -> dict:
    unit = UNIT_OF_ROLE.get(role)
    given = {"department": department, "park": park, "enterprise": enterprise}
    if unit and given[unit] is None:
        raise DomainError(ProvisioningError.INVALID, _("Choose the unit this role works for"), field=unit)
    return {name: (value if name == unit else None) for name, value in given.items()}


@transaction.atomic
def account_open(
    *, by, username: str, full_name: str, role: str, phone: str = "", email: str = "",
    department=None, park=None, enterprise=None,
) -> tuple:  # fmt: skip
    """The system administrator opens an account with a business role; the person sets the password."""
    require_role(by, Role.SYSTEM_ADMIN)
    if role in ADMIN_ROLES or role not in Role.values:
        raise DomainError(
            ProvisioningError.INVALID, _("Administrators' roles are given by the security administrator"), field="role"
        )
    username = (username or "").strip()
    if not username or User.objects.filter(username__iexact=username).exists():
        raise DomainError(ProvisioningError.INVALID, _("This account name is taken"), field="username")
    if not (phone or email):
        raise DomainError(
            ProvisioningError.INVALID, _("Give a mobile or an email for the password link"), field="phone"
        )
    user = User(username=username, full_name=full_name.strip(), role=role, phone=phone, email=email,
                **_unit_fields(role, department=department, park=park, enterprise=enterprise))  # fmt: skip
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=by, event=AuditEvent.CREATE, obj=user, changes={"role": [None, role], "unit": [None, user.unit_name]}
    )
    return user, invite_send(user, by=by, opened=True)


@transaction.atomic
def account_password_reset(*, user, by) -> str:
    """The old password stops working at once and every session ends; the person sets a new one by the link."""
    require_role(by, Role.SYSTEM_ADMIN)
    if user.role in ADMIN_ROLES and user.pk != by.pk:
        raise DomainError(
            ProvisioningError.NOT_ALLOWED, _("Administrators' passwords are reset by the security administrator")
        )
    user.set_unusable_password()
    user.save(update_fields=["password", "password_changed_at"])
    sessions_end(user)
    audit_record(actor=by, event=AuditEvent.PASSWORD_CHANGE, obj=user, detail="reset by the system administrator")
    return invite_send(user, by=by, opened=False)


def account_close(*, user, by, reason: str) -> None:
    require_role(by, Role.SYSTEM_ADMIN)
    if user.pk == by.pk:
        raise DomainError(ProvisioningError.NOT_ALLOWED, _("Nobody disables their own account"))
    account_disable(user, by=by, reason=reason or _("Disabled by the system administrator"))


@transaction.atomic
def account_reopen(*, user, by) -> None:
    require_role(by, Role.SYSTEM_ADMIN)
    user.is_active = True
    user.last_login = timezone.now()  # not idle again at the next sweep
    user.save(update_fields=["is_active", "last_login"])
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=user, changes={"is_active": [False, True]})


def account_unlock(*, user, by) -> int:
    """Lifts a lockout (django-axes) before it runs out."""
    from axes.utils import reset

    if not (by and by.is_active and by.role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)):
        raise DomainError(ProvisioningError.NOT_ALLOWED, _("You may not keep accounts"))
    lifted = reset(username=user.username)
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=user, detail=f"unlocked ({lifted} lockout records)")
    return lifted


@transaction.atomic
def account_move(*, user, by, department=None, park=None, enterprise=None) -> None:
    """To another unit of the kind its role works for; another kind of unit is another role (the security
    administrator's). The person's sessions end, so the new unit's data shows from the next login."""
    require_role(by, Role.SYSTEM_ADMIN)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.role not in UNIT_OF_ROLE:
        raise DomainError(ProvisioningError.INVALID, _("This role works for no particular unit"))
    before = user.unit_name
    for name, value in _unit_fields(user.role, department=department, park=park, enterprise=enterprise).items():
        setattr(user, name, value)
    user.save(update_fields=["department", "park", "enterprise"])
    sessions_end(user)
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=user, changes={"unit": [before, user.unit_name]})


def invite_user(token: str):
    """The account a one-time link opens, or None (unknown, used, expired)."""
    invite = (
        AccountInvite.objects.filter(token_hash=_hash(token or ""), used_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("user").first()
    )  # fmt: skip
    return invite


@transaction.atomic
def invite_use(*, invite: AccountInvite, password: str) -> None:
    invite = AccountInvite.objects.select_for_update().select_related("user").get(pk=invite.pk)
    if invite.used_at or invite.expires_at <= timezone.now():
        raise DomainError(ProvisioningError.INVALID, _("This link has been used or has expired"))
    user = invite.user
    user.set_password(password)
    user.save(update_fields=["password", "password_changed_at"])
    invite.used_at = timezone.now()
    invite.save(update_fields=["used_at"])
    audit_record(actor=None, actor_username=user.username, event=AuditEvent.PASSWORD_CHANGE, obj=user,
                 detail="set by the one-time link")  # fmt: skip
