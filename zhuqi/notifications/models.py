from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuqi.core.fields import EncryptedCharField


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


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """An email or SMS to one recipient, written in the transaction of the change it tells about and delivered by
    the task queue (notifications.outbox), tried again with back-off when the gateway fails."""

    channel = models.CharField(_("Channel"), max_length=10, choices=Channel.choices)
    recipient = EncryptedCharField(_("Recipient"), max_length=254)  # SM4 at rest, like every phone number
    subject = models.CharField(_("Subject"), max_length=200)
    body = models.TextField(_("Message"), blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("Attempts"), default=0)
    # when a waiting message is next due; while one is being sent, when its claim runs out (its sender died)
    next_attempt_at = models.DateTimeField(_("Next attempt"), default=timezone.now)
    last_error = models.TextField(_("Last error"), blank=True)
    created_at = models.DateTimeField(_("Written at"), default=timezone.now)
    sent_at = models.DateTimeField(_("Sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Outgoing message")
        verbose_name_plural = _("Outgoing messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="outbox_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False), name="outbox_sent_has_time"
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} #{self.pk}"
