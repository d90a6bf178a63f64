"""复工率, 返岗率 and 产能恢复率 against figures worked out by hand, by park and by industry, day by day."""

import datetime
from decimal import Decimal

import pytest

from zhuqi.dispatch import selectors, services

from .conftest import FIRST_DAY, at, values

pytestmark = pytest.mark.django_db
SECOND_DAY = FIRST_DAY + datetime.timedelta(days=1)


@pytest.fixture
def reported(dispatch):
    """Day 1, by hand:
    A1 正常 90/100 staff, output 8 of a normal 10 (万元)
    A2 部分 30/60 staff, capacity 50% of a normal 4 → output 2
    B1 停工 2/50 staff (watchmen), output 0 of a normal 6
    B2 has not reported.
    Day 2: all four 正常, each 50/50 staff, output 5 of a normal 5."""
    z = dispatch
    who = {z.enterprise_a: "enterprise_a", z.enterprise_b: "enterprise_b"}
    day_one = [
        (z.enterprise_a, values("normal", 90, 100, output="8", normal="10")),
        (z.a2, values("partial", 30, 60, output=None, rate="50", normal="4")),
        (z.enterprise_b, values("stopped", 2, 50, output="0", normal="6")),
    ]
    for firm, given in day_one:
        by = z.users[who[firm]] if firm in who else z.users["coordinator"]
        services.report_submit(by=by, period=z.period, enterprise=firm, values=given, now=at(FIRST_DAY, 8, 30))
    for firm in (z.enterprise_a, z.a2, z.enterprise_b, z.b2):
        services.report_submit(by=z.users["coordinator"], period=z.period, enterprise=firm,
                               values=values("normal", 50, 50, output="5", normal="5"), now=at(SECOND_DAY, 8))  # fmt: skip
    return z


def rates(f):
    return (f["resumption_rate"], f["staff_return_rate"], f["capacity_recovery_rate"], f["report_rate"])


def D(text):
    return Decimal(text) if text is not None else None


def test_the_zones_figures_of_a_day_match_the_hand_computed_ones(reported):
    figures = selectors.period_figures(user=reported.users["coordinator"], period=reported.period, day=FIRST_DAY)
    zone = figures["zone"]
    # 复工率 2 working of 4 targets (B2, not reported, counts as not resumed); 返岗率 (90+30+2)/(100+60+50);
    # 产能恢复率 (8+2+0)/(10+4+6); 报送率 3/4
    assert rates(zone) == (D("50.0"), D("58.1"), D("50.0"), D("75.0"))
    assert (zone["targets"], zone["reported"], zone["working"], zone["on_duty"], zone["planned"]) == (4, 3, 2, 122, 210)
    assert zone["output"] == Decimal("10.00")


def test_by_park_each_park_has_its_own_figures(reported):
    figures = selectors.period_figures(user=reported.users["coordinator"], period=reported.period, day=FIRST_DAY)
    by_park = {g["name"]: rates(g["figures"]) for g in figures["groups"]}
    assert by_park == {
        "创新创业服务园区": (D("100.0"), D("75.0"), D("71.4"), D("100.0")),  # 120/160 staff, 10/14 output
        "电气装备产业园区": (D("0.0"), D("4.0"), D("0.0"), D("50.0")),  # B1 stopped, B2 silent
    }


def test_by_industry_a_silent_firm_keeps_its_industrys_rate_at_zero_and_its_staff_rate_unknown(reported):
    figures = selectors.period_figures(user=reported.users["coordinator"], period=reported.period, day=FIRST_DAY,
                                       group="industry")  # fmt: skip
    by_industry = {str(g["name"]): rates(g["figures"]) for g in figures["groups"]}
    assert by_industry == {
        "制造业": (D("66.7"), D("58.1"), D("50.0"), D("100.0")),
        "信息传输、软件和信息技术服务业": (D("0.0"), None, None, D("0.0")),
    }


def test_day_by_day_the_series_rise_to_every_firm_working(reported, settings):
    figures = selectors.period_figures(user=reported.users["coordinator"], period=reported.period, day=SECOND_DAY)
    # the third day has not come for a period in the past only when it is shown; here all three days are past
    series = [f["resumption_rate"] for f in figures["series"]]
    assert series[:2] == [D("50.0"), D("100.0")]
    assert rates(figures["zone"]) == (D("100.0"), D("100.0"), D("100.0"), D("100.0"))
    park_a = next(g for g in figures["groups"] if g["name"] == "创新创业服务园区")
    assert park_a["series"][:2] == [D("100.0"), D("100.0")]


def test_a_park_officer_sees_the_figures_of_the_parks_own_firms_only(reported):
    figures = selectors.period_figures(user=reported.users["officer_b"], period=reported.period, day=FIRST_DAY)
    assert [g["name"] for g in figures["groups"]] == ["电气装备产业园区"]
    assert (figures["zone"]["targets"], figures["zone"]["resumption_rate"]) == (2, D("0.0"))


def test_the_figures_take_a_fixed_number_of_queries_whatever_the_number_of_firms(
    reported, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        selectors.period_figures(user=reported.users["coordinator"], period=reported.period, day=FIRST_DAY)
