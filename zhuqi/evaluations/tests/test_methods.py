"""A method as data: it reproduces its hand-worked firms before it may be published; exclusions and deductions."""

from decimal import Decimal

import pytest
from django.urls import reverse

from zhuqi.core.errors import DomainError
from zhuqi.evaluations import selectors, services
from zhuqi.evaluations.install import method_install, method_spec
from zhuqi.evaluations.models import Method, MethodStatus, WorkedFirm
from zhuqi.evaluations.scoring import ItemSpec, item_points

from .conftest import torch_indicators


@pytest.fixture
def draft(zone):
    torch_indicators()
    return method_install(park=zone.park_a, by=zone.users["officer_a"])


def test_the_parks_method_reproduces_every_hand_worked_firm_and_is_published(zone, draft):
    assert services.method_check(method=draft) == []
    method = services.method_publish(method=draft, by=zone.users["officer_a"])
    assert method.status == MethodStatus.PUBLISHED and method.published_by == zone.users["officer_a"]


def test_publishing_is_refused_naming_the_firm_and_item_a_changed_weight_no_longer_reproduces(zone, draft):
    item = draft.items.get(code="tax_per_mu")
    item.weight = Decimal("30")
    item.save()
    with pytest.raises(DomainError) as refused:
        services.method_publish(method=draft, by=zone.users["officer_a"])
    assert "样例甲（中等规模，C 级）" in refused.value.message and "亩均税收" in refused.value.message
    draft.refresh_from_db()
    assert draft.status == MethodStatus.DRAFT


def test_a_method_without_hand_worked_firms_is_not_published(zone, draft):
    WorkedFirm.objects.filter(method=draft).delete()
    with pytest.raises(DomainError) as refused:
        services.method_publish(method=draft, by=zone.users["officer_a"])
    assert refused.value.code == services.EvaluationError.WORKED_FIRM_MISMATCH


def test_another_parks_officer_may_not_publish(zone, draft):
    with pytest.raises(DomainError):
        services.method_publish(method=draft, by=zone.users["officer_b"])


def test_a_firm_under_one_year_or_in_liquidation_is_excluded_not_scored(zone, draft):
    scorer = selectors.scorer_for(draft)
    worked = method_spec()["worked"][0]["facts"]
    assert scorer.score({**worked, "years_registered": 0}).excluded == "成立不满一年"
    assert scorer.score({**worked, "in_liquidation": True}).excluded == "正在清算"
    kept = scorer.score(worked)
    assert kept.excluded == "" and kept.grade == "C"


def test_a_major_hazard_and_environmental_penalties_deduct_up_to_their_cap(zone, draft):
    scorer = selectors.scorer_for(draft)
    worked = method_spec()["worked"][0]["facts"]
    assert scorer.score(worked).total == Decimal("67.50")
    assert scorer.score({**worked, "major_hazards_in_period": 1}).total == Decimal("57.50")
    assert scorer.score({**worked, "pollution_noncompliance_in_period": 5}).total == Decimal("52.50")  # cap 15


def test_a_missing_fact_gives_no_points_and_is_never_read_as_zero(zone, draft):
    scorer = selectors.scorer_for(draft)
    worked = dict(method_spec()["worked"][0]["facts"])
    del worked["rd_expense"]
    result = scorer.score(worked)
    assert result.values[2] is None and result.points[2] == 0
    del worked["major_hazards_in_period"]
    assert scorer.score(worked).excluded == ""


@pytest.mark.parametrize(("value", "points"), [(0, 0), (200, 10), (400, 20), (900, 20), (-5, 0)])
def test_linear_scoring_between_bounds(value, points):
    item = ItemSpec("x", "x", "x", Decimal(20), "linear", {"low": 0, "high": 400})
    assert item_points(item, value) == points


def test_linear_scoring_where_lower_is_better():
    item = ItemSpec("x", "x", "x", Decimal(10), "linear", {"low": 0.5, "high": 0.05})
    assert item_points(item, 0.05) == 10 and item_points(item, 0.5) == 0 and item_points(item, 0.275) == 5


