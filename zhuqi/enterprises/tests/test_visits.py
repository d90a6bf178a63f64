import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhuqi.core.errors import DomainError
from zhuqi.core.models import Attachment
from zhuqi.enterprises import selectors, services
from zhuqi.enterprises.models import Tag, Visit, VisitRule
from zhuqi.enterprises.tests.factories import VisitFactory

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_a_logged_visit_with_problems_and_a_photo_appears_on_the_timeline(zone):
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    visit = services.visit_log(
        enterprise=zone.enterprise_a,
        by=zone.users["officer_a"],
        visited_on=datetime.date(2026, 11, 20),
        topics="了解用工需求",
        people_met="刘经理",
        problems=["招工难", "", "  厂区道路破损  "],
        files=[photo],
    )
    assert [p.description for p in visit.problems.all()] == ["招工难", "厂区道路破损"]
    assert list(visit.officers.all()) == [zone.users["officer_a"]]
    assert Attachment.objects.get(owner_type="enterprises.visit", owner_id=visit.pk).mime_type == "image/png"
    entry = zone.enterprise_a.timeline.get(kind="visit")
    assert entry.visit == visit and "收集问题 2 件" in entry.summary


def test_a_file_pretending_to_be_a_pdf_is_refused_and_nothing_is_saved(zone):
    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    with pytest.raises(DomainError, match="类型不允许上传"):
        services.visit_log(
            enterprise=zone.enterprise_a,
            by=zone.users["officer_a"],
            visited_on=datetime.date(2026, 11, 20),
            topics="走访",
            files=[fake],
        )
    assert not Visit.objects.exists()


def test_a_visit_cannot_be_dated_in_the_future(zone):
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.visit_log(
            enterprise=zone.enterprise_a,
            by=zone.users["officer_a"],
            visited_on=datetime.date.today() + datetime.timedelta(days=3),
            topics="走访",
        )


def test_a_grid_member_may_see_but_not_log_visits(zone):
    with pytest.raises(DomainError, match="没有登记该企业走访的权限"):
        services.visit_log(
            enterprise=zone.enterprise_a, by=zone.users["grid_a"], visited_on=datetime.date(2026, 11, 20), topics="走访"
        )


def test_visit_form_through_the_page(zone, client):
    client.force_login(zone.users["officer_a"])
    response = client.post(
        reverse("visit-create", args=[zone.enterprise_a.pk]),
        {
            "visited_on": "2026-11-20",
            "topics": "政策宣讲",
            "problems": "融资难\n用地紧张",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("enterprise-detail", args=[zone.enterprise_a.pk])).content.decode()
    assert "政策宣讲" in page and "收集问题 2 件" in page


def test_the_visit_api_logs_a_visit_for_the_enterprise(zone, client):
    client.force_login(zone.users["department"])
    response = client.post(
        f"/api/enterprises/{zone.enterprise_b.pk}/visits",
        {
            "visited_on": "2026-11-20",
            "topics": "安全生产检查指导",
            "problems": ["消防通道堵塞"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["problems"] == ["消防通道堵塞"]
    refused = client.post(
        f"/api/enterprises/{zone.enterprise_b.pk}/visits",
        {"visited_on": "2026-11-20", "topics": ""},
        content_type="application/json",
    )
    assert refused.status_code == 422


TODAY = datetime.date(2026, 11, 23)


def test_visit_frequency_takes_the_strictest_matching_rule(zone):
    hazardous = Tag.objects.create(name="危化企业")
    VisitRule.objects.create(tag=hazardous, frequency=1)
    VisitRule.objects.create(scale="above", frequency=3)
    VisitRule.objects.create(frequency=12)
    zone.enterprise_a.tags.add(hazardous)
    zone.enterprise_b.scale = "above"
    zone.enterprise_b.save()
    VisitFactory(enterprise=zone.enterprise_a, visited_on=datetime.date(2026, 10, 10))  # > 1 month ago
    VisitFactory(enterprise=zone.enterprise_b, visited_on=datetime.date(2026, 10, 10))  # < 3 months ago
    rows = {
        e.name: e
        for e in selectors.with_visit_status(selectors.enterprise_list(user=zone.users["coordinator"]), today=TODAY)
    }
    assert (rows[zone.enterprise_a.name].visit_frequency, rows[zone.enterprise_a.name].visit_overdue) == (1, True)
    assert (rows[zone.enterprise_b.name].visit_frequency, rows[zone.enterprise_b.name].visit_overdue) == (3, False)


def test_coverage_counts_each_officers_enterprises_visits_and_overdue(zone):
    VisitRule.objects.create(frequency=1)
    VisitFactory(enterprise=zone.enterprise_a, visited_on=datetime.date(2026, 11, 3))
    VisitFactory(enterprise=zone.enterprise_a, visited_on=datetime.date(2026, 11, 5))
    VisitFactory(enterprise=zone.enterprise_b, visited_on=datetime.date(2026, 10, 2))
    rows = {r.name: r for r in selectors.visit_coverage(user=zone.users["coordinator"], today=TODAY)}
    a, b = rows[str(zone.users["officer_a"])], rows[str(zone.users["officer_b"])]
    assert (a.assigned, a.visited_this_month, a.visited_this_quarter, a.overdue) == (1, 1, 1, 0)
    assert (b.assigned, b.visited_this_month, b.visited_this_quarter, b.overdue) == (1, 0, 1, 1)
    assert [r.name for r in selectors.visit_coverage(user=zone.users["officer_a"], today=TODAY)] == [a.name]


def test_coverage_page_queries_do_not_grow_with_the_number_of_officers(zone, client, django_assert_max_num_queries):
    client.force_login(zone.users["coordinator"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("visit-coverage")).status_code == 200


def test_colleagues_present_are_recorded_but_an_officer_of_another_park_is_refused(zone):
    colleague = zone.users["officer_a"].__class__.objects.create(
        username="colleague", full_name="同园区同事", role="park_officer", park=zone.park_a
    )
    visit = services.visit_log(
        enterprise=zone.enterprise_a,
        by=zone.users["officer_a"],
        visited_on=datetime.date(2026, 11, 20),
        topics="联合走访",
        officers=[colleague],
    )
    assert set(visit.officers.all()) == {zone.users["officer_a"], colleague}
    with pytest.raises(DomainError, match="colleagues|同事|本单位"):
        services.visit_log(
            enterprise=zone.enterprise_a,
            by=zone.users["officer_a"],
            visited_on=datetime.date(2026, 11, 20),
            topics="走访",
            officers=[zone.users["officer_b"]],
        )
