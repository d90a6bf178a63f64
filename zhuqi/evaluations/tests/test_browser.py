"""On a phone: the park officer reads the park's list; a firm opens the published list, its own sheet item by item,
and files its one objection with its evidence; the page never scrolls sideways and its buttons are big enough."""

import pytest
from django.urls import reverse

from zhuqi.core.tests.browser import browser_marks, log_in
from zhuqi.evaluations.models import Objection, Score

pytestmark = browser_marks


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.django_db(transaction=True)
def test_the_park_list_and_a_firms_objection_on_a_phone(published, live_server, phone_page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    page, base = phone_page, live_server.url
    run = published.run

    log_in(page, base, "officer_a")
    page.goto(base + reverse("evaluation-run-detail", args=[run.pk]))
    page.wait_for_selector("#scores")
    assert no_sideways_scroll(page)
    text = page.locator("#scores").inner_text()
    assert "河南森源电气股份有限公司" in text and "90.00" in text and "成立不满一年" in text
    page.screenshot(path="test-artifacts/evaluations-park-list-phone.png", full_page=True)
    page.context.clear_cookies()

    log_in(page, base, "enterprise_a")
    page.goto(base + reverse("evaluation-run-list"))
    page.click(f"#runs a[href='{reverse('evaluation-run-detail', args=[run.pk])}']")
    page.wait_for_selector("#own-score")
    assert "90.00" not in page.locator("#scores").inner_text()  # the firm sees grades, not the others' points
    page.click("#own-score a")
    page.wait_for_selector("#lines")
    assert "亩均税收" in page.locator("#lines").inner_text()
    assert no_sideways_scroll(page)
    button = page.locator("#object")
    assert button.bounding_box()["height"] >= 44
    button.click()
    page.wait_for_selector("#objection-form")
    page.select_option("#id_item_code", "valid_inventions")
    page.fill("#id_text", "有效发明专利应为 12 项，附证书")
    evidence = tmp_path / "证书.pdf"
    evidence.write_bytes(b"%PDF-1.4 certificate")
    page.set_input_files("#id_evidence", str(evidence))
    assert no_sideways_scroll(page)
    with page.expect_navigation():
        page.click("#objection-form button")
    page.wait_for_selector("#objection")
    assert "待处理" in page.locator("#objection").inner_text()
    page.screenshot(path="test-artifacts/evaluations-objection-phone.png", full_page=True)
    objection = Objection.objects.get()
    assert objection.enterprise == published.enterprise_a and objection.item_code == "valid_inventions"
    assert Score.objects.get(run=run, enterprise=published.enterprise_a).grade == "A"
