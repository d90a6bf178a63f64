from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhuqi.core.sms_text import sms_fit

from .models import Notification
from .outbox import outbox_write


def notify(recipients, *, title: str, body: str = "", url: str = "", sms: bool = False, sms_text: str = "") -> int:
    """Puts a message in each recipient's inbox, and its email copy (to those with an address) and SMS (when
    asked, to those with a phone: `sms_text`, composed by the caller to say which firm, what and by when within
    one message — see core.sms_text) in the outbox, all in the caller's transaction: a rolled-back action sends
    nothing, a committed one is delivered by the task queue, never by the request or the ingester itself."""
    people = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not people:
        return 0
    link = f"{settings.ZHUQI_SITE_URL}{url}" if url else ""
    with transaction.atomic():
        Notification.objects.bulk_create(
            [Notification(recipient_id=pk, title=title[:120], body=body, url=url) for pk in people]
        )
        outbox_write(
            emails=[u.email for u in people.values() if u.email],
            phones=[u.phone for u in people.values() if sms and getattr(u, "phone", "")],
            subject=title,
            body=f"{body}\n{link}".strip(),
            sms_text=sms_text or sms_fit("{title}", shrink={"title": str(title)}),
        )
    return len(people)


def notification_open(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
