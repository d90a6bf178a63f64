"""A point's trend is one tap from the live screen and from its firm's file; the live screen's firms open their
files; a firm sees only its own points, and its portal neither offers 实时监测 without sensors nor shows the zone's
internal marks."""

import pytest
from django.urls import reverse
from django.utils import timezone

from zhuqi.enterprises.models import OfficerAssignment
from zhuqi.monitoring.models import AlarmLevel, MonitoringPoint, Quantity


@pytest.fixture
def points(zone):
    now = timezone.now()

    def point(enterprise, code, state="normal"):
        return MonitoringPoint.objects.create(
            enterprise=enterprise, code=code, name=f"{code}储罐液位", quantity=Quantity.TANK_LEVEL, unit="%",
            state=state, last_value=42.0, last_at=now,
        )  # fmt: skip

    return {"a": point(zone.enterprise_a, "LT-A1"), "a_off": point(zone.enterprise_a, "LT-A2", AlarmLevel.OFFLINE),
            "b": point(zone.enterprise_b, "LT-B1")}  # fmt: skip


def trend(point):
    return f'href="{reverse("point-detail", args=[point.pk])}"'


def test_the_live_screen_links_each_point_to_its_trend_and_each_firm_to_its_file(zone, points, client_as):
    response = client_as(zone.users["coordinator"]).get(reverse("monitoring-overview"))
    assert response.context["points"][0] == points["a_off"]  # the gravest first: alarms, then offline, then normal
    page = response.content.decode()
    assert all(trend(p) in page for p in points.values())
    assert f'href="{reverse("enterprise-detail", args=[zone.enterprise_a.pk])}"' in page
    trend_page = client_as(zone.users["coordinator"]).get(reverse("point-detail", args=[points["b"].pk]))
    assert f'href="{reverse("enterprise-detail", args=[zone.enterprise_b.pk])}"' in trend_page.content.decode()


def test_a_firm_and_a_park_see_only_their_own_points_on_the_live_screen(zone, points, client_as):
    for name, mine, others in [("enterprise_b", ["b"], ["a", "a_off"]), ("officer_a", ["a", "a_off"], ["b"])]:
        page = client_as(zone.users[name]).get(reverse("monitoring-overview")).content.decode()
        assert all(trend(points[k]) in page for k in mine), name
        assert not any(trend(points[k]) in page for k in others), name
        assert (
            f'href="{reverse("enterprise-detail", args=[zone.enterprise_a.pk if "a" in mine else zone.enterprise_b.pk])}"'
            in page
        )


def test_the_state_cards_list_the_points_in_that_state(zone, points, client_as):
    page = client_as(zone.users["coordinator"]).get(reverse("monitoring-overview") + "?state=offline")
    assert [p.code for p in page.context["points"]] == ["LT-A2"]
    body = page.content.decode()
    assert (
        'href="?state=offline#points"' in body
        and "?state=offline" in body[body.index('id="live"') : body.index(">", body.index('id="live"'))]
    )


def test_a_firms_file_lists_its_points_with_state_and_trend_for_those_who_see_monitoring(zone, points, client_as):
    url = reverse("enterprise-detail", args=[zone.enterprise_a.pk])
    for name in ["coordinator", "department", "officer_a", "enterprise_a"]:
        page = client_as(zone.users[name]).get(url).content.decode()
        panel = page[page.index('id="monitoring-points"') :]
        assert trend(points["a"]) in panel and trend(points["a_off"]) in panel and "alarm-offline" in panel, name
        assert trend(points["b"]) not in page, name
    grid_member = client_as(zone.users["grid_a"]).get(url)
    assert grid_member.status_code == 200 and 'id="monitoring-points"' not in grid_member.content.decode()
    MonitoringPoint.objects.filter(enterprise=zone.enterprise_b).update(is_active=False)
    without = client_as(zone.users["coordinator"]).get(reverse("enterprise-detail", args=[zone.enterprise_b.pk]))
    assert 'id="monitoring-points"' not in without.content.decode()  # a firm without sensors: no empty panel


def test_the_portal_offers_live_monitoring_only_to_a_firm_with_sensors(zone, points, client_as):
    link = f'href="{reverse("monitoring-overview")}"'
    assert link in client_as(zone.users["enterprise_b"]).get(reverse("workbench")).content.decode()
    MonitoringPoint.objects.filter(enterprise=zone.enterprise_b).update(is_active=False)
    assert link not in client_as(zone.users["enterprise_b"]).get(reverse("workbench")).content.decode()
    assert link in client_as(zone.users["enterprise_a"]).get(reverse("workbench")).content.decode()


def test_the_firm_does_not_see_the_zones_internal_marks_on_its_own_file(zone, client_as):
    OfficerAssignment.objects.create(enterprise=zone.enterprise_a, officer=zone.users["officer_a"],
                                     assigned_by=zone.users["coordinator"])  # fmt: skip
    url = reverse("enterprise-detail", args=[zone.enterprise_a.pk])
    officer = client_as(zone.users["officer_a"]).get(url).content.decode()
    assert "走访逾期" in officer and "首席服务官分包记录" in officer
    firm = client_as(zone.users["enterprise_a"]).get(url).content.decode()
    assert "走访逾期" not in firm and "首席服务官分包记录" not in firm
