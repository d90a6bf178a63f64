"""BENCH notice_send: one notice sent to BENCH_NOTICE_FIRMS firms (10,000) on PostgreSQL — the audience resolved,
a receipt per firm, an SMS row per firm in the outbox, the firms' inboxes and files — in one transaction.

  floor = the same receipts and outbox rows, built beforehand in Python, written by one COPY per table
  peer  = the ORM's way: the firms and their contacts read as models, bulk_create of receipts, inbox and timeline
          rows, and the outbox's own outbox_write (each number decrypted and encrypted again)

Each is run three times in a transaction that is rolled back; the median is printed."""

import datetime
import time

from django.db import connection, transaction
from django.utils import timezone

from bench.common import median

PARK = "基准通知园区"


class _Rollback(Exception):
    pass


def _rolled_back(fn) -> float:
    started = time.perf_counter()
    try:
        with transaction.atomic():
            fn()
            raise _Rollback
    except _Rollback:
        pass
    return time.perf_counter() - started


def prepare(firms: int):
    """The park, its firms (each with a primary contact and a phone) and the department's sender, made once."""
    from zhuqi.core.bulk import insert_rows
    from zhuqi.core.roles import Role
    from zhuqi.enterprises.credit_code import make_credit_code
    from zhuqi.enterprises.models import Contact, Enterprise
    from zhuqi.org.models import Department, Park, User

    park, _ = Park.objects.get_or_create(name=PARK)
    department, _ = Department.objects.get_or_create(name="基准应急管理局")
    sender, _ = User.objects.get_or_create(username="bench-notices", defaults={
        "full_name": "基准经办", "role": Role.DEPARTMENT_HANDLER, "department": department})  # fmt: skip
    if Enterprise.objects.filter(park=park).count() != firms:
        Enterprise.everything.filter(park=park).delete()
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        now = timezone.now()
        with transaction.atomic():
            insert_rows(
                Enterprise, ["credit_code", "name", "name_initials"],
                ((make_credit_code(authority="9", kind="1", division="410471",
                                   organisation8="NB" + "".join(alphabet[(n // 31**i) % 31] for i in range(5, -1, -1))),
                  f"基准通知企业{n}有限公司", "JZTZQY") for n in range(firms)),
                constants={"park_id": park.pk, "industry": "C", "scale": "below", "created_at": now, "updated_at": now},
            )  # fmt: skip
            ids = Enterprise.objects.filter(park=park).values_list("pk", flat=True)
            insert_rows(Contact, ["enterprise_id", "name", "phone"],
                        ((pk, "张经理", f"137{pk % 10**8:08d}") for pk in ids), constants={"is_primary": True})  # fmt: skip
    return park, sender


def _draft(park, sender):
    from zhuqi.notices.services import notice_create

    return notice_create(by=sender, title="关于做好节后复工复产安全防范工作的提示", body="请各企业开展节后安全自查。",
                         criteria={"parks": [park.pk]}, requirement="confirm",
                         due_on=timezone.localdate() + datetime.timedelta(days=5))  # fmt: skip


def ours(park, sender) -> float:
    from zhuqi.notices.services import notice_send

    def send():
        notice = _draft(park, sender)
        sent = notice_send(notice=notice, by=sender)
        assert sent.recipient_count == park_firms(park)

    return _rolled_back(send)


def park_firms(park) -> int:
    from zhuqi.enterprises.models import Enterprise

    return Enterprise.objects.filter(park=park).count()


def floor(park, sender) -> float:
    """The receipts and outbox rows ours writes, computed beforehand, written by one COPY each."""
    from zhuqi.enterprises.models import Enterprise

    firms = list(Enterprise.objects.filter(park=park).values_list("pk", flat=True))
    phones = _sealed_phones(park)  # as stored (sealed): the floor encrypts nothing, as ours does not
    now = timezone.now()
    total = 0.0

    def write():
        nonlocal total
        notice = _draft(park, sender)
        started = time.perf_counter()
        raw = connection.cursor().cursor
        with raw.copy("COPY notices_receipt (notice_id, enterprise_id, delivered_at, confirmation) FROM STDIN") as copy:
            for pk in firms:
                copy.write_row((notice.pk, pk, now, ""))
        with raw.copy("COPY notifications_outboxmessage (channel, recipient, subject, body, status, attempts, "
                      "next_attempt_at, last_error, created_at) FROM STDIN") as copy:  # fmt: skip
            for phone in phones:
                copy.write_row(("sms", phone, notice.title, "【助企】短信", "pending", 0, now, "", now))
        total = time.perf_counter() - started

    _rolled_back(write)
    return total


def _sealed_phones(park) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.phone FROM enterprises_contact c JOIN enterprises_enterprise e ON e.id = c.enterprise_id "
                       "WHERE e.park_id = %s AND c.is_primary", [park.pk])  # fmt: skip
        return [row[0] for row in cursor.fetchall()]


def peer(park, sender) -> float:
    """The ORM's way to the same rows."""
    from zhuqi.enterprises.models import Contact, TimelineEntry
    from zhuqi.notices.models import Receipt
    from zhuqi.notices.selectors import audience_resolve
    from zhuqi.notifications.models import Notification
    from zhuqi.notifications.outbox import outbox_write
    from zhuqi.org.models import User

    def send():
        notice = _draft(park, sender)
        now = timezone.now()
        firms = list(audience_resolve(by=sender, criteria=notice.criteria))
        receipts = Receipt.objects.bulk_create([Receipt(notice=notice, enterprise=f, delivered_at=now) for f in firms],
                                               batch_size=2000)  # fmt: skip
        phones = [c.phone for c in Contact.objects.filter(enterprise__in=firms, is_primary=True)]
        outbox_write(phones=phones, subject=notice.title, sms_text="【助企】短信")
        users = User.objects.filter(enterprise__in=firms, is_active=True)
        Notification.objects.bulk_create([Notification(recipient=u, title=notice.title) for u in users])
        TimelineEntry.objects.bulk_create([TimelineEntry(enterprise_id=r.enterprise_id, kind="notice", summary=notice.title,
                                                         details={"receipt": r.pk}) for r in receipts], batch_size=2000)  # fmt: skip

    return _rolled_back(send)


def run(*, firms: int) -> str:
    park, sender = prepare(firms)
    ours_s = median([ours(park, sender) for _ in range(3)])
    floor_s = median([floor(park, sender) for _ in range(3)])
    peer_s = median([peer(park, sender) for _ in range(3)])
    return f"BENCH notice_send {ours_s:.2f} s floor={floor_s:.2f} peer={peer_s:.2f}"
