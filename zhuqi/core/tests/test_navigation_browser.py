"""The header's menus by area, on a phone's collapsed menu and on a desktop's top bar."""

import pytest

from zhuqi.core.tests.browser import ARTIFACTS, browser_marks, log_in

pytestmark = browser_marks


@pytest.mark.django_db(transaction=True)
def test_the_area_menus_open_and_lead_on_a_phone_and_on_a_desktop(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    log_in(page, base, "coordinator")
    assert not page.locator("text=实时监测").is_visible()
    page.click(".navbar-toggler")
    page.locator("#mainnav.collapse.show").wait_for()  # opened, not still sliding open
    page.click(".navbar-nav >> text=安全生产")
    page.locator(".dropdown-menu >> text=实时监测").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "navigation-phone.png"))
    page.click(".dropdown-menu >> text=实时监测")
    page.wait_for_url(f"{base}/monitoring/**")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/")
    assert page.locator(".navbar-nav >> text=企业服务").is_visible()  # the top bar, no toggler
    page.click(".navbar-nav >> text=企业服务")
    page.locator(".dropdown-menu >> text=资质到期").wait_for()
    page.screenshot(path=str(ARTIFACTS / "navigation-desktop.png"))
    page.click(".dropdown-menu >> text=资质到期")
    page.wait_for_url("**/qualifications/**")
    assert page.console_errors == []
