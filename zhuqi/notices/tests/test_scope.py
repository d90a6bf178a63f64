"""Who sees what: a firm only what was sent to it; a park only its own; every page for every role."""

import pytest
from django.urls import reverse

from zhuqi.enterprises.models import Scale
from zhuqi.notices.selectors import notices_visible_to

from .helpers import sent_notice, session_today

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "department", "officer_a", "officer_b", "grid_a", "enterprise_a", "enterprise_b", "auditor",
         "sysadmin", "security"]  # fmt: skip


def test_a_firm_sees_only_the_notices_sent_to_it(zone, client):
    to_a = sent_notice(zone.users["department"], criteria={"enterprises": [zone.enterprise_a.pk]}, title="只发A")
    client.force_login(zone.users["enterprise_b"])
    assert client.get(reverse("notice-detail", args=[to_a.pk])).status_code == 404
    assert "只发A" not in client.get(reverse("notice-list")).content.decode()
    client.force_login(zone.users["enterprise_a"])
    assert "只发A" in client.get(reverse("notice-list")).content.decode()


def test_a_park_sees_only_its_own_notices_and_sessions(zone, client):
    mine = sent_notice(zone.users["officer_a"], criteria={"scales": [Scale.BELOW]}, title="园区A通知")
    session = session_today(zone.users["officer_a"])
    client.force_login(zone.users["officer_b"])
    assert client.get(reverse("notice-detail", args=[mine.pk])).status_code == 404
    assert client.get(reverse("training-detail", args=[session.pk])).status_code == 404
    assert not notices_visible_to(zone.users["officer_b"]).exists()
    assert "园区A通知" not in client.get(reverse("notice-list")).content.decode()


def _expected(role, allowed, hidden=404):
    return 200 if role in allowed else (302 if role is None else hidden)


def test_every_page_answers_each_role_as_the_scope_rules_say(zone, client):
    notice = sent_notice(zone.users["officer_a"], criteria={"enterprises": [zone.enterprise_a.pk]})
    session = session_today(zone.users["officer_a"])
    staff = {"coordinator", "department", "officer_a", "officer_b"}
    pages = {
        reverse("notice-list"): {r: 200 if r in staff | {"enterprise_a", "enterprise_b"} else 403 for r in ROLES},
        reverse("notice-create"): {r: 200 if r in staff else 403 for r in ROLES},
        reverse("notice-figures"): {r: 200 if r in staff else 403 for r in ROLES},
        reverse("training-list"): {r: 200 if r in staff | {"enterprise_a", "enterprise_b"} else 403 for r in ROLES},
        reverse("notice-detail", args=[notice.pk]): {
            r: 200 if r in {"coordinator", "officer_a", "enterprise_a"} else 404 if r in
            staff | {"enterprise_b"} else 403 for r in ROLES},
        reverse("training-detail", args=[session.pk]): {
            r: 200 if r in {"coordinator", "officer_a"} else 404 if r in staff | {"enterprise_a", "enterprise_b"}
            else 403 for r in ROLES},
        reverse("notice-follow-up"): {r: 200 if r in {"officer_a", "officer_b"} else 403 for r in ROLES},
    }  # fmt: skip
    for url, expected in pages.items():
        got = {}
        for role in ROLES:
            client.force_login(zone.users[role])
            got[role] = client.get(url).status_code
        assert got == expected, url
    client.logout()
    assert client.get(reverse("notice-list")).status_code == 302
