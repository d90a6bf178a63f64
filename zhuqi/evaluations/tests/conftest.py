import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhuqi.core import registry
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


@pytest.fixture
def counted(monkeypatch):
    """The other modules' counted facts, faked: {enterprise id: {code: value}} filled by the test."""
    facts: dict[int, dict] = {}
    selectors = dict(registry._selectors)
    selectors["indicators.counted.fake"] = lambda *, enterprise_ids, period: {
        i: facts.get(i, {"years_registered": 5, "major_hazards_in_period": 0, "pollution_noncompliance_in_period": 0})
        for i in enterprise_ids
    }
    monkeypatch.setattr(registry, "_selectors", selectors)
    return facts


@pytest.fixture
def evaluation(zone, counted):
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
    counted[young.pk] = {"years_registered": 0, "major_hazards_in_period": 0, "pollution_noncompliance_in_period": 0}
    counted[zone.enterprise_a.pk] = {"years_registered": 11, "major_hazards_in_period": 1,
                                     "pollution_noncompliance_in_period": 0}  # fmt: skip
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
