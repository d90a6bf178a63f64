"""The API goes through the same services and permissions as the pages."""

import json

import pytest
from django.urls import reverse

from zhuqi.cases.models import Case
from zhuqi.cases.tests.factories import CategoryFactory
from zhuqi.cases.workflow import Status
from zhuqi.org.models import Department


@pytest.fixture
def category(zone):
    return CategoryFactory(name="安全生产", department=Department.objects.get(name="应急管理局"), deadline_workdays=5)


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def act(client, case_id, body, version=None):
    """An action on a case, with the version it was seen at (its ETag) in If-Match."""
    if version is None:
        version = client.get(f"/api/cases/{case_id}")["ETag"].strip('"')
    return post(client, f"/api/cases/{case_id}/actions", body, **{"If-Match": f'"{version}"'})


def test_an_enterprise_raises_and_the_park_assigns_through_the_api(zone, category, client):
    client.force_login(zone.users["enterprise_a"])
    created = post(client, "/api/cases/", {"category": category.pk, "description": "消防通道被占用"})
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "pending" and body["enterprise"] == zone.enterprise_a.name
    assert body["allowed_actions"] == ["withdraw", "comment"]
    client.force_login(zone.users["officer_a"])
    assigned = act(client, body["id"], {"action": "assign"}, version=body["version"])
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
        ({"action": "assign", "deadline_workdays": 500}, 400, "invalid"),
        ({"action": "fly"}, 422, None),
    ],
)
def test_refusals_come_with_a_status_and_a_chinese_message(zone, category, client, body, status, code):
    client.force_login(zone.users["enterprise_a"])
    case_id = post(client, "/api/cases/", {"category": category.pk, "description": "道路破损"}).json()["id"]
    client.force_login(zone.users["officer_a"])
    response = act(client, case_id, body)
    assert response.status_code == status
    if code:
        assert response.json()["code"] == code and any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["message"])
    assert Case.objects.get(pk=case_id).status == Status.PENDING


def test_another_parks_case_is_not_found(zone, two_cases, client):
    client.force_login(zone.users["officer_b"])
    response = act(client, two_cases[0].pk, {"action": "comment", "comment": "看看"}, version=1)
    assert response.status_code == 404


def test_an_update_needs_the_version_it_was_made_on_in_if_match(zone, category, client):
    client.force_login(zone.users["enterprise_a"])
    case_id = post(client, "/api/cases/", {"category": category.pk, "description": "道路破损"}).json()["id"]
    client.force_login(zone.users["officer_a"])
    seen = client.get(f"/api/cases/{case_id}")
    assert seen["ETag"] == f'"{seen.json()["version"]}"'
    without = post(client, f"/api/cases/{case_id}/actions", {"action": "comment", "comment": "已了解"})
    assert without.status_code == 428 and "If-Match" in without.json()["message"]
    first = act(client, case_id, {"action": "comment", "comment": "已了解"}, version=seen.json()["version"])
    assert first.status_code == 200 and first["ETag"] != seen["ETag"]
    second = act(client, case_id, {"action": "assign"}, version=seen.json()["version"])  # made on the old version
    assert second.status_code == 412 and second.json()["code"] == "precondition_failed"
    assert Case.objects.get(pk=case_id).status == Status.PENDING


def test_a_create_sent_again_with_the_same_idempotency_key_returns_the_first_answer(zone, category, client):
    client.force_login(zone.users["enterprise_a"])
    body = {"category": category.pk, "description": "消防通道被占用"}
    first = post(client, "/api/cases/", body, **{"Idempotency-Key": "phone-7f3a"})
    again = post(client, "/api/cases/", body, **{"Idempotency-Key": "phone-7f3a"})
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1
    other = post(client, "/api/cases/", {**body, "description": "另一件事"}, **{"Idempotency-Key": "phone-7f3a"})
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert Case.objects.count() == 1
    post(client, "/api/cases/", body, **{"Idempotency-Key": "phone-8b21"})
    assert Case.objects.count() == 2  # a new key is a new request


def test_a_refused_create_keeps_no_key_and_may_be_sent_again(zone, category, client):
    client.force_login(zone.users["enterprise_a"])
    refused = post(
        client, "/api/cases/", {"category": 999999, "description": "类别不存在"}, **{"Idempotency-Key": "k1"}
    )
    assert refused.status_code == 400
    fixed = post(
        client, "/api/cases/", {"category": category.pk, "description": "类别不存在"}, **{"Idempotency-Key": "k1"}
    )
    assert fixed.status_code == 201 and Case.objects.count() == 1


@pytest.mark.parametrize("kind", ["alarm", "hazard", "grid_incident"])
@pytest.mark.parametrize(("role", "source"), [("enterprise_a", "enterprise"), ("officer_a", "call"),
                                              ("coordinator", "monitoring"), ("officer_a", "inspection"),
                                              ("grid_a", "patrol")])  # fmt: skip
def test_no_one_raises_through_the_api_a_kind_the_form_hides(zone, client, kind, role, source):
    """Alarms, hazards and grid incidents come with their own record through their own service; posting their
    category is refused as the form refuses it, and no case is made."""
    hidden = CategoryFactory(kind=kind, name="隐藏类别", department=Department.objects.get(name="应急管理局"),
                             routes_directly=True)  # fmt: skip
    client.force_login(zone.users[role])
    body = {"category": hidden.pk, "description": "绕过表单", "source": source}
    if role != "enterprise_a":
        body["enterprise"] = zone.enterprise_a.pk
    refused = post(client, "/api/cases/", body)
    assert refused.status_code == 400 and refused.json()["code"] == "invalid", refused.content
    assert not Case.objects.exists()
    page = client.post(reverse("case-new"), {"category": hidden.pk, "description": "绕过表单", "source": source})
    assert page.status_code == 200 and not Case.objects.exists()


def test_the_form_and_the_api_offer_the_same_categories(zone, category, client):
    from zhuqi.cases.forms import CaseRaiseForm
    from zhuqi.cases.services import categories_raisable_by_hand

    for kind in ("alarm", "hazard", "grid_incident"):
        CategoryFactory(kind=kind, name=f"{kind}类别", department=category.department)
    offered = CaseRaiseForm(user=zone.users["enterprise_a"]).fields["category"].queryset
    assert set(offered) == set(categories_raisable_by_hand()) == {category}


def test_who_may_raise_is_one_check_for_the_page_the_api_and_the_service(zone, category, client):
    from zhuqi.cases import services
    from zhuqi.core import scopes
    from zhuqi.core.errors import DomainError

    for name, user in zone.users.items():
        may = scopes.can_raise_case(user)
        enterprise = user.enterprise if user.role == "enterprise_contact" else None
        source = "enterprise" if enterprise else "call"
        try:
            services.case_submit(
                by=user, category=category, description="同一规则", source=source, enterprise=enterprise
            )
            raised = True
        except DomainError as error:
            raised = False
            assert error.code.value == "not_allowed", name
        assert raised == may, name
        client.force_login(user)
        answer = post(client, "/api/cases/", {"category": category.pk, "description": "同一规则", "source": source})
        assert (answer.status_code == 201) == may, (name, answer.status_code)
