"""Accounts and their sessions: when a password has expired, ending every session of a person, disabling an
account (by an administrator or, when idle too long, by the worker)."""

import datetime
from enum import Enum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.org.models import ADMIN_ROLES, Role

from .models import LoginSession


class AccountError(Enum):
    NOT_ALLOWED = "not_allowed"
    OWN_ROLE = "own_role"
    NO_UNIT = "no_unit"


# the unit a role works for, which the system administrator fills in on the account before the role is given
UNIT_OF_ROLE = {Role.DEPARTMENT_HANDLER: "department", Role.PARK_OFFICER: "park", Role.ENTERPRISE_CONTACT: "enterprise"}


def needs_second_factor(user) -> bool:
    """The three administrators and anyone with the admin's rights log in with a TOTP code too."""
    return user.is_authenticated and (user.role in ADMIN_ROLES or user.is_staff)


def role_change_refusal(user, *, role: str, by) -> tuple[AccountError, str] | None:
    """Why `by` may not give `user` this role, if they may not (checked again under lock by role_change)."""
    if by.role != Role.SECURITY_ADMIN:
        return AccountError.NOT_ALLOWED, _("Only the security administrator gives roles")
    if by.pk == user.pk:
        return AccountError.OWN_ROLE, _("Nobody changes their own role")
    unit = UNIT_OF_ROLE.get(role)
    if unit and getattr(user, f"{unit}_id") is None:
        message = _("This role works for a %(unit)s: the system administrator fills it in on the account first")
        return AccountError.NO_UNIT, message % {"unit": type(user)._meta.get_field(unit).verbose_name}
    return None


@transaction.atomic
def role_change(user, *, role: str, by) -> None:
    """Only the security administrator gives roles, and never to themself; the person's sessions end, so the
    new rights apply from their next login."""
    user = type(user).objects.select_for_update().get(pk=user.pk)
    if user.role == role:
        return
    refusal = role_change_refusal(user, role=role, by=by)
    if refusal:
        raise DomainError(*refusal)
    before, user.role = user.role, role
    user.is_staff = role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)
    user.save(update_fields=["role", "is_staff"])
    audit_record(actor=by, event=AuditEvent.ROLE_CHANGE, obj=user, changes={"role": [before, role]})
    sessions_end(user)


def password_expired(user, now: datetime.datetime | None = None) -> bool:
    """Staff passwords last ZHUQI_PASSWORD_MAX_AGE_DAYS (等保; see docs/security.md for why this departs from
    ASVS); enterprise contacts' do not expire."""
    if not user.is_authenticated or user.role == Role.ENTERPRISE_CONTACT or not user.has_usable_password():
        return False
    age = (now or timezone.now()) - user.password_changed_at
    return age > datetime.timedelta(days=settings.ZHUQI_PASSWORD_MAX_AGE_DAYS)


def session_opened(user, session_key: str, ip_address: str | None) -> None:
    LoginSession.objects.update_or_create(
        session_key=session_key, defaults={"user": user, "ip_address": ip_address, "started_at": timezone.now()}
    )


@transaction.atomic
def sessions_end(user) -> int:
    """Every session of this person ends on the server: a browser still holding one is logged out."""
    keys = list(LoginSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    LoginSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


@transaction.atomic
def account_disable(user, *, by=None, reason: str) -> None:
    """The account can no longer log in and its open sessions end (the post-save signal ends them)."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(actor=by, event=AuditEvent.DISABLE, obj=user, detail=reason, actor_username="系统")


def accounts_disable_idle(now: datetime.datetime | None = None) -> int:
    """Accounts nobody has logged in to for ZHUQI_ACCOUNT_IDLE_DAYS (counted from creation when never used) are
    disabled; the platform's own account, which has no password, is left alone."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.ZHUQI_ACCOUNT_IDLE_DAYS)
    idle = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)  # nobody can log in to it anyway
        .alias(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=cutoff)
    )
    disabled = 0
    for user in idle:
        account_disable(user, reason=f"超过{settings.ZHUQI_ACCOUNT_IDLE_DAYS}天未登录，自动停用")
        disabled += 1
    return disabled


def accounts_anonymise_expired(cutoff) -> int:
    """Accounts disabled and unused since before `cutoff` lose name, phone and e-mail; the account name stays, so
    the audit trail still says who did what (core.personal.personal_data_purge runs it)."""
    gone = (
        get_user_model()
        .objects.filter(is_active=False)
        .exclude(full_name__startswith="已注销")
        .alias(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=cutoff)
    )
    done = 0
    for user in gone:
        user.full_name, user.phone, user.email = f"已注销用户{user.pk}", "", ""
        user.save(update_fields=["full_name", "phone", "phone_hash", "email"])
        audit_record(actor=None, actor_username="系统", event=AuditEvent.ANONYMISE, obj=user, detail="超过保存期限")
        done += 1
    return done
