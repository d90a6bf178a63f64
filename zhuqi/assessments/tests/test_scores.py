import datetime
from decimal import Decimal

import pytest

from zhuqi.assessments import selectors, services
from zhuqi.assessments.scoring import Spec, points_for
from zhuqi.cases.tests.factories import CaseFactory
from zhuqi.core.errors import DomainError
from zhuqi.core.registry import selector

from .conftest import MONTH, YEAR, at

D = Decimal


def points(sheet):
    return {line["code"]: line["points"] for line in sheet}


def test_every_indicator_scores_the_department_as_worked_by_hand(september):
    scores = selector("assessments.unit_scores")(year=YEAR, month=MONTH, unit_key=september["department"])
    assert points(scores) == {"on_time_rate": D("15.79"), "satisfaction_rate": D("0.00"), "supervision": D("6.00"),
                              "hazard_on_time_rate": D("10.00"), "payment_days": D("5.00")}  # fmt: skip
    values = {line["code"]: line["value"] for line in scores}
    assert values["on_time_rate"] == D("75.0000")
    assert values["supervision"] == D("2.0000")
    assert values["payment_days"] == D("15.0000")


def test_every_indicator_scores_the_parks_as_worked_by_hand(september):
    park_a = selector("assessments.unit_scores")(year=YEAR, month=MONTH, unit_key=september["park_a"])
    assert points(park_a) == {"on_time_rate": D("15.79"), "satisfaction_rate": D("0.00"), "supervision": D("6.00"),
                              "hazard_on_time_rate": D("10.00"), "visit_coverage": D("15.00"),
                              "alarm_ack_rate": D("5.00"), "return_on_time_rate": D("10.00")}  # fmt: skip
    park_b = selector("assessments.unit_scores")(year=YEAR, month=MONTH, unit_key=september["park_b"])
    assert points(park_b) == {"on_time_rate": D("20.00"), "satisfaction_rate": D("15.00"), "supervision": D("10.00"),
                              "hazard_on_time_rate": D("15.00"), "visit_coverage": D("0.00"),
                              "alarm_ack_rate": D("10.00"), "return_on_time_rate": D("0.00")}  # fmt: skip


def test_each_score_names_its_formula_and_opens_its_records(september):
    line = next(s for s in selectors.unit_scores(year=YEAR, month=MONTH, unit_key=september["department"])
                if s["code"] == "on_time_rate")  # fmt: skip
    assert "cases_closed_on_time" in line["formula"]
    assert line["records_url"].startswith("/cases/?")
    assert "department=" in line["records_url"] and "date_from=2026-09-01" in line["records_url"]


def test_scoring_methods_cap_band_and_deduct():
    spec = Spec("x", 1, "x", "%", "higher", "all", "", "proportional", {}, D("20"))
    assert points_for(spec, D("120"), D("100")) == D("20.00")  # capped
    lower = Spec("x", 1, "x", "天", "lower", "all", "", "bands", {"bands": [[15, 5], [30, 4]]}, D("5"))
    assert points_for(lower, D("20"), None) == D("4.00")
    deduct = Spec("x", 1, "x", "件", "lower", "all", "", "deduction", {"per": 2}, D("10"))
    assert points_for(deduct, D("7"), None) == D("0.00")  # never below zero


def test_ranking_moves_units_since_last_month(september):
    rows = selector("assessments.ranking")(year=YEAR, month=MONTH)
    by_unit = {r["unit_key"]: r for r in rows}
    assert [r["unit_key"] for r in rows] == [september["park_b"], september["park_a"], september["department"]]
    assert [r["score"] for r in rows] == [D("70.00"), D("61.79"), D("36.79")]
    # August had no records: the parks tied first (80), the department third (65)
    assert by_unit[september["park_a"]]["previous_rank"] == 1
    assert by_unit[september["park_a"]]["movement"] == -1
    assert by_unit[september["park_b"]]["movement"] == 0
    assert by_unit[september["department"]]["rank"] == 3


def test_an_adjustment_needs_a_reason_and_is_shown_as_such(september, zone):
    office = zone.users["coordinator"]
    with pytest.raises(DomainError) as refused:
        services.adjustment_record(year=YEAR, month=MONTH, unit_key=september["department"],
                                   indicator_code="supervision", points="2", reason="  ", by=office)  # fmt: skip
    assert refused.value.code == services.AssessmentError.REASON_REQUIRED
    services.adjustment_record(year=YEAR, month=MONTH, unit_key=september["department"], indicator_code="supervision",
                               points="2", reason="督办件提前办结", by=office)  # fmt: skip
    line = next(s for s in selectors.unit_scores(year=YEAR, month=MONTH, unit_key=september["department"])
                if s["code"] == "supervision")  # fmt: skip
    assert (line["points"], line["adjustment"], line["reason"]) == (D("8.00"), D("2.00"), "督办件提前办结")
    with pytest.raises(DomainError):
        services.adjustment_record(
            year=YEAR,
            month=MONTH,
            unit_key=september["department"],
            indicator_code="supervision",
            points="1",
            reason="再加",
            by=zone.users["department"],
        )


def test_a_closed_month_keeps_its_scores_and_shows_later_corrections_beside(september, zone, client_as):
    services.month_close(year=YEAR, month=MONTH, by=zone.users["coordinator"])
    # a fifth demand, closed on time, recorded after the month was closed: 4 of 5 on time now
    CaseFactory(category=september["demand"], closed_on_time=True, created_at=at(15), **september["common"])
    sheet = selectors.unit_score_sheet(year=YEAR, month=MONTH, unit_key=september["department"])
    line = next(x for x in sheet["lines"] if x["code"] == "on_time_rate")
    assert sheet["frozen"] and sheet["total"] == D("36.79")
    assert line["points"] == D("15.79") and line["corrected"]
    assert line["live_value"] == D("80.0000") and line["live_points"] == D("16.84")
    assert sheet["live_total"] == D("37.84")
    ranking = selectors.ranking(year=YEAR, month=MONTH)
    assert ranking[-1]["score"] == D("36.79") and ranking[-1]["frozen"]
    page = client_as(zone.users["coordinator"]).get(f"/assessments/units/{september['department']}/{YEAR}/{MONTH}/")
    text = page.content.decode()
    assert "36.79" in text and "37.84" in text and "correction" in text
    with pytest.raises(DomainError) as refused:
        services.adjustment_record(year=YEAR, month=MONTH, unit_key=september["department"],
                                   indicator_code="supervision", points="2", reason="迟到的加分",
                                   by=zone.users["coordinator"])  # fmt: skip
    assert refused.value.code == services.AssessmentError.MONTH_CLOSED


def test_a_month_not_over_cannot_be_closed(zone):
    today = datetime.date.today()
    with pytest.raises(DomainError):
        services.month_close(year=today.year, month=today.month, by=zone.users["coordinator"])


def test_a_count_of_firms_must_be_a_whole_number(september, zone):
    office = zone.users["coordinator"]
    with pytest.raises(DomainError) as refused:
        services.reported_value_record(year=YEAR, month=MONTH, unit_key="zone", indicator_code="new_market_entities",
                                       value="25.5", by=office)  # fmt: skip
    assert "新增市场主体以家计，请填写整数" in str(refused.value.message)
    with pytest.raises(DomainError):
        services.target_set(year=YEAR, unit_key="zone", indicator_code="new_market_entities", value="200.4", by=office)
    services.target_set(year=YEAR, unit_key="zone", indicator_code="fixed_asset_investment", value="95.5", by=office)
