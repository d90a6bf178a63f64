"""The scope matrix extended to cases: every role against enterprise A's and enterprise B's case."""

import io

import openpyxl
import pytest
from django.urls import reverse

ROLES = [
    "coordinator",
    "department",
    "officer_a",
    "officer_b",
    "grid_a",
    "enterprise_a",
    "enterprise_b",
    "auditor",
    "sysadmin",
    "security",
]
SEES_A = {"coordinator", "department", "officer_a", "enterprise_a"}
SEES_B = {"coordinator", "officer_b", "enterprise_b"}
LIST = {"coordinator", "department", "officer_a", "officer_b", "grid_a", "enterprise_a", "enterprise_b"}
FIGURES = {"coordinator", "department", "officer_a", "officer_b"}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_the_cases_it_may_see(zone, two_cases, client, role):
    client.force_login(zone.users[role])
    for case, sees in zip(two_cases, (SEES_A, SEES_B), strict=True):
        expected = 200 if role in sees else 404
        assert client.get(reverse("case-detail", args=[case.pk])).status_code == expected, role
        assert client.get(f"/api/cases/{case.pk}").status_code == expected, role


@pytest.mark.parametrize("role", ROLES)
def test_lists_api_and_ledger_show_exactly_what_the_role_may_see(zone, two_cases, client, role):
    client.force_login(zone.users[role])
    case_a, case_b = two_cases
    page = client.get(reverse("case-list"))
    assert page.status_code == (200 if role in LIST else 403)
    if role not in LIST:
        return
    html = page.content.decode()
    assert (case_a.number in html, case_b.number in html) == (role in SEES_A, role in SEES_B)
    numbers = {c["number"] for c in client.get("/api/cases/").json()["items"]}
    assert numbers == {c.number for c, s in zip(two_cases, (SEES_A, SEES_B), strict=True) if role in s}
    export = client.get(reverse("case-export"))
    assert export.status_code == (200 if role in FIGURES else 403)
    if role in FIGURES:
        sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
        texts = " ".join(str(r[2].value) for r in sheet.iter_rows(min_row=2))
        assert (case_a.number in texts, case_b.number in texts) == (role in SEES_A, role in SEES_B)


@pytest.mark.parametrize("role", ROLES)
def test_figures_count_only_the_cases_in_the_roles_scope(zone, two_cases, client, role):
    client.force_login(zone.users[role])
    response = client.get("/api/cases/figures")
    assert response.status_code == (200 if role in FIGURES else 403)
    if role in FIGURES:
        expected = (role in SEES_A) + (role in SEES_B)
        assert response.json()["total"]["received"] == expected


def test_an_enterprise_never_sees_internal_notes(zone, two_cases, client):
    from zhuqi.cases import services

    case_a, _ = two_cases
    services.case_act(
        case=case_a, action="comment", by=zone.users["department"], comment="内部：需消防大队配合", public=False
    )
    services.case_act(
        case=case_a, action="comment", by=zone.users["department"], comment="已安排人员下周上门", public=True
    )
    client.force_login(zone.users["enterprise_a"])
    html = client.get(reverse("case-detail", args=[case_a.pk])).content.decode()
    api = client.get(f"/api/cases/{case_a.pk}").json()
    assert "已安排人员下周上门" in html and "需消防大队配合" not in html
    assert [e["comment"] for e in api["events"]] == ["已安排人员下周上门"]
    client.force_login(zone.users["officer_a"])
    assert "需消防大队配合" in client.get(reverse("case-detail", args=[case_a.pk])).content.decode()
