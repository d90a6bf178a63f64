"""The national high-tech zone index on a hand-worked fixture: totals summed from the torch returns, hand figures
winning over them, points against the target rank's values, the firms that move an indicator, the what-if."""

from decimal import Decimal

import pytest

from zhuqi.core.errors import DomainError
from zhuqi.evaluations import selectors, services
from zhuqi.evaluations.install import index_system_install
from zhuqi.indicators.services import indicator_values_record

from .conftest import torch_indicators


@pytest.fixture
def system(db):
    return index_system_install()


def test_the_system_has_five_groups_of_100_points_and_says_its_weights_are_assumed(system):
    groups = {}
    for ind in system.indicators.all():
        groups[ind.group] = groups.get(ind.group, 0) + ind.weight
    assert list(groups) == ["创新能力和创业活跃度", "结构优化和产业价值链", "绿色发展和宜居包容性",
                            "开放创新和国际竞争力", "综合质效和持续创新力"]  # fmt: skip
    assert sum(groups.values()) == 100 and system.weights_assumed and "假定" in system.name


def test_points_and_points_lost_worked_by_hand(system):
    # R&D 20 of revenue 1000 = 2% against 4% → 8 × 0.5 = 4 points, 4 lost; energy 0.75 t per 万元 (lower is
    # better) against 0.5 → 8 × 0.5/0.75 = 5.33; exports 150/1000 = 15% above 10% → full 8 points
    totals = {"revenue": Decimal(1000), "rd_expense": Decimal(20), "zone_energy_tce": Decimal("0.075"),
              "value_added": Decimal(1000), "export_total": Decimal(150)}  # fmt: skip
    result = selectors.index_compute(system=system, totals=totals)
    lines = {line["code"]: line for line in result["indicators"]}
    assert (lines["rd_intensity"]["value"], lines["rd_intensity"]["points"], lines["rd_intensity"]["lost"]) == (
        Decimal("2.00"), Decimal("4.00"), Decimal("4.00"))  # fmt: skip
    assert lines["energy_per_value_added"]["points"] == Decimal("5.33")
    assert lines["export_share"]["points"] == Decimal("8.00")
    assert lines["high_tech_firms"]["value"] is None and lines["high_tech_firms"]["lost"] == Decimal("8.00")
    assert result["total"] == Decimal("17.33")
    assert result["rank"] == 169  # below the lowest anchor


def test_zone_totals_sum_the_returns_and_hand_figures_win(zone, system):
    torch_indicators()
    by = zone.users["coordinator"]
    indicator_values_record(enterprise=zone.enterprise_a, period="2023", values={"revenue": 600, "rd_expense": 30},
                            by=by)  # fmt: skip
    indicator_values_record(enterprise=zone.enterprise_b, period="2023", values={"revenue": 400, "rd_expense": 10},
                            by=by)  # fmt: skip
    services.zone_figure_enter(year=2023, code="city_gdp", value="4000", source="市统计公报", by=by)
    totals, sources = selectors.zone_totals(year=2023, codes={"revenue", "rd_expense", "city_gdp"})
    assert totals == {"revenue": 1000, "rd_expense": 40, "city_gdp": 4000}
    assert sources["city_gdp"] == "市统计公报" and sources["revenue"] == "火炬统计汇总"
    result = selectors.index_of_year(2023)
    lines = {line["code"]: line for line in result["indicators"]}
    assert lines["rd_intensity"]["value"] == Decimal("4.00") and lines["revenue_to_city_gdp"]["value"] == 25
    top = selectors.contributors(code="rd_expense", year=2023)
    assert [t["name"] for t in top] == [zone.enterprise_a.name, zone.enterprise_b.name] and top[0]["share"] == 75
    services.zone_figure_enter(year=2023, code="rd_expense", value="20", source="火炬中心反馈数", by=by)
    assert selectors.zone_totals(year=2023, codes={"rd_expense"})[0] == {"rd_expense": 20}


def test_what_if_the_top_firms_raise_their_rnd_by_a_tenth(zone, system):
    torch_indicators()
    by = zone.users["coordinator"]
    indicator_values_record(enterprise=zone.enterprise_a, period="2023", values={"revenue": 1000, "rd_expense": 20},
                            by=by)  # fmt: skip
    services.zone_figure_enter(year=2023, code="city_gdp", value="4000", source="市统计公报", by=by)
    what_if = selectors.index_what_if(year=2023)
    assert what_if["added"] == 2 and what_if["after"] - what_if["before"] == Decimal("0.40")  # 2.2% vs 2% of 8


def test_only_the_zone_office_enters_zone_figures(zone, system):
    with pytest.raises(DomainError):
        services.zone_figure_enter(year=2023, code="city_gdp", value="1", source="x", by=zone.users["officer_a"])
