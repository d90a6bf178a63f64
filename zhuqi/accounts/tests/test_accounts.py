import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from zhuqi.accounts.models import LoginSession
from zhuqi.accounts.services import account_disable, accounts_disable_idle
from zhuqi.accounts.signals import SESSION_STARTED
from zhuqi.core.models import AuditRecord
from zhuqi.monitoring.services import platform_account
from zhuqi.org.tests.factories import PASSWORD


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Ab1!", "至少"),  # too short
        ("zhuqiplatform", "至少"),  # one class only
        ("zhuqiplat2026", "至少"),  # two classes
        ("Password123", "常见"),  # three classes, but on every list of leaked passwords
        ("12345678901", "数字"),  # digits only
    ],
)
def test_weak_passwords_are_refused_with_a_reason_in_chinese(password, problem):
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as refused:
            validate_password(password)
        assert problem in " ".join(refused.value.messages)


@pytest.mark.parametrize("password", ["Zhuqi-2026", "gao xin qu 2026 zhu qi", "高新区Zhuqi2026", "Pds!gxq#Ent"])
def test_passwords_mixing_three_classes_and_long_passphrases_are_accepted(password):
    validate_password(password)


def test_passwords_are_hashed_with_argon2id_at_owasps_parameters(zone, settings):
    from zhuqi.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user = zone.users["officer_a"]
    user.set_password("Gxq-zhuqi-2026")
    user.save()
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_hash_with_djangos_heavier_argon2_parameters_is_rewritten_at_the_next_login(zone, settings):
    from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

    from zhuqi.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    officer = zone.users["officer_a"]
    officer.password = make_password(PASSWORD, hasher=Argon2PasswordHasher())
    officer.save()
    assert "$m=102400,t=2,p=8$" in officer.password

    browser = Client(REMOTE_ADDR="10.0.0.1")
    browser.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    officer.refresh_from_db()
    assert officer.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert officer.check_password(PASSWORD)


def test_an_expired_staff_password_must_be_changed_before_anything_else(zone, client):
    officer = zone.users["officer_a"]
    officer.password_changed_at = timezone.now() - datetime.timedelta(days=91)
    officer.save()
    client.force_login(officer)
    response = client.get(reverse("enterprise-list"))
    assert response.status_code == 302 and response["Location"] == reverse("password-change")
    assert client.get("/api/enterprises/").status_code == 403
    changed = client.post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": "Gxq-zhuqi-2027", "new_password2": "Gxq-zhuqi-2027"},
    )
    assert changed.status_code == 302
    assert client.get(reverse("enterprise-list")).status_code == 200
    assert AuditRecord.objects.filter(event="password_change", actor_username="officer_a").exists()


def test_an_enterprise_contacts_password_does_not_expire(zone, client):
    contact = zone.users["enterprise_a"]
    contact.password_changed_at = timezone.now() - datetime.timedelta(days=400)
    contact.save()
    client.force_login(contact)
    assert client.get(reverse("workbench")).status_code == 200


def test_accounts_idle_for_90_days_are_disabled_and_the_platform_account_is_left_alone(zone):
    now = timezone.now()
    idle, recent = zone.users["officer_b"], zone.users["officer_a"]
    type(idle).objects.filter(pk=idle.pk).update(last_login=now - datetime.timedelta(days=91))
    type(recent).objects.filter(pk=recent.pk).update(last_login=now - datetime.timedelta(days=10))
    platform = platform_account()
    type(platform).objects.filter(pk=platform.pk).update(date_joined=now - datetime.timedelta(days=400))
    never = zone.users["grid_a"]
    type(never).objects.filter(pk=never.pk).update(date_joined=now - datetime.timedelta(days=120))
    assert accounts_disable_idle(now=now) == 2
    idle.refresh_from_db(), recent.refresh_from_db(), platform.refresh_from_db(), never.refresh_from_db()
    assert (idle.is_active, never.is_active, recent.is_active, platform.is_active) == (False, False, True, True)
    assert AuditRecord.objects.filter(event="disable", object_repr=str(idle)).exists()


def _login(username: str, address: str = "10.0.0.1", password: str = PASSWORD) -> Client:
    browser = Client(REMOTE_ADDR=address)
    browser.post(reverse("login"), {"username": username, "password": password})
    return browser


def test_login_gives_a_new_session_id(zone):
    browser = Client(REMOTE_ADDR="10.0.0.1")
    browser.get(reverse("login"))
    browser.cookies["sessionid"] = "anonymous-session-planted-by-someone-else"
    browser.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    assert browser.cookies["sessionid"].value != "anonymous-session-planted-by-someone-else"
    assert LoginSession.objects.get(user=zone.users["officer_a"]).session_key == browser.cookies["sessionid"].value


def test_logging_out_ends_every_session_of_that_person(zone):
    office, phone = _login("officer_a", "10.0.0.1"), _login("officer_a", "10.0.0.2")
    assert phone.get(reverse("enterprise-list")).status_code == 200
    office.post(reverse("logout"))
    assert phone.get(reverse("enterprise-list")).status_code == 302  # to the login page
    assert not LoginSession.objects.filter(user=zone.users["officer_a"]).exists()


def test_disabling_an_account_ends_its_open_sessions(zone):
    browser = _login("officer_a")
    assert browser.get(reverse("enterprise-list")).status_code == 200
    account_disable(zone.users["officer_a"], by=zone.users["sysadmin"], reason="离职")
    assert browser.get(reverse("enterprise-list")).status_code == 302
    assert not Session.objects.exists()


def test_a_session_idle_longer_than_30_minutes_is_gone_and_a_busy_one_ends_after_its_lifetime(zone, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    browser = _login("officer_a")
    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert browser.get(reverse("enterprise-list")).status_code == 302
    browser = _login("officer_a")
    store = browser.session
    store[SESSION_STARTED] = (
        timezone.now() - datetime.timedelta(hours=settings.ZHUQI_SESSION_MAX_HOURS, minutes=1)
    ).timestamp()
    store.save()
    response = browser.get(reverse("enterprise-list"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_five_failures_lock_the_account_from_any_address_and_the_address_for_any_account(zone):
    for n in range(5):
        _login("officer_a", f"10.0.1.{n}", "wrong")
    assert _login("officer_a", "10.0.9.9").get(reverse("enterprise-list")).status_code == 302  # right password, locked
    for name in ["coordinator", "department", "grid_a", "auditor", "nobody"]:
        _login(name, "10.0.2.1", "wrong")
    assert _login("officer_b", "10.0.2.1").get(reverse("enterprise-list")).status_code == 302
    assert _login("officer_b", "10.0.2.2").get(reverse("enterprise-list")).status_code == 200
    assert AuditRecord.objects.filter(event="lockout", actor_username="officer_a").exists()


def test_failures_further_apart_than_five_minutes_do_not_add_up(zone):
    for _ in range(4):
        _login("officer_a", "10.0.0.1", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=6))
    _login("officer_a", "10.0.0.1", "wrong")
    assert _login("officer_a", "10.0.0.1").get(reverse("enterprise-list")).status_code == 200
