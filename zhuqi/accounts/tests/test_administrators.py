"""三员分立 and the second factor: three administrators, each doing only their part, each logging in with a
password and a code from their phone."""

import time

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhuqi.accounts.services import role_change
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditRecord
from zhuqi.org.models import Park, Role
from zhuqi.org.tests.factories import PASSWORD


def _code(device: TOTPDevice, later: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + later
    return f"{totp.token():06d}"


def test_an_administrator_sets_up_an_authenticator_and_each_code_works_once(zone):
    browser = Client()
    browser.post(reverse("login"), {"username": "sysadmin", "password": PASSWORD})
    assert browser.get(reverse("admin:index"))["Location"] == reverse("second-factor")
    assert browser.get(reverse("second-factor"))["Location"] == reverse("second-factor-setup")
    assert "<svg" in browser.get(reverse("second-factor-setup")).content.decode()  # the QR code to scan
    device = TOTPDevice.objects.get(user=zone.users["sysadmin"])
    wrong = browser.post(reverse("second-factor-setup"), {"password": "Not-my-pass-1", "token": _code(device)})
    assert "密码或验证码不正确" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    first = _code(device)
    browser.post(reverse("second-factor-setup"), {"password": PASSWORD, "token": first})
    device.refresh_from_db()
    assert device.confirmed and browser.get(reverse("admin:index")).status_code == 200
    assert AuditRecord.objects.filter(event="second_factor", actor_username="sysadmin").exists()

    again = Client()
    again.post(reverse("login"), {"username": "sysadmin", "password": PASSWORD})
    used = again.post(reverse("second-factor"), {"token": first})
    assert "已使用" in used.content.decode()  # the code that set it up cannot log in again
    # after a wrong code django-otp makes the next try wait a moment (against guessing); the wait is over
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    again.post(reverse("second-factor"), {"token": _code(device, later=30)})
    assert again.get(reverse("admin:index")).status_code == 200


def test_an_administrator_without_the_code_reaches_nothing(zone):
    browser = Client()
    browser.post(reverse("login"), {"username": "auditor", "password": PASSWORD})
    assert browser.get(reverse("audit-list"))["Location"] == reverse("second-factor")
    assert browser.get("/api/enterprises/").status_code == 403


def test_only_the_security_administrator_gives_roles_and_never_their_own(zone):
    officer, security, sysadmin = zone.users["officer_a"], zone.users["security"], zone.users["sysadmin"]
    with pytest.raises(DomainError, match="安全管理员"):
        role_change(officer, role=Role.ZONE_COORDINATOR, by=sysadmin)
    with pytest.raises(DomainError, match="自己"):
        role_change(security, role=Role.SYSTEM_ADMIN, by=security)
    with pytest.raises(DomainError, match="系统管理员"):  # a department handler needs their department first
        role_change(zone.users["grid_a"], role=Role.DEPARTMENT_HANDLER, by=security)
    role_change(officer, role=Role.ZONE_COORDINATOR, by=security)
    officer.refresh_from_db()
    assert officer.role == Role.ZONE_COORDINATOR
    record = AuditRecord.objects.get(event="role_change")
    assert record.actor_username == "security" and record.changes == {"role": ["park_officer", "zone_coordinator"]}


def test_no_account_is_a_superuser(zone):
    with pytest.raises(IntegrityError), transaction.atomic():
        type(zone.users["sysadmin"]).objects.filter(pk=zone.users["sysadmin"].pk).update(is_superuser=True)


def test_each_administrator_reaches_only_their_part(zone, client):
    officer_page = reverse("admin:org_user_change", args=[zone.users["officer_a"].pk])
    client.force_login(zone.users["sysadmin"])
    assert client.get(reverse("admin:org_park_changelist")).status_code == 200
    assert 'name="role"' not in client.get(officer_page).content.decode()  # accounts, not roles
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
    assert client.get(reverse("audit-list")).status_code == 403
    client.force_login(zone.users["security"])
    assert 'name="role"' in client.get(officer_page).content.decode()
    own = client.get(reverse("admin:org_user_change", args=[zone.users["security"].pk])).content.decode()
    assert 'name="role"' not in own
    assert client.get(reverse("admin:org_park_changelist")).status_code == 403
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    client.force_login(zone.users["auditor"])
    assert client.get(reverse("admin:index")).status_code == 302  # to the admin's login: not theirs
    assert client.get(reverse("audit-list")).status_code == 200


def test_what_the_system_administrator_does_in_the_admin_is_audited(zone, client):
    client.force_login(zone.users["sysadmin"])
    client.post(reverse("admin:org_park_add"), {"name": "智能制造产业园", "also_known_as": "", "sort_order": 9})
    assert Park.objects.filter(name="智能制造产业园").exists()
    assert AuditRecord.objects.filter(event="create", actor_username="sysadmin", object_repr="智能制造产业园").exists()


def test_the_security_administrator_changes_a_role_in_the_admin_and_a_refusal_stands_by_the_field(zone, client):
    page = reverse("admin:org_user_change", args=[zone.users["grid_a"].pk])
    client.force_login(zone.users["security"])
    refused = client.post(page, {"role": Role.DEPARTMENT_HANDLER})
    assert refused.status_code == 200 and "系统管理员先在账号上填写" in refused.content.decode()
    assert client.post(page, {"role": Role.ZONE_COORDINATOR}).status_code == 302
    zone.users["grid_a"].refresh_from_db()
    assert zone.users["grid_a"].role == Role.ZONE_COORDINATOR
    assert AuditRecord.objects.filter(event="role_change", actor_username="security").count() == 1


def test_the_first_administrators_are_made_by_command_with_a_password_that_passes_the_rules(db, monkeypatch):
    from django.core.management import CommandError, call_command

    from zhuqi.org.models import User

    typed = iter(["zhuqi2026", "zhuqi2026"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    with pytest.raises(CommandError, match="至少"):
        call_command("admin_account_create", "qian", "--full-name", "系统 钱管理", "--role", "system_admin")
    assert not User.objects.filter(username="qian").exists()
    typed = iter(["Gxq-zhuqi-2026", "Gxq-zhuqi-2026"])
    call_command("admin_account_create", "qian", "--full-name", "系统 钱管理", "--role", "system_admin")
    qian = User.objects.get(username="qian")
    assert (qian.role, qian.is_staff, qian.is_superuser, qian.check_password("Gxq-zhuqi-2026")) == (
        "system_admin", True, False, True,
    )  # fmt: skip
    assert AuditRecord.objects.filter(event="create", object_repr="系统 钱管理").exists()
