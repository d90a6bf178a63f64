"""A session's invitations go through the outbox; people sign in on their phones by naming their firm (an
unknown firm and a second sign-in refused); the absent invited firms are followed up once; attendance is on the
firm's file."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from zhuqi.core.errors import DomainError
from zhuqi.enterprises.selectors import enterprise_timeline
from zhuqi.notices import selectors, training
from zhuqi.notices.models import Attendance, Invitation
from zhuqi.notifications.models import Notification, OutboxMessage

from .helpers import session_today

pytestmark = pytest.mark.django_db


def test_invitations_go_through_the_outbox_and_only_to_the_organisers_firms(zone):
    session = session_today(zone.users["officer_a"])
    invited = training.session_invite(session=session, by=zone.users["officer_a"],
                                      enterprises=[zone.enterprise_a, zone.enterprise_b])  # fmt: skip
    assert invited == 1 and list(Invitation.objects.values_list("enterprise_id", flat=True)) == [zone.enterprise_a.pk]
    sms = OutboxMessage.objects.get(channel="sms")
    assert sms.recipient == "13812345678" and "满负荷生产" in sms.body
    assert Notification.objects.filter(recipient=zone.users["enterprise_a"]).exists()


def test_sign_in_names_the_firm_refuses_an_unknown_firm_and_a_second_sign_in(zone):
    session = session_today(zone.users["officer_a"])
    attendance = training.sign_in(session=session, firm=f" {zone.enterprise_a.name} ", person_name="刘 经理")
    assert attendance.enterprise == zone.enterprise_a and attendance.person_name == "刘经理"
    by_code = training.sign_in(session=session, firm=zone.enterprise_a.credit_code.lower(), person_name="王会计")
    assert by_code.enterprise == zone.enterprise_a
    with pytest.raises(DomainError) as twice:
        training.sign_in(session=session, firm=zone.enterprise_a.name, person_name="刘经理")
    assert twice.value.message == f"{zone.enterprise_a.name}的刘经理已签到"
    with pytest.raises(DomainError) as unknown:
        training.sign_in(session=session, firm="不存在的科技有限公司", person_name="张三")
    assert unknown.value.message.startswith("园区内没有登记这家企业")
    assert Attendance.objects.count() == 2
    entry = enterprise_timeline(user=zone.users["enterprise_a"], enterprise=zone.enterprise_a).get(
        kind="training", details__attendance=attendance.pk
    )
    assert "满负荷生产" in entry.summary
    assert not enterprise_timeline(user=zone.users["enterprise_b"], enterprise=zone.enterprise_a).exists()


def test_sign_in_is_open_only_around_the_sessions_day(zone):
    session = session_today(zone.users["officer_a"])
    with pytest.raises(DomainError):
        training.sign_in(session=session, firm=zone.enterprise_a.name, person_name="刘经理",
                         now=timezone.now() + datetime.timedelta(days=5))  # fmt: skip


def test_the_public_sign_in_page_and_the_satisfaction_question(zone, client):
    session = session_today(zone.users["officer_a"])
    url = reverse("training-sign-in", args=[session.sign_in_token])
    refused = client.post(url, {"firm": "某某公司", "person_name": "张三"})
    assert "园区内没有登记这家企业" in refused.content.decode()
    answer = client.post(url, {"firm": zone.enterprise_a.name, "person_name": "刘经理"}, follow=True)
    assert "已签到" in answer.content.decode()
    client.post(reverse("training-signed-in", args=[session.sign_in_token]), {"satisfaction": 3})
    assert Attendance.objects.get().satisfaction == 3
    assert client.get(reverse("training-sign-in", args=["wrong-token"])).status_code == 404


def test_absent_invited_firms_are_listed_and_followed_up_once(zone):
    officer = zone.users["coordinator"]
    session = session_today(officer)
    training.session_invite(session=session, by=officer, enterprises=[zone.enterprise_a, zone.enterprise_b])
    training.sign_in(session=session, firm=zone.enterprise_a.name, person_name="刘经理")
    overview = selectors.session_overview(session=session)
    assert [i.enterprise for i in overview["absent"]] == [zone.enterprise_b]
    assert (overview["invited"], overview["firms"], overview["people"]) == (2, 1, 1)
    OutboxMessage.objects.all().delete()
    assert training.session_follow_up(session=session, by=officer) == 1
    assert training.session_follow_up(session=session, by=officer) == 0
    assert [m.recipient for m in OutboxMessage.objects.filter(channel="sms")] == ["13987654321"]


def test_figures_count_sessions_firms_and_people_trained(zone):
    session = session_today(zone.users["officer_a"])
    training.sign_in(session=session, firm=zone.enterprise_a.name, person_name="刘经理")
    training.sign_in(session=session, firm=zone.enterprise_a.name, person_name="王会计")
    row = selectors.outreach_figures(user=zone.users["officer_a"])[0]
    assert (row["sessions"], row["firms"], row["people"]) == (1, 1, 2)
    assert selectors.outreach_figures(user=zone.users["officer_b"]) == []


def test_attendees_names_are_personal_data_anonymised_after_the_keeping_period_and_still_counted(zone):
    from zhuqi.core import registry
    from zhuqi.core.deletion import record_delete
    from zhuqi.core.models import AuditRecord
    from zhuqi.core.personal import personal_data_purge

    assert "training_attendee" in registry.personal_data()
    now = timezone.now()
    old = session_today(zone.users["officer_a"])
    for person in ("刘经理", "王会计"):
        training.sign_in(session=old, firm=zone.enterprise_a.name, person_name=person)
    recent = training.session_create(by=zone.users["coordinator"], topic="安全宣教", place="会议室",
                                     starts_at=now + datetime.timedelta(days=3 * 365))  # fmt: skip
    training.sign_in(session=recent, firm=zone.enterprise_a.name, person_name="赵主任",
                     now=recent.starts_at)  # fmt: skip
    training.sign_in(session=recent, firm=zone.enterprise_b.name, person_name="陈经理", now=recent.starts_at)
    record_delete(zone.enterprise_b, by=zone.users["coordinator"], reason="企业已注销")
    # the file never held the names, so nothing there outlives the keeping period
    entries = enterprise_timeline(user=zone.users["coordinator"], enterprise=zone.enterprise_a).filter(kind="training")
    assert entries.count() == 3 and not any(n in e.summary for e in entries for n in ("刘经理", "王会计", "赵主任"))

    done = personal_data_purge(now=now + datetime.timedelta(days=3 * 365 + 1))
    assert done["training_attendee"] == 3  # both of the old session's, and the deleted firm's
    names = Attendance.objects.values_list("person_name", flat=True)
    assert sorted(names) == ["赵主任", "（已匿名）", "（已匿名）", "（已匿名）"]
    assert selectors.session_overview(session=old)["people"] == 2  # still counted
    assert AuditRecord.objects.filter(event="anonymise", object_type="notices.attendance").exists()
    assert personal_data_purge(now=now + datetime.timedelta(days=3 * 365 + 2))["training_attendee"] == 0
    with pytest.raises(DomainError):
        training.sign_in(session=recent, firm=zone.enterprise_a.name, person_name="（已匿名）", now=recent.starts_at)
