"""The bureau activates an orange alert with one click on a desktop; the firm, on its phone, finds its measure on
its 工作台, confirms it and checks in for the day; nothing scrolls sideways, no console error."""

import datetime

import pytest
from django.utils import timezone

from zhuqi.core.tests.browser import browser_marks, log_in
from zhuqi.notifications.models import OutboxMessage
from zhuqi.pollution import services
from zhuqi.pollution.models import AlertTask, Compliance, Level

pytestmark = browser_marks


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.django_db(transaction=True)
def test_the_bureau_activates_an_alert_and_a_firm_confirms_on_its_phone(pz, live_server, phone_page):
    page, base = phone_page, live_server.url
    now = timezone.now()
    alert = services.alert_issue(by=pz.users["bureau"], level=Level.ORANGE, document="平环应急〔2026〕3号",
                                 starts_at=now - datetime.timedelta(minutes=5),
                                 ends_at=now + datetime.timedelta(days=2))  # fmt: skip

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, base, "huanbao")
    page.goto(f"{base}/pollution/alerts/{alert.pk}/")
    with page.expect_navigation():
        page.click("#activate")
    assert page.locator("#alert-status").inner_text() == "响应中"
    assert "#activate" not in page.content()  # the table offers it no more
    assert AlertTask.objects.filter(alert=alert).count() == 2
    assert OutboxMessage.objects.filter(channel="sms").count() == 2
    page.wait_for_selector("#pollution-chart canvas")
    assert page.console_errors == []

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base, "enterprise_a")
    card = page.locator("#pollution-card a")
    assert "限产20%" in card.inner_text()
    with page.expect_navigation():
        card.click()
    assert no_sideways_scroll(page)
    confirm = page.locator("#confirm")
    assert confirm.bounding_box()["height"] >= 44
    with page.expect_navigation():
        confirm.click()
    page.wait_for_selector("#confirmed")
    page.fill("#id_output", "60")
    page.fill("#id_lines_stopped", "0")
    with page.expect_navigation():
        page.click("#checkin-submit")
    assert page.locator("#task-compliance").inner_text() == "已落实"
    task = AlertTask.objects.get(alert=alert, enterprise=pz.enterprise_a)
    assert task.confirmed_at is not None and task.compliance == Compliance.DONE
    assert no_sideways_scroll(page) and page.console_errors == []
