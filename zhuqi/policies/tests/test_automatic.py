"""免申即享 from the list to the money on the firm's file, across the roles; the budget order; scope."""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from zhuqi.core.errors import DomainError
from zhuqi.enterprises.models import TimelineEntry
from zhuqi.enterprises.tests.factories import EnterpriseFactory
from zhuqi.notifications.models import Notification
from zhuqi.policies import matching, selectors, services
from zhuqi.policies.models import Grant, Match, PolicyPayment

from .conftest import TODAY, certify, record

pytestmark = pytest.mark.django_db


def test_the_budget_is_spent_in_the_order_of_priority_and_the_rest_said_over_budget(catalogue):
    office = catalogue.users["coordinator"]
    record(catalogue.enterprise_b, office, rd_expense=400_000)
    third = EnterpriseFactory(name="平顶山市特纳赛运动器材有限公司", park=catalogue.park_a)
    record(third, office, revenue=9_000_000, rd_expense=400_000, staff=30)
    certify(third)
    catalogue.award.budget = Decimal(200_000)
    catalogue.award.save()
    rnd = services.round_draw(policy=catalogue.award, by=office, on=TODAY)
    grants = list(rnd.grants.order_by("priority").select_related("enterprise"))
    assert [g.status for g in grants] == ["listed", "listed", "deferred"]
    assert grants[2].reasons == ["超出预算：已列入 200,000.00 元，预算 200,000.00 元"]
    assert selectors.round_summary(rnd)["listed"] == Decimal(200_000)


def test_a_policy_that_serves_the_first_to_qualify_first_defers_the_latest(catalogue):
    office = catalogue.users["coordinator"]
    record(catalogue.enterprise_b, office, rd_expense=400_000)
    third = EnterpriseFactory(name="平顶山市特纳赛运动器材有限公司", park=catalogue.park_a)
    record(third, office, revenue=9_000_000, rd_expense=400_000, staff=30)
    certify(third)
    matching.match_run(on=TODAY, notify_new=False)
    told = {third: datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC), catalogue.enterprise_b:
            datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC), catalogue.enterprise_a: datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)}  # fmt: skip
    for firm, at in told.items():
        Match.objects.filter(enterprise=firm, policy=catalogue.award).update(notified_at=at)
    catalogue.award.budget, catalogue.award.priority = Decimal(200_000), "earlier"
    catalogue.award.save()
    rnd = services.round_draw(policy=catalogue.award, by=office, on=TODAY)
    grants = list(rnd.grants.order_by("priority").select_related("enterprise"))
    assert [(g.enterprise, g.status) for g in grants] == [
        (third, "listed"),
        (catalogue.enterprise_b, "listed"),
        (catalogue.enterprise_a, "deferred"),
    ]


def test_a_firm_with_an_open_major_hazard_is_set_aside_with_its_reason(catalogue):
    catalogue.hazards.serious_breach(catalogue.enterprise_a)
    rnd = services.round_draw(policy=catalogue.award, by=catalogue.users["coordinator"], on=TODAY)
    grant = rnd.grants.get(enterprise=catalogue.enterprise_a)
    assert (grant.status, grant.reasons) == ("excluded", ["被列入严重失信主体名单"])


