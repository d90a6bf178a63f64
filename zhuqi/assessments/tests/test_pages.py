import datetime
from decimal import Decimal

import pytest

from zhuqi.assessments import selectors, services
from zhuqi.assessments.install import indicators_ensure
from zhuqi.core.registry import selector

from .conftest import MONTH, YEAR

SEED = [14, 12, 22, 25, 24, 23, 21, 20, 22, 24, 22, 23]  # 252 in 2020


@pytest.fixture
def reported_2020(zone):
    indicators_ensure()
    office = zone.users["coordinator"]
    key = f"park:{zone.park_b.pk}"  # 电气装备产业园区
    services.target_set(year=2020, unit_key=key, indicator_code="new_market_entities", value=200, by=office)
    for month, value in enumerate(SEED, start=1):
        services.reported_value_record(year=2020, month=month, unit_key=key, indicator_code="new_market_entities",
                                       value=value, by=office)  # fmt: skip
    services.reported_value_record(year=2019, month=12, unit_key=key, indicator_code="new_market_entities",
                                   value=224, by=office)  # fmt: skip
    return key


def test_the_electrical_park_met_126_percent_of_its_2020_target(reported_2020, zone, client_as):
    rows = selector("assessments.progress")(year=2020, unit_key=reported_2020)
    row = next(r for r in rows if r["code"] == "new_market_entities")
    assert (row["target"], row["actual"], row["percent"]) == (Decimal("200"), Decimal("252"), Decimal("126.0"))
    assert row["yoy_percent"] == Decimal("12.5")
    assert selectors.progress_sentence(row).startswith("新增市场主体 252 家，完成目标的 126%")
    page = client_as(zone.users["officer_b"]).get(f"/assessments/progress/{reported_2020}/2020/")
    assert "新增市场主体 252 家，完成目标的 126%" in page.content.decode()


def test_a_correction_to_a_reported_value_counts_and_the_first_stays(reported_2020, zone):
    services.reported_value_record(year=2020, month=12, unit_key=reported_2020, indicator_code="new_market_entities",
                                   value=33, by=zone.users["officer_b"], note="补录")  # fmt: skip
    row = selectors.progress(year=2020, unit_key=reported_2020)[0]
    assert row["actual"] == Decimal("262")
    assert selectors.reported_history(year=2020, unit_key=reported_2020).filter(month=12).count() == 2


def test_target_to_date_follows_the_phasing(reported_2020, zone):
    services.target_set(year=2020, unit_key=reported_2020, indicator_code="new_market_entities", value=200,
                        phasing="quarterly", phases=[1, 1, 1, 2], by=zone.users["coordinator"])  # fmt: skip
    row = selectors.progress(year=2020, unit_key=reported_2020, on=datetime.date(2020, 8, 15))[0]
    assert row["target_to_date"] == Decimal("120.00")  # three quarters of five shares begun by August
    assert row["actual"] == Decimal("161")  # January to August


def test_only_the_zone_office_sets_targets(zone):
    indicators_ensure()
    with pytest.raises(Exception):  # noqa: B017
        services.target_set(year=2024, unit_key="zone", indicator_code="new_market_entities", value=1,
                            by=zone.users["department"])  # fmt: skip


def test_a_department_sees_its_own_scores_and_the_ranking_not_others(september, zone, client_as):
    client = client_as(zone.users["department"])
    assert client.get("/assessments/", {"month": f"{YEAR}-{MONTH:02d}"}).status_code == 200
    assert client.get(f"/assessments/units/{september['department']}/{YEAR}/{MONTH}/").status_code == 200
    assert client.get(f"/assessments/units/{september['park_a']}/{YEAR}/{MONTH}/").status_code == 404
    assert client.get(f"/api/assessments/units/{september['park_a']}/{YEAR}/{MONTH}").status_code == 404
    assert client.get(f"/api/assessments/units/{september['department']}/{YEAR}/{MONTH}").status_code == 200
    ranking = client.get(f"/api/assessments/ranking/{YEAR}/{MONTH}").json()
    assert {r["unit_key"] for r in ranking} == {september["department"], september["park_a"], september["park_b"]}


def test_a_park_officer_cannot_open_another_parks_scores_nor_adjust(september, zone, client_as):
    client = client_as(zone.users["officer_a"])
    assert client.get(f"/assessments/units/{september['park_a']}/{YEAR}/{MONTH}/").status_code == 200
    assert client.get(f"/assessments/units/{september['park_b']}/{YEAR}/{MONTH}/").status_code == 404
    response = client.post(f"/assessments/units/{september['park_a']}/{YEAR}/{MONTH}/adjust/",
                           {"indicator_code": "supervision", "points": "5", "reason": "自评"})  # fmt: skip
    assert response.status_code == 403


def test_enterprises_and_grid_members_see_no_assessment(zone, client_as):
    for who in ("enterprise_a", "grid_a"):
        assert client_as(zone.users[who]).get("/assessments/").status_code == 403


def test_the_office_sets_a_target_on_the_page(zone, client_as):
    indicators_ensure()
    client = client_as(zone.users["coordinator"])
    response = client.post("/assessments/targets/?year=2024", {"unit_key": "zone", "indicator_code": "high_tech_firms",
                                                               "value": "120", "phasing": "monthly"})  # fmt: skip
    assert response.status_code == 302
    assert "120" in client.get("/assessments/targets/?year=2024").content.decode()
