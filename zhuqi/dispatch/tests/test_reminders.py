"""Past the cut-off, each target firm without a report for the day gets one reminder through the outbox, however
often the task runs; the firms land on their service officer's list."""

import datetime

import pytest

from zhuqi.core import registry
from zhuqi.dispatch import selectors, services
from zhuqi.dispatch.models import DispatchReminder
from zhuqi.enterprises.tests.factories import ContactFactory
from zhuqi.notifications.models import Notification, OutboxMessage

from .conftest import FIRST_DAY, at, values

pytestmark = pytest.mark.django_db


@pytest.fixture
def morning(dispatch):
    """森源 (enterprise A) reports at 08:30; the other three do not. Enterprise B has an account with a phone, B2
    only a contact in the registry, A2 neither."""
    account = dispatch.users["enterprise_b"]
    account.phone = "13900000002"
    account.save()
    ContactFactory(enterprise=dispatch.b2, name="孙经理", phone="13900000003")
    services.report_submit(by=dispatch.users["enterprise_a"], period=dispatch.period, enterprise=dispatch.enterprise_a,
                           values=values(), now=at(FIRST_DAY, 8, 30))  # fmt: skip
    return dispatch


def sms_to(phone):
    return [m for m in OutboxMessage.objects.filter(channel="sms") if m.recipient == phone]


def test_nobody_is_reminded_before_the_cut_off(morning):
    assert services.reminders_send(now=at(FIRST_DAY, 8, 59)) == 0
    assert not DispatchReminder.objects.exists()


def test_after_the_cut_off_each_silent_firm_gets_one_reminder_however_often_the_task_runs(morning):
    assert services.reminders_send(now=at(FIRST_DAY, 9, 5)) == 3
    for later in (at(FIRST_DAY, 9, 10), at(FIRST_DAY, 15, 0), at(FIRST_DAY, 23, 59)):
        assert services.reminders_send(now=later) == 0
    reminded = set(DispatchReminder.objects.values_list("target__enterprise_id", flat=True))
    assert reminded == {morning.a2.pk, morning.enterprise_b.pk, morning.b2.pk}
    [to_b] = sms_to("13900000002")  # the firm's account: its inbox and its phone
    assert to_b.body == "【助企】君易安商贸尚未报送节后复工调度2月23日每日调度，请尽快登录助企平台填报。"
    assert (
        Notification.objects.get(recipient=morning.users["enterprise_b"]).url
        == f"/dispatch/{morning.period.pk}/report/"
    )
    assert len(sms_to("13900000003")) == 1  # no account: the registry's contact by SMS
    assert not Notification.objects.filter(recipient=morning.users["enterprise_a"]).exists()


def test_the_next_day_a_firm_still_silent_is_reminded_again_once(morning):
    services.reminders_send(now=at(FIRST_DAY, 9, 5))
    next_day = FIRST_DAY + datetime.timedelta(days=1)
    assert services.reminders_send(now=at(next_day, 9, 1)) == 4
    assert services.reminders_send(now=at(next_day, 12, 0)) == 0
    assert len(sms_to("13900000002")) == 2


def test_a_closed_period_reminds_nobody(morning):
    services.period_close(by=morning.users["coordinator"], period=morning.period)
    assert services.reminders_send(now=at(FIRST_DAY, 9, 5)) == 0


def test_the_silent_firms_are_on_their_service_officers_list_once_the_cut_off_has_passed(morning):
    before = selectors.missing_for_officer(officer=morning.users["officer_b"], now=at(FIRST_DAY, 8, 59))
    assert before == []
    after = selectors.missing_for_officer(officer=morning.users["officer_b"], now=at(FIRST_DAY, 9, 1))
    assert [t.enterprise for t in after] == [morning.b2, morning.enterprise_b]  # in the order of their names
    mine = selectors.missing_for_officer(officer=morning.users["officer_a"], now=at(FIRST_DAY, 9, 1))
    assert [t.enterprise for t in mine] == [morning.a2]  # 森源 reported


def test_the_cut_off_list_of_the_day_names_every_silent_firm_the_user_sees(morning):
    listed = selectors.targets_not_reported(user=morning.users["coordinator"], period=morning.period, day=FIRST_DAY)
    assert {t.enterprise for t in listed} == {morning.a2, morning.enterprise_b, morning.b2}
    park_a = selectors.targets_not_reported(user=morning.users["officer_a"], period=morning.period, day=FIRST_DAY)
    assert [t.enterprise for t in park_a] == [morning.a2]


def test_the_reminder_is_a_scheduled_task():
    assert "dispatch.tasks.reminders_send" in {t.name for t in registry.periodic_tasks()}
