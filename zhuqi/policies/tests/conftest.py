import datetime

import pytest

from zhuqi.core import registry
from zhuqi.indicators.models import Indicator
from zhuqi.indicators.services import indicator_values_record
from zhuqi.org.tests.factories import DepartmentFactory, UserFactory
from zhuqi.policies import conditions as c
from zhuqi.policies.services import policy_create

YEAR = "2025"
TODAY = datetime.date(2026, 6, 1)

INDICATORS = [
    ("revenue", "营业收入", "amount", "千元"), ("rd_expense", "研究开发费用合计", "amount", "千元"),
    ("is_high_tech", "是否高新技术企业", "boolean", ""), ("staff", "年末从业人员", "integer", "人"),
    ("taxes_paid", "实缴税费总额", "amount", "千元"), ("industrial_output", "工业总产值", "amount", "千元"),
]  # fmt: skip


def record(firm, by, **values):
    indicator_values_record(
        enterprise=firm,
        period=YEAR,
        values=values,
        by=by,
        units={code: "元" for code in values if code in ("revenue", "rd_expense", "taxes_paid", "industrial_output")},
    )


@pytest.fixture
def hazards(monkeypatch):
    """The facts other modules count (hazards, breach, pollution grade), provided by a fake, set per firm."""
    facts: dict[int, dict] = {}
    selectors = dict(registry._selectors)
    selectors["indicators.counted.fake"] = lambda *, enterprise_ids, period: {
        i: {"open_major_hazards": 0, "overdue_hazards": 0, "serious_breach": False, **facts.get(i, {})}
        for i in enterprise_ids
    }
    monkeypatch.setattr(registry, "_selectors", selectors)
    return facts


@pytest.fixture
def catalogue(zone, hazards):
    """森源 (A) qualifies for the 高企 award (high-tech, R&D 4%); 君易安 (B) is high-tech with R&D at 2.8%: nearly;
    a third firm has reported nothing: cannot be judged."""
    for code, name, kind, unit in INDICATORS:
        Indicator.objects.get_or_create(code=code, defaults={"name": name, "value_kind": kind, "unit": unit})
    c.indicators_ensure()
    science = DepartmentFactory(name="科技创新局")
    zone.users["science"] = UserFactory(username="science", role="department_handler", department=science)
    office = zone.users["coordinator"]
    record(zone.enterprise_a, office, revenue=50_000_000, rd_expense=2_000_000, is_high_tech=True, staff=120)
    record(zone.enterprise_b, office, revenue=10_000_000, rd_expense=280_000, is_high_tech=True, staff=40)
    zone.award = policy_create(
        by=office, title="高新技术企业认定奖励", doc_number="平高管〔2025〕15号", issuer="平顶山高新区管委会",
        department=science, category="innovation", mode="automatic", summary="首次认定奖励 10 万元",
        valid_from=datetime.date(2025, 1, 1), benefit="100000", benefit_text="10 万元", budget=None,
        conditions=[c.high_tech("平高管〔2025〕15号 第二条"), c.rd_share_at_least(3, "平高管〔2025〕15号 第二条第（二）款")],
        exclusions=c.EXCLUSIONS, rematch=False,
    )  # fmt: skip
    zone.hazards = hazards
    return zone
