"""On a phone: a firm's contact opens a notice from the 工作台 and confirms what the firm did, with a photo; a
person at a training session scans its QR code, names the firm, signs in and answers the satisfaction question."""

import pytest

from zhuqi.core.tests.browser import ARTIFACTS, browser_marks, log_in
from zhuqi.notices.models import Attendance, Receipt

from .helpers import PNG, sent_notice, session_today

pytestmark = browser_marks


@pytest.mark.django_db(transaction=True)
def test_a_firm_confirms_a_notice_on_a_phone(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    notice = sent_notice(zone.users["department"], criteria={"enterprises": [zone.enterprise_a.pk]}, confirm=True)
    log_in(page, base, "enterprise_a")
    page.click(f"#notices-card a[href='/notices/{notice.pk}/']")
    page.wait_for_selector("#confirm-card")
    assert Receipt.objects.get().read_at is not None
    page.fill("#id_text", "已开展节后安全自查，整改消防通道堆物 1 处")
    page.set_input_files("#id_photos", files=[{"name": "check.png", "mimeType": "image/png", "buffer": PNG}])
    page.click("#confirm-submit")
    page.wait_for_selector("#confirmed")
    receipt = Receipt.objects.get()
    assert receipt.confirmed_by == zone.users["enterprise_a"] and "消防通道" in receipt.confirmation
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "notice-confirmed-phone.png"), full_page=True)
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_a_person_signs_in_to_a_training_by_its_qr_code_on_a_phone(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    session = session_today(zone.users["officer_a"])
    log_in(page, base, "officer_a")
    page.goto(f"{base}/notices/training/{session.pk}/")
    link = page.get_attribute("#sign-in-link", "href")
    assert page.locator(".qr svg").count() == 1 and link.endswith(f"/t/{session.sign_in_token}/")
    page.context.clear_cookies()  # the person's own phone: no account
    page.goto(f"{base}/t/{session.sign_in_token}/")
    page.fill("#id_firm", "没有这家公司")
    page.fill("#id_person_name", "刘经理")
    page.click("#sign-in-submit")
    page.wait_for_selector(".invalid-feedback")
    assert "园区内没有登记这家企业" in page.locator("#sign-in-form").inner_text()
    page.fill("#id_firm", zone.enterprise_a.name)
    page.click("#sign-in-submit")
    page.wait_for_selector("#signed-in")
    page.check("input[name='satisfaction'][value='3']")
    page.click("button:has-text('提交')")
    page.wait_for_selector("#thanks")
    assert Attendance.objects.get().satisfaction == 3
    page.goto(f"{base}/t/{session.sign_in_token}/")
    page.fill("#id_firm", zone.enterprise_a.name)
    page.fill("#id_person_name", "刘经理")
    page.click("#sign-in-submit")
    page.wait_for_selector(".invalid-feedback")
    assert "已签到" in page.locator("#sign-in-form").inner_text() and Attendance.objects.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.django_db(transaction=True)
def test_a_department_writes_a_notice_to_a_saved_audience_on_a_phone(zone, live_server, phone_page):
    from zhuqi.notices import services
    from zhuqi.notices.models import Notice

    page, base = phone_page, live_server.url
    department = zone.users["department"]
    saved = services.notice_create(by=department, title="前次提示", body="正文", audience_name="两个园区的企业",
                                   criteria={"parks": [zone.park_a.pk, zone.park_b.pk]}).audience  # fmt: skip
    log_in(page, base, "department")
    page.goto(f"{base}/notices/new/")
    page.fill("#id_title", "节前安全生产工作提示")
    page.fill("#id_body", "请各企业开展节前安全自查。")
    page.check("input[name='requirement'][value='confirm']")
    page.fill("#id_due_workdays", "3")
    page.select_option("#id_audience", str(saved.pk))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "notice-form-saved-audience-phone.png"), full_page=True)
    for field in ("requirement_0", "audience"):  # one phone screen around each of the new fields
        top = page.evaluate(f"document.getElementById('id_{field}').getBoundingClientRect().top + window.scrollY")
        page.screenshot(path=str(ARTIFACTS / f"notice-form-{field}-phone.png"), full_page=True,
                        clip={"x": 0, "y": max(0, top - 200), "width": 390, "height": 700})  # fmt: skip
    page.click("#notice-form button.btn-primary")
    page.wait_for_selector("#saved-audience")
    notice = Notice.objects.get(title="节前安全生产工作提示")
    assert notice.audience == saved and notice.due_on is not None
    assert "两个园区的企业" in page.inner_text("#saved-audience") and "发送给 2 家企业" in page.inner_text(
        "#notice-send"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "notice-draft-saved-audience-phone.png"), full_page=True)
    assert page.console_errors == []
