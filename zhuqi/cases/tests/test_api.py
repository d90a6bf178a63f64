"""The API goes through the same services and permissions as the pages."""

import json

import pytest

from zhuqi.cases.models import Case
from zhuqi.cases.tests.factories import CategoryFactory
from zhuqi.cases.workflow import Status
from zhuqi.org.models import Department


@pytest.fixture
def category(zone):
    return CategoryFactory(name="安全生产", department=Department.objects.get(name="应急管理局"), deadline_workdays=5)


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_an_enterprise_raises_and_the_park_assigns_through_the_api(zone, category, client):
    client.force_login(zone.users["enterprise_a"])
    created = post(client, "/api/cases/", {"category": category.pk, "description": "消防通道被占用"})
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "pending" and body["enterprise"] == zone.enterprise_a.name
    assert body["allowed_actions"] == ["withdraw", "comment"]
    client.force_login(zone.users["officer_a"])
    assigned = post(
        client, f"/api/cases/{body['id']}/actions", {"action": "assign", "expected_version": body["version"]}
    )
    assert assigned.status_code == 200
    assert assigned.json()["status"] == "assigned" and assigned.json()["lead_department"] == "应急管理局"
    assert [e["action"] for e in assigned.json()["events"]] == ["raise", "assign"]


def test_an_enterprise_cannot_raise_for_another(zone, category, client):
    client.force_login(zone.users["enterprise_a"])
    post(
        client, "/api/cases/", {"category": category.pk, "description": "代别人提", "enterprise": zone.enterprise_b.pk}
    )
    assert Case.objects.get().enterprise == zone.enterprise_a


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"action": "withdraw"}, 403, "not_allowed"),  # only the reporter withdraws
        ({"action": "verify"}, 409, "wrong_status"),
        ({"action": "assign", "expected_version": 99}, 409, "stale"),
        ({"action": "assign", "deadline_workdays": 500}, 400, "invalid"),
        ({"action": "fly"}, 422, None),
    ],
)
def test_refusals_come_with_a_status_and_a_chinese_message(zone, category, client, body, status, code):
    client.force_login(zone.users["enterprise_a"])
    case_id = post(client, "/api/cases/", {"category": category.pk, "description": "道路破损"}).json()["id"]
    client.force_login(zone.users["officer_a"])
    response = post(client, f"/api/cases/{case_id}/actions", body)
    assert response.status_code == status
    if code:
        assert response.json()["code"] == code and any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["message"])
    assert Case.objects.get(pk=case_id).status == Status.PENDING


def test_another_parks_case_is_not_found(zone, two_cases, client):
    client.force_login(zone.users["officer_b"])
    response = post(client, f"/api/cases/{two_cases[0].pk}/actions", {"action": "comment", "comment": "看看"})
    assert response.status_code == 404
