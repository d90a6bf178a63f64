"""The grid member's 工作台 starts a patrol and reports an incident in one tap; 我分包的企业 only for whoever has
firms assigned; the grid map's base map comes from settings, and the page's CSP admits its host only then."""

from django.test import override_settings
from django.urls import reverse

from zhuqi.grids.basemap import check_basemap
from zhuqi.grids.models import Patrol
from zhuqi.inspections.tests.test_safety_file_and_map import SQUARE
from zhuqi.org.models import Grid

TIANDITU = ("https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default"
            "&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}")  # fmt: skip


def test_the_grid_members_workbench_starts_a_patrol_and_reports_an_incident(zone, client_as):
    client = client_as(zone.users["grid_a"])
    page = client.get(reverse("workbench")).content.decode()
    actions = page[page.index('id="grid-actions"') :]
    assert f'action="{reverse("patrol-start", args=[zone.grid_a.pk])}"' in actions
    assert f'href="{reverse("incident-report")}"' in actions
    assert page.index('id="grid-actions"') < page.index('id="enterprises-visible"')  # the actions first
    client.post(reverse("patrol-start", args=[zone.grid_a.pk]))
    assert Patrol.objects.filter(member=zone.users["grid_a"], ended_at__isnull=True).exists()
    again = client.get(reverse("workbench")).content.decode()
    assert "巡查中" in again and 'action="/grids/patrols/start/' not in again


def test_my_assigned_enterprises_only_for_whoever_has_firms_assigned(zone, client_as):
    for name, shown in [("officer_a", True), ("coordinator", False), ("department", False), ("grid_a", False)]:
        page = client_as(zone.users[name]).get(reverse("workbench")).content.decode()
        assert ('id="my-enterprises"' in page) is shown and ("我分包的企业" in page) is shown, name
        assert 'id="enterprises-visible"' in page, name


def test_the_grid_map_fetches_nothing_without_a_configured_base_map(zone, client_as):
    Grid.objects.filter(pk=zone.grid_a.pk).update(outline=SQUARE)
    page = client_as(zone.users["coordinator"]).get(reverse("grid-map"))
    assert "basemap" not in page.context["chart"] and page.context["chart"]["labels"]["dot"]
    assert "tianditu" not in page["Content-Security-Policy"]


@override_settings(ZHUQI_MAP_TILE_URL=TIANDITU, ZHUQI_MAP_LABEL_TILE_URL=TIANDITU.replace("vec", "cva"),
                   ZHUQI_MAP_TILE_KEY="k3y", ZHUQI_MAP_TILE_SUBDOMAINS="01234567")  # fmt: skip
def test_a_configured_base_map_is_drawn_and_its_host_admitted_on_the_map_page_only(zone, client_as):
    client = client_as(zone.users["coordinator"])
    page = client.get(reverse("grid-map"))
    base = page.context["chart"]["basemap"]
    assert len(base["layers"]) == 2 and all("tk=k3y" in u and "{key}" not in u for u in base["layers"])
    assert base["subdomains"] == "01234567"
    img_src = next(d for d in page["Content-Security-Policy"].split(";") if d.strip().startswith("img-src"))
    assert "https://*.tianditu.gov.cn" in img_src
    assert "tianditu" not in client.get(reverse("workbench"))["Content-Security-Policy"]


def test_a_tile_url_without_its_placeholders_is_refused_at_start(settings):
    settings.ZHUQI_MAP_TILE_URL = "https://tiles.example.cn/map.png"
    assert [e.id for e in check_basemap()] == ["zhuqi.E130"]
    settings.ZHUQI_MAP_TILE_URL = TIANDITU
    assert check_basemap() == []
