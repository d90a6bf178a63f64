import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification
from .sms import sms_backend

logger = logging.getLogger(__name__)


def notify(recipients, *, title: str, body: str = "", url: str = "", sms: bool = False) -> int:
    """Puts a message in each recipient's inbox now; email (to those with an address) and SMS (when asked,
    to those with a phone) go out once the surrounding transaction commits, so a rolled-back action sends
    nothing."""
    people = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not people:
        return 0
    Notification.objects.bulk_create(
        [Notification(recipient_id=pk, title=title[:120], body=body, url=url) for pk in people]
    )
    emails = [u.email for u in people.values() if u.email]
    phones = [u.phone for u in people.values() if sms and getattr(u, "phone", "")]

    def deliver():
        link = f"{settings.ZHUQI_SITE_URL}{url}" if url else ""
        if emails:
            try:
                send_mail(title, f"{body}\n{link}".strip(), None, emails, fail_silently=False)
            except Exception:  # mail is a copy of the inbox message; its failure must not undo the action
                logger.exception("mail to %s failed", emails)
        backend = sms_backend()
        for phone in phones:
            try:
                backend.send(phone, f"【助企】{title}")
            except Exception:
                logger.exception("SMS to %s failed", phone)

    transaction.on_commit(deliver)
    return len(people)


def notification_open(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
