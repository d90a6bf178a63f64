"""Ratio and wage ranges by industry: a rule for the firm's 行业门类 (from the registry) takes the place of the
torch form's rule for every industry, so a software firm's 62 万 per head passes where a manufacturer's is queried."""

import pytest

from zhuqi.core.errors import DomainError
from zhuqi.enterprises.models import Enterprise
from zhuqi.indicators.selectors import rules_evaluate
from zhuqi.indicators.services import rule_save
from zhuqi.reporting.models import Return
from zhuqi.reporting.selectors import return_check, values_kept, version_fields

from .conftest import good_values

# 140,000 千元 of wages over 225 people: 62 万 a head; R&D 50,000 of 120,000 千元 revenue: 41.7%
HIGH = {"wages": "140000", "rd_expense": "50000", "rd_internal": "49600", "tech_expense": "60000"}
CODES = {"T206", "T206C", "T206I", "T404", "T404I"}


def verdicts(torch, industry):
    kept = values_kept(version_fields(torch), good_values(**HIGH))
    evaluation = rules_evaluate(ruleset=torch.ruleset, current=kept, last={}, industry=industry)
    return {o.rule.code: o.verdict for o in evaluation.outcomes if o.rule.code in CODES}


def test_each_industry_gets_its_own_ranges_in_place_of_the_general_ones(torch):
    assert verdicts(torch, None) == {"T206": "true", "T404": "false"}
    assert verdicts(torch, "C") == {"T206C": "false", "T404": "false"}
    assert verdicts(torch, "I") == {"T206I": "true", "T404I": "true"}
    assert verdicts(torch, "F") == {"T206": "true", "T404": "false"}  # no rule of its own: the general ones


def test_a_return_is_checked_with_the_ranges_of_the_firms_industry_in_the_registry(zone, campaign):
    ret = Return.objects.get(campaign=campaign, enterprise=zone.enterprise_a)
    values = good_values(**HIGH)
    Enterprise.objects.filter(pk=zone.enterprise_a.pk).update(industry="C")
    ret.refresh_from_db()
    warned = {o.rule.code: o.message for o in return_check(ret, values=values, last={}).evaluation.warnings}
    assert "T206C" in warned and "制造业" in warned["T206C"] and "62.2" in warned["T206C"]
    Enterprise.objects.filter(pk=zone.enterprise_a.pk).update(industry="I")
    ret = Return.objects.get(pk=ret.pk)
    warned = {o.rule.code for o in return_check(ret, values=values, last={}).evaluation.warnings}
    assert not warned & CODES


@pytest.mark.django_db
def test_a_rule_replaces_only_a_general_rule_of_its_set_and_only_for_an_industry(zone, torch):
    from zhuqi.indicators.services import ruleset_ensure

    ruleset = ruleset_ensure(code="test:industry", name="行业规则")
    by = zone.users["coordinator"]
    rule_save(ruleset=ruleset, code="range", name="范围", expression="wages >= 0", message="工资为负", by=by)
    with pytest.raises(DomainError, match="只有"):
        rule_save(ruleset=ruleset, code="range_c", name="范围", expression="wages >= 1", message="低", by=by,
                  replaces="range")  # fmt: skip
    with pytest.raises(DomainError, match="nothing"):
        rule_save(ruleset=ruleset, code="range_c", name="范围", expression="wages >= 1", message="低", by=by,
                  industry="C", replaces="nothing")  # fmt: skip
    rule = rule_save(ruleset=ruleset, code="range_c", name="范围", expression="wages >= 1", message="低", by=by,
                     industry="C", replaces="range")  # fmt: skip
    assert (rule.industry, rule.replaces) == ("C", "range")
