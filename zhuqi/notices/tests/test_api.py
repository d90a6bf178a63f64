"""The notices API: a firm lists what was sent to it, opens one (its read receipt) and confirms it; staff list
their unit's notices with the receipts counted. The same scopes as the pages."""

import pytest

from zhuqi.enterprises.models import Scale
from zhuqi.notices import services
from zhuqi.notices.models import Receipt

from .helpers import sent_notice

pytestmark = pytest.mark.django_db


def test_a_firm_lists_only_the_notices_sent_to_it(zone, client):
    sent_notice(zone.users["department"], criteria={"enterprises": [zone.enterprise_a.pk]}, title="只发A")
    sent_notice(zone.users["department"], criteria={"scales": [Scale.BELOW]}, title="发给两家")
    client.force_login(zone.users["enterprise_b"])
    items = client.get("/api/notices/received").json()["items"]
    assert [i["notice"]["title"] for i in items] == ["发给两家"]
    client.force_login(zone.users["enterprise_a"])
    items = client.get("/api/notices/received").json()["items"]
    assert {i["notice"]["title"] for i in items} == {"只发A", "发给两家"}
    assert all(i["read_at"] is None for i in items)


def test_opening_a_notice_through_the_api_is_the_firms_read_receipt_and_another_firm_gets_404(zone, client):
    notice = sent_notice(zone.users["department"], criteria={"enterprises": [zone.enterprise_a.pk]}, confirm=True)
    client.force_login(zone.users["enterprise_b"])
    assert client.get(f"/api/notices/{notice.pk}").status_code == 404
    assert Receipt.objects.get().read_at is None
    client.force_login(zone.users["enterprise_a"])
    body = client.get(f"/api/notices/{notice.pk}").json()
    receipt = Receipt.objects.get()
    assert receipt.read_by == zone.users["enterprise_a"] and body["receipt"]["read_at"] is not None
    assert body["progress"] is None and body["confirm_prompt"] == "自查发现的问题和整改情况"
    assert client.get("/api/notices/received", {"unread": "true"}).json()["items"] == []


def test_a_firm_confirms_through_the_api_once(zone, client):
    notice = sent_notice(zone.users["department"], criteria={"enterprises": [zone.enterprise_a.pk]}, confirm=True)
    client.force_login(zone.users["enterprise_a"])
    url = f"/api/notices/{notice.pk}/confirm"
    answer = client.post(url, {"text": "已开展自查，整改 2 项"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["receipt"]["confirmation"] == "已开展自查，整改 2 项"
    assert Receipt.objects.get().confirmed_by == zone.users["enterprise_a"]
    again = client.post(url, {"text": "再次反馈"}, content_type="application/json")
    assert again.status_code == 400 and again.json()["message"] == "贵单位已反馈过该通知"
    blank = sent_notice(zone.users["department"], criteria={"enterprises": [zone.enterprise_a.pk]}, confirm=True)
    short = client.post(f"/api/notices/{blank.pk}/confirm", {"text": "好"}, content_type="application/json")
    assert short.status_code == 400 and short.json()["field"] == "text"


def test_another_firm_and_staff_cannot_confirm_for_the_firm(zone, client):
    notice = sent_notice(zone.users["department"], criteria={"enterprises": [zone.enterprise_a.pk]}, confirm=True)
    url = f"/api/notices/{notice.pk}/confirm"
    client.force_login(zone.users["enterprise_b"])
    assert client.post(url, {"text": "代为反馈"}, content_type="application/json").status_code == 404
    client.force_login(zone.users["department"])
    assert client.post(url, {"text": "代为反馈"}, content_type="application/json").status_code == 403
    assert Receipt.objects.get().confirmed_at is None


def test_staff_list_their_units_notices_with_the_receipts_counted(zone, client):
    department = zone.users["department"]
    notice = sent_notice(department, criteria={"scales": [Scale.BELOW]}, confirm=True)
    services.receipt_open(receipt=notice.receipts.get(enterprise=zone.enterprise_a), by=zone.users["enterprise_a"])
    services.receipt_confirm(receipt=notice.receipts.get(enterprise=zone.enterprise_b), by=zone.users["enterprise_b"],
                             text="已落实")  # fmt: skip
    sent_notice(zone.users["officer_a"], criteria={"parks": [zone.park_a.pk]}, title="园区A通知")
    client.force_login(department)
    [row] = client.get("/api/notices/issued").json()["items"]
    assert (row["id"], row["recipient_count"], row["read"], row["confirmed"]) == (notice.pk, 2, 2, 1)
    assert (row["unread"], row["not_confirmed"], row["escalated"]) == (0, 1, 0)
    detail = client.get(f"/api/notices/{notice.pk}").json()
    assert detail["progress"]["confirmed"] == 1 and detail["receipt"] is None
    # a park sees its own only; the zone office every unit's
    client.force_login(zone.users["officer_b"])
    assert client.get("/api/notices/issued").json()["items"] == []
    assert client.get(f"/api/notices/{notice.pk}").status_code == 404
    client.force_login(zone.users["coordinator"])
    assert {r["title"] for r in client.get("/api/notices/issued").json()["items"]} == {notice.title, "园区A通知"}
    assert [r["title"] for r in client.get("/api/notices/issued", {"kind": "warning"}).json()["items"]] == []


def test_each_list_answers_only_the_roles_it_is_for(zone, client):
    notice = sent_notice(zone.users["officer_a"], criteria={"enterprises": [zone.enterprise_a.pk]})
    expected = {
        "coordinator": (403, 200, 200), "department": (403, 200, 404), "officer_a": (403, 200, 200),
        "officer_b": (403, 200, 404), "grid_a": (403, 403, 403), "enterprise_a": (200, 403, 200),
        "enterprise_b": (200, 403, 404), "auditor": (403, 403, 403), "sysadmin": (403, 403, 403),
        "security": (403, 403, 403),
    }  # fmt: skip
    got = {}
    for role in expected:
        client.force_login(zone.users[role])
        got[role] = tuple(client.get(url).status_code for url in
                          ("/api/notices/received", "/api/notices/issued", f"/api/notices/{notice.pk}"))  # fmt: skip
    assert got == expected
    client.logout()
    assert client.get("/api/notices/received").status_code == 401
