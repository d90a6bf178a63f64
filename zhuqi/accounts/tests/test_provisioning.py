"""账号管理 from the pages: the system administrator opens, disables, resets, unlocks and moves accounts (roles stay
the security administrator's); the zone opens its enterprises' accounts in bulk; nobody is handed a password,
each person sets their own by a one-time link; every action is in the audit trail."""

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from zhuqi.accounts import provisioning
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent, AuditRecord
from zhuqi.notifications.models import Channel, OutboxMessage
from zhuqi.org.models import Department, Role, User
from zhuqi.org.tests.factories import PASSWORD

NEW_PASSWORD = "Xq7!pasture-Lantern"  # noqa: S105 (a test password)


def _link_sent_to(phone):
    message = next(m for m in OutboxMessage.objects.filter(channel=Channel.SMS).order_by("-pk") if m.recipient == phone)
    return re.search(r"/a/[\w-]+/", message.body).group(0), message.body


def test_the_system_administrator_opens_an_account_and_the_person_sets_the_password(zone, client_as):
    client = client_as(zone.users["sysadmin"])
    response = client.post(reverse("account-new"), {
        "username": "xiaoli", "full_name": "李小", "role": Role.DEPARTMENT_HANDLER,
        "department": Department.objects.get(name="应急管理局").pk, "phone": "13711112222",
    })  # fmt: skip
    user = User.objects.get(username="xiaoli")
    assert response.status_code == 302 and not user.has_usable_password()
    assert AuditRecord.objects.filter(
        event=AuditEvent.CREATE, object_id=str(user.pk), actor=zone.users["sysadmin"]
    ).exists()
    link, text = _link_sent_to("13711112222")
    assert "账号已开通" in text
    person = Client()
    assert "xiaoli" in person.get(link).content.decode()
    person.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert person.get(link).status_code == 404  # once only
    assert AuditRecord.objects.filter(event=AuditEvent.PASSWORD_CHANGE, object_id=str(user.pk)).exists()


def test_the_system_administrator_gives_no_administrators_role_and_others_may_not_open_accounts(zone, client_as):
    with pytest.raises(DomainError):
        provisioning.account_open(
            by=zone.users["sysadmin"], username="x", full_name="x", role=Role.SECURITY_ADMIN, phone="13700000000"
        )
    for who in ("security", "coordinator", "auditor"):
        with pytest.raises(DomainError):
            provisioning.account_open(
                by=zone.users[who], username="y", full_name="y", role=Role.GRID_MEMBER, phone="13700000000"
            )
    assert client_as(zone.users["coordinator"]).get(reverse("account-list")).status_code == 403
    assert client_as(zone.users["security"]).get(reverse("account-list")).status_code == 403


def test_disable_reset_unlock_and_move_are_each_audited(zone, client_as):
    client = client_as(zone.users["sysadmin"])
    officer = zone.users["officer_a"]
    officer.phone = "13733334444"
    officer.save()
    AccessAttempt.objects.create(
        username=officer.username, ip_address="10.0.0.9", failures_since_start=5, user_agent="t"
    )
    client.post(reverse("account-act", args=[officer.pk, "unlock"]))
    assert not AccessAttempt.objects.filter(username=officer.username).exists()
    client.post(reverse("account-act", args=[officer.pk, "reset"]))
    officer.refresh_from_db()
    assert not officer.check_password(PASSWORD) and "密码已重置" in _link_sent_to("13733334444")[1]
    client.post(reverse("account-act", args=[officer.pk, "move"]), {"park": zone.park_b.pk})
    officer.refresh_from_db()
    assert officer.park == zone.park_b and officer.role == Role.PARK_OFFICER
    client.post(reverse("account-act", args=[officer.pk, "disable"]))
    officer.refresh_from_db()
    assert not officer.is_active
    events = set(
        AuditRecord.objects.filter(object_id=str(officer.pk), actor=zone.users["sysadmin"]).values_list(
            "event", flat=True
        )
    )
    assert {AuditEvent.UPDATE, AuditEvent.PASSWORD_CHANGE, AuditEvent.DISABLE} <= events


def test_the_zone_opens_enterprise_accounts_in_bulk_for_their_contacts(zone, client_as):
    client = client_as(zone.users["coordinator"])
    zone.users["enterprise_a"].delete()
    zone.users["enterprise_b"].delete()
    page = client.get(reverse("enterprise-accounts")).content.decode()
    assert zone.enterprise_a.name in page and zone.enterprise_b.name in page
    client.post(reverse("enterprise-accounts"), {"enterprise": [zone.enterprise_a.pk, zone.enterprise_b.pk]})
    opened = User.objects.filter(role=Role.ENTERPRISE_CONTACT)
    assert {(u.enterprise, u.full_name, u.username) for u in opened} == {
        (zone.enterprise_a, "刘经理", zone.enterprise_a.credit_code),
        (zone.enterprise_b, "陈经理", zone.enterprise_b.credit_code),
    }
    link, text = _link_sent_to("13812345678")
    assert "森源电气" in text and link in text
    assert AuditRecord.objects.filter(event=AuditEvent.CREATE, actor=zone.users["coordinator"]).count() == 2
    assert client_as(zone.users["officer_a"]).get(reverse("enterprise-accounts")).status_code == 403


def test_roles_stay_the_security_administrators(zone, client_as):
    client = client_as(zone.users["sysadmin"])
    officer = zone.users["officer_a"]
    client.post(reverse("account-act", args=[officer.pk, "move"]), {"department": Department.objects.first().pk})
    officer.refresh_from_db()
    assert officer.role == Role.PARK_OFFICER and officer.park == zone.park_a
