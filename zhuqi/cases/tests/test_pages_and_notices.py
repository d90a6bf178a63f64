"""The loop through the pages, the notices each step sends, 督办 with its reply, and the worker's reminders."""

import datetime
import io

import docx
import pytest
from django.core import mail
from django.urls import reverse

from zhuqi.cases import services
from zhuqi.cases.models import Case, Reminder, SupervisionNotice
from zhuqi.cases.tests.factories import CategoryFactory
from zhuqi.cases.workflow import Status
from zhuqi.core.errors import DomainError
from zhuqi.notifications.models import Notification
from zhuqi.notifications.sms import MemorySMSBackend
from zhuqi.org.models import Department


@pytest.fixture
def category(zone):
    return CategoryFactory(name="安全生产", department=Department.objects.get(name="应急管理局"), deadline_workdays=5)


def act(client, case, action, **data):
    case.refresh_from_db()
    form = {f"{action}-{k}": v for k, v in data.items()} | {f"{action}-expected_version": case.version}
    return client.post(reverse("case-action", args=[case.pk, action]), form, follow=True)


def test_the_loop_through_the_pages_tells_each_next_person(zone, category, client, django_capture_on_commit_callbacks):
    users = zone.users
    users["department"].email = "yingji@example.gov.cn"
    users["department"].save()
    client.force_login(users["enterprise_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("case-new"), {"category": category.pk, "description": "车间消防通道被占用"}, follow=True
        )
    case = Case.objects.get()
    assert response.status_code == 200 and case.status == Status.PENDING and case.enterprise == zone.enterprise_a
    assert Notification.objects.filter(
        recipient=users["officer_a"], url=reverse("case-detail", args=[case.pk])
    ).exists()
    assert not Notification.objects.filter(recipient=users["officer_b"]).exists()

    client.force_login(users["officer_a"])
    assert case.number in client.get(reverse("workbench")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        act(client, case, "assign", department=category.department.pk, deadline_workdays=5)
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED and case.deadline and case.warn_on and case.warn_on < case.deadline
    assert mail.outbox[-1].to == ["yingji@example.gov.cn"] and case.number in mail.outbox[-1].subject

    client.force_login(users["department"])
    header = client.get(reverse("workbench")).content.decode()
    assert 'id="unread-count">1<' in header
    act(client, case, "accept")
    act(client, case, "report_result", comment="已清理通道并张贴标识", result="solved")
    client.force_login(users["officer_a"])
    act(client, case, "verify")
    client.force_login(users["enterprise_a"])
    page = act(client, case, "rate", rating="satisfied", comment="很及时").content.decode()
    case.refresh_from_db()
    assert case.status == Status.RATED and case.rating == "satisfied" and case.closed_on_time is True
    assert "很及时" in page
    timeline = [e.summary for e in zone.enterprise_a.timeline.all()]
    assert any(case.number in s for s in timeline)


def test_a_stale_form_is_refused_with_a_clear_message(zone, category, client):
    case = services.case_raise(
        by=zone.users["officer_a"],
        category=category,
        description="道路破损",
        source="call",
        enterprise=zone.enterprise_a,
    )
    client.force_login(zone.users["coordinator"])
    stale = case.version
    services.case_act(case=case, action="assign", by=zone.users["officer_a"])
    response = client.post(
        reverse("case-action", args=[case.pk, "merge"]),
        {"merge-comment": "重复", "merge-master": "ZQ1", "merge-expected_version": stale},
        follow=True,
    )
    assert "已被他人处理，请刷新后重试" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.ASSIGNED


def test_a_rolled_back_action_sends_nothing(zone, category, django_capture_on_commit_callbacks):
    case = services.case_raise(
        by=zone.users["officer_a"],
        category=category,
        description="道路破损",
        source="call",
        enterprise=zone.enterprise_a,
    )
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.case_act(case=case, action="assign", by=zone.users["officer_a"], deadline_workdays=500)
    assert Notification.objects.count() == before and Case.objects.get(pk=case.pk).status == Status.PENDING


def test_supervision_notice_goes_out_and_the_reply_is_recorded(zone, two_cases, client):
    case_a, _ = two_cases
    MemorySMSBackend.outbox.clear()
    client.force_login(zone.users["officer_a"])  # a park may not issue 督办单: no button, and a post is refused
    assert "supervise" not in services.actions_available(user=zone.users["officer_a"], case=case_a)
    act(client, case_a, "supervise", comment="园区督办", reply_workdays=3)
    assert not SupervisionNotice.objects.filter(case=case_a).exists()
    client.force_login(zone.users["coordinator"])
    act(client, case_a, "supervise", comment="请于三个工作日内书面反馈整改进度", reply_workdays=3)
    notice = SupervisionNotice.objects.get(case=case_a)
    assert notice.department.name == "应急管理局" and notice.replied_at is None
    assert Notification.objects.filter(recipient=zone.users["department"], title__contains=case_a.number).exists()
    word = client.get(reverse("supervision-notice-docx", args=[notice.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert notice.number in text and "请于三个工作日内书面反馈整改进度" in text
    client.force_login(zone.users["department"])
    act(client, case_a, "reply_supervision", comment="已整改完毕，附照片")
    notice.refresh_from_db()
    assert notice.reply == "已整改完毕，附照片" and notice.replied_by == zone.users["department"]
    client.force_login(zone.users["enterprise_a"])
    assert client.get(reverse("supervision-notice-docx", args=[notice.pk])).status_code == 404


def test_the_worker_reminds_once_before_and_after_the_deadline(zone, two_cases):
    case_a, _ = two_cases
    Case.objects.filter(pk=case_a.pk).update(warn_on=datetime.date(2026, 11, 20), deadline=datetime.date(2026, 11, 24))
    assert services.reminders_send(today=datetime.date(2026, 11, 20)) >= 1
    assert services.reminders_send(today=datetime.date(2026, 11, 20)) == 0  # once only
    assert Notification.objects.filter(recipient=zone.users["department"], title__contains=case_a.number).count() == 1
    services.reminders_send(today=datetime.date(2026, 11, 24))
    services.reminders_send(today=datetime.date(2026, 11, 25))
    kinds = set(Reminder.objects.filter(case=case_a).values_list("kind", flat=True))
    assert kinds == {"warning", "due_today", "overdue"}
    overdue_told = Notification.objects.filter(title__contains=case_a.number).values_list(
        "recipient__username", flat=True
    )
    assert {"department", "officer_a"} <= set(overdue_told) and "officer_b" not in overdue_told


def test_visit_problems_become_cases_in_one_step(zone, category, client):
    from zhuqi.enterprises.services import visit_log

    visit = visit_log(
        enterprise=zone.enterprise_a, by=zone.users["officer_a"], visited_on=datetime.date(2026, 11, 20),
        topics="安全生产检查", problems=["消防通道被占用", "缺少应急预案培训"],
    )  # fmt: skip
    first, second = visit.problems.all()
    client.force_login(zone.users["officer_a"])
    client.post(reverse("visit-cases", args=[visit.pk]), {f"p{first.pk}": category.pk, f"p{second.pk}": category.pk})
    cases = Case.objects.filter(visit_problem__visit=visit)
    assert sorted(cases.values_list("description", flat=True)) == ["消防通道被占用", "缺少应急预案培训"]
    assert set(cases.values_list("source", flat=True)) == {"visit"}
    client.post(reverse("visit-cases", args=[visit.pk]), {f"p{first.pk}": category.pk})
    assert Case.objects.filter(visit_problem__visit=visit).count() == 2  # not raised twice


def test_a_symposium_raises_one_case_per_enterprise_problem(zone, category, client):
    client.force_login(zone.users["coordinator"])
    form = {
        "title": "电气装备产业园区企业座谈会", "held_on": "2026-11-20", "notes": "",
        "p-TOTAL_FORMS": 3, "p-INITIAL_FORMS": 0, "p-MIN_NUM_FORMS": 0, "p-MAX_NUM_FORMS": 50,
        "p-0-enterprise": zone.enterprise_a.name, "p-0-category": category.pk, "p-0-description": "消防培训需求",
        "p-1-enterprise": zone.enterprise_b.name, "p-1-category": category.pk, "p-1-description": "房屋漏水，无人负责维修",
    }  # fmt: skip
    response = client.post(reverse("symposium-new"), form)
    assert response.status_code == 302
    cases = Case.objects.filter(source="symposium")
    assert {c.enterprise for c in cases} == {zone.enterprise_a, zone.enterprise_b}
    assert cases.values("symposium").distinct().count() == 1


def test_a_symposium_with_an_unknown_enterprise_saves_nothing(zone, category, client):
    client.force_login(zone.users["officer_a"])
    form = {
        "title": "座谈会", "held_on": "2026-11-20",
        "p-TOTAL_FORMS": 1, "p-INITIAL_FORMS": 0, "p-MIN_NUM_FORMS": 0, "p-MAX_NUM_FORMS": 50,
        "p-0-enterprise": zone.enterprise_b.name, "p-0-category": category.pk, "p-0-description": "别的园区的企业",
    }  # fmt: skip
    response = client.post(reverse("symposium-new"), form)
    assert response.status_code == 200 and not Case.objects.exists()
    assert zone.enterprise_b.name in response.content.decode()


def test_likely_duplicates_are_suggested_to_the_coordinator(zone, category, client):
    first = services.case_raise(
        by=zone.users["officer_a"], category=category, description="厂区门前道路破损严重，雨天积水", source="call",
        enterprise=zone.enterprise_a,
    )  # fmt: skip
    second = services.case_raise(
        by=zone.users["enterprise_a"], category=category, description="厂区门前道路破损严重", source="enterprise",
        enterprise=zone.enterprise_a,
    )  # fmt: skip
    client.force_login(zone.users["coordinator"])
    html = client.get(reverse("case-detail", args=[second.pk])).content.decode()
    assert first.number in html
    act(client, second, "merge", comment="与先报事项重复", master=first.number)
    second.refresh_from_db()
    assert second.status == Status.MERGED and second.master == first


def test_the_service_board_carries_the_officer_and_a_qr_code(zone, client):
    zone.users["officer_a"].full_name = "王帮办"
    zone.users["officer_a"].phone = "13800001111"
    zone.users["officer_a"].save()
    client.force_login(zone.users["enterprise_a"])
    html = client.get(reverse("enterprise-board", args=[zone.enterprise_a.pk])).content.decode()
    assert "王帮办" in html and "13800001111" in html and "<svg" in html
    assert client.get(reverse("enterprise-board", args=[zone.enterprise_b.pk])).status_code == 404


def test_the_inbox_marks_messages_read_when_opened(zone, client):
    from zhuqi.notifications.services import notify

    notify([zone.users["department"]], title="ZQ2026000001 交办", url="/cases/")
    note = Notification.objects.get()
    client.force_login(zone.users["department"])
    assert "ZQ2026000001" in client.get(reverse("inbox")).content.decode()
    assert client.get(reverse("notification-open", args=[note.pk])).url == "/cases/"
    note.refresh_from_db()
    assert note.read_at is not None
    client.force_login(zone.users["officer_a"])
    assert client.get(reverse("notification-open", args=[note.pk])).status_code == 404


def test_the_ledger_has_the_offices_columns(zone, two_cases, client):
    import openpyxl

    client.force_login(zone.users["coordinator"])
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("case-export")).content)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header == [
        "序号",
        "企业名称",
        "问题描述",
        "问题类别",
        "来源",
        "交办部门",
        "交办时间",
        "办理时限",
        "办理结果",
        "办结时间",
        "是否按期",
        "企业评价",
    ]
    assert sheet.max_row == 3


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_case_files_open_only_for_those_who_may_see_them(zone, two_cases, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhuqi.core.models import Attachment

    case_a, _ = two_cases
    services.case_act(
        case=case_a, action="comment", by=zone.users["department"], comment="现场照片（内部）", public=False,
        files=[SimpleUploadedFile("internal.png", PNG, content_type="image/png")],
    )  # fmt: skip
    services.case_act(
        case=case_a, action="comment", by=zone.users["department"], comment="整改前照片",
        files=[SimpleUploadedFile("public.png", PNG, content_type="image/png")],
    )  # fmt: skip
    internal = Attachment.objects.get(original_name="internal.png")
    public = Attachment.objects.get(original_name="public.png")
    url = lambda a: reverse("case-attachment", args=[a.pk])  # noqa: E731
    client.force_login(zone.users["officer_a"])
    assert client.get(url(internal)).status_code == 200
    client.force_login(zone.users["enterprise_a"])
    assert (client.get(url(public)).status_code, client.get(url(internal)).status_code) == (200, 404)
    client.force_login(zone.users["enterprise_b"])
    assert client.get(url(public)).status_code == 404


def test_a_bad_file_is_refused_and_the_action_not_taken(zone, two_cases):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case_a, _ = two_cases
    with pytest.raises(DomainError, match="exe|类型"):
        services.case_act(
            case=case_a, action="comment", by=zone.users["department"], comment="附件",
            files=[SimpleUploadedFile("report.exe", b"MZ\x90\x00" * 100, content_type="application/pdf")],
        )  # fmt: skip
    assert not case_a.events.exists()


def test_mark_all_read_clears_the_unread_count(zone, client):
    from zhuqi.notifications.services import notify

    notify([zone.users["department"]], title="ZQ2026000001 交办")
    notify([zone.users["department"]], title="ZQ2026000002 交办")
    client.force_login(zone.users["department"])
    assert 'id="unread-count">2<' in client.get(reverse("inbox")).content.decode()
    client.post(reverse("notifications-read-all"))
    assert 'id="unread-count"' not in client.get(reverse("inbox")).content.decode()


def test_a_dissatisfied_rating_in_the_queue_says_it_waits_for_a_decision_to_reopen(zone, two_cases, client):
    from django.utils import timezone

    case_a, case_b = two_cases
    Case.objects.filter(pk=case_a.pk).update(status=Status.RATED, rating="dissatisfied", closed_at=timezone.now())
    Case.objects.filter(pk=case_b.pk).update(status=Status.RATED, rating="satisfied", closed_at=timezone.now())
    client.force_login(zone.users["coordinator"])
    page = client.get(reverse("workbench")).content.decode()
    assert case_a.number in page
    assert page.count("评价不满意，待定是否重新办理") == 1


def test_the_transfer_form_asks_which_other_department_takes_the_case(zone, two_cases, client):
    case_a, _ = two_cases
    client.force_login(zone.users["coordinator"])
    page = client.get(reverse("case-detail", args=[case_a.pk])).content.decode()
    transfer = page[page.index('id="id_transfer-department"') :]
    transfer = transfer[: transfer.index("</select>")]
    assert "请选择接办部门" in transfer and "---------" not in transfer
    assert "经济发展局" in transfer and "应急管理局" not in transfer
    refused = client.post(
        reverse("case-action", args=[case_a.pk, "transfer"]),
        {"transfer-comment": "属经济发展局职责", "transfer-expected_version": case_a.version},
    )
    case_a.refresh_from_db()
    assert case_a.lead_department.name == "应急管理局"
    assert "属经济发展局职责" in refused.content.decode()
