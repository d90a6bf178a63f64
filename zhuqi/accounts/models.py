from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginSession(models.Model):
    """A session opened by a login: the server-side handle by which logging out or disabling an account ends
    every session of that person, not only the one in the browser at hand."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions", verbose_name=_("User")
    )
    session_key = models.CharField(_("Session"), max_length=40, unique=True)
    started_at = models.DateTimeField(_("Started at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("Address"), null=True, blank=True)

    class Meta:
        verbose_name = _("Login session")
        verbose_name_plural = _("Login sessions")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"


class AccountInvite(models.Model):
    """A one-time link to set a password, sent by SMS (or email) when an account is opened or its password reset:
    only its hash is kept; it works once, within ZHUQI_INVITE_DAYS."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invites", verbose_name=_("User")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("Created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("Created by")
    )
    expires_at = models.DateTimeField(_("Expires at"))
    used_at = models.DateTimeField(_("Used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Password link")
        verbose_name_plural = _("Password links")

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
