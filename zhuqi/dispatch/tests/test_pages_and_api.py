"""The pages and the API for each role: a firm sees and reports only its own, a park its firms, the zone all; the
phone form shows each problem beside its field; the API submits through the same service."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from zhuqi.cases.tests.factories import CategoryFactory
from zhuqi.core.tests.test_scope_matrix import ROLES
from zhuqi.dispatch import services
from zhuqi.dispatch.models import DailyReport

from .conftest import values

pytestmark = pytest.mark.django_db
FIRMS_AND_STAFF = {"coordinator", "department", "officer_a", "officer_b", "enterprise_a", "enterprise_b"}


@pytest.fixture
def live(zone):
    """A period running today for 森源 (park A) only, its cut-off already past (00:00)."""
    today = timezone.localdate()
    period = services.period_create(by=zone.users["coordinator"], name="重污染天气应急调度", kind="pollution",
                                    starts_on=today, ends_on=today + datetime.timedelta(days=2),
                                    cutoff=datetime.time(0, 0), enterprises=[zone.enterprise_a])  # fmt: skip
    zone.period = services.period_open(by=zone.users["coordinator"], period=period)
    return zone


def statuses(client, zone, url):
    got = {}
    for role in ROLES:
        client.force_login(zone.users[role])
        got[role] = client.get(url).status_code
    return got


def test_the_list_is_for_the_firms_and_the_staff_who_work_with_them(live, client):
    got = statuses(client, live, reverse("dispatch-list"))
    assert got == {r: 200 if r in FIRMS_AND_STAFF else 403 for r in ROLES}
    client.force_login(live.users["enterprise_b"])  # not asked: the period is not listed for it
    assert "重污染天气应急调度" not in client.get(reverse("dispatch-list")).content.decode()


def test_the_figures_page_answers_each_role_as_the_scope_says(live, client):
    got = statuses(client, live, reverse("dispatch-period", args=[live.period.pk]))
    # park B has no firm in this period; the firm itself is sent to its form; the other firm finds nothing
    expected = {"coordinator": 200, "department": 200, "officer_a": 200, "officer_b": 404, "enterprise_a": 302,
                "enterprise_b": 404}  # fmt: skip
    assert got == {r: expected.get(r, 403) for r in ROLES}


def test_only_the_zone_office_creates_opens_and_closes_periods(live, client):
    assert statuses(client, live, reverse("dispatch-period-new")) == {
        r: 200 if r == "coordinator" else 403 for r in ROLES
    }
    client.force_login(live.users["officer_a"])
    assert client.post(reverse("dispatch-period-close", args=[live.period.pk])).status_code == 403


def test_the_report_form_is_the_firms_own_or_for_staff_who_may_report_for_it(live, client):
    url = reverse("dispatch-report", args=[live.period.pk])
    got = statuses(client, live, f"{url}?enterprise={live.enterprise_a.pk}")
    expected = {"coordinator": 200, "officer_a": 200, "enterprise_a": 200, "department": 404, "officer_b": 404,
                "enterprise_b": 404}  # fmt: skip
    assert got == {r: expected.get(r, 403) for r in ROLES}
    client.force_login(live.users["enterprise_a"])
    assert client.get(f"{url}?enterprise={live.enterprise_b.pk}").status_code == 404
    client.force_login(live.users["officer_a"])
    assert client.get(f"{url}?enterprise=abc").status_code == 404
    assert client.get(f"{url}?enterprise=99999999999999999999999").status_code == 404


def test_the_firm_fills_its_form_and_sees_each_problem_beside_its_field(live, client):
    client.force_login(live.users["enterprise_a"])
    url = reverse("dispatch-report", args=[live.period.pk])
    form = {"operating_status": "normal", "staff_on_duty": "120", "staff_planned": "100", "output_value": "",
            "capacity_utilisation": "", "normal_output": "10", "problems": "", "case_category": ""}  # fmt: skip
    page = client.post(url, form).content.decode()
    assert "在岗人数不能多于计划人数" in page and "请填写当日产值或产能利用率" in page
    assert not DailyReport.objects.exists()
    answer = client.post(url, form | {"staff_on_duty": "96", "capacity_utilisation": "85"}, follow=True)
    assert "今日调度已报送，谢谢！" in answer.content.decode()
    report = DailyReport.objects.get()
    assert (report.staff_on_duty, report.output_value, report.reported_by) == (96, 8.5, live.users["enterprise_a"])
    again = client.get(url).content.decode()  # prefilled for a correction
    assert "更正今日报送" in again and 'value="96"' in again


def test_as_it_is_typed_the_form_tells_the_problems_of_the_fields_filled_so_far(live, client):
    client.force_login(live.users["enterprise_a"])
    url = reverse("dispatch-report", args=[live.period.pk]) + "?check=1"
    answer = client.post(url, {"operating_status": "stopped", "staff_on_duty": "5", "staff_planned": "3",
                               "output_value": "2"}, headers={"HX-Request": "true"}).content.decode()  # fmt: skip
    assert (
        '<div id="err-staff_on_duty" hx-swap-oob="true"><div class="invalid-feedback d-block">在岗人数不能多于计划人数'
        in answer
    )
    assert "停工企业当日产值应为 0" in answer
    assert "请填写正常日产值" not in answer  # not filled yet
    assert not DailyReport.objects.exists()


def test_the_figures_page_shows_the_definitions_the_figures_and_the_silent_firms(live, client):
    client.force_login(live.users["coordinator"])
    page = client.get(reverse("dispatch-period", args=[live.period.pk])).content.decode()
    assert "未报送的企业按未复工计" in page and "截止时间未报送 (1)" in page and "河南森源电气股份有限公司" in page
    services.report_submit(by=live.users["enterprise_a"], period=live.period, enterprise=live.enterprise_a,
                           values=values(problems="天然气限供，窑炉无法满负荷"))  # fmt: skip
    page = client.get(reverse("dispatch-period", args=[live.period.pk])).content.decode()
    assert 'id="resumption-rate">100.0%' in page and "调度企业已全部报送" in page and "登记为诉求" in page


def test_staff_raise_a_reported_problem_as_a_case_from_the_figures_page(live, client):
    services.report_submit(by=live.users["enterprise_a"], period=live.period, enterprise=live.enterprise_a,
                           values=values(problems="天然气限供"))  # fmt: skip
    report = DailyReport.objects.get()
    client.force_login(live.users["officer_a"])
    answer = client.post(reverse("dispatch-report-case", args=[live.period.pk, report.pk]),
                         {"category": CategoryFactory().pk}, follow=True)  # fmt: skip
    report.refresh_from_db()
    assert report.case is not None and f"已登记为诉求 {report.case.number}" in answer.content.decode()
    client.force_login(live.users["officer_b"])  # another park's officer finds no such report
    assert client.post(reverse("dispatch-report-case", args=[live.period.pk, report.pk]),
                       {"category": 1}).status_code == 404  # fmt: skip


def test_the_workbench_sends_the_firm_to_its_form_and_lists_silent_firms_for_their_officer(live, client):
    client.force_login(live.users["enterprise_a"])
    page = client.get(reverse("workbench")).content.decode()
    assert (
        reverse("dispatch-report", args=[live.period.pk]) in page
        and "今日未报送，已过截止时间 00:00，请立即报送" in page
    )
    client.force_login(live.users["officer_a"])
    page = client.get(reverse("workbench")).content.decode()
    assert "我联系的企业中有 1 家截止时间未报送" in page and "河南森源电气股份有限公司" in page
    client.force_login(live.users["officer_b"])
    assert "截止时间未报送" not in client.get(reverse("workbench")).content.decode()
    client.force_login(live.users["coordinator"])  # the zone: the day's progress of each open period
    page = client.get(reverse("workbench")).content.decode()
    assert "今日调度" in page and "已报送 0/1 · 复工率 0.0%" in page


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


API_BODY = {"operating_status": "partial", "staff_on_duty": 40, "staff_planned": 80, "capacity_utilisation": 60,
            "normal_output": 20, "problems": "订单不足"}  # fmt: skip


def test_the_api_submits_through_the_same_service_and_reads_within_the_scope(live, client):
    url = f"/api/dispatch/periods/{live.period.pk}/reports"
    client.force_login(live.users["enterprise_a"])
    answer = post(client, url, API_BODY)
    assert answer.status_code == 201
    assert {k: answer.json()[k] for k in ("operating_status", "output_value", "capacity_utilisation")} == {
        "operating_status": "partial", "output_value": "12.00", "capacity_utilisation": "60.0"}  # fmt: skip
    wrong = post(client, url, API_BODY | {"staff_on_duty": 90})
    assert wrong.status_code == 400 and wrong.json() == {
        "code": "invalid", "message": "在岗人数不能多于计划人数", "field": "staff_on_duty"}  # fmt: skip
    assert post(client, url, API_BODY | {"enterprise_id": live.enterprise_b.pk}).status_code == 404
    assert client.get(f"/api/dispatch/periods/{live.period.pk}/figures").status_code == 403
    client.force_login(live.users["officer_a"])
    figures = client.get(f"/api/dispatch/periods/{live.period.pk}/figures?by=industry").json()
    assert (figures["zone"]["resumption_rate"], figures["zone"]["capacity_recovery_rate"]) == ("100.0", "60.0")
    assert [r["enterprise"] for r in client.get(url).json()] == ["河南森源电气股份有限公司"]
    client.force_login(live.users["officer_b"])
    assert client.get(url).status_code == 404
    assert client.get("/api/dispatch/periods").json() == []


def test_the_api_raises_the_problem_as_a_case_in_the_same_request(live, client):
    client.force_login(live.users["enterprise_a"])
    category = CategoryFactory()
    answer = post(
        client, f"/api/dispatch/periods/{live.period.pk}/reports", API_BODY | {"case_category_id": category.pk}
    )
    assert answer.status_code == 201 and answer.json()["case_number"].startswith("ZQ")
    missing = client.get(f"/api/dispatch/periods/{live.period.pk}/missing")
    assert missing.status_code == 403  # the cut-off list is the staff's
