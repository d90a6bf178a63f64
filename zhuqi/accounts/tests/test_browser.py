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


@pytest.mark.django_db(transaction=True)
def test_the_system_administrator_opens_an_account_on_a_phone_and_the_person_sets_a_password(
    zone, live_server, phone_page
):
    import re

    from zhuqi.notifications.models import Channel, OutboxMessage
    from zhuqi.org.models import User

    page, base = phone_page, live_server.url
    refused = []
    page.on("response", lambda r: refused.append(r.url) if r.status >= 400 else None)
    device = TOTPDevice.objects.create(user=zone.users["sysadmin"], name="令牌", confirmed=True)
    page.goto(f"{base}/login/")
    page.fill("#id_username", "sysadmin")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url("**/account/second-factor/**")
    page.fill("#id_token", _code(device))
    page.click("button:has-text('验证')")  # not 核查通过, the case action of the same English name
    page.wait_for_load_state()
    page.goto(f"{base}/account/accounts/")
    page.click("#account-new")
    page.fill("#id_username", "xiaowang")
    page.fill("#id_full_name", "王小")
    page.select_option("#id_role", value="park_officer")
    page.select_option("#id_park", label=zone.park_a.name)
    page.fill("#id_phone", "13755556666")
    page.click("button:has-text('开通')")
    page.wait_for_selector("#account")
    assert "王小" in page.locator("#account-head h1").inner_text()  # the page's title
    assert zone.park_a.name in page.locator("#account").inner_text()
    page.screenshot(path=str(ARTIFACTS / "account-opened-phone.png"), full_page=True)
    sms = next(m for m in OutboxMessage.objects.filter(channel=Channel.SMS) if m.recipient == "13755556666")
    link = re.search(r"/a/[\w-]+/", sms.body).group(0)
    page.context.clear_cookies()
    page.goto(f"{base}{link}")
    page.fill("#id_new_password1", "Xq7!pasture-Lantern")
    page.fill("#id_new_password2", "Xq7!pasture-Lantern")
    page.click("button:has-text('设置密码')")
    page.wait_for_url(f"{base}/login/")
    assert User.objects.get(username="xiaowang").check_password("Xq7!pasture-Lantern")
    assert refused == []
