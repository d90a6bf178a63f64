"""On a phone: an inspector walks a checklist and records one hazard with a photo, both sides sign; the
enterprise reports the rectification with the five in place; a second inspector re-checks and closes it."""

import pytest

from zhuqi.cases.models import Case
from zhuqi.core.tests.browser import ARTIFACTS, browser_marks, log_in
from zhuqi.inspections.models import Inspection
from zhuqi.org.models import Role
from zhuqi.org.tests.factories import UserFactory

from .factories import PNG, make_checklist

pytestmark = browser_marks
PHOTO = {"name": "hazard.png", "mimeType": "image/png", "buffer": PNG}


def sign(page, canvas):
    page.locator(canvas).scroll_into_view_if_needed()
    box = page.locator(canvas).bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 18, box["y"] + 40 + (step % 3) * 25)
    page.mouse.up()


def inspection_opened_on_phone(page, base, enterprise, checklist) -> Inspection:
    """The department's inspector logs in on the phone and opens the checklist for the enterprise."""
    log_in(page, base, "department")
    page.goto(f"{base}/inspections/new/?enterprise={enterprise.pk}")
    page.select_option("#id_checklist", label=checklist.name)
    page.click("button:has-text('打开检查表')")
    page.wait_for_selector("#inspection-form")
    return Inspection.objects.get()


@pytest.mark.django_db(transaction=True)
def test_a_hazard_found_on_a_phone_is_rectified_and_closed_by_a_second_inspector(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    inspector = zone.users["department"]
    UserFactory(username="inspector2", role=Role.DEPARTMENT_HANDLER, department=inspector.department)
    checklist = make_checklist(inspector.department, by=inspector)

    inspection = inspection_opened_on_phone(page, base, zone.enterprise_a, checklist)
    for answer in inspection.answers.select_related("item"):
        chosen = 1 if answer.item.position == 1 else 0  # 合格 / 隐患 / 不适用
        page.click(f"label[for='id_outcome_{answer.item_id}_{chosen}']")
    hazard_item = inspection.answers.get(item__position=1).item_id
    page.fill(f"#id_description_{hazard_item}", "消防通道堆放纸箱，安全出口被堵")
    page.fill(f"#id_place_{hazard_item}", "成品仓库")
    page.set_input_files(f"input[name='photos_{hazard_item}']", files=[PHOTO])
    page.fill("#id_representative", "王安全")
    sign(page, "#pad-inspector")
    sign(page, "#pad-representative")
    page.click("#submit-inspection")
    page.wait_for_selector("#inspection-status")
    assert page.locator("#inspection-status").inner_text() == "已提交"
    case = Case.objects.get(kind="hazard")
    assert case.number in page.locator("main").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "inspection-record-phone.png"), full_page=True)

    log_in(page, base, "enterprise_a")
    page.goto(f"{base}/cases/{case.pk}/")
    assert "消防通道堆放纸箱" in page.locator("main").inner_text()
    page.fill("#id_rectify-comment", "已清理纸箱，划定消防通道标线")
    page.fill("#id_rectify-measures", "清理堆放物品，设置禁止堆放标识")
    page.fill("#id_rectify-responsible", "王安全")
    page.set_input_files("input[name='rectify-attachments']", files=[PHOTO])
    page.click("#action-rectify button")
    page.wait_for_selector("#case-status:has-text('待核查')")

    log_in(page, base, "inspector2")
    page.goto(f"{base}/cases/{case.pk}/")
    page.fill("#id_recheck-comment", "现场复查，消防通道已畅通")
    page.set_input_files("input[name='recheck-attachments']", files=[PHOTO])
    page.click("#action-recheck button")
    page.wait_for_selector("#case-status:has-text('已办结')")
    assert "清理堆放物品" in page.locator("#five-in-place").inner_text()
    case.refresh_from_db()
    assert case.hazard.rechecked_by.username == "inspector2" and case.hazard.rectified_by == zone.users["enterprise_a"]
    page.screenshot(path=str(ARTIFACTS / "hazard-closed-phone.png"), full_page=True)
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_an_inspection_refused_for_a_missing_photo_keeps_both_signatures_and_the_text(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    inspector = zone.users["department"]
    checklist = make_checklist(inspector.department, by=inspector)

    inspection = inspection_opened_on_phone(page, base, zone.enterprise_a, checklist)
    for answer in inspection.answers.select_related("item"):
        page.click(f"label[for='id_outcome_{answer.item_id}_{1 if answer.item.position == 1 else 0}']")
    hazard_item = inspection.answers.get(item__position=1).item_id
    page.fill(f"#id_description_{hazard_item}", "消防通道堆放纸箱，安全出口被堵")
    page.fill("#id_representative", "王安全")
    sign(page, "#pad-inspector")
    sign(page, "#pad-representative")
    page.click("#submit-inspection")
    page.wait_for_selector("#inspection-form .field-error")

    assert "请拍摄隐患照片" in page.locator("#item-1 .field-error").inner_text()
    assert page.locator(f"#id_description_{hazard_item}").input_value() == "消防通道堆放纸箱，安全出口被堵"
    assert page.locator("#id_representative").input_value() == "王安全"
    drawn = "c => !c.getContext('2d').getImageData(0, 0, c.width, c.height).data.every(v => v === 0)"
    for pad in ("pad-inspector", "pad-representative"):
        page.wait_for_function(f"() => ({drawn})(document.getElementById('{pad}'))")

    page.set_input_files(f"input[name='photos_{hazard_item}']", files=[PHOTO])
    page.click("#submit-inspection")  # the signatures drawn before are sent again, as they are
    page.wait_for_selector("#inspection-status")
    assert page.locator("#inspection-status").inner_text() == "已提交"
    inspection.refresh_from_db()
    assert inspection.inspector_signature and inspection.representative_signature
    assert page.console_errors == []