def _form_data(page) -> dict:
    """What the edit page's forms hold, as the browser would send it back."""
    data = {}
    for name in ("head", "items", "exclusions", "worked"):
        part = page.context[name]
        forms = [part] if name == "head" else [part.management_form, *part.forms]
        for form in forms:
            for field in form:
                value = field.value()
                if value is True:
                    data[field.html_name] = "on"
                elif value is not None and value is not False:
                    data[field.html_name] = value
    return data


def test_the_park_edits_a_new_version_on_its_pages_and_publishes_it_only_once_the_worked_firms_agree(client, zone):
    torch_indicators()
    officer = zone.users["officer_a"]
    first = services.method_publish(method=method_install(park=zone.park_a, by=officer), by=officer)
    client.force_login(officer)
    # a published version is never edited: a new version is made from it
    assert client.get(reverse("evaluation-method-edit", args=[first.pk])).status_code == 302
    made = client.post(reverse("evaluation-method-act", args=[first.pk]), {"action": "new_version"})
    draft = Method.objects.get(code=first.code, version=2)
    assert made.url == reverse("evaluation-method-edit", args=[draft.pk]) and draft.status == MethodStatus.DRAFT

    page = client.get(made.url)
    data = _form_data(page)
    tax = next(k[: -len("-code")] for k, v in data.items() if v == "tax_per_mu")
    data[f"{tax}-expression"] = "double(taxes_paid) / 10000.0 / land_mu"  # a code the platform does not know
    refused = client.post(made.url, data)
    assert refused.status_code == 200 and "land_mu" in refused.content.decode()
    assert refused.context["items"].forms[1]["expression"].value().endswith("land_mu")  # kept as typed

    data[f"{tax}-expression"] = "double(taxes_paid) / 10000.0 / land_area_mu"
    data[f"{tax}-weight"] = "30"
    data["valid_from"] = "2024-01-01"
    saved = client.post(made.url, data)
    assert saved.status_code == 302, [saved.context[n].errors for n in ("head", "items", "exclusions", "worked")]
    draft.refresh_from_db()
    assert draft.items.get(code="tax_per_mu").weight == 30 and draft.worked.count() == first.worked.count()
    detail = client.get(reverse("evaluation-method-detail", args=[draft.pk])).content.decode()
    assert "亩均税收" in detail and "暂不能发布" in detail
    client.post(reverse("evaluation-method-act", args=[draft.pk]), {"action": "publish"})
    draft.refresh_from_db()
    assert draft.status == MethodStatus.DRAFT

    data[f"{tax}-weight"] = "25"
    client.post(made.url, data)
    client.post(reverse("evaluation-method-act", args=[draft.pk]), {"action": "publish"})
    first.refresh_from_db()
    draft.refresh_from_db()
    assert (draft.status, first.status) == (MethodStatus.PUBLISHED, MethodStatus.RETIRED)
    assert str(draft.valid_from) == "2024-01-01"
    # another park's officer does not reach it
    client.force_login(zone.users["officer_b"])
    assert client.get(reverse("evaluation-method-detail", args=[draft.pk])).status_code == 404


def test_a_park_officer_starts_a_new_method_for_its_own_park_only(client, zone):
    client.force_login(zone.users["officer_b"])
    url = reverse("evaluation-method-new")
    form = {"park": zone.park_a.pk, "code": "b-performance", "name": "电气装备产业园区企业绩效评价办法",
            "document": "园区文件", "valid_from": "2024-01-01", "grades": "A 85；B 60"}  # fmt: skip
    refused = client.post(url, form)
    assert refused.status_code == 200 and "park" in refused.context["form"].errors
    made = client.post(url, {**form, "park": zone.park_b.pk})
    method = Method.objects.get(code="b-performance")
    assert made.url == reverse("evaluation-method-edit", args=[method.pk])
    assert (method.park, method.status, method.grades) == (zone.park_b, MethodStatus.DRAFT,
                                                           [{"grade": "A", "min": 85}, {"grade": "B", "min": 60}])  # fmt: skip
    assert client.get(made.url).status_code == 200
    client.force_login(zone.users["enterprise_a"])
    assert client.get(url).status_code == 403
