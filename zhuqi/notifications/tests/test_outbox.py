"""The outbox: messages written with the change, delivered by the queue once, retried with back-off when the
gateway fails, given up visibly, and never a whole phone number in a log line or the admin."""

import datetime
import logging
import threading
import time

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from zhuqi.core.tests.together import at_once
from zhuqi.notifications import outbox
from zhuqi.notifications.models import Channel, Notification, OutboxMessage, OutboxStatus
from zhuqi.notifications.services import notify
from zhuqi.notifications.sms import BaseSMSBackend, LoggingSMSBackend, MemorySMSBackend

PHONE = "13812345678"
T0 = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)


class FlakySMSBackend(BaseSMSBackend):
    """Fails its first `failures` sends with an error that repeats the number, as gateways do."""

    failures = 0
    sent: list[tuple[str, str]] = []

    def send(self, phone, text):
        if FlakySMSBackend.failures > 0:
            FlakySMSBackend.failures -= 1
            raise ConnectionError(f"gateway timeout sending to {phone}")
        FlakySMSBackend.sent.append((phone, text))


class SlowSMSBackend(BaseSMSBackend):
    sent: list[str] = []
    lock = threading.Lock()

    def send(self, phone, text):
        time.sleep(0.02)  # long enough for the other sender to look at the same rows meanwhile
        with SlowSMSBackend.lock:
            SlowSMSBackend.sent.append(phone)


@pytest.fixture
def flaky():
    FlakySMSBackend.failures, FlakySMSBackend.sent = 0, []
    with override_settings(ZHUQI_SMS_BACKEND="zhuqi.notifications.tests.test_outbox.FlakySMSBackend"):
        yield FlakySMSBackend


def an_sms(**fields):
    return OutboxMessage.objects.create(channel=Channel.SMS, recipient=PHONE, subject="ZQ1 已超期",
                                        body="【助企】ZQ1 已超期", next_attempt_at=T0, **fields)  # fmt: skip


def test_notify_writes_inbox_and_outbox_in_one_transaction_and_a_rollback_leaves_neither(zone):
    person = zone.users["department"]
    person.email, person.phone = "yingji@example.gov.cn", PHONE
    person.save()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        notify([person], title="ZQ1 已超期", body="请尽快办理", url="/cases/1/", sms=True)
        assert OutboxMessage.objects.count() == 2
        1 / 0  # noqa: B018
    assert not OutboxMessage.objects.exists() and not Notification.objects.exists()


def test_the_queue_delivers_the_messages_once_their_transaction_commits(zone, django_capture_on_commit_callbacks):
    MemorySMSBackend.outbox.clear()
    person = zone.users["department"]
    person.email, person.phone = "yingji@example.gov.cn", PHONE
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([person], title="ZQ1 已超期", body="请尽快办理", url="/cases/1/", sms=True)
        assert mail.outbox == [] and MemorySMSBackend.outbox == []  # nothing leaves before the commit
    assert [m.to for m in mail.outbox] == [["yingji@example.gov.cn"]] and "/cases/1/" in mail.outbox[0].body
    assert MemorySMSBackend.outbox == [(PHONE, "【助企】ZQ1 已超期")]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert outbox.outbox_deliver() == {"sent": 0, "retry": 0, "failed": 0}  # sent once


def test_each_email_recipient_gets_a_message_of_their_own(zone):
    people = [zone.users["department"], zone.users["coordinator"]]
    for n, person in enumerate(people):
        person.email = f"p{n}@example.gov.cn"
        person.save()
    notify(people, title="ZQ1 已超期")
    outbox.outbox_deliver()
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.gov.cn", "p1@example.gov.cn"]
    assert all(len(m.to) == 1 for m in mail.outbox)


def test_a_failing_gateway_is_retried_with_back_off_and_the_message_sent_once(db, flaky):
    flaky.failures = 2
    message = an_sms()
    assert outbox.outbox_deliver(now=T0) == {"sent": 0, "retry": 1, "failed": 0}
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    assert message.next_attempt_at == T0 + datetime.timedelta(minutes=1)
    assert outbox.outbox_deliver(now=T0 + datetime.timedelta(seconds=30))["retry"] == 0  # not yet due
    outbox.outbox_deliver(now=T0 + datetime.timedelta(minutes=1))
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at == T0 + datetime.timedelta(minutes=3)
    assert outbox.outbox_deliver(now=T0 + datetime.timedelta(minutes=3))["sent"] == 1
    assert outbox.outbox_deliver(now=T0 + datetime.timedelta(hours=5))["sent"] == 0
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.sent_at and message.attempts == 3
    assert message.last_error == ""
    assert flaky.sent == [(PHONE, "【助企】ZQ1 已超期")]


def test_back_off_doubles_up_to_its_ceiling():
    with override_settings(ZHUQI_OUTBOX_MAX_BACKOFF_MINUTES=60):
        assert [outbox.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 7, 8, 12)] == [1, 2, 4, 8, 60, 60, 60]


@override_settings(ZHUQI_OUTBOX_MAX_ATTEMPTS=2)
def test_a_message_is_given_up_after_its_attempts_with_the_reason_masked(db, flaky, caplog):
    flaky.failures = 5
    message = an_sms()
    outbox.outbox_deliver(now=T0)
    with caplog.at_level(logging.WARNING):
        assert outbox.outbox_deliver(now=T0 + datetime.timedelta(minutes=1))["failed"] == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and message.attempts == 2
    assert "138****5678" in message.last_error and PHONE not in message.last_error
    assert caplog.records and all(PHONE not in r.getMessage() for r in caplog.records)
    assert outbox.outbox_deliver(now=T0 + datetime.timedelta(days=1))["retry"] == 0  # stays given up
    assert outbox.outbox_retry(messages=OutboxMessage.objects.all()) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 0


