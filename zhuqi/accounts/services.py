"""Accounts and their sessions: when a password has expired, ending every session of a person, disabling an
account (by an administrator or, when idle too long, by the worker)."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhuqi.core.audit import audit_record
from zhuqi.core.models import AuditEvent
from zhuqi.org.models import Role

from .models import LoginSession


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
