import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhuqi.enterprises.tests.factories import EnterpriseFactory
from zhuqi.evaluations import services
from zhuqi.evaluations.install import method_install
from zhuqi.indicators.services import indicator_values_record

YEAR = 2023


TORCH = {
    "revenue": "amount",
    "taxes_paid": "amount",
    "rd_expense": "amount",
    "staff": "integer",
    "tech_staff": "integer",
    "valid_inventions": "integer",
    "is_high_tech": "boolean",
}


def torch_indicators():
    """The torch codes the method reads, as the reporting module declares them (tests build without it)."""
    from zhuqi.indicators.models import Indicator

    for code, kind in TORCH.items():
        Indicator.objects.get_or_create(code=code, defaults={"name": code, "value_kind": kind,
                                                             "unit": "元" if kind == "amount" else ""})  # fmt: skip


def facts_strong():
    return {"revenue": 300000000, "taxes_paid": 18000000, "land_area_mu": 60, "rd_expense": 18000000, "staff": 400,
            "tech_staff": 130, "valid_inventions": 12, "energy_tce": 1500, "is_high_tech": True}  # fmt: skip


def facts_middle():
    return {"revenue": 80000000, "taxes_paid": 4000000, "land_area_mu": 40, "rd_expense": 4400000, "staff": 120,
            "tech_staff": 30, "valid_inventions": 4, "energy_tce": 400, "is_high_tech": True}  # fmt: skip


def evidence():
    return SimpleUploadedFile("证明.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")


def platform_records(zone, *, strong, middle, young) -> None:
    """What the other modules know of the three firms, recorded where they keep it (the facts then come from their
    providers through facts_of): the registry's dates of establishment (森源 11 years in 2023, 中和 5, 新立 founded
    in June 2023), the high-tech certificates of 森源 and 中和 in force at the end of 2023, and one major hazard found
    at 森源 in 2023."""
    from zhuqi.cases.models import Category
    from zhuqi.growth.models import StageKind
    from zhuqi.growth.services import stage_grant
    from zhuqi.inspections.hazards import KIND, hazard_record
    from zhuqi.inspections.models import HazardGrade

    for firm, established in [(strong, datetime.date(2012, 3, 1)), (middle, datetime.date(2018, 5, 10)),
                              (young, datetime.date(2023, 6, 1))]:  # fmt: skip
        type(firm).objects.filter(pk=firm.pk).update(established_on=established)
    for firm, number in [(strong, "GR202141000123"), (middle, "GR202241000456")]:
        stage_grant(by=None, enterprise=firm, kind=StageKind.HIGH_TECH, number=number,
                    granted_on=datetime.date(int(number[2:6]), 11, 30))  # fmt: skip
    department = zone.users["department"]
    category, _created = Category.objects.get_or_create(kind=KIND, name="安全生产隐患", defaults={
        "department": department.department, "deadline_workdays": 10})  # fmt: skip
    hazard_record(by=department, enterprise=strong, category=category, grade=HazardGrade.MAJOR,
                  description="涂装车间可燃气体报警装置未与排风联锁", deadline=datetime.date(2023, 5, 31),
                  raised_at=datetime.datetime(2023, 5, 8, 2, tzinfo=datetime.UTC))  # fmt: skip


@pytest.fixture
def evaluation(zone):
    """Park A's method published; three firms of park A with their 2023 returns: 森源 strong, 中和 middle, 新立 young;
    park B's 君易安 is not on the list."""
    officer = zone.users["officer_a"]
    torch_indicators()
    method = method_install(park=zone.park_a, by=officer)
    method = services.method_publish(method=method, by=officer)
    middle = EnterpriseFactory(name="平顶山中和科技有限公司", park=zone.park_a)
    young = EnterpriseFactory(name="平顶山新立电子有限公司", park=zone.park_a)
    for firm, values in [(zone.enterprise_a, facts_strong()), (middle, facts_middle()), (young, facts_middle())]:
        indicator_values_record(enterprise=firm, period=str(YEAR), values=values, by=officer)
    platform_records(zone, strong=zone.enterprise_a, middle=middle, young=young)
    zone.method, zone.middle, zone.young = method, middle, young
    zone.run = services.run_create(method=method, year=YEAR, by=officer)
    services.run_score(run=zone.run, by=officer)
    return zone


@pytest.fixture
def published(evaluation):
    services.run_publish_draft(run=evaluation.run, by=evaluation.users["officer_a"],
                               objections_until=datetime.date.today() + datetime.timedelta(days=10))  # fmt: skip
    evaluation.run.refresh_from_db()
    return evaluation
