"""On a phone: a grid member reports a street stall; it appears in the urban-management bureau's queue."""

import pytest

from zhuqi.cases.models import Category
from zhuqi.core.tests.browser import ARTIFACTS, browser_marks, log_in
from zhuqi.grids.models import INCIDENT_KIND
from zhuqi.org.models import Department, Role
from zhuqi.org.tests.factories import UserFactory

pytestmark = browser_marks


@pytest.mark.django_db(transaction=True)
def test_a_reported_stall_reaches_the_urban_management_queue(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    urban = Department.objects.create(name="城市管理和综合执法局")
    UserFactory(username="chengguan", role=Role.DEPARTMENT_HANDLER, department=urban)
    Category.objects.create(
        kind=INCIDENT_KIND, name="流动摊贩", department=urban, deadline_workdays=3, routes_directly=True
    )

    log_in(page, base, "grid_a")
    page.goto(f"{base}/grids/")
    page.click("#report-incident")
    page.select_option("#id_category", label="流动摊贩")
    page.fill("#id_description", "学校门口流动摊贩聚集，影响学生通行")
    page.fill("#id_location", "祁营村小学门口")
    page.click("button:has-text('上报')")
    page.wait_for_url(f"{base}/grids/")
    assert "学校门口流动摊贩聚集" in page.locator("main").inner_text()

    log_in(page, base, "chengguan")
    queue = page.locator("#case-queue").inner_text()
    assert "学校门口流动摊贩聚集" in queue and "剩余 3 个工作日" in queue
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "grid-incident-phone.png"), full_page=True)
    assert page.console_errors == []
