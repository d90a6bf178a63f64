"""Stages with their history, the counted facts, reminders once each, rounds against the forecast, and who sees
what on the pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from zhuqi.growth import criteria, selectors, services
from zhuqi.growth.models import ReminderSent, Result, Stage, StageKind
from zhuqi.notifications.models import Notification


@pytest.fixture
def growth(zone):
    criteria.criteria_install()
    return zone


def test_a_high_tech_certificate_lasts_three_years_and_takes_the_firm_out_of_the_pool(growth):
    firm, officer = growth.enterprise_a, growth.users["officer_a"]
    pooled = services.stage_grant(by=officer, enterprise=firm, kind=StageKind.POOL, plan="每季度走访，辅导研发费用归集",
                                  granted_on=datetime.date(2021, 3, 1))  # fmt: skip
    cert = services.stage_grant(by=officer, enterprise=firm, kind=StageKind.HIGH_TECH, number="GR202241000123",
                                granted_on=datetime.date(2022, 12, 1))  # fmt: skip
    assert cert.valid_until == datetime.date(2025, 11, 30) and cert.review_year == 2025
    pooled.refresh_from_db()
    assert pooled.ended_on == datetime.date(2022, 12, 1)
    assert [e.action for e in pooled.events.all()] == ["granted", "ended"]
    facts = selectors.counted_facts(enterprise_ids=[firm.pk, growth.enterprise_b.pk], period="2022")
    assert facts[firm.pk]["is_high_tech"] and not facts[firm.pk]["in_cultivation_pool"]
    assert selectors.counted_facts(enterprise_ids=[firm.pk], period="2021")[firm.pk]["in_cultivation_pool"]
    assert not selectors.counted_facts(enterprise_ids=[firm.pk], period="2025")[firm.pk]["is_high_tech"]
    assert facts[growth.enterprise_b.pk] == dict.fromkeys(facts[firm.pk], False)


def test_a_park_officer_records_only_its_own_firms_and_a_firm_nothing(growth):
    with pytest.raises(services.DomainError):
        services.stage_grant(by=growth.users["officer_a"], enterprise=growth.enterprise_b, kind=StageKind.GAZELLE,
                             granted_on=datetime.date(2024, 1, 1))  # fmt: skip
    with pytest.raises(services.DomainError):
        services.stage_grant(by=growth.users["enterprise_a"], enterprise=growth.enterprise_a,
                             kind=StageKind.GAZELLE, granted_on=datetime.date(2024, 1, 1))  # fmt: skip
    with pytest.raises(services.DomainError) as refused:
        services.stage_grant(by=growth.users["officer_a"], enterprise=growth.enterprise_a, kind=StageKind.POOL,
                             granted_on=datetime.date(2024, 1, 1), plan="  ")  # fmt: skip
    assert refused.value.field == "plan"
    assert not Stage.objects.exists()


def test_expiry_and_annual_report_reminders_are_sent_once_each(growth):
    firm = growth.enterprise_a
    services.stage_grant(by=None, enterprise=firm, kind=StageKind.HIGH_TECH, number="GR202341000001",
                         granted_on=datetime.date(2023, 6, 1))  # valid to 2026-05-31  # fmt: skip
    assert services.reminders_send(today=datetime.date(2026, 2, 1)) == {"expiry": 0, "annual_report": 0}
    assert services.reminders_send(today=datetime.date(2026, 3, 2)) == {"expiry": 1, "annual_report": 0}
    assert services.reminders_send(today=datetime.date(2026, 3, 3)) == {"expiry": 0, "annual_report": 0}
    # May: the report on 2025 is not filed: told once, not again the next day; filed firms are not told
    assert services.reminders_send(today=datetime.date(2026, 5, 2))["annual_report"] == 1
    assert services.reminders_send(today=datetime.date(2026, 5, 3))["annual_report"] == 0
    assert ReminderSent.objects.count() == 2
    told = Notification.objects.filter(recipient=growth.users["enterprise_a"])
    assert told.count() == 2 and Notification.objects.filter(recipient=growth.users["officer_a"]).count() == 2
    services.annual_report_record(by=None, enterprise=firm, year=2026, filed_on=datetime.date(2027, 5, 1))
    assert services.reminders_send(today=datetime.date(2027, 5, 2))["annual_report"] == 0


def test_a_round_keeps_the_pool_forecast_beside_the_result(growth):
    office = growth.users["coordinator"]
    entries = services.round_apply(by=office, year=2025, enterprises=[growth.enterprise_a, growth.enterprise_b])
    assert {e.forecast for e in entries} == {"unknown"}  # no statistics: the forecast says so, not a pass
    services.round_result(by=office, entry=entries[0], result=Result.PASSED, number="GR202541000009",
                          granted_on=datetime.date(2025, 12, 1))  # fmt: skip
    with pytest.raises(services.DomainError):
        services.round_result(by=office, entry=entries[1], result=Result.FAILED, reasons="")
    services.round_result(by=office, entry=entries[1], result=Result.FAILED, reasons="科技人员占比不足 10%")
    year = selectors.funnel(user=office)[0]
    assert (year["applied"], year["passed"], year["failed"], year["passed_new"]) == (2, 1, 1, 1)
    assert Stage.objects.get(enterprise=growth.enterprise_a).number == "GR202541000009"


def test_pages_and_scope(growth, client):
    services.stage_grant(by=None, enterprise=growth.enterprise_a, kind=StageKind.POOL, plan="辅导研发费用归集",
                         granted_on=datetime.date(2024, 3, 1))  # fmt: skip
    services.stage_grant(by=None, enterprise=growth.enterprise_b, kind=StageKind.POOL, plan="对接高校",
                         granted_on=datetime.date(2024, 3, 1))  # fmt: skip
    client.force_login(growth.users["officer_a"])
    page = client.get(reverse("growth-pool")).content.decode()
    assert growth.enterprise_a.name in page and growth.enterprise_b.name not in page
    assert client.get(reverse("growth-firm", args=[growth.enterprise_b.pk])).status_code == 404
    assert client.get(reverse("growth-firm", args=[growth.enterprise_a.pk])).status_code == 200
    assert client.get(reverse("growth-funnel")).status_code == 200
    # a stage refused keeps what was typed
    answer = client.post(reverse("growth-stage-new", args=[growth.enterprise_a.pk]),
                         {"kind": "high_tech", "number": "", "granted_on": "2024-12-01", "plan": "保留的文字"})  # fmt: skip
    assert answer.status_code == 200 and "请填写证书编号" in answer.content.decode()
    assert "保留的文字" in answer.content.decode()
    client.force_login(growth.users["enterprise_a"])
    assert client.get(reverse("growth-pool")).status_code == 403
    mine = client.get(reverse("growth-standing")).content.decode()
    assert growth.enterprise_a.name in mine and growth.enterprise_b.name not in mine
    assert client.get(reverse("growth-firm", args=[growth.enterprise_a.pk])).status_code == 403
    assert "growth-card" in client.get(reverse("workbench")).content.decode()


def test_the_firm_sees_which_policies_its_next_stage_would_open(growth, client):
    from zhuqi.policies.models import Category, Policy

    on = datetime.date(2024, 3, 1)
    Policy.objects.create(title="高新技术企业认定奖励", issuer="管委会", category=Category.INNOVATION, summary="奖励",
                          tags=["高新技术企业"], valid_from=datetime.date(2024, 1, 1))  # fmt: skip
    Policy.objects.create(title="专精特新企业奖励", issuer="管委会", category=Category.INNOVATION, summary="奖励",
                          tags=["专精特新"], valid_from=datetime.date(2024, 1, 1))  # fmt: skip
    Policy.objects.create(title="已废止的高企奖励", issuer="管委会", category=Category.INNOVATION, summary="奖励",
                          tags=["高新技术企业"], valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2023, 12, 31))  # fmt: skip
    # no stage yet: the first rung; a 科技型中小企业 is next for 高新技术企业, whose policy in force is named
    assert selectors.next_stage_policies(held=[], on=on)["kind"] == StageKind.TECH_SME
    services.stage_grant(by=None, enterprise=growth.enterprise_a, kind=StageKind.TECH_SME, number="202441040100000001",
                         granted_on=datetime.date(timezone.localdate().year, 1, 1))  # in force today  # fmt: skip
    found = selectors.next_stage_policies(held=[StageKind.TECH_SME, StageKind.GAZELLE], on=on)
    assert found["kind"] == StageKind.HIGH_TECH and [p["title"] for p in found["policies"]] == ["高新技术企业认定奖励"]
    assert selectors.next_stage_policies(held=[StageKind.LITTLE_GIANT], on=on) is None
    client.force_login(growth.users["enterprise_a"])
    assert "高新技术企业认定奖励" in client.get(reverse("workbench")).content.decode()
    mine = client.get("/api/growth/standing").json()
    assert mine["enterprise_id"] == growth.enterprise_a.pk and mine["next_stage"]["kind"] == "high_tech"
    assert [p["title"] for p in mine["next_stage"]["policies"]] == ["高新技术企业认定奖励"]


def test_the_api_gives_a_firm_only_its_own_standing_and_the_pool_to_staff(growth, client):
    a, b = growth.enterprise_a, growth.enterprise_b
    for firm in (a, b):
        services.stage_grant(
            by=None, enterprise=firm, kind=StageKind.POOL, plan="辅导", granted_on=datetime.date(2024, 3, 1)
        )
    client.force_login(growth.users["enterprise_a"])
    assert client.get(f"/api/growth/firms/{a.pk}/standing").status_code == 200
    assert client.get(f"/api/growth/firms/{b.pk}/standing").status_code == 404
    assert client.get("/api/growth/pool").status_code == 403
    client.force_login(growth.users["officer_a"])
    assert client.get("/api/growth/standing").status_code == 403
    assert client.get(f"/api/growth/firms/{b.pk}/standing").status_code == 404
    standing = client.get(f"/api/growth/firms/{a.pk}/standing").json()
    assert (
        standing["high_tech"] == "unknown" and standing["gaps"][0]["missing"]
    )  # no statistics: unknown, with the list
    assert [r["name"] for r in client.get("/api/growth/pool").json()] == [a.name]
    paths = set(client.get("/api/openapi.json").json()["paths"])
    assert {"/api/growth/standing", "/api/growth/firms/{enterprise_id}/standing", "/api/growth/pool"} <= paths
