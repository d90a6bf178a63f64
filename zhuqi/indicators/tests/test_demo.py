"""The indicators' demo: dates of establishment for the demo firms, 研发投入强度 computed over the filed torch
returns, and the 安全与信用底线 rule set in effect (the rule pages' editable example)."""

import pytest

from zhuqi.enterprises.models import Enterprise
from zhuqi.enterprises.tests.factories import EnterpriseFactory
from zhuqi.indicators.demo import load_demo_indicators
from zhuqi.indicators.models import IndicatorValue, Origin, Rule, RuleStatus
from zhuqi.indicators.selectors import facts_of, rules_evaluate
from zhuqi.indicators.services import indicator_values_record

from .factories import some_indicators

pytestmark = pytest.mark.django_db


def test_the_demo_dates_the_firms_computes_rd_intensity_and_sets_the_baseline_rules(zone):
    some_indicators()
    demo_firm = EnterpriseFactory(name="平顶山演示科技有限公司", is_demo=True)
    indicator_values_record(enterprise=demo_firm, period="2024", values={"revenue": 1000, "rd_expense": 35},
                            by=zone.users["coordinator"])  # fmt: skip
    assert load_demo_indicators() >= 1
    demo_firm.refresh_from_db()
    assert demo_firm.established_on is not None
    assert Enterprise.objects.get(pk=zone.enterprise_a.pk).established_on is None or zone.enterprise_a.is_demo
    value = IndicatorValue.objects.get(enterprise=demo_firm, indicator__code="rd_intensity", is_current=True)
    assert (value.number, value.origin) == (3.5, Origin.COMPUTED)
    assert Rule.objects.filter(ruleset__code="baseline:safety-credit", status=RuleStatus.ACTIVE).count() == 3
    facts = facts_of(enterprises=[demo_firm], period="2024")[demo_firm.pk]
    evaluation = rules_evaluate(ruleset="baseline:safety-credit", current=facts)
    assert evaluation.all_hold and facts["years_registered"] >= 0
    load_demo_indicators()  # a second load changes nothing and fails on nothing
