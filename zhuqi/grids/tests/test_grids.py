"""A grid member patrols their grid and reports incidents from the phone; each reaches its department as a case."""

import pytest
from django.urls import reverse

from zhuqi.cases import selectors
from zhuqi.cases.models import Case, Category, Kind
from zhuqi.cases.workflow import Status
from zhuqi.core.errors import DomainError
from zhuqi.grids import services
from zhuqi.grids.models import INCIDENT_KIND, Patrol
from zhuqi.notifications.models import Notification
from zhuqi.org.models import Department, Role
from zhuqi.org.tests.factories import UserFactory


@pytest.fixture
def stalls(zone):
    urban = Department.objects.create(name="城市管理和综合执法局")
    handler = UserFactory(username="chengguan", role=Role.DEPARTMENT_HANDLER, department=urban)
    category = Category.objects.create(
        kind=INCIDENT_KIND, name="占道经营", department=urban, deadline_workdays=3, routes_directly=True
    )
    return {"urban": urban, "handler": handler, "category": category}


def test_an_incident_goes_straight_to_the_owning_departments_queue(zone, stalls, client):
    client.force_login(zone.users["grid_a"])
    response = client.post(
        reverse("incident-report"),
        {
            "grid": zone.grid_a.pk,
            "category": stalls["category"].pk,
            "description": "菜市场东门商户占道摆放货物",
            "location": "祁营村菜市场东门",
            "latitude": "33.735120",
            "longitude": "113.292310",
        },  # fmt: skip
        follow=True,
    )
    case = Case.objects.get()
    assert "城市管理和综合执法局" in response.content.decode()
    assert (case.kind, case.source, case.status, case.lead_department) == (
        "grid_incident", "patrol", Status.ASSIGNED, stalls["urban"]
    )  # fmt: skip
    assert case.grid == zone.grid_a and str(case.latitude) == "33.735120" and case.deadline is not None
    assert list(case.events.values_list("action", flat=True)) == ["raise", "route"]
    assert case in selectors.waiting_for(user=stalls["handler"])
    assert Notification.objects.filter(recipient=stalls["handler"], title__contains=case.number).exists()
    assert not Notification.objects.filter(recipient=zone.users["coordinator"]).exists()


def test_a_member_reports_only_in_their_own_grid_and_only_grid_incident_types(zone, stalls):
    with pytest.raises(DomainError):
        services.incident_report(
            by=zone.users["grid_a"], grid=zone.grid_b, category=stalls["category"], description="x"
        )
    demand = Category.objects.create(kind=Kind.DEMAND, name="用工", department=stalls["urban"])
    with pytest.raises(DomainError):
        services.incident_report(by=zone.users["grid_a"], grid=zone.grid_a, category=demand, description="x")
    with pytest.raises(DomainError):
        services.incident_report(
            by=zone.users["grid_a"],
            grid=zone.grid_a,
            category=stalls["category"],
            description="x",
            latitude=95,
            longitude=1,
        )
    assert not Case.objects.exists()


def test_a_half_received_position_is_refused_with_a_clear_message(zone, stalls, client):
    client.force_login(zone.users["grid_a"])
    response = client.post(
        reverse("incident-report"),
        {"grid": zone.grid_a.pk, "category": stalls["category"].pk, "description": "x", "latitude": "33.7"},
    )
    assert response.status_code == 200 and not Case.objects.exists()
    assert "位置" in response.content.decode()


def test_a_patrol_is_started_and_ended_once_at_a_time(zone, client):
    client.force_login(zone.users["grid_a"])
    client.post(reverse("patrol-start", args=[zone.grid_a.pk]))
    response = client.post(reverse("patrol-start", args=[zone.grid_a.pk]), follow=True)
    assert Patrol.objects.filter(ended_at__isnull=True).count() == 1
    assert "先结束" in response.content.decode()
    client.post(reverse("patrol-end"), {"notes": "劝离流动摊贩 2 处"})
    patrol = Patrol.objects.get()
    assert patrol.ended_at and patrol.notes == "劝离流动摊贩 2 处"
    assert "劝离流动摊贩 2 处" in client.get(reverse("grid-home")).content.decode()
    assert client.post(reverse("patrol-start", args=[zone.grid_b.pk])).status_code == 404  # not their grid


@pytest.mark.parametrize("role", ["coordinator", "department", "officer_a", "enterprise_a"])
def test_only_grid_members_use_the_patrol_pages(zone, client, role):
    client.force_login(zone.users[role])
    assert client.get(reverse("grid-home")).status_code == 403
    assert client.get(reverse("incident-report")).status_code == 403


def test_an_incidents_page_offers_the_map_not_raw_coordinates_and_no_enterprise_rating(zone, stalls, client):
    client.force_login(zone.users["grid_a"])
    client.post(
        reverse("incident-report"),
        {"grid": zone.grid_a.pk, "category": stalls["category"].pk, "description": "商户占道摆放货物",
         "location": "祁营村菜市场东门", "latitude": "33.735120", "longitude": "113.292310"},
    )  # fmt: skip
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(status=Status.RATED, rating="satisfied")
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "33.735120" not in page.replace("position=113.292310,33.735120", "")
    assert "在地图上查看" in page and "position=113.292310,33.735120" in page
    assert "企业评价" not in page and "上报人评价" in page
