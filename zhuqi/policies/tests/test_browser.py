"""On a phone: a firm opens 政策 from its 工作台, finds a policy it nearly meets and reads exactly what it lacks and
from which clause; then confirms a 免申即享 grant in one step with its bank account, shown masked afterwards."""

import pytest

from zhuqi.core.tests.browser import browser_marks, log_in
from zhuqi.policies import matching, services
from zhuqi.policies.models import Grant

from .conftest import TODAY

pytestmark = browser_marks


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.django_db(transaction=True)
def test_a_firm_finds_a_policy_it_nearly_meets_and_reads_why(catalogue, live_server, phone_page):
    page, base = phone_page, live_server.url
    matching.match_run()
    log_in(page, base, "enterprise_b")
    page.click("#policies-card a[href='/policies/mine/']")
    nearly = page.locator("#policies-nearly")
    assert "高新技术企业认定奖励" in nearly.inner_text()
    assert "研发费用占比 2.8%，需 ≥ 3%" in nearly.inner_text()
    assert no_sideways_scroll(page)
    nearly.locator("a:has-text('高新技术企业认定奖励')").click()
    mine = page.locator("#my-match")
    assert "差一项" in mine.inner_text()
    assert "研发费用占比 2.8%，需 ≥ 3%" in mine.inner_text()
    assert "平高管〔2025〕15号 第二条第（二）款" in mine.inner_text()
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_a_firm_confirms_its_automatic_grant_on_a_phone(catalogue, live_server, phone_page):
    page, base = phone_page, live_server.url
    rnd = services.round_draw(policy=catalogue.award, by=catalogue.users["science"], on=TODAY)
    services.round_approve(round=rnd, by=catalogue.users["science"])
    log_in(page, base, "enterprise_a")
    page.click("#policies-card a:has-text('请确认领取')")
    assert "100,000.00 元" in page.locator("#grant-amount").inner_text()
    page.fill("#bank_name", "中国银行平顶山分行")
    page.fill("#bank_account", "6217 8800 1234")
    button = page.locator("#grant-accept")
    assert button.bounding_box()["height"] >= 44
    assert no_sideways_scroll(page)
    with page.expect_navigation():
        button.click()
    assert page.locator("#grant-status").inner_text() == "企业已确认"
    assert page.locator("#grant-account").inner_text() == "6217 **** **** 1234"
    assert Grant.objects.get(enterprise=catalogue.enterprise_a).status == "accepted"
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_a_firm_applies_on_its_phone_with_its_materials(fast, live_server, phone_page):
    """申报 from the policy's page: the amount and each material of the checklist uploaded from the phone; the
    application then stands at the park's initial review with the files listed."""
    from zhuqi.inspections.tests.factories import PNG
    from zhuqi.policies.models import Application

    page, base = phone_page, live_server.url
    log_in(page, base, "enterprise_a")
    page.goto(f"{base}/policies/{fast.fast.pk}/")
    page.click("#policy-apply")
    page.fill("#amount", "200000")
    page.set_input_files("#material-0", {"name": "申请表.pdf", "mimeType": "application/pdf",
                                         "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"})  # fmt: skip
    page.set_input_files("#material-1", {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"plain text"})
    button = page.locator("#application-submit")
    assert button.bounding_box()["height"] >= 44
    assert no_sideways_scroll(page)
    button.click()
    assert "类型不允许上传" in page.locator("#application-error").inner_text()  # a text file is refused, in Chinese
    assert not Application.objects.exists()
    page.console_errors.clear()  # the refused form answered 422, which the browser logs
    page.set_input_files("#material-0", {"name": "申请表.pdf", "mimeType": "application/pdf",
                                         "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"})  # fmt: skip
    page.set_input_files("#material-1", {"name": "电费.png", "mimeType": "image/png", "buffer": PNG})
    with page.expect_navigation():
        page.click("#application-submit")
    assert page.locator("#application-step").inner_text() == "园区初审"
    materials = page.locator("#application-materials").inner_text()
    assert "申请表.pdf" in materials and "电费.png" in materials
    assert no_sideways_scroll(page)
    application = Application.objects.get()
    assert (application.enterprise, application.amount_requested) == (fast.enterprise_a, 200000)
    assert page.console_errors == []
