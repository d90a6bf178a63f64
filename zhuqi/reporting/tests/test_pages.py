"""The pages: a firm fills one section at a time with the rules' messages beside the field, staff review beside
last year's values, the template goes out and comes back, the zone follows its campaign."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from zhuqi.reporting.models import ReturnState
from zhuqi.reporting.services import return_act

from .conftest import TODAY, good_values


@pytest.fixture
def open_window(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: TODAY)


def test_the_firm_fills_a_section_and_sees_the_rule_message_beside_the_field(zone, campaign, client_as, open_window):
    ret = campaign.returns.get(enterprise=zone.enterprise_a)
    client = client_as(zone.users["enterprise_a"])
    page = client.get(reverse("return-page", args=[ret.pk]) + "?section=people")
    assert page.status_code == 200 and 'name="v-rd_staff"' in page.text and 'name="v-revenue"' not in page.text
    check = client.post(reverse("return-check", args=[ret.pk]), {"section": "people", "v-tech_staff": "20", "v-rd_staff": "30"},
                        HTTP_HX_REQUEST="true")  # fmt: skip
    assert check.status_code == 200
    assert 'id="msg-tech_staff" hx-swap-oob="true"' in check.text
    assert "研究开发人员 30 人多于科技活动人员 20 人" in check.text
    saved = client.post(reverse("return-act", args=[ret.pk]), {"section": "people", "next": "technology",
                                                               "action": "save", "v-staff": "230"})  # fmt: skip
    assert saved.status_code == 302 and "section=technology" in saved["Location"]
    ret.refresh_from_db()
    assert ret.state == ReturnState.SAVED and ret.values["staff"] == "230"


ROLES = ["coordinator", "department", "officer_a", "officer_b", "grid_a", "enterprise_a", "enterprise_b", "auditor",
         "sysadmin", "security"]  # fmt: skip
BROWSE = {"coordinator", "department", "officer_a", "officer_b", "enterprise_a", "enterprise_b"}


@pytest.mark.parametrize("which", ["a", "b"])
def test_a_return_and_its_template_answer_each_role_as_the_scope_rules_say(zone, campaign, client, which):
    """A firm sees only its own return, a park its own firms', the zone and departments all; others nothing."""
    ret = campaign.returns.get(enterprise=zone.enterprise_a if which == "a" else zone.enterprise_b)
    sees = {"coordinator", "department", f"officer_{which}", f"enterprise_{which}"}
    for name in ("return-page", "return-template"):
        got = {}
        for role in ROLES:
            client.force_login(zone.users[role])
            got[role] = client.get(reverse(name, args=[ret.pk])).status_code
        assert got == {r: 200 if r in sees else 404 if r in BROWSE else 403 for r in ROLES}
    got = {}
    for role in ROLES:
        client.force_login(zone.users[role])
        got[role] = client.get(f"/api/reporting/returns/{ret.pk}").status_code
    assert got == {r: 200 if r in sees else 404 for r in ROLES if r not in ("sysadmin", "security")} | {
        r: got[r] for r in ("sysadmin", "security")
    }
    assert {got["sysadmin"], got["security"]} <= {401, 403, 404}


def test_the_park_reviews_beside_last_year_and_sends_back_with_a_comment(zone, campaign, client_as):
    ret = campaign.returns.get(enterprise=zone.enterprise_a)
    return_act(ret=ret, action="submit", by=zone.users["enterprise_a"], values=good_values(), today=TODAY)
    client = client_as(zone.users["officer_a"])
    page = client.get(reverse("return-page", args=[ret.pk]))
    assert 'id="review-table"' in page.text and 'value="park_return"' in page.text
    client.post(reverse("return-act", args=[ret.pk]), {"action": "park_return", "comment": "请核对出口"})
    ret.refresh_from_db()
    assert ret.state == ReturnState.SAVED and ret.events.last().comment == "请核对出口"


def test_the_excel_template_goes_out_and_comes_back(zone, campaign, client_as, open_window):
    ret = campaign.returns.get(enterprise=zone.enterprise_a)
    client = client_as(zone.users["enterprise_a"])
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("return-template", args=[ret.pk])).content))
    sheet = workbook.active
    assert [c.value for c in sheet[3]][:5] == ["分表", "代码", "指标名称", "计量单位", "本年数值"]
    rows = {sheet.cell(row=r, column=2).value: r for r in range(4, sheet.max_row + 1)}
    sheet.cell(row=rows["201"], column=5, value=120000)
    sheet.cell(row=rows["301"], column=5, value="两百")
    sheet.cell(row=rows["313"], column=5, value=12.5)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "火炬统计.xlsx"
    refused = client.post(reverse("return-upload", args=[ret.pk]), {"file": buffer})
    assert refused.status_code == 400
    assert f"第 {rows['301']} 行第 E 列" in refused.text and "不是数字" in refused.text
    assert f"第 {rows['313']} 行第 E 列" in refused.text
    ret.refresh_from_db()
    assert "revenue" not in ret.values  # nothing half-written

    sheet.cell(row=rows["301"], column=5, value=230)
    sheet.cell(row=rows["313"], column=5, value=30)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "火炬统计.xlsx"
    assert client.post(reverse("return-upload", args=[ret.pk]), {"file": buffer}).status_code == 302
    ret.refresh_from_db()
    assert ret.values["revenue"] == "120000" and ret.values["staff"] == "230" and ret.state == ReturnState.SAVED


