"""In the browser: the park officer sorts the pool board and opens a firm's gaps; the economic development bureau
moves a project to its next stage with its evidence (a description and a photo), after being refused without it,
and moves the next milestone's plan on the project's form."""

import datetime
from decimal import Decimal

import pytest

from zhuqi.core.tests.browser import browser_marks, log_in
from zhuqi.growth import criteria, services
from zhuqi.growth.models import StageKind
from zhuqi.indicators.services import indicator_values_record
from zhuqi.projects.models import Milestone, Project, Stage

pytestmark = browser_marks
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.django_db(transaction=True)
def test_the_pool_board_on_a_phone(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    criteria.criteria_install()
    year = datetime.date.today().year - 1
    for firm, tech in ((zone.enterprise_a, 9), (zone.enterprise_b, 12)):
        services.stage_grant(by=None, enterprise=firm, kind=StageKind.POOL, plan="辅导研发费用归集",
                             granted_on=datetime.date(year - 1, 3, 1))  # fmt: skip
        indicator_values_record(enterprise=firm, period=str(year), by=zone.users["coordinator"],
                                values={"staff": 100, "tech_staff": tech})  # fmt: skip
    log_in(page, base, "coordinator")
    page.goto(f"{base}/growth/?sort=name")
    page.wait_for_selector("#pool-board")
    rows = page.locator(".pool-row")
    assert rows.count() == 2
    assert no_sideways_scroll(page)
    first = rows.nth(0).inner_text()
    assert "科技人员占比" in page.locator("#pool-board").inner_text()
    page.select_option("#g-sort", "met")
    page.click("button:has-text('查询')")
    page.wait_for_selector("#pool-board")
    assert rows.count() == 2 and first
    rows.filter(has_text=zone.enterprise_a.name).first.click()
    page.wait_for_selector("#high-tech-conditions")
    text = page.locator("#high-tech-conditions").inner_text()
    assert "科技人员占比 9%，需不低于 10%" in text and "需增加科技人员 1 人" in text
    assert no_sideways_scroll(page)


@pytest.mark.django_db(transaction=True)
def test_a_project_moves_a_stage_with_its_evidence(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    from zhuqi.org.tests.factories import DepartmentFactory

    project = Project.objects.create(name="森源电气智能开关柜扩能项目", owner=zone.enterprise_a, park=zone.park_a,
                                     industry="电气装备", total_investment=Decimal(45000),
                                     department=DepartmentFactory(name="经济发展局"), stage=Stage.SIGNED)  # fmt: skip
    Milestone.objects.create(project=project, stage=Stage.STARTED, planned_on=datetime.date.today())
    log_in(page, base, "officer_a")
    page.goto(f"{base}/projects/")
    page.click(f"#project-rows a:has-text('{project.name}')")
    page.wait_for_selector("#advance-form")
    assert page.locator("#project-stage").inner_text() == "签约"
    with page.expect_navigation():
        page.click("#advance-form button[type=submit]")
    assert "请提供证明材料" in page.locator("#advance-form").inner_text()
    page.fill("#id_evidence", "施工许可证已取得，开工仪式照片")
    page.set_input_files("#id_files", {"name": "开工仪式.png", "mimeType": "image/png", "buffer": PNG})
    with page.expect_navigation():
        page.click("#advance-form button[type=submit]")
    assert page.locator("#project-stage").inner_text() == "开工"
    assert "开工仪式.png" in page.locator("#milestones").inner_text()
    assert "施工许可证已取得" in page.locator("#project-history").inner_text()
    project.refresh_from_db()
    assert project.stage == Stage.STARTED
    # the plan moves on the project's own form, on the phone as well
    page.click("#project-edit")
    page.wait_for_selector("#project-form")
    assert no_sideways_scroll(page)
    page.fill("#id_plan_building", "2099-06-30")
    with page.expect_navigation():
        page.click("#project-form button[type=submit]")
    assert "建设计划日期" in page.locator("#project-history").inner_text()
    assert Milestone.objects.get(project=project, stage=Stage.BUILDING).planned_on == datetime.date(2099, 6, 30)
