"""The leaders' cockpit: who may open it, each tile's figures against hand-built records and against the page the
tile opens, the targets read from the assessment (or the tile saying they are not set up), the refresh partials,
and a cost that does not grow with the records."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhuqi.cockpit import selectors
from zhuqi.core import registry
from zhuqi.enterprises.tests.factories import EnterpriseFactory
from zhuqi.grids.selectors import grid_map_data
from zhuqi.growth.models import StageKind
from zhuqi.growth.selectors import stage_counts
from zhuqi.monitoring.models import AlarmLevel
from zhuqi.monitoring.selectors import overview
from zhuqi.org.tests.factories import GridFactory

from . import records

pytestmark = pytest.mark.django_db


def progress_stand_in(*, year, unit_key):
    """What `assessments.progress` returns (the assessment's engineer builds the real one)."""
    assert unit_key == "zone"
    return [
        {"code": "new_entities", "name": "新增市场主体", "unit": "家", "target": Decimal(400),
         "target_to_date": Decimal(200), "actual": Decimal(252), "percent": Decimal(126), "last_year": Decimal(210),
         "yoy_percent": Decimal("20.0"), "records_url": "/enterprises/?registered_from=2024-01-01"},
        {"code": "high_tech", "name": "高新技术企业数", "unit": "家", "target": Decimal(60),
         "target_to_date": Decimal(60), "actual": None, "percent": None, "last_year": None, "yoy_percent": None,
         "records_url": ""},
    ]  # fmt: skip


def ranking_stand_in(*, year, month):
    return [{"unit_key": "park:1", "unit_name": "临港物流产业园区", "score": Decimal("96.5"), "rank": 1, "movement": 2,
             "url": "/assessments/units/park:1/"},
            {"unit_key": "department:1", "unit_name": "应急管理局", "score": Decimal("91.0"), "rank": 2,
             "movement": -1, "url": "/assessments/units/department:1/"}]  # fmt: skip


def may_see_unit_stand_in(user, unit_key):
    """The zone office every unit, a department its own (as `assessments.may_see_unit` says)."""
    return user.role == "zone_coordinator" or unit_key == f"department:{user.department_id}"


@pytest.fixture
def assessment(monkeypatch):
    monkeypatch.setitem(registry._selectors, "assessments.progress", progress_stand_in)
    monkeypatch.setitem(registry._selectors, "assessments.ranking", ranking_stand_in)
    monkeypatch.setitem(registry._selectors, "assessments.may_see_unit", may_see_unit_stand_in)


@pytest.fixture
def no_assessment(monkeypatch):
    monkeypatch.delitem(registry._selectors, "assessments.progress", raising=False)
    monkeypatch.delitem(registry._selectors, "assessments.ranking", raising=False)
    monkeypatch.delitem(registry._selectors, "assessments.may_see_unit", raising=False)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def by_id(response, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', response.content.decode())
    assert match, element_id
    return match.group(1).strip()


# -- who sees it --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role, status", [
    ("coordinator", 200), ("department", 200), ("officer_a", 403), ("grid_a", 403), ("enterprise_a", 403),
    ("auditor", 403), ("sysadmin", 403),
])  # fmt: skip
def test_the_zone_office_and_the_departments_open_the_cockpit_and_nobody_else(zone, client_as, no_assessment, role,
                                                                               status):  # fmt: skip
    client = client_as(zone.users[role])
    assert client.get(reverse("cockpit")).status_code == status
    assert client.get(reverse("cockpit-tile", args=["cases"])).status_code == status


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("cockpit"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_unknown_tile_is_not_found(zone, client_as):
    assert client_as(zone.users["coordinator"]).get(reverse("cockpit-tile", args=["nothing"])).status_code == 404


def test_the_cockpit_is_in_the_statistics_navigation_of_its_readers_only(zone):
    assert "cockpit" in [e.url_name for e in registry.nav_entries(zone.users["coordinator"])]
    assert "cockpit" in [e.url_name for e in registry.nav_entries(zone.users["department"])]
    for role in ("officer_a", "grid_a", "enterprise_a"):
        assert "cockpit" not in [e.url_name for e in registry.nav_entries(zone.users[role])]


# -- the targets ---------------------------------------------------------------------------------------------------


def test_without_the_assessment_the_targets_tile_says_they_are_not_set_up(zone, client_as, no_assessment):
    response = client_as(zone.users["coordinator"]).get(reverse("cockpit"))
    assert response.status_code == 200
    assert "尚未设置目标任务" in by_id(response, "targets-not-set-up")


def test_the_key_figures_show_their_progress_against_the_targets(zone, client_as, assessment):
    response = client_as(zone.users["coordinator"]).get(reverse("cockpit"))
    text = text_of(response)
    assert "新增市场主体 252 / 200 家 126%" in text
    assert "同比 +20.0%" in text
    assert "高新技术企业数 — / 60 家 —" in text  # no actual yet: said so, not zero
    assert 'href="/enterprises/?registered_from=2024-01-01"' in response.content.decode()
    assert "1. 临港物流产业园区" in text and "↑2" in text and "↓1" in text


def test_a_department_opens_its_own_line_of_the_ranking_and_reads_the_others(zone, client_as, assessment,
                                                                             monkeypatch):  # fmt: skip
    department = zone.users["department"]
    own = f"department:{department.department_id}"
    rows = [{"unit_key": "park:1", "unit_name": "临港物流产业园区", "score": Decimal("96.5"), "rank": 1, "movement": 0,
             "url": "/assessments/units/park:1/"},
            {"unit_key": own, "unit_name": "应急管理局", "score": Decimal("91.0"), "rank": 2, "movement": 0,
             "url": f"/assessments/units/{own}/"}]  # fmt: skip
    monkeypatch.setitem(registry._selectors, "assessments.ranking", lambda *, year, month: [dict(r) for r in rows])
    page = client_as(department).get(reverse("cockpit")).content.decode()
    assert "/assessments/units/park:1/" not in page and "1. 临港物流产业园区" in page
    assert f'href="/assessments/units/{own}/"' in page
    office = client_as(zone.users["coordinator"]).get(reverse("cockpit")).content.decode()
    assert 'href="/assessments/units/park:1/"' in office and f'href="/assessments/units/{own}/"' in office


def test_a_year_without_targets_is_said_so(zone, client_as, monkeypatch):
    monkeypatch.setitem(registry._selectors, "assessments.progress", lambda *, year, unit_key: [])
    monkeypatch.delitem(registry._selectors, "assessments.ranking", raising=False)
    response = client_as(zone.users["coordinator"]).get(reverse("cockpit"))
    assert f"{timezone.localdate().year} 年尚未录入目标任务。" in text_of(response)


# -- each tile's figures -------------------------------------------------------------------------------------------


def test_the_case_tile_counts_the_years_demands_and_their_rates(zone, no_assessment):
    records.cases(zone, open_=2, overdue=1, on_time=3, late=1, satisfied=2, dissatisfied=1)
    tile = selectors.cockpit_tiles(user=zone.users["coordinator"], only="cases")["cases"]
    assert (tile["received"], tile["open"], tile["overdue"]) == (7, 3, 1)
    assert tile["on_time_rate"] == 75.0  # 3 of the 4 closed
    assert tile["satisfaction_rate"] == 66.7  # 2 of the 3 rated


def test_the_case_tile_agrees_with_the_figures_page_it_opens(zone, client_as, no_assessment):
    records.cases(zone, open_=4, overdue=2, on_time=5, late=2, satisfied=3, dissatisfied=2)
    client = client_as(zone.users["coordinator"])
    cockpit = client.get(reverse("cockpit"))
    link = re.search(r'id="tile-cases-title"><a href="([^"]+)"', cockpit.content.decode()).group(1)
    page = client.get(link.replace("&amp;", "&"))
    assert page.status_code == 200
    total = page.context["figures"]["total"]
    assert by_id(cockpit, "cases-received") == str(total["received"])
    assert f"按期办结率 {total['on_time_rate']}%" in by_id(cockpit, "cases-on-time")
    assert f"满意率 {total['satisfaction_rate']}%" in by_id(cockpit, "cases-satisfaction")
    listed = client.get(reverse("case-list") + "?figure=open")
    assert listed.context["page"].paginator.count == int(by_id(cockpit, "cases-open"))


def test_the_grid_map_counts_the_open_incidents_of_each_grid_as_the_grid_map_does(zone, no_assessment):
    records.incidents(zone, zone.grid_a, 3, closed=2)
    records.incidents(zone, zone.grid_b, 1)
    tile = selectors.cockpit_tiles(user=zone.users["coordinator"], only="grid_map")["grid_map"]
    assert tile["open"] == 4 and tile["with_incidents"] == 2 and tile["grids"] == 2
    counts = {g["label"]: g["value"] for g in tile["chart"]["grids"]}
    assert counts == {zone.grid_a.name: 3, zone.grid_b.name: 1}
    page = {g.name: g.open_incidents for g in grid_map_data(user=zone.users["coordinator"])["grids"]}
    assert counts == page
    assert len(tile["chart"]["points"]) == 4


def test_the_grid_map_draws_the_outlines_where_the_grids_have_them(zone, no_assessment):
    square = [[113.23, 33.76], [113.24, 33.76], [113.24, 33.77], [113.23, 33.77], [113.23, 33.76]]
    zone.grid_a.outline = {"type": "Polygon", "coordinates": [square]}
    zone.grid_a.save()
    chart = selectors.cockpit_tiles(user=zone.users["coordinator"], only="grid_map")["grid_map"]["chart"]
    assert chart["kind"] == "map"
    assert [f["properties"]["name"] for f in chart["features"]] == [zone.grid_a.code]


def test_the_alarm_tile_counts_the_open_alarms_as_the_live_screen_does(zone, no_assessment):
    records.alarms(zone, levels=[AlarmLevel.HIGH_HIGH, AlarmLevel.HIGH, AlarmLevel.OFFLINE], acknowledged=1, late=2)
    tile = selectors.cockpit_tiles(user=zone.users["coordinator"], only="alarms")["alarms"]
    assert tile["open"] == 6 and tile["late"] == 2 and tile["unacknowledged"] == 5
    levels = {item["level"]: item["value"] for item in tile["chart"]["levels"]}
    assert levels == {"high_high": 1, "high": 4, "low": 0, "offline": 1}
    assert tile["open"] == len(overview(user=zone.users["coordinator"])["alarms"])
    assert tile["points"] == 7


def test_the_policy_tile_shows_the_years_payments_in_ten_thousands(zone, no_assessment):
    records.payments(zone, ["120000.00", "30000.00", "4567.80"], automatic={0})
    records.payments(zone, ["999999.00"], year=timezone.localdate().year - 1)  # last year's: not counted
    tile = selectors.cockpit_tiles(user=zone.users["coordinator"], only="policies")["policies"]
    assert tile["total_wan"] == Decimal("15.46")
    assert tile["firms"] == 2
    assert tile["automatic_share"] == Decimal("77.6")  # 120000 of 154567.80
    assert tile == tile | registry.selector("policies.figures")(year=timezone.localdate().year)


def test_the_growth_tile_counts_the_firms_at_each_stage_as_the_pool_board_does(zone, no_assessment):
    others = [EnterpriseFactory(park=zone.park_a) for _ in range(3)]
    records.stages([zone.enterprise_a, *others])
    records.stages([zone.enterprise_b], kind=StageKind.POOL, on=datetime.date(timezone.localdate().year - 1, 3, 1))
    tile = selectors.cockpit_tiles(user=zone.users["coordinator"], only="growth")["growth"]
    stages = {s["kind"]: (s["firms"], s["new"]) for s in tile["stages"]}
    assert stages[StageKind.HIGH_TECH] == (4, 4)
    assert stages[StageKind.POOL] == (1, 0)  # in the pool since last year
    board = stage_counts(user=zone.users["coordinator"], on=timezone.localdate())
    assert {kind: firms for kind, (firms, _new) in stages.items()} == board


def test_the_dispatch_tile_shows_the_dispatch_in_progress_and_otherwise_the_last(zone, no_assessment):
    from zhuqi.dispatch.models import DailyReport, DispatchPeriod, DispatchTarget, OperatingStatus, PeriodStatus

    today = timezone.localdate()
    coordinator = zone.users["coordinator"]
    period = DispatchPeriod.objects.create(name="春节复工调度", kind="resumption", created_by=coordinator,
                                           starts_on=today - datetime.timedelta(days=2),
                                           ends_on=today + datetime.timedelta(days=5), status=PeriodStatus.CLOSED)  # fmt: skip
    assert selectors.cockpit_tiles(user=coordinator, only="dispatch")["dispatch"]["in_progress"] is False
    period.status = PeriodStatus.OPEN
    period.save()
    for firm, status in ((zone.enterprise_a, OperatingStatus.NORMAL), (zone.enterprise_b, None)):
        target = DispatchTarget.objects.create(period=period, enterprise=firm, park=firm.park)
        if status:
            DailyReport.objects.create(target=target, enterprise=firm, day=today, operating_status=status,
                                       staff_on_duty=40, staff_planned=50, output_value=Decimal(10),
                                       normal_output=Decimal(12), capacity_utilisation=Decimal(80),
                                       reported_by=coordinator, reported_at=timezone.now())  # fmt: skip
    tile = selectors.cockpit_tiles(user=coordinator, only="dispatch")["dispatch"]
    assert tile["in_progress"] and tile["day"] == today
    figures = tile["figures"]
    assert (figures["targets"], figures["reported"], figures["resumption_rate"]) == (2, 1, Decimal("50.0"))
    assert figures["staff_return_rate"] == Decimal("80.0")
    from zhuqi.dispatch.selectors import period_figures

    assert figures == period_figures(user=coordinator, period=period, day=today)["zone"]


def test_the_pollution_tile_shows_the_alert_in_force(zone, no_assessment):
    from zhuqi.pollution.models import Alert, AlertStatus, Level

    coordinator = zone.users["coordinator"]
    assert selectors.cockpit_tiles(user=coordinator, only="pollution")["pollution"] is None
    Alert.objects.create(level=Level.ORANGE, document="平环攻坚办〔2024〕3号", status=AlertStatus.ACTIVE,
                         starts_at=timezone.now() - datetime.timedelta(hours=5), created_by=coordinator)  # fmt: skip
    tile = selectors.cockpit_tiles(user=coordinator, only="pollution")["pollution"]
    assert tile["in_progress"] and tile["alert"].level == Level.ORANGE and tile["counts"]["firms"] == 0


# -- refreshing ----------------------------------------------------------------------------------------------------


def test_each_refresh_partial_answers_with_the_pages_numbers(zone, client_as, assessment):
    records.cases(zone, open_=2, overdue=1, on_time=2)
    records.incidents(zone, zone.grid_a, 2)
    records.alarms(zone, levels=[AlarmLevel.HIGH])
    records.payments(zone, ["50000.00"])
    client = client_as(zone.users["coordinator"])
    page = client.get(reverse("cockpit")).content.decode()
    for name in selectors.TILES:
        response = client.get(reverse("cockpit-tile", args=[name]), headers={"HX-Request": "true"})
        assert response.status_code == 200, name
        part = response.content.decode().strip()
        assert part.startswith(f'<section class="cockpit-tile tile-{name}"'), name
        assert "<html" not in part
        assert part in page, name  # the same tile, the same numbers
    wall = client.get(reverse("cockpit-tile", args=["cases"]) + "?wall=1").content.decode()
    assert "?wall=1" in wall  # the wall's tiles keep refreshing as the wall's


def test_the_wall_screen_is_dark_and_has_no_navigation(zone, client_as, no_assessment):
    client = client_as(zone.users["coordinator"])
    wall = client.get(reverse("cockpit") + "?wall=1").content.decode()
    assert 'data-bs-theme="dark"' in wall and 'id="sidebar"' not in wall
    desk = client.get(reverse("cockpit")).content.decode()
    assert 'id="sidebar"' in desk and 'data-bs-theme="dark"' not in desk


# -- cost ----------------------------------------------------------------------------------------------------------


def queries_of_the_page(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cockpit")).status_code == 200
    return len(queries)


def test_the_pages_queries_do_not_grow_with_the_records(zone, client_as, assessment):
    client = client_as(zone.users["coordinator"])
    records.cases(zone, open_=1, on_time=1)
    records.incidents(zone, zone.grid_a, 1)
    records.alarms(zone, levels=[AlarmLevel.HIGH])
    records.payments(zone, ["1000.00"])
    records.stages([zone.enterprise_a])
    queries_of_the_page(client)  # the first request warms what is cached per process (the calendar, the catalogue)
    few = queries_of_the_page(client)
    extra_grids = [GridFactory() for _ in range(4)]
    records.cases(zone, open_=6, overdue=4, on_time=8, late=3, satisfied=5)
    for grid in extra_grids:
        records.incidents(zone, grid, 3, closed=1)
    records.alarms(zone, levels=[AlarmLevel.LOW, AlarmLevel.HIGH_HIGH, AlarmLevel.OFFLINE], acknowledged=3, late=2)
    records.payments(zone, ["2000.00", "3000.00", "4000.00"])
    records.stages([EnterpriseFactory(park=zone.park_b) for _ in range(5)], kind=StageKind.TECH_SME)
    assert queries_of_the_page(client) == few
    assert few < 40
