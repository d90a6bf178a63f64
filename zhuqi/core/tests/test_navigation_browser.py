"""The left navigation by area: a drawer on a phone, a column beside the page on a desktop."""

import pytest

from zhuqi.core.tests.browser import ARTIFACTS, browser_marks, log_in

pytestmark = browser_marks


@pytest.mark.django_db(transaction=True)
def test_the_navigation_is_a_drawer_on_a_phone_and_a_column_on_a_desktop(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    log_in(page, base, "coordinator")
    drawer = page.locator("#sidebar")
    assert not drawer.locator("text=实时监测").is_visible()  # closed until the menu button opens it
    page.click("button[aria-controls=sidebar]")
    page.locator("#sidebar.offcanvas-lg.show").wait_for()
    page.wait_for_function("getComputedStyle(document.querySelector('#sidebar')).transform === 'none'")
    assert drawer.locator(".app-nav-area", has_text="安全生产").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "navigation-phone.png"))
    drawer.locator("a", has_text="实时监测").click()
    page.wait_for_url(f"{base}/monitoring/**")
    assert page.locator("#sidebar a[aria-current=page]").text_content().strip() == "实时监测"

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/")
    assert drawer.locator("a", has_text="资质到期").is_visible()  # beside the page, no menu button
    assert not page.locator("button[aria-controls=sidebar]").is_visible()
    page.screenshot(path=str(ARTIFACTS / "navigation-desktop.png"))
    drawer.locator("a", has_text="资质到期").click()
    page.wait_for_url("**/qualifications/**")
    assert page.console_errors == []
