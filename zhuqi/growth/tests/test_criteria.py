"""The 科技型中小企业 score and the 高企 conditions against firms worked by hand: each band edge, the revenue
brackets, missing data, a dated revision."""

import datetime

import pytest

from zhuqi.core import registry
from zhuqi.growth import criteria, selectors
from zhuqi.indicators.engine import Verdict
from zhuqi.indicators.services import indicator_values_record

WAN = 10_000  # 元


@pytest.fixture
def rules(db):
    criteria.criteria_install()


@pytest.fixture
def safety_facts(monkeypatch):
    """The safety module's counted facts (another branch): a fake provider, as the contract says."""
    found = {}
    counted = dict(registry._selectors)
    counted["indicators.counted.safety"] = lambda *, enterprise_ids, period: {
        i: found.get(i, {"major_hazards_in_period": 0, "alarms_in_period": 0, "serious_breach": False})
        for i in enterprise_ids
    }
    monkeypatch.setattr(registry, "_selectors", counted)
    return found


def sme_ctx(**over):
    ctx = {"staff": 100, "tech_staff": 30, "revenue": 100 * WAN * 100, "total_assets": 50_000_000,
           "rd_expense": 0, "total_cost": 90 * WAN * 100, "valid_inventions": 0, "ip_class2": 0,
           "serious_breach": False, "is_high_tech": False, "national_award_5y": False,
           "provincial_rd_institution": False, "standard_led_5y": False}  # fmt: skip
    ctx.update(over)
    return ctx


def evaluate(ctx, year=2024, on=None):
    return selectors.evaluate_contexts({1: ctx}, year=year, on=on)[1]


@pytest.mark.parametrize(("tech_staff", "points"), [(30, 20), (29, 16), (25, 16), (24, 12), (20, 12), (19, 8),
                                                    (15, 8), (14, 4), (10, 4), (9, 0)])  # fmt: skip
def test_sme_technical_staff_points_at_each_band_edge(rules, tech_staff, points):
    # staff 100, so tech_staff is the share in %; R&D and IP give nothing
    assert evaluate(sme_ctx(tech_staff=tech_staff)).sme_score == points


