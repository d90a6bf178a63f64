"""申报 across roles: the firm applies with its materials, the park reviews first, the department approves the amount,
the decision is public for five working days (National Day's holiday in between), then paid into the 兑现台账; a
refusal needs its reason; a return for supplement keeps what was sent; 快申快享 carries 60 working days; a firm never
sees another's application."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from zhuqi.cases.models import Case
from zhuqi.cases.selectors import waiting_for
from zhuqi.core.errors import DomainError
from zhuqi.enterprises.models import TimelineEntry
from zhuqi.inspections.tests.factories import photo
from zhuqi.notifications.models import Notification
from zhuqi.org.tests.factories import UserFactory
from zhuqi.policies import matching, selectors
from zhuqi.policies.applications import ApplicationAction as P
from zhuqi.policies.applications import application_act, application_submit, step_label
from zhuqi.policies.models import Application, PolicyPayment

from .conftest import TODAY

pytestmark = pytest.mark.django_db

SUBMITTED = datetime.date(2025, 9, 22)  # a Monday, a week before National Day


def on(day):
    return mock.patch("zhuqi.cases.services._today", return_value=day)


def pdf(name="申请表.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")  # fmt: skip


def submit(zone, *, amount="200000", day=SUBMITTED, user="enterprise_a"):
    with on(day):
        return application_submit(by=zone.users[user], policy=zone.fast, amount=amount, today=day,
                                  materials={"奖补申请表": pdf(), "电费缴纳凭证": photo("电费.png")})  # fmt: skip


def act(application, action, by, day, **kwargs):
    with on(day):
        return application_act(application=application, action=action, by=by, **kwargs)


def test_an_application_goes_through_park_and_department_to_publicity_over_a_holiday_and_payment(fast):
    zone, users = fast, fast.users
    application = submit(zone)
    assert step_label(application) == "园区初审"
    assert list(waiting_for(user=users["officer_a"]).filter(pk=application.case_id)) == [application.case]
    assert not waiting_for(user=users["science"]).filter(pk=application.case_id).exists()
    assert Notification.objects.filter(recipient=users["officer_a"], title__contains=application.case.number).exists()

    application = act(application, P.PARK_PASS, users["officer_a"], datetime.date(2025, 9, 24), comment="材料齐全")
    assert step_label(application) == "部门审核"
    assert waiting_for(user=users["science"]).filter(pk=application.case_id).exists()

    application = act(application, P.APPROVE, users["science"], datetime.date(2025, 9, 29), amount="150000")
    assert step_label(application) == "公示"
    assert application.amount_approved == Decimal("150000.00")
    # five working days after 29 September: 30 September, then 9, 10, 11 (a Saturday worked for the holiday), 13 October
    assert application.publicity_until == datetime.date(2025, 10, 13)

    with pytest.raises(DomainError, match="公示"):
        act(application, P.PAY, users["science"], datetime.date(2025, 10, 13))
    assert not PolicyPayment.objects.filter(policy=zone.fast).exists()

    application = act(application, P.PAY, users["science"], datetime.date(2025, 10, 14))
    assert step_label(application) == "已拨付"
    payment = PolicyPayment.objects.get(policy=zone.fast, enterprise=zone.enterprise_a)
    assert (payment.amount, payment.paid_on, payment.started_on) == (
        Decimal("150000.00"),
        datetime.date(2025, 10, 14),
        SUBMITTED,
    )
    assert application.payment == payment
    assert application.case.status == "closed" and application.case.result == "solved"
    assert application.case.closed_on_time is True
    assert TimelineEntry.objects.filter(enterprise=zone.enterprise_a, kind="policy_payment").exists()
    # the ledger's figures count it, from the application to the payment
    rows = selectors.figures(user=users["coordinator"], year=2025)
    assert [(r["policy"].title, r["firms"], r["total"]) for r in rows] == [("满负荷生产奖补", 1, Decimal("150000.00"))]


def test_the_department_cannot_approve_more_than_was_asked(fast):
    application = submit(fast, amount="100000")
    application = act(application, P.PARK_PASS, fast.users["officer_a"], datetime.date(2025, 9, 23))
    with pytest.raises(DomainError, match="不能超过"):
        act(application, P.APPROVE, fast.users["science"], datetime.date(2025, 9, 24), amount="120000")


def test_a_refusal_needs_a_reason_and_the_firm_reads_it(fast):
    users = fast.users
    application = submit(fast)
    application = act(application, P.PARK_PASS, users["officer_a"], datetime.date(2025, 9, 23))
    with pytest.raises(DomainError) as refused:
        act(application, P.REFUSE, users["science"], datetime.date(2025, 9, 24), comment="  ")
    assert refused.value.field == "comment"
    application = act(application, P.REFUSE, users["science"], datetime.date(2025, 9, 24),
                      comment="企业用电量未达到满负荷标准")  # fmt: skip
    assert step_label(application) == "不予支持"
    assert application.refusal_reason == "企业用电量未达到满负荷标准"
    assert not PolicyPayment.objects.exists()
    assert Notification.objects.filter(recipient=users["enterprise_a"], title__contains="不予支持").exists()


def test_a_return_for_supplement_keeps_the_materials_and_stops_the_clock(fast):
    users = fast.users
    application = submit(fast)
    deadline = application.case.deadline
    application = act(application, P.PARK_RETURN, users["officer_a"], datetime.date(2025, 9, 24),
                      comment="电费缴纳凭证不清晰，请重新上传")  # fmt: skip
    assert step_label(application) == "退回补正"
    assert waiting_for(user=users["enterprise_a"]).filter(pk=application.case_id).exists()
    with pytest.raises(DomainError):
        act(application, P.SUPPLEMENT, users["enterprise_a"], datetime.date(2025, 9, 26))  # nothing sent
    application = act(application, P.SUPPLEMENT, users["enterprise_a"], datetime.date(2025, 9, 26),
                      materials={"电费缴纳凭证": photo("电费-清晰.png")})  # fmt: skip
    assert step_label(application) == "园区初审"
    checklist = {m["name"]: [f.attachment.original_name for f in m["files"]]
                 for m in selectors.application_materials(application)}  # fmt: skip
    assert checklist == {"奖补申请表": ["申请表.pdf"], "电费缴纳凭证": ["电费-清晰.png", "电费.png"]}
    # two working days with the firm (25 and 26 September) are added back to the deadline
    assert application.case.paused_workdays == 2
    assert application.case.deadline > deadline


def test_a_supplement_sent_from_the_case_page_goes_into_the_checklist(fast, client_as):
    users = fast.users
    application = act(submit(fast), P.PARK_RETURN, users["officer_a"], datetime.date(2025, 9, 24),
                      comment="电费缴纳凭证不清晰，请重新上传")  # fmt: skip
    client = client_as(users["enterprise_a"])
    page = client.get(reverse("case-detail", args=[application.case_id])).content.decode()
    assert 'name="supplement-material_1"' in page and "电费缴纳凭证" in page
    with on(datetime.date(2025, 9, 26)):
        response = client.post(reverse("case-action", args=[application.case_id, P.SUPPLEMENT]), {
            "supplement-expected_version": application.case.version, "supplement-comment": "已重新上传",
            "supplement-material_1": photo("电费-清晰.png"),
        })  # fmt: skip
    assert response.status_code == 302
    application.refresh_from_db()
    assert step_label(application) == "园区初审"
    checklist = {m["name"]: [f.attachment.original_name for f in m["files"]]
                 for m in selectors.application_materials(application)}  # fmt: skip
    assert checklist["电费缴纳凭证"] == ["电费-清晰.png", "电费.png"]


def test_a_fast_application_must_be_paid_within_60_working_days(fast):
    application = submit(fast)
    assert application.fast is True
    # 60 working days from 22 September 2025, National Day's eight days off in between
    assert application.case.deadline == datetime.date(2025, 12, 19)
    with on(datetime.date(2025, 12, 22)):
        overdue = Case.objects.filter(pk=application.case_id, is_running=True, deadline__lt=datetime.date(2025, 12, 22))
        assert overdue.exists()


def test_the_checklist_and_the_files_are_checked_with_chinese_messages(fast):
    with pytest.raises(DomainError, match="请上传：电费缴纳凭证"), on(SUBMITTED):
        application_submit(by=fast.users["enterprise_a"], policy=fast.fast, amount="1000",
                           materials={"奖补申请表": pdf()})  # fmt: skip
    text = SimpleUploadedFile("电费.txt", b"just some text", content_type="text/plain")
    with pytest.raises(DomainError, match="类型不允许上传"), on(SUBMITTED):
        application_submit(by=fast.users["enterprise_a"], policy=fast.fast, amount="1000",
                           materials={"奖补申请表": pdf(), "电费缴纳凭证": text})  # fmt: skip
    with pytest.raises(DomainError, match="金额"):
        submit(fast, amount="-5")
    big = SimpleUploadedFile("电费.pdf", b"%PDF-1.4\n" + b"0" * 64, content_type="application/pdf")
    with override_settings(ZHUQI_ATTACHMENT_MAX_BYTES=32), pytest.raises(DomainError, match="超过"), on(SUBMITTED):
        application_submit(by=fast.users["enterprise_a"], policy=fast.fast, amount="1000",
                           materials={"奖补申请表": pdf(), "电费缴纳凭证": big})  # fmt: skip
    assert not Application.objects.exists()


def test_a_firm_sees_only_its_own_applications_and_a_park_its_own_firms(fast, client):
    application = submit(fast)
    url = reverse("policy-application", args=[application.pk])
    for user, status in (("enterprise_b", 404), ("officer_b", 404), ("enterprise_a", 200), ("officer_a", 200),
                         ("science", 200), ("coordinator", 200)):  # fmt: skip
        client.force_login(fast.users[user])
        assert client.get(url).status_code == status, user
        listed = client.get(reverse("policy-applications")).content.decode()
        assert (application.case.number in listed) == (status == 200), user
    material = application.materials.first()
    client.force_login(fast.users["enterprise_b"])
    assert client.get(reverse("policy-application-material", args=[application.pk, material.pk])).status_code == 404
    client.force_login(fast.users["enterprise_a"])
    assert client.get(reverse("policy-application-material", args=[application.pk, material.pk])).status_code == 200


def test_the_park_officer_acts_from_the_application_page(fast, client):
    application = submit(fast)
    client.force_login(fast.users["officer_a"])
    page = client.get(reverse("policy-application", args=[application.pk])).content.decode()
    assert "园区初审通过" in page and "不予支持" in page
    response = client.post(reverse("policy-application-act", args=[application.pk, P.PARK_REFUSE]),
                           {"comment": "", "version": application.case.version})  # fmt: skip
    assert response.status_code == 422
    assert "请说明" in response.content.decode() or "原因" in response.content.decode()
    response = client.post(reverse("policy-application-act", args=[application.pk, P.PARK_PASS]),
                           {"comment": "材料齐全", "version": application.case.version})  # fmt: skip
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.case.status == "in_progress"
    # a park officer of another park has no such step
    other = UserFactory(username="officer_b2", role="park_officer", park=fast.park_b)
    client.force_login(other)
    assert client.post(reverse("policy-application-act", args=[application.pk, P.APPROVE])).status_code == 404


def test_a_firm_applies_from_its_list_of_policies_it_qualifies_for_until_it_has_applied(fast, client_as):
    matching.match_run(on=TODAY)
    apply_url = reverse("policy-apply", args=[fast.fast.pk])
    mine = client_as(fast.users["enterprise_a"]).get(reverse("policy-mine")).content.decode()
    assert f'href="{apply_url}"' in mine
    assert f'href="{reverse("policy-apply", args=[fast.award.pk])}"' not in mine  # 免申即享: nothing to apply for
    submit(fast)
    mine = client_as(fast.users["enterprise_a"]).get(reverse("policy-mine")).content.decode()
    assert f'href="{apply_url}"' not in mine and "满负荷生产奖补" in mine


def test_the_case_pages_call_an_applications_status_by_its_step(fast, client_as):
    application = submit(fast)
    assert application.case.get_status_display() == "园区初审"
    page = client_as(fast.users["officer_a"]).get(reverse("case-detail", args=[application.case_id]))
    assert 'id="case-status">园区初审<' in page.content.decode()
    # the application's panel on the case page opens the application
    assert f'href="{reverse("policy-application", args=[application.pk])}">满负荷生产奖补<' in page.content.decode()
    rows = client_as(fast.users["officer_a"]).get(reverse("case-list")).content.decode()
    assert "园区初审" in rows
