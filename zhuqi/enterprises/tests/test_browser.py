"""A service officer on a phone: log in, find an enterprise by pinyin initials, log a visit, see it on the timeline."""

import pytest

from zhuqi.core.tests.browser import ARTIFACTS, browser_marks
from zhuqi.org.tests.factories import PASSWORD

pytestmark = browser_marks


@pytest.mark.django_db(transaction=True)
def test_officer_finds_an_enterprise_by_pinyin_and_logs_a_visit_on_a_phone(zone, live_server, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "officer_a")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "工作台"

    page.goto(f"{live_server.url}/enterprises/")
    page.fill("input[name=q]", "sydq")
    page.wait_for_url("**q=sydq**")
    results = page.locator("#enterprise-results tbody tr")
    results.first.wait_for()
    assert results.count() == 1
    page.click("text=河南森源电气股份有限公司")

    page.click("text=登记走访")
    page.fill("#id_topics", "了解四季度用工需求，宣讲稳岗补贴政策")
    page.fill("#id_people_met", "刘经理")
    page.fill("#id_problems", "招工难，缺少电工")
    page.click("button:has-text('保存走访')")
    page.wait_for_selector("#timeline")
    timeline = page.locator("#timeline").inner_text()
    assert "了解四季度用工需求" in timeline and "收集问题 1 件" in timeline
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "officer-visit-phone.png"), full_page=True)
    assert page.console_errors == []
