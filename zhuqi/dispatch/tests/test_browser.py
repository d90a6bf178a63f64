"""On a phone: the firm opens today's report from its 工作台, taps its status, meets a problem beside a field as
it types (and again when it submits anyway), corrects it, submits, and raises its difficulty as a case in the same step; the page never scrolls sideways."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from zhuqi.cases.models import Case
from zhuqi.cases.tests.factories import CategoryFactory
from zhuqi.core.tests.browser import browser_marks, log_in
from zhuqi.dispatch import services
from zhuqi.dispatch.models import DailyReport

pytestmark = browser_marks


def checks_settled(page):
    """The checks as typed have all answered (past their 600 ms debounce), before the form is submitted: the live
    server's SQLite connection is shared between its threads, so two requests at once would trip each other."""
    page.wait_for_timeout(700)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.django_db(transaction=True)
def test_a_firm_reports_its_day_on_a_phone_and_raises_its_problem_as_a_case(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    # a transactional test before this one flushed the figures' indicators the app's migration declares
    import_module("zhuqi.dispatch.migrations.0002_figure_indicators").declare(apps, None)
    category = CategoryFactory(name="用工")
    today = timezone.localdate()
    period = services.period_create(by=zone.users["coordinator"], name="节后复工复产调度", kind="resumption",
                                    starts_on=today, ends_on=today + datetime.timedelta(days=5),
                                    enterprises=[zone.enterprise_a])  # fmt: skip
    services.period_open(by=zone.users["coordinator"], period=period)

    log_in(page, base, "enterprise_a")
    page.click("#dispatch-card a:has-text('节后复工复产调度')")
    page.wait_for_selector("#report-form")
    assert no_sideways_scroll(page)
    status = page.locator("label[for='id_operating_status_1']")  # 部分
    assert status.inner_text() == "部分" and status.bounding_box()["height"] >= 44
    status.click()
    page.fill("#id_staff_on_duty", "130")
    page.fill("#id_staff_planned", "120")
    page.wait_for_selector("#err-staff_on_duty .invalid-feedback")  # as it is typed, before submitting
    assert page.locator("#err-staff_on_duty").inner_text() == "在岗人数不能多于计划人数"
    assert page.locator("#err-normal_output").inner_text() == ""  # not filled yet: not told off yet
    page.fill("#id_capacity_utilisation", "60")
    page.fill("#id_normal_output", "15")
    page.fill("#id_problems", "节后返岗工人不足，急需招聘普工 30 名")
    page.select_option("#id_case_category", label="用工")
    checks_settled(page)
    with page.expect_navigation():  # submitted anyway: the server says the same
        page.click("#report-submit")
    assert "在岗人数不能多于计划人数" in page.locator("#report-form").inner_text()
    assert not DailyReport.objects.exists()
    assert page.locator("#id_operating_status_1").is_checked()  # what was typed is kept
    page.fill("#id_staff_on_duty", "96")
    checks_settled(page)
    with page.expect_navigation():
        page.click("#report-submit")
    page.wait_for_selector("#reported")
    case = Case.objects.get()
    assert f"今日调度已报送，问题已登记为诉求 {case.number}。谢谢！" in page.locator("main").inner_text()
    report = DailyReport.objects.get()
    assert (report.operating_status, report.staff_on_duty, report.output_value, report.case_id) == (
        "partial", 96, 9, case.pk)  # fmt: skip
    assert case.enterprise == zone.enterprise_a and case.category == category
    assert no_sideways_scroll(page) and page.console_errors == []
