"""Risk points and the responsibility chain on the enterprise file; grid outlines on the map; the demo's
reported figures."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhuqi.cases.demo import categories_load
from zhuqi.enterprises.demo.loader import load_demo_zone
from zhuqi.inspections import selectors
from zhuqi.inspections.demo import load_demo_inspections
from zhuqi.inspections.models import Campaign, ResponsibleOfficial, RiskLevel, RiskPoint, Tier
from zhuqi.org.models import Grid, User, validate_outline

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[113.2, 33.7], [113.21, 33.7], [113.21, 33.71], [113.2, 33.71], [113.2, 33.7]]],
}


def test_the_enterprise_file_shows_risk_points_and_the_chain_in_order(zone, client_as):
    enterprise = zone.enterprise_a
    RiskPoint.objects.create(enterprise=enterprise, name="液氯储罐区", level=RiskLevel.MAJOR, controls="报警联锁")
    for tier, name in [(Tier.OPERATIONAL, "赵操作"), (Tier.ZONE_LEADER, "钱副主任"), (Tier.PRINCIPAL, "孙总")]:
        ResponsibleOfficial.objects.create(enterprise=enterprise, tier=tier, name=name)
    page = client_as(zone.users["officer_a"]).get(reverse("enterprise-detail", args=[enterprise.pk])).content.decode()
    assert "液氯储罐区" in page and "risk-red" in page
    chain = page[page.index('id="responsibility-chain"') :]
    assert chain.index("钱副主任") < chain.index("孙总") < chain.index("赵操作")


@pytest.mark.parametrize(
    "outline",
    [
        {"type": "Point", "coordinates": [113.2, 33.7]},
        {"type": "Polygon", "coordinates": [[[113.2, 33.7], [113.21, 33.7], [113.2, 33.71]]]},
        {"type": "Polygon", "coordinates": [[[113.2, 33.7], [113.21, 33.7], [113.21, 33.71], [113.2, 33.72]]]},
        {"type": "Polygon", "coordinates": [[[213.2, 33.7], [113.21, 33.7], [113.21, 33.71], [213.2, 33.7]]]},
    ],
    ids=["point", "too-few", "not-closed", "out-of-range"],
)
def test_a_grid_outline_must_be_a_closed_polygon_in_degrees(outline):
    with pytest.raises(ValidationError):
        validate_outline(outline)


def test_the_grid_map_draws_outlines_and_open_incidents_without_tiles(zone, client_as):
    Grid.objects.filter(pk=zone.grid_a.pk).update(outline=SQUARE)
    page = client_as(zone.users["coordinator"]).get(reverse("grid-map"))
    assert page.status_code == 200
    chart = page.context["chart"]
    assert chart["geojson"]["features"][0]["geometry"] == SQUARE
    assert [c["name"] for c in chart["counts"]] == [zone.grid_a.name]
    assert "tile" not in page.content.decode().lower()
    assert client_as(zone.users["enterprise_a"]).get(reverse("grid-map")).status_code == 403


def test_the_demo_reports_the_bureaus_campaign_figures(db):
    today = datetime.date(2026, 11, 23)
    load_demo_zone(seed=2024, today=today)
    categories_load()
    load_demo_inspections(seed=2024, today=today, history=10)
    campaign = Campaign.objects.get(name="2024年节后复工复产安全生产暗访指导")
    report = selectors.inspection_report(
        user=User.objects.get(username="zone"), filters=selectors.InspectionFilters(campaign=campaign.pk), today=today
    )
    # 累计出动 48 人次、检查指导企业 49 家次、排查隐患 24 条、已整改 24 条
    assert (report["outings"], report["visits"], report["found"], report["rectified"]) == (48, 49, 24, 24)
    assert campaign.teams.count() == 3 and {t.members.count() for t in campaign.teams.all()} == {3}
    shenma = campaign.inspections.model.objects.filter(inspected_on=datetime.date(2021, 2, 12))
    assert shenma.count() == 3 and {i.checklist_version.number for i in shenma} == {1}
    assert Grid.objects.exclude(outline=None).count() == Grid.objects.count()
