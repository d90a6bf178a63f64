"""Indicator values: kept in one unit, with where they came from; a correction keeps the old version."""

from decimal import Decimal

import pytest

from zhuqi.core.errors import DomainError
from zhuqi.indicators.models import Origin
from zhuqi.indicators.selectors import indicator_value_history, indicator_values
from zhuqi.indicators.services import indicator_value_correct, indicator_values_record
from zhuqi.indicators.units import convert

from .factories import some_indicators


def test_amounts_convert_between_yuan_thousands_and_ten_thousands():
    assert convert(Decimal("1.5"), from_unit="万元", to_unit="千元") == Decimal("15")
    assert convert(Decimal("2500"), from_unit="元", to_unit="千元") == Decimal("2.5")


@pytest.mark.django_db
def test_values_are_kept_in_yuan_with_their_provenance_and_corrections_keep_history(zone):
    some_indicators()
    firm, contact = zone.enterprise_a, zone.users["enterprise_a"]
    indicator_values_record(enterprise=firm, period="2024", values={"revenue": "12,345.6", "staff": 80}, by=contact,
                            origin_ref="reporting.return:1", origin_version="火炬统计 v1")  # fmt: skip
    assert indicator_values(enterprise=firm, period="2024") == {"revenue": Decimal("12345600"), "staff": 80}

    with pytest.raises(DomainError, match="原因"):
        indicator_value_correct(enterprise=firm, code="revenue", period="2024", value=13000, by=zone.users["officer_a"],
                                reason=" ")  # fmt: skip
    indicator_value_correct(enterprise=firm, code="revenue", period="2024", value=13, unit="万元",
                            by=zone.users["officer_a"], reason="审核发现单位填错")  # fmt: skip
    history = list(indicator_value_history(enterprise=firm, code="revenue", period="2024"))
    assert [(v.version, v.number, v.is_current, v.origin) for v in history] == [
        (2, Decimal("130000"), True, Origin.CORRECTION),
        (1, Decimal("12345600"), False, Origin.RETURN),
    ]
    assert history[1].recorded_by == contact and history[1].origin_ref == "reporting.return:1"
    assert history[0].recorded_by == zone.users["officer_a"]


@pytest.mark.django_db
def test_a_bad_value_is_refused_in_chinese_and_nothing_is_half_written(zone):
    some_indicators()
    with pytest.raises(DomainError, match="年末从业人员.*整数"):
        indicator_values_record(enterprise=zone.enterprise_a, period="2024", values={"revenue": 5, "staff": "8.5"},
                                by=zone.users["enterprise_a"])  # fmt: skip
    with pytest.raises(DomainError, match="不是数字"):
        indicator_values_record(enterprise=zone.enterprise_a, period="2024", values={"revenue": "abc"},
                                by=zone.users["enterprise_a"])  # fmt: skip
    with pytest.raises(DomainError, match="期"):
        indicator_values_record(enterprise=zone.enterprise_a, period="2024-13", values={"revenue": 1},
                                by=zone.users["enterprise_a"])  # fmt: skip
    assert indicator_values(enterprise=zone.enterprise_a, period="2024") == {}


@pytest.mark.django_db
def test_recording_the_same_value_again_adds_no_version(zone):
    some_indicators()
    args = {"enterprise": zone.enterprise_a, "period": "2024", "by": zone.users["enterprise_a"]}
    assert indicator_values_record(values={"revenue": 10}, **args) == 1
    assert indicator_values_record(values={"revenue": "10.000"}, **args) == 0
    assert indicator_values_record(values={"revenue": 11}, **args) == 1


@pytest.mark.django_db
def test_facts_of_a_firm_join_recorded_values_with_what_modules_count_from_their_own_records(zone, monkeypatch):
    from zhuqi.core import registry
    from zhuqi.indicators.selectors import facts_of

    some_indicators()
    firm, other = zone.enterprise_a, zone.enterprise_b
    indicator_values_record(enterprise=firm, period="2024", values={"staff": 80}, by=zone.users["enterprise_a"])
    # only this test's provider: the installed modules' own counted facts would join every firm's
    counted = {name: f for name, f in registry._selectors.items() if not name.startswith("indicators.counted.")}
    counted["indicators.counted.safety"] = lambda *, enterprise_ids, period: {
        i: {"open_major_hazards": 1 if i == firm.pk else 0} for i in enterprise_ids
    }
    monkeypatch.setattr(registry, "_selectors", counted)

    facts = facts_of(enterprises=[firm, other], period="2024", codes=["staff", "open_major_hazards"])
    assert facts[firm.pk] == {"staff": 80, "open_major_hazards": 1}
    assert facts[other.pk] == {"open_major_hazards": 0}
    assert facts_of(enterprises=[firm], period="2024", codes=["staff"]) == {firm.pk: {"staff": 80}}


@pytest.mark.django_db
def test_a_module_counting_facts_gives_the_codes_it_declares_and_is_asked_only_for_them(zone, monkeypatch):
    from zhuqi.core import registry
    from zhuqi.indicators.selectors import facts_of

    firms = [zone.enterprise_a.pk, zone.enterprise_b.pk]
    declared = {
        name: registry.counted_codes(name) for name in registry.selectors() if name.startswith("indicators.counted.")
    }
    assert declared and None not in declared.values()
    for name, codes in declared.items():
        given = {
            code for facts in registry.selector(name)(enterprise_ids=firms, period="2024").values() for code in facts
        }
        assert given <= codes, name
    asked = []
    growth = registry.selector("indicators.counted.growth")
    monkeypatch.setitem(registry._selectors, "indicators.counted.growth", lambda **kw: asked.append(1) or growth(**kw))
    facts_of(enterprises=firms, period="2024", codes=["staff", "open_major_hazards"])
    assert asked == []
    assert facts_of(enterprises=firms, period="2024", codes=["is_high_tech"])[zone.enterprise_a.pk] == {
        "is_high_tech": False
    }
    assert asked == [1]
