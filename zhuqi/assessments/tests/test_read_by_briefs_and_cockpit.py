"""The briefs' monthly 通报 and the cockpit's key figures read the assessment itself through the registry (their own
tests use stand-ins of the same shape): the hand-worked September of conftest.py comes out in both."""

import datetime
import re

from zhuqi.assessments.services import reported_value_record, target_set
from zhuqi.briefs import services as briefs
from zhuqi.briefs.tests.test_briefs import text_of
from zhuqi.cockpit.selectors import targets_tile

from .conftest import MONTH, YEAR


def test_the_monthly_bulletin_ranks_the_units_as_the_assessment_scored_them(september, zone):
    office = zone.users["coordinator"]
    brief = briefs.brief_draft(kind="bulletin", unit_key="zone", start=datetime.date(YEAR, MONTH, 1),
                               end=datetime.date(YEAR, MONTH, 30), by=office)  # fmt: skip
    text = text_of(bytes(briefs.brief_issue(brief=brief, by=office).docx))
    # park B 70, park A 61.79, the department 36.79 (worked by hand in conftest.py)
    assert re.search(r"电气装备产业园区以 70(\.00)? 分位列第一", text), text[:600]
    assert text.index("电气装备产业园区") < text.index("创新创业服务园区") < text.index("应急管理局")
    assert "61.79" in text and "36.79" in text


def test_the_cockpit_shows_the_zone_target_and_how_far_it_is_met(september, zone):
    office = zone.users["coordinator"]
    target_set(year=YEAR, unit_key="zone", indicator_code="new_market_entities", value=200, by=office)
    reported_value_record(year=YEAR, month=MONTH, unit_key="zone", indicator_code="new_market_entities", value=252,
                          by=office)  # fmt: skip
    tile = targets_tile(user=office, today=datetime.date(YEAR, MONTH + 1, 15))
    row = next(r for r in tile["rows"] if r["code"] == "new_market_entities")
    assert tile["set_up"] and row["name"] == "新增市场主体" and row["target"] == 200 and row["actual"] == 252
    assert tile["ranking_month"] == MONTH
    assert [(r["unit_name"], r["rank"]) for r in tile["ranking"]] == [
        ("电气装备产业园区", 1), ("创新创业服务园区", 2), ("应急管理局", 3)
    ]  # fmt: skip
