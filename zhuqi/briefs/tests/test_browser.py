"""The bureau's office drafts its weekly brief on a phone, edits a paragraph and issues it; the zone office, at a
desk, sees it listed. Nothing scrolls sideways, no console error."""

import pytest

from zhuqi.briefs.models import Brief, BriefStatus
from zhuqi.core.tests.browser import browser_marks, log_in

pytestmark = browser_marks


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.django_db(transaction=True)
def test_an_office_drafts_edits_and_issues_its_brief_on_a_phone(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    log_in(page, base, "department")
    page.goto(f"{base}/briefs/")
    with page.expect_navigation():
        page.click("#brief-new")
    assert page.locator("#unavailable-bulletin").count() == 0  # the bulletin is the zone office's
    page.fill("#id_start", "2024-02-05")
    page.fill("#id_end", "2024-02-19")
    with page.expect_navigation():
        page.click("#brief-draft")
    assert no_sideways_scroll(page)
    brief = Brief.objects.get()
    assert brief.department_id == zone.users["department"].department_id
    page.fill("#paragraph-1", "节后复工复产期间，该局严格落实“四不两直”要求。")
    with page.expect_navigation():
        page.click("#brief-save")
    assert page.locator("#brief-issue").bounding_box()["height"] >= 38
    with page.expect_navigation():
        page.click("#brief-issue")
    assert page.locator("#brief-status").inner_text() == "已印发"
    assert "v1" in page.locator("#brief-versions").inner_text()
    brief.refresh_from_db()
    assert brief.status == BriefStatus.ISSUED and "四不两直" in brief.paragraphs[0]["text"]
    assert no_sideways_scroll(page) and page.console_errors == []

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, base, "coordinator")
    page.goto(f"{base}/briefs/")
    assert brief.title in page.locator("#brief-rows").inner_text()
    with page.expect_navigation():
        page.click("#brief-new")
    assert page.locator("#unavailable-bulletin").count() == 0  # the assessment registers the ranking it reads
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/briefs/{brief.pk}/")
    assert page.console_errors == []