def test_the_whole_automatic_flow_across_the_roles(catalogue, client_as):
    users = catalogue.users
    record(catalogue.enterprise_b, users["coordinator"], rd_expense=400_000)
    matching.match_run(on=TODAY)
    # a department other than the policy's may not draw its list
    with pytest.raises(DomainError):
        services.round_draw(policy=catalogue.award, by=users["department"], on=TODAY)
    rnd = services.round_draw(policy=catalogue.award, by=users["science"], on=TODAY)
    services.round_approve(round=rnd, by=users["science"])
    a, b = rnd.grants.get(enterprise=catalogue.enterprise_a), rnd.grants.get(enterprise=catalogue.enterprise_b)
    assert Notification.objects.filter(recipient=users["enterprise_a"], title__contains="100,000.00").exists()

    # the firm confirms in one step with its account; a wrong account is refused and nothing is kept
    client = client_as(users["enterprise_a"])
    page = client.post(reverse("policy-grant", args=[a.pk]), {"answer": "accept", "bank_name": "中国银行平顶山分行",
                                                              "bank_account": "6217 12"})  # fmt: skip
    assert page.status_code == 422 and "8 到 30 位数字" in page.content.decode()
    assert "6217 12" in page.content.decode()  # typed text kept
    client.post(reverse("policy-grant", args=[a.pk]), {"answer": "accept", "bank_name": "中国银行平顶山分行",
                                                       "bank_account": "6217 8800 1234 5678 901"})  # fmt: skip
    a.refresh_from_db()
    assert (a.status, a.account_masked) == ("accepted", "6217 **** **** 8901")
    assert "6217 **** **** 8901" in client.get(reverse("policy-grant", args=[a.pk])).content.decode()
    # the other firm declines: recorded
    services.grant_answer(grant=b, by=users["enterprise_b"], accept=False, reason="本年度已享受同类奖励")
    # a firm cannot answer for another
    with pytest.raises(DomainError):
        services.grant_answer(grant=b, by=users["enterprise_a"], accept=True, bank_name="x", bank_account="12345678")

    batch = services.batch_pay(round=rnd, by=users["science"], paid_on=TODAY)
    a.refresh_from_db()
    assert a.status == "paid" and a.batch == batch
    assert PolicyPayment.objects.get(enterprise=catalogue.enterprise_a).amount == Decimal(100_000)
    entry = TimelineEntry.objects.get(enterprise=catalogue.enterprise_a, kind="policy_payment")
    assert "100,000.00" in entry.summary
    assert entry.details["payment"] == PolicyPayment.objects.get(enterprise=catalogue.enterprise_a).pk
    # on the firm's file: the firm sees it, the other park's officer does not
    file = client_as(users["enterprise_a"]).get(reverse("enterprise-detail", args=[catalogue.enterprise_a.pk]))
    assert "高新技术企业认定奖励" in file.content.decode()
    assert not TimelineEntry.objects.filter(enterprise=catalogue.enterprise_b, kind="policy_payment").exists()

    # the ledger in the offices' columns
    ledger = client_as(users["science"]).get(reverse("policy-round-ledger", args=[rnd.pk]))
    sheet = openpyxl.load_workbook(__import__("io").BytesIO(ledger.content)).active
    rows = list(sheet.values)
    assert rows[0][:6] == ("序号", "企业名称", "统一社会信用代码", "开户银行", "银行账号", "兑现金额（元）")
    assert rows[1][1] == catalogue.enterprise_a.name and rows[1][4] == "621788001234567890" + "1"
    # received this period: no longer shown as new to the firm
    matching.match_run(on=TODAY)
    groups = selectors.firm_matches(user=users["enterprise_a"], enterprise_id=catalogue.enterprise_a.pk)
    assert groups["qualifies"] == [] and len(groups["received"]) == 1
    # figures: one firm, 10 万元, 免申即享 100%, one declined; each opens its list
    rows = selectors.figures(user=users["coordinator"], year=TODAY.year)
    assert [(r["firms"], r["total"], r["automatic_share"], r["declined"]) for r in rows] == [
        (1, Decimal(100_000), 100.0, 1)]  # fmt: skip
    page = client_as(users["coordinator"]).get(reverse("policy-figures-payments") + f"?year={TODAY.year}&declined=1")
    assert "本年度已享受同类奖励" in page.content.decode()


def test_paying_before_anyone_confirmed_is_refused(catalogue):
    rnd = services.round_draw(policy=catalogue.award, by=catalogue.users["coordinator"], on=TODAY)
    services.round_approve(round=rnd, by=catalogue.users["coordinator"])
    with pytest.raises(DomainError, match="尚无企业确认"):
        services.batch_pay(round=rnd, by=catalogue.users["coordinator"], paid_on=TODAY)
    with pytest.raises(DomainError):
        services.batch_pay(round=rnd, by=catalogue.users["coordinator"], paid_on=datetime.date(2100, 1, 1))


def test_a_firm_sees_only_its_own_matches_grants_and_payments_and_a_park_its_own_firms(catalogue, client_as):
    users = catalogue.users
    matching.match_run(on=TODAY)
    rnd = services.round_draw(policy=catalogue.award, by=users["coordinator"], on=TODAY)
    services.round_approve(round=rnd, by=users["coordinator"])
    grant_a = Grant.objects.get(enterprise=catalogue.enterprise_a)
    b = client_as(users["enterprise_b"])
    assert b.get(reverse("policy-grant", args=[grant_a.pk])).status_code == 404
    assert b.get(reverse("policy-match", args=[catalogue.award.pk, catalogue.enterprise_a.pk])).status_code == 404
    assert b.get(reverse("policy-round", args=[rnd.pk])).status_code == 403
    assert catalogue.enterprise_a.name not in b.get(reverse("policy-mine")).content.decode()
    officer_b = client_as(users["officer_b"])
    page = officer_b.get(reverse("policy-detail", args=[catalogue.award.pk])).content.decode()
    assert catalogue.enterprise_b.name in page and catalogue.enterprise_a.name not in page
    assert (
        officer_b.get(reverse("policy-match", args=[catalogue.award.pk, catalogue.enterprise_a.pk])).status_code == 404
    )
    for role in ("auditor", "sysadmin", "grid_a"):
        assert client_as(users[role]).get(reverse("policy-list")).status_code in (302, 403)
