"""Two clusters on two machines run the reminders at the same moment: each reminder, and each message of it, goes
out once (the Reminder row per case, kind and deadline is unique in the database)."""

import datetime

import pytest
from django.db import connection

from zhuqi.cases import services
from zhuqi.cases.models import Case, Reminder
from zhuqi.core.tests.together import at_once
from zhuqi.notifications.models import Notification, OutboxMessage


@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_at_once_send_each_reminder_once(zone, two_cases):
    if connection.vendor != "postgresql":
        pytest.skip("two connections at once: PostgreSQL")
    for person in zone.users.values():
        person.email = f"{person.username}@example.gov.cn"
        person.save()
    Case.objects.update(warn_on=datetime.date(2026, 11, 18), deadline=datetime.date(2026, 11, 24))
    sent = at_once(lambda: services.reminders_send(today=datetime.date(2026, 11, 25)))
    assert sum(sent) == 2  # two cases overdue, each told about by one of the runs
    assert Reminder.objects.filter(kind="overdue").count() == 2
    told = list(Notification.objects.values_list("recipient__username", "title"))
    assert len(told) == len(set(told))
    mails = list(OutboxMessage.objects.filter(channel="email").values_list("subject", flat=True))
    assert len(mails) == len(told)
