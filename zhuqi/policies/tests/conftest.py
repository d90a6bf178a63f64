import datetime

import pytest

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


def certify(firm, granted_on=datetime.date(2024, 11, 20)):
    """A 高企 certificate on the growth register: how the platform knows a firm is high-tech (growth counts it)."""
    from zhuqi.growth.services import stage_grant

    return stage_grant(by=None, enterprise=firm, kind="high_tech", granted_on=granted_on,
                       number=f"GR2024410{firm.pk:05d}")  # fmt: skip


def certificate_end(firm, on=datetime.date(2025, 9, 1)):
    """The firm's 高企 certificate withdrawn before the period's end: no longer high-tech for the period."""
    from zhuqi.growth.models import Stage
    from zhuqi.growth.services import stage_end

    stage_end(by=None, stage=Stage.objects.get(enterprise=firm, kind="high_tech"), on=on, reason="复核未通过")


class Facts:
    """The facts other modules count, set the way the platform learns them: a 重大隐患 recorded by the safety
    department (inspections), the registry's 严重失信 mark (enterprises), an environmental grading (pollution)."""

    def __init__(self, zone):
        self.zone = zone

    def major_hazard(self, firm):
        from zhuqi.inspections.hazards import hazard_record
        from zhuqi.inspections.models import HazardGrade
        from zhuqi.inspections.tests.factories import make_checklist

        by = self.zone.users["department"]
        checklist = make_checklist(by.department, by=by)
        return hazard_record(by=by, enterprise=firm, category=checklist.hazard_category, grade=HazardGrade.MAJOR,
                             description="储罐区报警联锁未投用")  # fmt: skip

    def serious_breach(self, firm, on=datetime.date(2025, 6, 1)):
        from zhuqi.enterprises.models import Enterprise

        Enterprise.objects.filter(pk=firm.pk).update(serious_breach_on=on)

    def pollution_grade(self, firm, grade, graded_on=datetime.date(2025, 10, 15)):
        from zhuqi.pollution.models import GradeRecord

        GradeRecord.objects.create(
            enterprise=firm,
            grade=grade,
            graded_on=graded_on,
            document="平环〔2025〕40号",
            recorded_by=self.zone.users["department"],
        )


@pytest.fixture
def hazards(zone):
    return Facts(zone)


@pytest.fixture
def catalogue(zone, hazards):
    """森源 (A) qualifies for the 高企 award (certified high-tech, R&D 4%); 君易安 (B) is certified with R&D at 2.8%:
    nearly; a third firm, not certified, has reported nothing: it fails, with its figures missing."""
    for code, name, kind, unit in INDICATORS:
        Indicator.objects.get_or_create(code=code, defaults={"name": name, "value_kind": kind, "unit": unit})
    c.indicators_ensure()
    science = DepartmentFactory(name="科技创新局")
    zone.users["science"] = UserFactory(username="science", role="department_handler", department=science)
    office = zone.users["coordinator"]
    record(zone.enterprise_a, office, revenue=50_000_000, rd_expense=2_000_000, staff=120)
    record(zone.enterprise_b, office, revenue=10_000_000, rd_expense=280_000, staff=40)
    certify(zone.enterprise_a)
    certify(zone.enterprise_b)
    zone.award = policy_create(
        by=office, title="高新技术企业认定奖励", doc_number="平高管〔2025〕15号", issuer="平顶山高新区管委会",
        department=science, category="innovation", mode="automatic", summary="首次认定奖励 10 万元",
        valid_from=datetime.date(2025, 1, 1), benefit="100000", benefit_text="10 万元", budget=None,
        conditions=[c.high_tech("平高管〔2025〕15号 第二条"), c.rd_share_at_least(3, "平高管〔2025〕15号 第二条第（二）款")],
        exclusions=c.EXCLUSIONS, rematch=False,
    )  # fmt: skip
    zone.hazards = hazards
    return zone


@pytest.fixture
def fast(catalogue):
    """满负荷生产奖补 (快申快享) of 科技创新局 in this fixture, with two materials on its checklist."""
    zone = catalogue
    zone.users["park_a"] = zone.users["officer_a"]
    zone.fast = policy_create(
        by=zone.users["coordinator"], title="满负荷生产奖补", doc_number="平高管〔2025〕12号", issuer="平顶山高新区管委会",
        department=zone.users["science"].department, category="funds", mode="fast", summary="最高 50 万元",
        valid_from=datetime.date(2025, 1, 1), benefit="200000", benefit_text="20 万元",
        conditions=[c.high_tech("平高管〔2025〕12号 第二条")], materials=["奖补申请表", "电费缴纳凭证"], rematch=False,
    )  # fmt: skip
    return zone