def test_a_message_claimed_by_one_sender_is_not_sent_by_another_until_the_claim_runs_out(db, flaky):
    an_sms()
    assert len(outbox._claim(T0, 10)) == 1  # a sender took it, and died before saying how it went
    assert outbox.outbox_deliver(now=T0 + datetime.timedelta(minutes=1))["sent"] == 0
    assert outbox.outbox_deliver(now=T0 + outbox.CLAIM)["sent"] == 1
    assert len(flaky.sent) == 1


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_message_once():
    if connection.vendor != "postgresql":
        pytest.skip("two connections at once: PostgreSQL")
    SlowSMSBackend.sent = []
    OutboxMessage.objects.bulk_create(
        [OutboxMessage(channel=Channel.SMS, recipient=f"139{n:08d}", subject="告警", body="告警") for n in range(30)]
    )

    def sender():
        outbox.outbox_deliver(batch=5)
        outbox.outbox_deliver(batch=100)

    with override_settings(ZHUQI_SMS_BACKEND="zhuqi.notifications.tests.test_outbox.SlowSMSBackend"):
        at_once(sender)
    assert sorted(SlowSMSBackend.sent) == [f"139{n:08d}" for n in range(30)]
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 30


def test_the_logging_backend_never_logs_a_whole_number(caplog):
    with caplog.at_level(logging.INFO, logger="zhuqi.sms"):
        LoggingSMSBackend().send(PHONE, "【助企】告警")
    assert "138****5678" in caplog.text and PHONE not in caplog.text


def test_the_phone_number_is_encrypted_in_the_outbox(db):
    message = an_sms()
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipient FROM notifications_outboxmessage WHERE id = %s", [message.pk])
        (stored,) = cursor.fetchone()
    assert PHONE not in stored and OutboxMessage.objects.get().recipient == PHONE


def test_production_refuses_an_sms_backend_that_sends_nothing():
    with override_settings(
        ZHUQI_SMS_STAND_IN_ALLOWED=False, ZHUQI_SMS_BACKEND="zhuqi.notifications.sms.LoggingSMSBackend"
    ):
        errors = [e for e in run_checks() if e.id.startswith("zhuqi.E10")]
    assert [e.id for e in errors] == ["zhuqi.E102"] and "ZHUQI_SMS_BACKEND" in errors[0].msg and "短信" in errors[0].msg
    with override_settings(ZHUQI_SMS_STAND_IN_ALLOWED=False, ZHUQI_SMS_BACKEND="zhuqi.notifications.sms.HttpSMSBackend",
                           ZHUQI_SMS_GATEWAY_URL=""):  # fmt: skip
        assert [e.id for e in run_checks() if e.id.startswith("zhuqi.E10")] == ["zhuqi.E103"]
    with override_settings(ZHUQI_SMS_STAND_IN_ALLOWED=False, ZHUQI_SMS_BACKEND="zhuqi.notifications.sms.HttpSMSBackend",
                           ZHUQI_SMS_GATEWAY_URL="https://sms.example.gov.cn/send"):  # fmt: skip
        assert [e for e in run_checks() if e.id.startswith("zhuqi.E10")] == []


def test_the_system_administrator_sees_failed_messages_without_their_text_or_whole_address(zone, client):
    an_sms(status=OutboxStatus.FAILED, attempts=8, last_error="ConnectionError: gateway timeout")
    OutboxMessage.objects.create(channel=Channel.EMAIL, recipient="liujingli@senyuan.example.com",
                                 subject="森源电气 告警", body="车间温度超限", status=OutboxStatus.FAILED)  # fmt: skip
    client.force_login(zone.users["sysadmin"])
    page = client.get(reverse("admin:notifications_outboxmessage_changelist") + "?status=failed").content.decode()
    assert "138****5678" in page and "l***@senyuan.example.com" in page and "gateway timeout" in page
    assert PHONE not in page and "车间温度超限" not in page and "森源电气" not in page and "liujingli" not in page
    detail = client.get(reverse("admin:notifications_outboxmessage_change", args=[OutboxMessage.objects.last().pk]))
    assert detail.status_code == 200 and PHONE not in detail.content.decode()
    client.force_login(zone.users["security"])
    assert client.get(reverse("admin:notifications_outboxmessage_changelist")).status_code == 403


def test_the_system_administrator_sends_failed_messages_again_from_the_admin(zone, client):
    message = an_sms(status=OutboxStatus.FAILED, attempts=8)
    client.force_login(zone.users["sysadmin"])
    client.post(reverse("admin:notifications_outboxmessage_changelist"),
                {"action": "send_again", "_selected_action": [message.pk]})  # fmt: skip
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.next_attempt_at <= timezone.now()


def test_the_http_gateway_gets_the_number_and_text_and_a_refusal_is_a_failure():
    import json
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from zhuqi.notifications.sms import HttpSMSBackend

    received, answers = [], [200, 503]

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(
                (self.headers["Authorization"], json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            )
            self.send_response(answers.pop(0))
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with override_settings(ZHUQI_SMS_GATEWAY_URL=f"http://127.0.0.1:{server.server_port}/send",
                               ZHUQI_SMS_GATEWAY_TOKEN="t0ken"):  # fmt: skip
            HttpSMSBackend().send(PHONE, "【助企】告警")
            with pytest.raises(OSError):  # urllib's HTTPError: the outbox tries again later
                HttpSMSBackend().send(PHONE, "【助企】告警")
    finally:
        server.shutdown()
    assert received[0] == ("Bearer t0ken", {"phone": PHONE, "text": "【助企】告警"})
