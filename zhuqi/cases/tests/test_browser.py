"""The whole loop on a phone, across four logins: the enterprise submits, the park assigns, the department
handles, the park verifies, the enterprise rates."""

import datetime

import pytest

from zhuqi.cases.models import Case
from zhuqi.cases.tests.factories import CategoryFactory
from zhuqi.cases.workflow import Status
from zhuqi.core.tests.browser import ARTIFACTS, browser_marks, log_in
from zhuqi.org.models import Department

pytestmark = browser_marks


def take(page, action):
    page.click(f"#action-{action} button[name=do]")
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_the_loop_across_four_logins_on_a_phone(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    CategoryFactory(name="安全生产", department=Department.objects.get(name="应急管理局"), deadline_workdays=5)

    log_in(page, base, "enterprise_a")
    page.click("text=提交诉求")
    page.select_option("#id_category", label="安全生产")
    page.fill("#id_description", "车间东侧消防通道被外来车辆占用，希望协调清理")
    page.click("button:has-text('提交')")
    page.wait_for_url("**/cases/*/")
    case = Case.objects.get()
    assert page.locator("#case-status").inner_text() == "待受理"

    log_in(page, base, "officer_a")
    page.click(f"#case-queue >> text={zone.enterprise_a.name}")
    page.select_option("#id_assign-department", label="应急管理局")
    page.fill("#id_assign-deadline_workdays", "5")
    take(page, "assign")
    assert page.locator("#case-status").inner_text() == "已交办"
    assert "剩余 5 个工作日" in page.locator("main").inner_text()

    log_in(page, base, "department")
    assert page.locator("#unread-count").inner_text() == "1"
    page.click(f"#case-queue >> text={zone.enterprise_a.name}")
    take(page, "accept")
    page.fill("#id_report_result-comment", "已联系交警清理占道车辆，并在通道口设置禁停标志")
    page.check("#action-report_result input[value=solved]")
    take(page, "report_result")
    assert page.locator("#case-status").inner_text() == "待核查"

    log_in(page, base, "officer_a")
    page.goto(f"{base}/cases/{case.pk}/")
    take(page, "verify")
    assert page.locator("#case-status").inner_text() == "已办结"

    log_in(page, base, "enterprise_a")
    page.click("#case-queue >> text=安全生产")
    page.check("#action-rate input[value=satisfied]")
    page.fill("#id_rate-comment", "处理及时，谢谢")
    take(page, "rate")
    assert page.locator("#case-status").inner_text() == "已评价"
    history = page.locator("#case-history").inner_text()
    for step in ("交办", "受理", "反馈办理结果", "核查通过", "评价"):
        assert step in history
    case.refresh_from_db()
    assert (case.status, case.rating, case.closed_on_time) == (Status.RATED, "satisfied", True)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "case-loop-phone.png"), full_page=True)
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_a_result_refused_for_want_of_a_choice_keeps_the_typed_text_beside_its_message(zone, live_server, phone_page):
    from zhuqi.cases import services

    page, base = phone_page, live_server.url
    category = CategoryFactory(name="安全生产", department=Department.objects.get(name="应急管理局"))
    case = services.case_submit(
        by=zone.users["enterprise_a"],
        enterprise=zone.enterprise_a,
        category=category,
        description="消防通道被占用",
        source="enterprise",
    )
    services.case_act(case=case, action="assign", by=zone.users["coordinator"])
    services.case_act(case=case, action="accept", by=zone.users["department"])

    log_in(page, base, "department")
    page.goto(f"{base}/cases/{case.pk}/")
    text = "已联系交警清理占道车辆，并在通道口设置禁停标志"
    page.fill("#id_report_result-comment", text)
    take(page, "report_result")
    assert page.locator("#id_report_result-comment").input_value() == text
    message = page.locator("#action-report_result .field-error").inner_text()
    assert "请选择办理结果" in message
    assert page.locator("#action-report_result").is_visible()
    page.check("#action-report_result input[value=solved]")
    take(page, "report_result")
    assert page.locator("#case-status").inner_text() == "待核查"
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_the_assign_form_shows_the_categorys_department_and_deadline(zone, live_server, phone_page):
    from zhuqi.cases import services

    page, base = phone_page, live_server.url
    category = CategoryFactory(
        name="安全生产", department=Department.objects.get(name="应急管理局"), deadline_workdays=7
    )
    case = services.case_submit(
        by=zone.users["enterprise_a"],
        enterprise=zone.enterprise_a,
        category=category,
        description="消防通道被占用",
        source="enterprise",
    )
    log_in(page, base, "coordinator")
    page.goto(f"{base}/cases/{case.pk}/")
    department = page.locator("#id_assign-department")
    assert department.locator("option:checked").inner_text() == "应急管理局"
    assert page.locator("#id_assign-deadline_workdays").input_value() == "7"


@pytest.mark.django_db(transaction=True)
def test_the_figures_chart_legend_stays_clear_of_the_axes_on_a_phone(zone, live_server, phone_page):
    from zhuqi.cases.tests.factories import CaseFactory

    page, base = phone_page, live_server.url
    for name in ("应急管理局", "经济发展局", "人力资源和社会保障局", "自然资源和规划局"):
        department = Department.objects.get_or_create(name=name)[0]
        category = CategoryFactory(name=f"{name}事项", department=department)
        CaseFactory(
            enterprise=zone.enterprise_a, park=zone.park_a, reporter=zone.users["officer_a"], category=category,
            lead_department=department, status=Status.IN_PROGRESS, assigned_on=datetime.date.today(),
            deadline=datetime.date.today() + datetime.timedelta(days=10),
        )  # fmt: skip
    log_in(page, base, "coordinator")
    page.goto(f"{base}/cases/figures/")
    page.wait_for_function("() => window.echarts && echarts.getInstanceByDom(document.getElementById('figures-chart'))")
    legend_bottom, grid_top = page.evaluate(
        """() => {
          const chart = echarts.getInstanceByDom(document.getElementById('figures-chart'));
          const legend = chart.getViewOfComponentModel(chart.getModel().getComponent('legend')).group.getBoundingRect();
          const view = chart.getViewOfComponentModel(chart.getModel().getComponent('legend')).group;
          const grid = chart.getModel().getComponent('grid').coordinateSystem.getRect();
          return [view.y + legend.y + legend.height, grid.y];
        }"""
    )
    assert legend_bottom <= grid_top
    assert page.console_errors == []