def test_the_zone_follows_progress_by_park_reminds_and_exports(zone, campaign, client_as, mailoutbox):
    ret = campaign.returns.get(enterprise=zone.enterprise_a)
    return_act(ret=ret, action="submit", by=zone.users["enterprise_a"], values=good_values(), today=TODAY)
    client = client_as(zone.users["coordinator"])
    page = client.get(reverse("stats-campaign-detail", args=[campaign.pk]))
    assert page.status_code == 200 and "100.0%" in page.text and "0.0%" in page.text
    client.post(reverse("stats-campaign-remind", args=[campaign.pk]))
    from zhuqi.notifications.models import Notification

    assert Notification.objects.filter(recipient=zone.users["enterprise_b"], title__contains="催报").count() == 1
    assert Notification.objects.filter(recipient=zone.users["enterprise_a"], title__contains="催报").count() == 0
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("stats-campaign-export", args=[campaign.pk])).content)
    )
    totals = {row[1]: row for row in workbook.worksheets[0].iter_rows(min_row=3, values_only=True)}
    assert totals["201"][4] == 120000  # 营业收入, 千元, zone total of the submitted returns
    assert workbook.worksheets[1].max_row == 3
    park_b = client_as(zone.users["officer_b"]).get(reverse("stats-campaign-detail", args=[campaign.pk]))
    assert zone.enterprise_a.name not in park_b.text and zone.enterprise_b.name in park_b.text


def test_the_api_reads_and_submits_a_return_through_the_same_service(zone, campaign, client_as, open_window):
    ret = campaign.returns.get(enterprise=zone.enterprise_a)
    client = client_as(zone.users["enterprise_a"])
    assert [r["id"] for r in client.get("/api/reporting/returns").json()] == [ret.pk]
    refused = client.post(f"/api/reporting/returns/{ret.pk}/act", {"action": "submit", "values": good_values(rd_staff="60")},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "研究开发人员 60 人多于科技活动人员 46 人" in refused.json()["message"]
    done = client.post(f"/api/reporting/returns/{ret.pk}/act", {"action": "submit", "values": good_values(), "version": 1},
                       content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    stale = client_as(zone.users["officer_a"]).post(f"/api/reporting/returns/{ret.pk}/act",
                                                    {"action": "park_approve", "version": 1}, content_type="application/json")  # fmt: skip
    assert stale.status_code == 409
    detail = client_as(zone.users["officer_a"]).get(f"/api/reporting/returns/{ret.pk}").json()
    assert detail["actions"] == ["park_approve", "park_return"] and detail["values"]["revenue"] == "120000"
    assert {o["verdict"] for o in detail["outcomes"]} <= {"true", "unknown"}


def test_the_zone_opens_a_campaign_for_the_firms_it_picks_and_only_the_zone_may(zone, torch, client_as):
    form = {"version": torch.pk, "period": "2024", "title": "2024 年火炬统计年报", "opens_on": "2025-01-05",
            "due_on": "2025-03-31", "closes_on": "2025-04-15", "parks": [zone.park_a.pk]}  # fmt: skip
    assert client_as(zone.users["officer_a"]).post(reverse("stats-campaign-list"), form).status_code == 404
    created = client_as(zone.users["coordinator"]).post(reverse("stats-campaign-list"), form)
    assert created.status_code == 302
    from zhuqi.reporting.models import Campaign

    campaign = Campaign.objects.get()
    assert list(campaign.returns.values_list("enterprise", flat=True)) == [zone.enterprise_a.pk]
    wrong = client_as(zone.users["coordinator"]).post(reverse("stats-campaign-list"), {**form, "due_on": "2024-12-01"})
    assert wrong.status_code == 200 and "依次排列" in wrong.text


def test_last_years_yes_or_no_reads_in_words_beside_the_field():
    from django.utils import translation

    from zhuqi.reporting.selectors import _shown

    with translation.override("zh-hans"):
        assert (_shown(True), _shown(False), _shown(Decimal("1200.50"))) == ("是", "否", "1200.5")
