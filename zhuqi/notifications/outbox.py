"""The outbox: every email and SMS is a row written in the transaction of the change it tells about, and only the
task queue talks to the mail server and the SMS gateway, so no request and no MQTT message waits for them.

A message is sent once. A sender claims due rows before sending: on PostgreSQL it reads them with
SELECT … FOR UPDATE SKIP LOCKED, so two senders take different rows; on every database the claim itself is a
conditional UPDATE (the row must still be as it was read), so of two senders that read the same row only one
claims it. A claim lasts ZHUQI_OUTBOX_CLAIM_MINUTES: if its sender dies, the message is due again after that."""

import datetime
import logging
import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from zhuqi.core.masking import mask_email, mask_phone

from .models import Channel, OutboxMessage, OutboxStatus
from .sms import sms_backend

logger = logging.getLogger(__name__)

CLAIM = datetime.timedelta(minutes=10)  # longer than EMAIL_TIMEOUT and any gateway's timeout
BATCH = 100

_PHONE = re.compile(r"(?<!\d)1\d{10}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def masked(text: str) -> str:
    """Phone numbers and email addresses in a text (a gateway's error) masked, for logs and the admin."""
    text = _PHONE.sub(lambda m: mask_phone(m.group()), text)
    return _EMAIL.sub(lambda m: mask_email(m.group()), text)


def recipient_masked(message: OutboxMessage) -> str:
    return mask_phone(message.recipient) if message.channel == Channel.SMS else mask_email(message.recipient)


def outbox_write(*, emails=(), phones=(), subject: str, body: str = "", sms_text: str = "") -> int:
    """Writes one row per recipient in the caller's transaction; delivery starts once that commits."""
    rows = [
        OutboxMessage(channel=Channel.EMAIL, recipient=address, subject=subject[:200], body=body) for address in emails
    ] + [OutboxMessage(channel=Channel.SMS, recipient=phone, subject=subject[:200], body=sms_text) for phone in phones]
    if not rows:
        return 0
    OutboxMessage.objects.bulk_create(rows)

    def deliver_soon():
        from zhuqi.core.background import run_in_background

        from .tasks import outbox_deliver

        run_in_background(outbox_deliver)

    transaction.on_commit(deliver_soon)
    return len(rows)


def _claim(now: datetime.datetime, batch: int) -> list[OutboxMessage]:
    due = OutboxMessage.objects.filter(
        status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING], next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True)
    claimed = []
    with transaction.atomic():
        for message in due[:batch]:
            taken = OutboxMessage.objects.filter(
                pk=message.pk, status=message.status, next_attempt_at=message.next_attempt_at
            ).update(status=OutboxStatus.SENDING, next_attempt_at=now + CLAIM, attempts=F("attempts") + 1)
            if taken:
                message.attempts += 1
                claimed.append(message)
    return claimed


def _send(message: OutboxMessage) -> None:
    if message.channel == Channel.EMAIL:
        send_mail(message.subject, message.body, None, [message.recipient], fail_silently=False)
    else:
        sms_backend().send(message.recipient, message.body)


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd … failure, at most ZHUQI_OUTBOX_MAX_BACKOFF_MINUTES."""
    return datetime.timedelta(minutes=min(2 ** (attempts - 1), settings.ZHUQI_OUTBOX_MAX_BACKOFF_MINUTES))


def outbox_deliver(*, now: datetime.datetime | None = None, batch: int = BATCH) -> dict:
    """Sends the messages that are due; returns how many were sent, put off and given up."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for message in _claim(now, batch):
        mine = OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING, attempts=message.attempts)
        try:
            _send(message)
        except Exception as error:  # the gateway's failure is the message's, recorded on it; the others go on
            reason = masked(f"{type(error).__name__}: {error}")[:1000]
            if message.attempts >= settings.ZHUQI_OUTBOX_MAX_ATTEMPTS:
                mine.update(status=OutboxStatus.FAILED, last_error=reason)
                counts["failed"] += 1
                logger.error("%s to %s given up after %d attempts: %s", message.channel, recipient_masked(message),
                             message.attempts, reason)  # fmt: skip
            else:
                mine.update(status=OutboxStatus.PENDING, next_attempt_at=now + backoff(message.attempts),
                            last_error=reason)  # fmt: skip
                counts["retry"] += 1
                logger.warning("%s to %s failed (attempt %d): %s", message.channel, recipient_masked(message),
                               message.attempts, reason)  # fmt: skip
            continue
        mine.update(status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="")
        counts["sent"] += 1
    return counts


def outbox_retry(*, messages) -> int:
    """The system administrator sends failed messages again (after the gateway was mended)."""
    return messages.filter(status=OutboxStatus.FAILED).update(
        status=OutboxStatus.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
