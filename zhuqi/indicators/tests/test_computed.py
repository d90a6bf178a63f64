"""Computed indicators: a formula over other indicators, checked when saved (known names, no cycles, a number),
computed and recorded with its provenance when its inputs change and on demand; nothing recorded from a
missing input or a division by zero."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from zhuqi.core.errors import DomainError
from zhuqi.indicators.computed import computed_values, formula_check, indicator_formula_save
from zhuqi.indicators.models import IndicatorValue, Obtained, Origin
from zhuqi.indicators.selectors import indicator_values
from zhuqi.indicators.services import indicator_values_record

from .factories import IndicatorFactory, some_indicators

pytestmark = pytest.mark.django_db


def intensity(by):
    rd_share = IndicatorFactory(code="rd_intensity", name="研发投入强度", value_kind="decimal", unit="%")
    return indicator_formula_save(indicator=rd_share, formula="double(rd_expense) * 100.0 / double(revenue)", by=by)


def test_a_formula_is_checked_when_saved_with_chinese_messages(zone):
    some_indicators()
    ratio = IndicatorFactory(code="ratio", name="比率", value_kind="decimal", unit="%")
    coordinator = zone.users["coordinator"]
    with pytest.raises(DomainError, match="语法错误"):
        indicator_formula_save(indicator=ratio, formula="revenue * (", by=coordinator)
    with pytest.raises(DomainError, match="未知指标.*profit"):
        indicator_formula_save(indicator=ratio, formula="profit * 1.0", by=coordinator)
    with pytest.raises(DomainError, match="不能直接运算"):
        indicator_formula_save(indicator=ratio, formula="rd_expense * 100.0 / revenue", by=coordinator)
    with pytest.raises(DomainError, match="上期"):
        indicator_formula_save(indicator=ratio, formula="double(last.revenue)", by=coordinator)
    ratio.refresh_from_db()
    assert (ratio.formula, ratio.obtained) == ("", Obtained.REPORTED)

    # a cycle through another computed indicator is refused, naming the path
    indicator_formula_save(indicator=ratio, formula="double(revenue) / double(staff)", by=coordinator)
    per_head = IndicatorFactory(code="per_head", name="人均", value_kind="decimal", unit="")
    indicator_formula_save(indicator=per_head, formula="ratio * 2.0", by=coordinator)
    reads, problems = formula_check(code="ratio", formula="per_head / 2.0", value_kind="decimal")
    assert problems and "ratio → per_head → ratio" in problems[0] and "依赖自身" in problems[0]
    assert formula_check(code="flag", formula="staff * 2", value_kind="boolean")[1]


def test_computed_values_are_recorded_when_their_inputs_are_with_provenance(zone):
    some_indicators()
    intensity(zone.users["coordinator"])
    firm, contact = zone.enterprise_a, zone.users["enterprise_a"]

    indicator_values_record(enterprise=firm, period="2024", values={"revenue": 1000}, by=contact)
    assert "rd_intensity" not in indicator_values(enterprise=firm, period="2024")  # missing input: nothing
    indicator_values_record(enterprise=firm, period="2024", values={"rd_expense": 28}, by=contact)
    assert indicator_values(enterprise=firm, period="2024")["rd_intensity"] == Decimal("2.8")
    value = IndicatorValue.objects.get(enterprise=firm, indicator__code="rd_intensity", is_current=True)
    assert value.origin == Origin.COMPUTED and value.origin_ref == "indicators.formula:rd_intensity"
    assert value.origin_version.startswith("formula ")

    # a correction of an input recomputes, the old computed value kept as history
    indicator_values_record(enterprise=firm, period="2024", values={"revenue": 700}, by=contact)
    assert indicator_values(enterprise=firm, period="2024")["rd_intensity"] == Decimal("4")
    assert IndicatorValue.objects.filter(enterprise=firm, indicator__code="rd_intensity").count() == 2
    # a division by zero records nothing new
    indicator_values_record(enterprise=firm, period="2024", values={"revenue": 0}, by=contact)
    assert computed_values(enterprise_ids=[firm.pk], period="2024") == {}


def test_computed_ones_chain_and_are_recomputed_on_demand(zone):
    some_indicators()
    coordinator = zone.users["coordinator"]
    indicator_values_record(enterprise=zone.enterprise_a, period="2024", values={"revenue": 1000, "rd_expense": 50,
                            "staff": 10, "rd_staff": 1}, by=coordinator)  # fmt: skip
    indicator_values_record(enterprise=zone.enterprise_b, period="2024", values={"revenue": 1000, "rd_expense": 20},
                            by=coordinator)  # fmt: skip
    intensity(coordinator)  # defined after the values were recorded: nothing computed yet
    assert "rd_intensity" not in indicator_values(enterprise=zone.enterprise_a, period="2024")
    high = IndicatorFactory(code="rd_high", name="研发强度达标", value_kind="boolean", unit="")
    indicator_formula_save(indicator=high, formula="rd_intensity >= 3.0", by=coordinator)

    call_command("indicators_compute", "2024")
    assert indicator_values(enterprise=zone.enterprise_a, period="2024", codes=["rd_intensity", "rd_high"]) == {
        "rd_intensity": Decimal("5"), "rd_high": True,
    }  # fmt: skip
    assert indicator_values(enterprise=zone.enterprise_b, period="2024", codes=["rd_high"]) == {"rd_high": False}
    call_command("indicators_compute", "2024")  # again: unchanged values add no version
    assert IndicatorValue.objects.filter(indicator__code="rd_high").count() == 2
