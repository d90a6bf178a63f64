"""On a policy's matching page the zone office turns the firms whose data are missing into a form request (a
reporting campaign with the form that asks for those figures); and the policies through the API, in the same scope
as the pages."""

import datetime

import pytest
from django.urls import reverse

from zhuqi.enterprises.tests.factories import EnterpriseFactory
from zhuqi.policies import matching
from zhuqi.policies.applications import ApplicationAction as P
from zhuqi.policies.models import Match
from zhuqi.reporting.definitions import torch_install
from zhuqi.reporting.models import Campaign, Return

from .conftest import TODAY, certify
from .test_applications import on, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def unknown(catalogue):
    """A third firm, certified high-tech but with no figures reported: the 高企 award cannot judge it."""
    torch_install()
    catalogue.firm_c = EnterpriseFactory(name="平顶山市新材料科技有限公司", park=catalogue.park_a)
    certify(catalogue.firm_c)
    matching.match_run(on=TODAY)
    return catalogue


def test_the_zone_office_turns_the_missing_data_into_a_form_request(unknown, client):
    zone = unknown
    client.force_login(zone.users["coordinator"])
    page = client.get(reverse("policy-detail", args=[zone.award.pk])).content.decode()
    assert "平顶山市新材料科技有限公司" in page and 'id="data-request"' in page
    response = client.post(reverse("policy-data-request", args=[zone.award.pk]), {"enterprise": [zone.firm_c.pk]})
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    # the period of the data the match looked for
    assert campaign.period == Match.objects.get(enterprise=zone.firm_c, policy=zone.award).period
    assert "高新技术企业认定奖励" in campaign.title
    assert list(Return.objects.filter(campaign=campaign).values_list("enterprise_id", flat=True)) == [zone.firm_c.pk]
    assert {"rd_expense", "revenue"} <= set(campaign.targets["requested"])
    # the form asks for the figures the policy lacked
    fields = set(campaign.version.sections.values_list("fields__indicator__code", flat=True))
    assert {"rd_expense", "revenue"} <= fields


def test_only_the_zone_office_sends_form_requests_and_only_for_firms_whose_data_are_missing(unknown, client):
    zone = unknown
    client.force_login(zone.users["officer_a"])
    assert 'id="data-request"' not in client.get(reverse("policy-detail", args=[zone.award.pk])).content.decode()
    assert client.post(reverse("policy-data-request", args=[zone.award.pk]),
                       {"enterprise": [zone.firm_c.pk]}).status_code == 403  # fmt: skip
    client.force_login(zone.users["coordinator"])
    client.post(reverse("policy-data-request", args=[zone.award.pk]), {"enterprise": [zone.enterprise_a.pk]})
    assert not Campaign.objects.exists()  # 森源 qualifies: nothing of its is missing


def test_the_api_lists_and_moves_applications_in_the_users_scope(fast, client):
    application = submit(fast)
    client.force_login(fast.users["enterprise_b"])
    assert client.get("/api/policies/applications").json() == []
    assert client.get(f"/api/policies/applications/{application.pk}").status_code == 404
    client.force_login(fast.users["enterprise_a"])
    [listed] = client.get("/api/policies/applications").json()
    assert (listed["step"], listed["fast"], listed["deadline"]) == ("园区初审", True, "2025-12-19")
    detail = client.get(f"/api/policies/applications/{application.pk}").json()
    assert [m["name"] for m in detail["materials"]] == ["奖补申请表", "电费缴纳凭证"]
    assert detail["actions"] == ["withdraw"]
    client.force_login(fast.users["officer_a"])
    with on(datetime.date(2025, 9, 23)):
        response = client.post(f"/api/policies/applications/{application.pk}/act",
                                {"action": P.PARK_PASS, "comment": "材料齐全"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["step"] == "部门审核"
    refused = client.post(f"/api/policies/applications/{application.pk}/act", {"action": P.PAY},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 403
    client.force_login(fast.users["science"])
    with on(datetime.date(2025, 9, 24)):
        response = client.post(f"/api/policies/applications/{application.pk}/act",
                               {"action": P.REFUSE, "comment": ""}, content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and response.json()["field"] == "comment"


def test_the_api_gives_the_catalogue_and_a_firms_matches(catalogue, client):
    matching.match_run(on=TODAY)
    client.force_login(catalogue.users["enterprise_b"])
    titles = [p["title"] for p in client.get("/api/policies/").json()]
    assert "高新技术企业认定奖励" in titles
    [match] = client.get("/api/policies/matches").json()
    assert match["verdict"] == "nearly" and "研发费用占比 2.8%，需 ≥ 3%" in match["lacking"]
    schema = client.get("/api/openapi.json").json()
    assert {"/api/policies/", "/api/policies/matches", "/api/policies/applications",
            "/api/policies/applications/{application_id}", "/api/policies/applications/{application_id}/act",
            "/api/policies/{policy_id}"} <= set(schema["paths"])  # fmt: skip
