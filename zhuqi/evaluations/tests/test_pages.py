"""The pages, each from the user's scope: a firm sees the published list and its own sheet, never another firm's;
a park officer its own park's; the index is the zone's and the departments'."""

import io

import pytest
from django.urls import reverse
from docx import Document

from zhuqi.evaluations import selectors, services
from zhuqi.evaluations.install import index_system_install
from zhuqi.evaluations.models import Objection, Score

from .conftest import evidence


def _score(zone, firm):
    return Score.objects.get(run=zone.run, enterprise=firm)


def test_a_firm_sees_the_published_list_and_its_own_sheet_but_not_another_firms(client, published):
    client.force_login(published.users["enterprise_a"])
    page = client.get(reverse("evaluation-run-detail", args=[published.run.pk]))
    assert page.status_code == 200 and "平顶山中和科技有限公司" in page.content.decode()
    own = _score(published, published.enterprise_a)
    assert client.get(reverse("evaluation-score-detail", args=[own.pk])).status_code == 200
    other = _score(published, published.middle)
    assert client.get(reverse("evaluation-score-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("evaluation-score-docx", args=[other.pk])).status_code == 404


def test_a_firm_does_not_see_a_draft_list(client, evaluation):
    client.force_login(evaluation.users["enterprise_a"])
    assert client.get(reverse("evaluation-run-detail", args=[evaluation.run.pk])).status_code == 404
    own = _score(evaluation, evaluation.enterprise_a)
    assert client.get(reverse("evaluation-score-detail", args=[own.pk])).status_code == 404


def test_another_parks_officer_sees_neither_the_list_nor_the_sheets(client, published):
    client.force_login(published.users["officer_b"])
    assert client.get(reverse("evaluation-run-detail", args=[published.run.pk])).status_code == 404
    own = _score(published, published.enterprise_a)
    assert client.get(reverse("evaluation-score-detail", args=[own.pk])).status_code == 404
    assert not selectors.scores_visible_to(published.users["officer_b"]).exists()


def test_the_park_officer_reads_each_item_and_downloads_the_sheet(client, published):
    client.force_login(published.users["officer_a"])
    score = _score(published, published.enterprise_a)
    page = client.get(reverse("evaluation-score-detail", args=[score.pk])).content.decode()
    assert "亩均税收" in page and "90.00" in page
    response = client.get(reverse("evaluation-score-docx", args=[score.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "合计 90.00 分，评定等级 A" in text


def test_a_firm_files_its_objection_on_the_page_and_a_refused_form_keeps_its_text(client, published):
    client.force_login(published.users["enterprise_a"])
    score = _score(published, published.enterprise_a)
    url = reverse("evaluation-objection-new", args=[score.pk])
    refused = client.post(url, {"text": "专利数有误，请复核", "item_code": "valid_inventions"})
    assert refused.status_code == 200 and "专利数有误，请复核" in refused.content.decode()
    assert not Objection.objects.exists()
    done = client.post(url, {"text": "专利数有误，请复核", "item_code": "valid_inventions", "evidence": evidence()})
    assert done.status_code == 302 and Objection.objects.get().item_code == "valid_inventions"
    # the park officer decides it on the list page
    client.force_login(published.users["officer_a"])
    objection = Objection.objects.get()
    client.post(reverse("evaluation-objection-decide", args=[objection.pk]),
                {"upheld": "no", "reason": "证书日期在评价年度之后", "corrected_value": ""})  # fmt: skip
    objection.refresh_from_db()
    assert objection.status == "rejected"
    assert client.get(reverse("evaluation-objection-evidence", args=[objection.pk])).status_code == 200
    client.force_login(published.users["enterprise_b"])
    assert client.get(reverse("evaluation-objection-evidence", args=[objection.pk])).status_code == 404


def test_only_the_zone_and_departments_see_the_index(client, zone):
    index_system_install()
    services.zone_figure_enter(
        year=2023, code="city_gdp", value="1000", source="统计公报", by=zone.users["coordinator"]
    )
    client.force_login(zone.users["coordinator"])
    page = client.get(reverse("evaluation-index"))
    assert page.status_code == 200 and "假定" in page.content.decode()
    client.force_login(zone.users["officer_a"])
    assert client.get(reverse("evaluation-index")).status_code == 403


@pytest.mark.parametrize("role", ["coordinator", "officer_a", "enterprise_a", "department"])
def test_the_list_of_evaluations_opens_for_every_role_that_uses_it(client, published, role):
    client.force_login(published.users[role])
    assert client.get(reverse("evaluation-run-list")).status_code == 200


def test_the_api_gives_a_firm_its_own_sheet_and_not_another_firms(client, published):
    client.force_login(published.users["enterprise_a"])
    own = _score(published, published.enterprise_a)
    sheet = client.get(f"/api/evaluations/scores/{own.pk}").json()
    assert sheet["grade"] == "A" and {line["code"] for line in sheet["lines"]} >= {"tax_per_mu", "major_hazards"}
    other = _score(published, published.middle)
    assert client.get(f"/api/evaluations/scores/{other.pk}").status_code == 404
    assert [r["year"] for r in client.get("/api/evaluations/runs").json()] == [2023]
    assert client.get("/api/evaluations/index/2023").status_code == 403


def test_the_final_grade_shows_on_the_firms_file(client, published):
    from zhuqi.evaluations import services as evaluation_services

    evaluation_services.run_finalise(run=published.run, by=published.users["officer_a"])
    client.force_login(published.users["enterprise_a"])
    page = client.get(reverse("enterprise-detail", args=[published.enterprise_a.pk])).content.decode()
    assert "2023 年度企业绩效综合评价：A 级" in page


def test_the_zone_office_enters_its_own_figures_and_the_departments_read_them(client, zone):
    index_system_install()
    url = reverse("evaluation-zone-figures")
    client.force_login(zone.users["coordinator"])
    refused = client.post(url, {"year": "2024", "code": "city_gdp", "value": "2960亿", "source": ""})
    assert refused.status_code == 200 and refused.context["form"].errors.keys() == {"value", "source"}
    assert 'value="2960亿"' in refused.content.decode()  # kept as typed
    client.post(url, {"year": "2024", "code": "city_gdp", "value": "296000000000", "source": "平顶山市统计公报"})
    assert selectors.zone_totals(year=2024, codes={"city_gdp"})[0] == {"city_gdp": 296000000000}
    client.force_login(zone.users["department"])
    page = client.get(url)
    assert page.context["form"] is None and "平顶山市统计公报" in page.content.decode()
    assert client.post(url, {"year": "2024", "code": "city_gdp", "value": "1", "source": "x"}).status_code == 200
    assert selectors.zone_totals(year=2024, codes={"city_gdp"})[0] == {"city_gdp": 296000000000}
    client.force_login(zone.users["officer_a"])
    assert client.get(url).status_code == 403
