"""On a phone: the zone office opens September's ranking, a unit's scores and a score's working, then adjusts one
with its reason; the department opens its own scores. The page never scrolls sideways."""

import pytest
from django.urls import reverse

from zhuqi.core.tests.browser import browser_marks, log_in

from .conftest import MONTH, YEAR

pytestmark = browser_marks


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.django_db(transaction=True)
def test_the_ranking_a_units_working_and_an_adjustment_on_a_phone(september, live_server, phone_page):
    page, base = phone_page, live_server.url
    log_in(page, base, "coordinator")
    page.goto(base + reverse("assessment-ranking") + f"?month={YEAR}-{MONTH:02d}")
    page.wait_for_selector("#ranking")
    assert no_sideways_scroll(page)
    assert "70.00" in page.locator("#ranking").inner_text()
    page.screenshot(path="test-artifacts/assessments-ranking-phone.png", full_page=True)
    page.click(f"#ranking a[href='{reverse('assessment-unit', args=[september['department'], YEAR, MONTH])}']")
    page.wait_for_selector("#lines")
    page.click("#line-on_time_rate summary")
    assert "cases_closed_on_time" in page.locator("#line-on_time_rate").inner_text()
    page.select_option("#adj-indicator", "supervision")
    page.fill("#adj-points", "2")
    page.fill("#adj-reason", "督办件提前办结")
    page.click("text=保存调整")
    page.wait_for_selector("#history")
    assert "督办件提前办结" in page.locator("#line-supervision").inner_text()
    assert "38.79" in page.locator("#total").inner_text()
    assert no_sideways_scroll(page)
    page.screenshot(path="test-artifacts/assessments-unit-phone.png", full_page=True)
    assert page.console_errors == []
