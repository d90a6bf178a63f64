"""An administrator's first login on a phone: the password, then setting up the authenticator from its QR
code, then the admin."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhuqi.accounts.tests.test_administrators import _code
from zhuqi.core.tests.browser import ARTIFACTS, browser_marks
from zhuqi.org.tests.factories import PASSWORD

pytestmark = browser_marks


@pytest.mark.django_db(transaction=True)
def test_a_system_administrator_sets_up_the_authenticator_on_a_phone(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    page.goto(f"{base}/login/")
    page.fill("#id_username", "sysadmin")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url("**/account/second-factor/setup/")
    assert page.locator("#totp-qr svg").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "second-factor-setup.png"), full_page=True)
    device = TOTPDevice.objects.get(user=zone.users["sysadmin"])
    page.fill("#id_password", PASSWORD)
    page.fill("#id_token", _code(device))
    page.click("button:has-text('确认')")
    page.wait_for_url(f"{base}/admin/")
    assert "助企平台管理" in page.content()
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_a_contact_number_shows_masked_and_whole_only_when_asked_on_a_phone(zone, live_server, phone_page):
    from zhuqi.core.models import AuditRecord
    from zhuqi.core.tests.browser import log_in

    page, base = phone_page, live_server.url
    log_in(page, base, "officer_a")
    page.goto(f"{base}/enterprises/{zone.enterprise_a.pk}/")
    contact = zone.enterprise_a.contacts.get()
    assert "138****5678" in page.content() and "13812345678" not in page.content()
    page.click(f"#unmask-contact-{contact.pk}")
    page.wait_for_selector("text=13812345678")
    page.screenshot(path=str(ARTIFACTS / "phone-unmasked.png"), full_page=True)
    assert AuditRecord.objects.filter(event="view_personal", actor_username="officer_a").count() == 1
    assert page.console_errors == []
