"""Notices reach exactly the firms their audience named when they were sent; the firms read and confirm them;
reminders and escalation go out once; a withdrawal or correction reaches all who got the notice."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhuqi.core.attachments import attachments_of
from zhuqi.core.errors import DomainError
from zhuqi.core.sms_text import SMS_LIMIT
from zhuqi.core.workdays import add_workdays
from zhuqi.enterprises.models import Scale
from zhuqi.enterprises.selectors import enterprise_timeline
from zhuqi.enterprises.tests.factories import EnterpriseFactory, TagFactory
from zhuqi.notices import selectors, services
from zhuqi.notices.models import Notice, NoticeStatus, Receipt
from zhuqi.notifications.models import Notification, OutboxMessage

from .helpers import PNG, sent_notice

pytestmark = pytest.mark.django_db


def test_an_audience_of_parks_and_tags_reaches_those_firms_and_its_list_is_kept_as_sent(zone):
    hazardous = TagFactory(name="危化企业")
    zone.enterprise_a.tags.add(hazardous)
    other_in_a = EnterpriseFactory(park=zone.park_a, scale=Scale.ABOVE)
    EnterpriseFactory(park=zone.park_b).tags.add(hazardous)
    notice = sent_notice(zone.users["department"], criteria={"parks": [zone.park_a.pk], "tags": [hazardous.pk]})
    assert notice.recipient_count == 1
    assert list(notice.receipts.values_list("enterprise_id", flat=True)) == [zone.enterprise_a.pk]
    # the registry changes afterwards; who got it does not
    other_in_a.tags.add(hazardous)
    zone.enterprise_a.tags.remove(hazardous)
    assert list(notice.receipts.values_list("enterprise_id", flat=True)) == [zone.enterprise_a.pk]
    assert notice.criteria == {"parks": [zone.park_a.pk], "tags": [hazardous.pk]}


def test_a_park_sends_only_to_its_own_firms_whatever_it_asks_for(zone):
    notice = sent_notice(zone.users["officer_a"], criteria={"parks": [zone.park_a.pk, zone.park_b.pk]})
    assert set(notice.receipts.values_list("enterprise_id", flat=True)) == {zone.enterprise_a.pk}


def test_sending_tells_each_firm_by_sms_inbox_and_file_and_cannot_happen_twice(zone):
    department = zone.users["department"]
    notice = sent_notice(department, criteria={"scales": [Scale.BELOW, Scale.ABOVE]})
    assert notice.recipient_count == 2
    sms = OutboxMessage.objects.filter(channel="sms")
    assert sorted(m.recipient for m in sms) == ["13812345678", "13987654321"]
    assert "节后复工复产" in sms.first().body and sms.first().body.startswith("【助企】")
    assert Notification.objects.filter(recipient=zone.users["enterprise_a"], url=f"/notices/{notice.pk}/").exists()
    entry = enterprise_timeline(user=zone.users["enterprise_a"], enterprise=zone.enterprise_a).get(kind="notice")
    assert "节后复工复产" in entry.summary
    # the other firm's contact, and a grid member, do not see this firm's entry
    assert not enterprise_timeline(user=zone.users["grid_a"], enterprise=zone.enterprise_a).filter(kind="notice")
    with pytest.raises(DomainError) as twice:
        services.notice_send(notice=notice, by=department)
    assert twice.value.message == "该通知已发送"
    assert Receipt.objects.count() == 2


def test_an_audience_nobody_matches_is_refused_and_leaves_nothing(zone):
    notice = services.notice_create(by=zone.users["department"], title="提示", body="正文",
                                    criteria={"industries": ["A"]})  # fmt: skip
    with pytest.raises(DomainError) as refused:
        services.notice_send(notice=notice, by=zone.users["department"])
    assert refused.value.message == "没有符合所选范围的企业"
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT and not Receipt.objects.exists()


def test_the_first_opening_is_kept_with_who_opened_it(zone, client):
    notice = sent_notice(zone.users["department"], criteria={"enterprises": [zone.enterprise_a.pk]})
    client.force_login(zone.users["enterprise_a"])
    assert client.get(reverse("notice-detail", args=[notice.pk])).status_code == 200
    receipt = Receipt.objects.get()
    first = receipt.read_at
    assert first is not None and receipt.read_by == zone.users["enterprise_a"]
    client.get(reverse("notice-detail", args=[notice.pk]))
    receipt.refresh_from_db()
    assert receipt.read_at == first
    # the department's own opening is not a read receipt
    client.force_login(zone.users["department"])
    assert "刘经理" not in client.get(reverse("notice-detail", args=[notice.pk])).content.decode()


def test_a_firm_confirms_with_text_and_a_photo_once(zone, client):
    notice = sent_notice(zone.users["department"], criteria={"enterprises": [zone.enterprise_a.pk]}, confirm=True)
    client.force_login(zone.users["enterprise_a"])
    photo = SimpleUploadedFile("check.png", PNG, content_type="image/png")
    client.post(reverse("notice-confirm", args=[notice.pk]), {"text": "已开展自查，整改 2 项", "photos": photo})
    receipt = Receipt.objects.get()
    assert receipt.confirmation == "已开展自查，整改 2 项" and receipt.confirmed_by == zone.users["enterprise_a"]
    assert [a.original_name for a in attachments_of(receipt)] == ["check.png"]
    with pytest.raises(DomainError) as again:
        services.receipt_confirm(receipt=receipt, by=zone.users["enterprise_a"], text="再次反馈")
    assert again.value.message == "贵单位已反馈过该通知"
    # the photo opens for the department that sent it, not for the other firm
    photo_url = reverse("notice-file", args=[attachments_of(receipt).get().pk])
    assert client.get(photo_url).status_code == 200
    client.force_login(zone.users["department"])
    assert client.get(photo_url).status_code == 200
    client.force_login(zone.users["enterprise_b"])
    assert client.get(photo_url).status_code == 404


def test_another_firm_cannot_confirm_for_the_firm(zone):
    notice = sent_notice(zone.users["department"], criteria={"enterprises": [zone.enterprise_a.pk]}, confirm=True)
    with pytest.raises(DomainError):
        services.receipt_confirm(receipt=notice.receipts.get(), by=zone.users["enterprise_b"], text="代为反馈")


def _at(day: str, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour)))


def _due(notice, day: str):
    Notice.objects.filter(pk=notice.pk).update(due_on=datetime.date.fromisoformat(day))


def test_a_reminder_the_working_day_before_and_an_escalation_after_the_date_each_go_out_once(zone):
    notice = sent_notice(zone.users["department"], criteria={"scales": [Scale.BELOW]}, confirm=True)
    _due(notice, "2024-03-18")  # a Monday
    services.receipt_confirm(receipt=notice.receipts.get(enterprise=zone.enterprise_b),
                             by=zone.users["enterprise_b"], text="已落实")  # fmt: skip
    OutboxMessage.objects.all().delete()
    assert services.notices_remind(now=_at("2024-03-14")) == {"reminded": 0, "escalated": 0}  # Thursday
    assert services.notices_remind(now=_at("2024-03-15")) == {"reminded": 1, "escalated": 0}  # Friday
    assert services.notices_remind(now=_at("2024-03-15", 11)) == {"reminded": 0, "escalated": 0}
    reminders = OutboxMessage.objects.filter(channel="sms")
    assert [m.recipient for m in reminders] == ["13812345678"] and reminders.get().body.startswith("【助企】提醒")
    assert "3月18日" in reminders.get().body
    # the date itself, and its evening, are not yet late
    assert services.notices_remind(now=_at("2024-03-18", 23)) == {"reminded": 0, "escalated": 0}
    assert services.notices_remind(now=_at("2024-03-19")) == {"reminded": 0, "escalated": 1}  # Tuesday
    assert services.notices_remind(now=_at("2024-03-20")) == {"reminded": 0, "escalated": 0}
    told = Notification.objects.filter(recipient=zone.users["officer_a"])
    assert told.count() == 1 and "1 家" in told.get().title
    assert not Notification.objects.filter(recipient=zone.users["officer_b"]).exists()
    assert list(selectors.officer_follow_up(user=zone.users["officer_a"]).values_list("enterprise_id", flat=True)) \
        == [zone.enterprise_a.pk]  # fmt: skip


def test_a_date_after_the_national_day_holiday_is_reminded_before_it_and_escalated_on_the_first_day_back(zone):
    notice = sent_notice(zone.users["department"], criteria={"enterprises": [zone.enterprise_a.pk]}, confirm=True)
    _due(notice, "2024-10-08")  # 1-7 October 2024 off; Sunday 29 September a working day (调休)
    assert services.notices_remind(now=_at("2024-09-29")) == {"reminded": 0, "escalated": 0}
    assert services.notices_remind(now=_at("2024-09-30")) == {"reminded": 1, "escalated": 0}
    assert services.notices_remind(now=_at("2024-10-08", 20)) == {"reminded": 0, "escalated": 0}
    assert services.notices_remind(now=_at("2024-10-09")) == {"reminded": 0, "escalated": 1}


def test_the_administrators_overrides_move_the_reminder_and_the_escalation(zone):
    from zhuqi.core.models import WorkdayOverride

    notice = sent_notice(zone.users["department"], criteria={"enterprises": [zone.enterprise_a.pk]}, confirm=True)
    _due(notice, "2024-03-18")
    WorkdayOverride.objects.create(date=datetime.date(2024, 3, 16), is_workday=True, note="补班")  # a Saturday
    WorkdayOverride.objects.create(date=datetime.date(2024, 3, 19), is_workday=False, note="停工")  # Tuesday off
    assert services.notices_remind(now=_at("2024-03-15")) == {"reminded": 0, "escalated": 0}
    assert services.notices_remind(now=_at("2024-03-16")) == {"reminded": 1, "escalated": 0}
    assert services.notices_remind(now=_at("2024-03-19")) == {"reminded": 0, "escalated": 0}
    assert services.notices_remind(now=_at("2024-03-20")) == {"reminded": 0, "escalated": 1}


def test_a_date_given_in_working_days_skips_the_days_off(zone):
    from zhuqi.core.models import WorkdayOverride

    today = timezone.localdate()
    for offset in (1, 2, 3):
        WorkdayOverride.objects.create(date=today + datetime.timedelta(days=offset), is_workday=False)
    notice = services.notice_create(by=zone.users["department"], title="提示", body="正文", requirement="confirm",
                                    due_workdays=1, criteria={"scales": [Scale.BELOW]})  # fmt: skip
    assert notice.due_on > today + datetime.timedelta(days=3)
    assert notice.due_on == add_workdays(today + datetime.timedelta(days=3), 1)
    with pytest.raises(DomainError) as refused:
        services.notice_create(by=zone.users["department"], title="提示", body="正文", requirement="confirm",
                               due_workdays=0)  # fmt: skip
    assert refused.value.field == "due_workdays"


def test_withdrawing_reaches_all_who_got_it(zone):
    department = zone.users["department"]
    notice = sent_notice(department, criteria={"scales": [Scale.BELOW]})
    OutboxMessage.objects.all().delete()
    services.notice_withdraw(notice=notice, by=department, reason="内容有误")
    bodies = [m.body for m in OutboxMessage.objects.filter(channel="sms")]
    assert len(bodies) == 2 and all("已撤回" in b and "内容有误" in b for b in bodies)


def test_a_correction_reaches_the_same_firms_with_one_sms_each_saying_what_was_corrected(zone):
    department = zone.users["department"]
    notice = sent_notice(department, criteria={"scales": [Scale.BELOW]}, confirm=True,
                         issuer_name="平顶山高新技术产业开发区安全生产委员会办公室",
                         title="关于切实做好春节前后及全国两会期间安全生产和消防安全工作的紧急通知")  # fmt: skip
    OutboxMessage.objects.all().delete()
    Notification.objects.all().delete()
    corrected = services.notice_correct(notice=notice, by=department, title="节后复工复产安全防范工作提示（更正）",
                                        body="更正后的正文", reason="反馈日期改为各企业自查结束后的第一个工作日，请注意")  # fmt: skip
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN
    assert notice.withdrawn_reason == "反馈日期改为各企业自查结束后的第一个工作日，请注意"
    assert corrected.correction_of == notice and corrected.recipient_count == 2
    assert set(corrected.receipts.values_list("enterprise_id", flat=True)) == set(
        notice.receipts.values_list("enterprise_id", flat=True)
    )
    sms = list(OutboxMessage.objects.filter(channel="sms"))
    assert sorted(m.recipient for m in sms) == ["13812345678", "13987654321"]
    for message in sms:
        assert "已更正" in message.body and "撤回" not in message.body, message.body
        assert message.body.startswith("【助企】") and len(message.body) <= SMS_LIMIT, message.body
        assert "关于切实" in message.body and "月" in message.body  # which notice, and the date to confirm by
    # one message in each firm's inbox too
    assert Notification.objects.filter(recipient=zone.users["enterprise_a"]).count() == 1
    with pytest.raises(DomainError) as closed:
        services.receipt_confirm(
            receipt=notice.receipts.get(enterprise=zone.enterprise_a), by=zone.users["enterprise_a"], text="已落实"
        )
    assert closed.value.message == "该通知已撤回，无需反馈"


def test_figures_per_unit_count_each_receipt_and_open_their_list(zone, client):
    department = zone.users["department"]
    notice = sent_notice(department, criteria={"scales": [Scale.BELOW]}, confirm=True)
    receipt = notice.receipts.get(enterprise=zone.enterprise_a)
    services.receipt_confirm(receipt=receipt, by=zone.users["enterprise_a"], text="已落实")
    sent_notice(department, criteria={"enterprises": [zone.enterprise_b.pk]}, kind="warning", level="yellow",
                title="暴雪黄色预警")  # fmt: skip
    sent_notice(zone.users["officer_a"], criteria={"parks": [zone.park_a.pk]})
    rows = {r["name"]: r for r in selectors.outreach_figures(user=zone.users["coordinator"])}
    emergency = rows["应急管理局"]
    assert (emergency["notices"], emergency["warnings"], emergency["receipts"], emergency["read"]) == (2, 1, 3, 1)
    assert (emergency["confirm_rate"], emergency["on_time_rate"]) == (50.0, 50.0)
    assert rows[zone.park_a.name]["notices"] == 1
    # the department sees only its own unit's figures
    assert [r["name"] for r in selectors.outreach_figures(user=department)] == ["应急管理局"]
    unit = f"d{department.department_id}"
    client.force_login(zone.users["coordinator"])
    listed = client.get(reverse("notice-receipts"), {"figure": "confirmed", "unit": unit}).content.decode()
    assert zone.enterprise_a.name in listed and zone.enterprise_b.name not in listed
    from zhuqi.core import registry

    assert registry.selector("notices.unit_figures")(unit=unit)["notices"] == 2


def test_an_expired_warning_leaves_the_firms_workbench(zone, client):
    sent_notice(zone.users["department"], criteria={"enterprises": [zone.enterprise_a.pk]}, kind="warning",
                title="大风蓝色预警", expires_at=timezone.now() - datetime.timedelta(hours=1))  # fmt: skip
    sent_notice(zone.users["department"], criteria={"enterprises": [zone.enterprise_a.pk]}, kind="warning",
                title="寒潮黄色预警", expires_at=timezone.now() + datetime.timedelta(hours=6))  # fmt: skip
    client.force_login(zone.users["enterprise_a"])
    page = client.get(reverse("workbench")).content.decode()
    assert "寒潮黄色预警" in page and "大风蓝色预警" not in page


def test_a_notice_is_refused_without_a_title_and_a_confirmation_without_a_date(zone):
    with pytest.raises(DomainError) as untitled:
        services.notice_create(by=zone.users["department"], title=" ", body="正文")
    assert untitled.value.field == "title"
    with pytest.raises(DomainError) as undated:
        services.notice_create(by=zone.users["department"], title="提示", body="正文", requirement="confirm")
    assert undated.value.message == "请填写企业反馈的截止日期"
    with pytest.raises(DomainError):
        services.notice_create(by=zone.users["enterprise_a"], title="提示", body="正文")
    assert not Notice.objects.exists()


def test_a_saved_audience_is_picked_when_writing_and_reaches_the_firms_it_names(zone, client):
    department = zone.users["department"]
    first = services.notice_create(by=department, title="危化提示", body="正文", audience_name="园区A的企业",
                                   criteria={"parks": [zone.park_a.pk]})  # fmt: skip
    saved = first.audience
    client.force_login(department)
    page = client.get(reverse("notice-create")).content.decode()
    assert "园区A的企业" in page
    answer = client.post(reverse("notice-create"), {"kind": "work_tip", "title": "再次提示", "body": "正文",
                                                    "requirement": "read", "audience": saved.pk})  # fmt: skip
    notice = Notice.objects.get(title="再次提示")
    assert answer.status_code == 302 and notice.audience == saved and notice.criteria == {"parks": [zone.park_a.pk]}
    assert "园区A的企业" in client.get(reverse("notice-detail", args=[notice.pk])).content.decode()
    services.notice_send(notice=notice, by=department)
    assert list(notice.receipts.values_list("enterprise_id", flat=True)) == [zone.enterprise_a.pk]
    # a saved audience and criteria beside it: refused, nothing written
    both = client.post(reverse("notice-create"), {"kind": "work_tip", "title": "两者都选", "body": "正文",
                                                  "requirement": "read", "audience": saved.pk,
                                                  "scales": [Scale.ABOVE]})  # fmt: skip
    assert "请选择已保存的范围或勾选条件，不要同时使用" in both.content.decode()
    assert not Notice.objects.filter(title="两者都选").exists()


def test_a_unit_cannot_send_to_another_units_saved_audience(zone, client):
    theirs = services.notice_create(by=zone.users["officer_a"], title="提示", body="正文", audience_name="我园企业",
                                    criteria={"parks": [zone.park_a.pk]}).audience  # fmt: skip
    with pytest.raises(DomainError) as refused:
        services.notice_create(by=zone.users["officer_b"], title="提示", body="正文", audience=theirs)
    assert refused.value.field == "audience"
    client.force_login(zone.users["officer_b"])
    assert "我园企业" not in client.get(reverse("notice-create")).content.decode()
