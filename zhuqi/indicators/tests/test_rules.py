"""The rule engine: three-valued rules with their explanations, checked when saved, tested before they apply."""

import datetime
from decimal import Decimal

import pytest

from zhuqi.core.errors import DomainError
from zhuqi.indicators.engine import IndicatorInfo, RuleBook, RuleSpec, Verdict, names_in
from zhuqi.indicators.models import RuleStatus
from zhuqi.indicators.selectors import rules_evaluate
from zhuqi.indicators.services import rule_activate, rule_save, rule_test

from .factories import RuleSetFactory, some_indicators

INFOS = {
    "revenue": IndicatorInfo("revenue", "营业收入", "amount", "千元"),
    "rd_expense": IndicatorInfo("rd_expense", "研发费用", "amount", "千元"),
    "staff": IndicatorInfo("staff", "年末从业人员", "integer", "人"),
    "rd_staff": IndicatorInfo("rd_staff", "研究开发人员", "integer", "人"),
}
RD_SHARE = RuleSpec(
    code="rd_share", name="研发费用占比", expression="rd_expense * 100 >= revenue * 3",
    message="研发费用占比 {ratio}% < 3%", values=(("ratio", "double(rd_expense) * 100.0 / double(revenue)"),),
    severity="warning", source_document="国科发火〔2016〕32号",
)  # fmt: skip
RD_STAFF = RuleSpec(code="rd_staff_le_staff", name="研发人员不超过从业人员", expression="rd_staff <= staff",
                    message="研究开发人员 {rd_staff} 人多于从业人员 {staff} 人")  # fmt: skip


def test_a_rule_holds_fails_or_cannot_be_decided_and_lists_what_is_missing():
    book = RuleBook([RD_SHARE, RD_STAFF], INFOS)
    holds = book.evaluate(
        {"revenue": Decimal(100_000_000), "rd_expense": Decimal(5_000_000), "staff": 50, "rd_staff": 8}
    )
    assert [o.verdict for o in holds.outcomes] == [Verdict.TRUE, Verdict.TRUE]

    fails = book.evaluate(
        {"revenue": Decimal(100_000_000), "rd_expense": Decimal(2_800_000), "staff": 5, "rd_staff": 8}
    )
    assert [o.verdict for o in fails.outcomes] == [Verdict.FALSE, Verdict.FALSE]
    assert fails.of("rd_share").explanation == "研发费用占比 2.8% < 3%，依据 国科发火〔2016〕32号"
    assert fails.of("rd_share").is_warning and fails.of("rd_staff_le_staff").is_error
    assert fails.of("rd_staff_le_staff").message == "研究开发人员 8 人多于从业人员 5 人"

    unknown = book.evaluate({"revenue": Decimal(100_000_000), "staff": 5, "rd_staff": 3})
    outcome = unknown.of("rd_share")
    assert outcome.verdict == Verdict.UNKNOWN  # never read as zero, which would fail it
    assert outcome.missing == ((False, "rd_expense"),)
    assert "研发费用" in outcome.explanation
    assert unknown.of("rd_staff_le_staff").verdict == Verdict.TRUE


def test_a_missing_value_that_cannot_matter_leaves_the_rule_decided():
    rule = RuleSpec(code="rd_has_staff", expression="rd_expense == 0 || rd_staff > 0", message="有研发费用但无研发人员")
    book = RuleBook([rule], INFOS)
    assert book.evaluate({"rd_expense": 0}).outcomes[0].verdict == Verdict.TRUE
    assert book.evaluate({"rd_expense": 10}).outcomes[0].verdict == Verdict.UNKNOWN
    assert book.evaluate({"rd_expense": 10, "rd_staff": 0}).outcomes[0].verdict == Verdict.FALSE


def test_last_period_values_are_read_as_last_and_missing_last_year_is_unknown():
    growth = RuleSpec(code="yoy", expression="revenue * 10 <= last.revenue * 13", severity="warning",
                      message="营业收入比上年增长 {growth}%",
                      values=(("growth", "double(revenue - last.revenue) * 100.0 / double(last.revenue)"),))  # fmt: skip
    book = RuleBook([growth], INFOS)
    evaluation = book.evaluate({"revenue": Decimal(3_400_000)}, {"revenue": Decimal(1_000_000)})
    assert evaluation.outcomes[0].message == "营业收入比上年增长 240%"
    first_year = book.evaluate({"revenue": Decimal(3_400_000)}, {}).outcomes[0]
    assert first_year.verdict == Verdict.UNKNOWN and first_year.missing == ((True, "revenue"),)
    assert "上期" in first_year.explanation