@pytest.mark.parametrize(("rd_per_100", "points"), [(6, 50), (5, 40), (4, 30), (3, 20), (2, 10), (1, 0)])
def test_sme_rd_by_sales_points_at_each_band_edge(rules, rd_per_100, points):
    revenue = 10_000_000
    ctx = sme_ctx(tech_staff=9, revenue=revenue, rd_expense=revenue * rd_per_100 // 100, total_cost=10**12)
    assert evaluate(ctx).sme_score == points
    just_under = sme_ctx(tech_staff=9, revenue=revenue, rd_expense=revenue * rd_per_100 // 100 - 1, total_cost=10**12)
    assert evaluate(just_under).sme_score == max(0, points - 10)


def test_sme_rd_takes_the_better_of_sales_and_cost(rules):
    # 2% of sales gives 10, 25% of cost gives 40: the 40 counts
    ctx = sme_ctx(tech_staff=9, revenue=100_000_000, rd_expense=2_000_000, total_cost=8_000_000)
    assert evaluate(ctx).sme_score == 40


@pytest.mark.parametrize(("class1", "class2", "points"), [(1, 0, 30), (0, 4, 24), (0, 3, 18), (0, 2, 12), (0, 1, 6),
                                                          (0, 0, 0)])  # fmt: skip
def test_sme_ip_points(rules, class1, class2, points):
    assert evaluate(sme_ctx(tech_staff=9, valid_inventions=class1, ip_class2=class2)).sme_score == points


def test_sme_passes_at_60_with_the_staff_item_not_zero(rules):
    # 科技人员 30% → 20, R&D 4% of sales → 30, 2 Ⅱ类 → 12: 62
    firm = sme_ctx(tech_staff=30, revenue=10_000_000, rd_expense=400_000, ip_class2=2)
    standing = evaluate(firm)
    assert standing.sme_score == 62 and standing.sme == Verdict.TRUE
    # one Ⅱ类 less: 56
    assert evaluate({**firm, "ip_class2": 1}).sme == Verdict.FALSE
    # 科技人员 9%: the item is zero and R&D 6% + Ⅰ类 give 80, still out
    rich = sme_ctx(tech_staff=9, revenue=10_000_000, rd_expense=600_000, valid_inventions=1)
    assert evaluate(rich).sme_score == 80 and evaluate(rich).sme == Verdict.FALSE
    # a valid 高企 certificate enters directly, whatever the score
    assert evaluate({**rich, "is_high_tech": True}).sme == Verdict.TRUE


@pytest.mark.parametrize(("field", "limit"), [("staff", 500), ("revenue", 200_000_000), ("total_assets", 200_000_000)])
def test_sme_size_limits_at_the_edge(rules, field, limit):
    firm = sme_ctx(is_high_tech=True, tech_staff=200, **{field: limit})
    assert evaluate(firm).sme == Verdict.TRUE
    assert evaluate({**firm, field: limit + 1}).sme == Verdict.FALSE


def ht_ctx(**over):
    ctx = {"years_registered": 5, "core_ip_owned": True, "in_key_field": True, "staff": 100, "tech_staff": 10,
           "revenue": 40_000_000, "rd_expense_3y": 5_000_000, "revenue_3y": 100_000_000,
           "rd_domestic_3y": 3_000_000, "high_tech_product_revenue": 24_000_000, "major_hazards_in_period": 0,
           "alarms_in_period": 0, "innov_ip_score": 30, "innov_transfer_score": 21, "innov_mgmt_score": 10,
           "innov_growth_score": 10}  # fmt: skip
    ctx.update(over)
    return ctx


def verdicts(standing):
    return {c.code: c.verdict for c in standing.conditions}


def test_high_tech_firm_at_every_edge_passes_and_one_short_fails_with_its_reason(rules):
    assert evaluate(ht_ctx()).high_tech == Verdict.TRUE
    for over, code in [({"years_registered": 0}, "registered"), ({"core_ip_owned": False}, "core_ip"),
                       ({"in_key_field": False}, "key_field"), ({"tech_staff": 9}, "tech_staff"),
                       ({"rd_expense_3y": 4_999_999}, "rd_ratio"), ({"rd_domestic_3y": 2_999_999}, "rd_domestic"),
                       ({"high_tech_product_revenue": 23_999_999}, "high_tech_revenue"),
                       ({"major_hazards_in_period": 1}, "no_incident"), ({"alarms_in_period": 2}, "no_incident"),
                       ({"innov_transfer_score": 20}, "innovation")]:  # fmt: skip
        standing = evaluate(ht_ctx(**over))
        assert standing.high_tech == Verdict.FALSE, over
        assert [c.code for c in standing.gaps] == [code], over
        assert "国科发火〔2016〕32号" in standing.gaps[0].explanation


@pytest.mark.parametrize(("revenue", "needed"), [(50_000_000, 5), (50_000_001, 4), (200_000_000, 4),
                                                 (200_000_001, 3)])  # fmt: skip
def test_high_tech_rd_ratio_follows_the_revenue_bracket(rules, revenue, needed):
    at_bar = ht_ctx(revenue=revenue, revenue_3y=100_000_000, rd_expense_3y=needed * 1_000_000,
                    rd_domestic_3y=needed * 1_000_000, high_tech_product_revenue=revenue)  # fmt: skip
    assert verdicts(evaluate(at_bar))["rd_ratio"] == Verdict.TRUE
    below = {**at_bar, "rd_expense_3y": needed * 1_000_000 - 1}
    standing = evaluate(below)
    assert verdicts(standing)["rd_ratio"] == Verdict.FALSE
    assert f"需不低于 {needed}%" in standing.gaps[0].explanation


def test_missing_data_is_unknown_with_the_list_never_a_pass(rules):
    ctx = ht_ctx()
    del ctx["tech_staff"], ctx["alarms_in_period"]
    standing = evaluate(ctx)
    assert standing.high_tech == Verdict.UNKNOWN
    unknown = {c.code: c for c in standing.conditions if c.verdict == Verdict.UNKNOWN}
    assert set(unknown) == {"tech_staff", "no_incident"}
    assert "科技活动人员" in unknown["tech_staff"].explanation
    # a failure still decides: unknown + false is false
    assert evaluate({**ctx, "core_ip_owned": False}).high_tech == Verdict.FALSE


def test_gaps_sorted_nearest_first_with_what_it_takes(rules):
    # 科技人员 9.2% needs 10% (8% short); three-year R&D 3.6% needs 4% at 1 亿 revenue (10% short); no core IP
    firm = ht_ctx(staff=1000, tech_staff=92, revenue=100_000_000, revenue_3y=250_000_000, rd_expense_3y=9_000_000,
                  rd_domestic_3y=9_000_000, high_tech_product_revenue=80_000_000, core_ip_owned=False)  # fmt: skip
    gaps = evaluate(firm).gaps
    assert [g.code for g in gaps] == ["tech_staff", "rd_ratio", "core_ip"]
    assert gaps[0].need == "需增加科技人员 8 人"
    assert gaps[1].need == "三年研发投入需再增加 100.0 万元"
    assert "9.2%" in gaps[0].explanation and "3.6%" in gaps[1].explanation


def test_three_years_of_statistics_through_facts_of_and_the_projection(rules, zone, safety_facts):
    firm, by = zone.enterprise_a, zone.users["coordinator"]
    common = {"staff": 100, "tech_staff": 12, "total_assets": 50_000_000, "liabilities": 20_000_000,
              "founded_year": 2015}  # fmt: skip
    for year, revenue, rd in [(2022, 30_000_000, 1_200_000), (2023, 30_000_000, 1_200_000),
                              (2024, 40_000_000, 2_400_000)]:  # fmt: skip
        indicator_values_record(enterprise=firm, period=str(year), by=by, values={
            **common, "revenue": revenue, "rd_expense": rd, "rd_expense_domestic": rd,
            "high_tech_product_revenue": revenue * 7 // 10},
            units=dict.fromkeys(["revenue", "rd_expense", "rd_expense_domestic", "high_tech_product_revenue",
                                 "total_assets", "liabilities"], "元"))  # fmt: skip
    standing = selectors.standing_of(enterprise=firm, year=2024)
    facts = standing.facts
    assert facts["rd_expense_3y"] == 4_800_000 and facts["revenue_3y"] == 100_000_000
    assert facts["years_registered"] == 9
    # 4.8% of sales, needs 5% at 4,000 万: short; at 2024's spending next year's window is 2023 + 2024 + 2024:
    # 6.0 / 110 = 5.45%: it will clear the bar
    assert {c.code: c.verdict for c in standing.conditions}["rd_ratio"] == Verdict.FALSE
    assert standing.projection == Verdict.TRUE
    assert "5.5%" in standing.projection_text
    # the no-incident condition reads the safety module's counted facts
    safety_facts[firm.pk] = {"major_hazards_in_period": 1, "alarms_in_period": 0}
    standing = selectors.standing_of(enterprise=firm, year=2024)
    assert {c.code: c.verdict for c in standing.conditions}["no_incident"] == Verdict.FALSE


def test_a_revision_is_a_new_dated_rule_and_the_old_one_still_governs_its_years(rules):
    criteria.criterion_revise(
        ruleset_code=criteria.SME_SET, condition="size_staff", effective=datetime.date(2026, 1, 1),
        expression="staff <= 1000", message="职工总数 {staff}，超过 1000 人", source_document="（示例）2026 年修订",
        samples=[{"values": {"staff": 1000}, "expect": "true"}, {"values": {"staff": 1001}, "expect": "false"}],
        by=None,
    )  # fmt: skip
    big = sme_ctx(staff=800, tech_staff=800, is_high_tech=True)
    assert evaluate(big, on=datetime.date(2025, 6, 1)).sme == Verdict.FALSE
    assert evaluate(big, on=datetime.date(2026, 6, 1)).sme == Verdict.TRUE
    old = next(c for c in evaluate(big, on=datetime.date(2025, 6, 1)).sme_conditions if c.code == "size_staff")
    assert "国科发政〔2022〕53号" in old.explanation
