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
