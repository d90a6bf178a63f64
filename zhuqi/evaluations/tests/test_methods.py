"""A method as data: it reproduces its hand-worked firms before it may be published; exclusions and deductions."""

from decimal import Decimal

import pytest

from zhuqi.core.errors import DomainError
from zhuqi.evaluations import selectors, services
from zhuqi.evaluations.install import method_install, method_spec
from zhuqi.evaluations.models import MethodStatus, WorkedFirm
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
