from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in a person's inbox (站内消息); email and SMS copies go out from the same call."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("Recipient")
    )
    title = models.CharField(_("Title"), max_length=120)
    body = models.TextField(_("Message"), blank=True)
    url = models.CharField(_("Link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("Sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("Read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Notification")
        verbose_name_plural = _("Notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
        ]

    def __str__(self):
        return self.title