def test_an_evaluation_error_is_unknown_not_a_pass():
    rule = RuleSpec(code="div", expression="revenue / staff > 0", message="x")
    outcome = RuleBook([rule], INFOS).evaluate({"revenue": 10, "staff": 0}).outcomes[0]
    assert outcome.verdict == Verdict.UNKNOWN and outcome.error


def test_names_inside_strings_and_function_calls_are_not_indicators():
    found = [name for name, _s, _e in names_in('revenue > 0 && "staff" != string(last.rd_staff) && size("a") == 1')]
    assert found == [(False, "revenue"), (True, "rd_staff")]


@pytest.mark.django_db
def test_a_rule_is_checked_when_saved(zone):
    some_indicators()
    ruleset, by = RuleSetFactory(), zone.users["coordinator"]
    with pytest.raises(DomainError, match="语法"):
        rule_save(ruleset=ruleset, code="r1", name="坏", expression="revenue >", message="x", by=by)
    with pytest.raises(DomainError, match="未知指标.*profit"):
        rule_save(ruleset=ruleset, code="r1", name="坏", expression="profit > 0", message="x", by=by)
    with pytest.raises(DomainError, match="整数"):
        rule_save(ruleset=ruleset, code="r1", name="坏", expression="rd_expense >= revenue * 0.03", message="x", by=by)
    with pytest.raises(DomainError, match="是或否"):
        rule_save(ruleset=ruleset, code="r1", name="坏", expression="revenue + 1", message="x", by=by)
    rule = rule_save(ruleset=ruleset, code="r1", name="好", expression="rd_staff <= staff", message="{rd_staff} > {staff}",
                     by=by)  # fmt: skip
    assert rule.reads == ["rd_staff", "staff"] and rule.status == RuleStatus.DRAFT


@pytest.mark.django_db
def test_a_rule_takes_effect_only_once_its_samples_pass(zone):
    some_indicators()
    ruleset, by = RuleSetFactory(), zone.users["coordinator"]
    rule = rule_save(ruleset=ruleset, code="r1", name="研发人员", expression="rd_staff <= staff",
                     message="研究开发人员多于从业人员", by=by)  # fmt: skip
    with pytest.raises(DomainError, match="样例"):
        rule_activate(rule=rule, by=by)
    assert rules_evaluate(ruleset=ruleset, current={"rd_staff": 9, "staff": 5}).outcomes == []

    rule = rule_save(ruleset=ruleset, code="r1", name="研发人员", expression="rd_staff <= staff",
                     message="研究开发人员多于从业人员", by=by, samples=[
                         {"values": {"rd_staff": 9, "staff": 5}, "expect": "false"},
                         {"values": {"rd_staff": 1}, "expect": "unknown"},
                         {"values": {"rd_staff": 2, "staff": 5}, "expect": "false"},
                     ])  # fmt: skip
    with pytest.raises(DomainError, match="1 个样例"):
        rule_activate(rule=rule, by=by)
    assert [r["ok"] for r in rule_test(rule=rule)] == [True, True, False]

    rule.samples[2]["expect"] = "true"
    rule.save()
    rule_activate(rule=rule, by=by)
    evaluation = rules_evaluate(ruleset=ruleset, current={"rd_staff": 9, "staff": 5})
    assert [o.verdict for o in evaluation.outcomes] == [Verdict.FALSE]


@pytest.mark.django_db
def test_rules_apply_in_their_validity_period(zone):
    some_indicators()
    ruleset, by = RuleSetFactory(), zone.users["coordinator"]
    rule = rule_save(ruleset=ruleset, code="r1", name="新规", expression="staff >= 10", message="从业人员少于 10 人",
                     valid_from=datetime.date(2024, 1, 1), by=by,
                     samples=[{"values": {"staff": 3}, "expect": "false"}])  # fmt: skip
    rule_activate(rule=rule, by=by)
    assert rules_evaluate(ruleset=ruleset, current={"staff": 3}, on=datetime.date(2023, 12, 31)).outcomes == []
    assert rules_evaluate(ruleset=ruleset, current={"staff": 3}, on=datetime.date(2024, 6, 1)).errors
