"""Every page and API endpoint, for every role, against the own and the other enterprise: the
expected status, and never the other enterprise's data."""

import io

import openpyxl
import pytest
from django.urls import reverse

from zhuqi.core.models import AuditRecord

ROLES = [
    "coordinator",
    "department",
    "officer_a",
    "officer_b",
    "grid_a",
    "enterprise_a",
    "enterprise_b",
    "auditor",
    "sysadmin",
    "security",
]

# who sees enterprise A (in park A, grid A) and enterprise B (in park B)
SEES_A = {"coordinator", "department", "officer_a", "grid_a", "enterprise_a"}
SEES_B = {"coordinator", "department", "officer_b", "enterprise_b"}
EDITS = {"coordinator", "officer_a", "officer_b"}
VISITS = {"coordinator", "department", "officer_a", "officer_b"}


def expected_for(role, sees, may_act):
    if role not in sees:
        return 404
    return 200 if role in may_act else 403


def object_pages():
    for which in ("a", "b"):
        sees = SEES_A if which == "a" else SEES_B
        yield which, "enterprise-detail", {r: 200 if r in sees else 404 for r in ROLES}
        for name in ("enterprise-edit", "enterprise-assign-officer", "contact-add", "qualification-add"):
            yield which, name, {r: expected_for(r, sees, EDITS) for r in ROLES}
        yield which, "visit-create", {r: expected_for(r, sees, VISITS) for r in ROLES}
        yield which, "api-detail", {r: 200 if r in sees else 404 for r in ROLES}
        yield which, "api-visits", {r: 200 if r in sees else 404 for r in ROLES}


LIST_PAGES = {
    "enterprise-list": {
        "coordinator",
        "department",
        "officer_a",
        "officer_b",
        "grid_a",
        "enterprise_a",
        "enterprise_b",
    },
    "enterprise-export": {
        "coordinator",
        "department",
        "officer_a",
        "officer_b",
        "grid_a",
        "enterprise_a",
        "enterprise_b",
    },
    "visit-coverage": {"coordinator", "officer_a", "officer_b"},
    "qualifications-expiring": {
        "coordinator",
        "department",
        "officer_a",
        "officer_b",
        "grid_a",
        "enterprise_a",
        "enterprise_b",
    },
    "ledger-upload": {"coordinator", "officer_a", "officer_b"},
    "ledger-template": {"coordinator", "officer_a", "officer_b"},
    "enterprise-create": {"coordinator", "officer_a", "officer_b"},
    "audit-list": {"auditor"},
    "audit-export": {"auditor"},
    "recycle-bin": {"coordinator"},
    "return-list": {"coordinator", "department", "officer_a", "officer_b", "enterprise_a", "enterprise_b"},
    "stats-campaign-list": {"coordinator", "department", "officer_a", "officer_b"},
    "brief-list": {"coordinator", "department", "officer_a", "officer_b"},
    "brief-new": {"coordinator", "department", "officer_a", "officer_b"},
    "cockpit": {"coordinator", "department"},  # the zone's figures: the zone office and the departments' heads
}


def personal_pages():
    """The whole phone number of each enterprise's contact: for those who may see the number, else not found."""
    yield "a", {r: 200 if r in {"coordinator", "officer_a", "enterprise_a"} else 404 for r in ROLES}
    yield "b", {r: 200 if r in {"coordinator", "officer_b", "enterprise_b"} else 404 for r in ROLES}


@pytest.mark.parametrize(("which", "expected"), list(personal_pages()))
def test_whole_phone_numbers_answer_each_role_as_the_scope_rules_say(zone, client, which, expected):
    contact = (zone.enterprise_a if which == "a" else zone.enterprise_b).contacts.get()
    got = {}
    for role in ROLES:
        client.force_login(zone.users[role])
        got[role] = client.get(reverse("phone-unmask", args=["contact", contact.pk])).status_code
    assert got == expected


def url_for(name, enterprise):
    if name == "api-detail":
        return f"/api/enterprises/{enterprise.pk}"
    if name == "api-visits":
        return f"/api/enterprises/{enterprise.pk}/visits"
    return reverse(name, kwargs={"pk": enterprise.pk})


@pytest.mark.parametrize(("which", "name", "expected"), list(object_pages()))
def test_object_pages_answer_each_role_as_the_scope_rules_say(zone, client, which, name, expected):
    enterprise = zone.enterprise_a if which == "a" else zone.enterprise_b
    url = url_for(name, enterprise)
    got = {}
    for role in ROLES:
        client.force_login(zone.users[role])
        got[role] = client.get(url).status_code
    assert got == expected


@pytest.mark.parametrize(("name", "allowed"), list(LIST_PAGES.items()))
def test_list_pages_answer_each_role_as_the_scope_rules_say(zone, client, name, allowed):
    got = {}
    for role in ROLES:
        client.force_login(zone.users[role])
        got[role] = client.get(reverse(name)).status_code
    assert got == {role: 200 if role in allowed else 403 for role in ROLES}


def test_anonymous_visitors_are_sent_to_login(zone, client):
    for url in [
        reverse("workbench"),
        reverse("enterprise-list"),
        reverse("enterprise-detail", args=[1]),
        reverse("audit-list"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get("/api/enterprises/").status_code == 401


def _visible_names(client):
    html = client.get(reverse("enterprise-list")).content.decode()
    api = {row["name"] for row in client.get("/api/enterprises/").json()["items"]}
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("enterprise-export")).content))
    exported = {row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)}
    return html, api, exported


@pytest.mark.parametrize(
    "role", ["coordinator", "department", "officer_a", "officer_b", "grid_a", "enterprise_a", "enterprise_b"]
)
def test_lists_api_and_export_show_exactly_what_the_role_may_see(zone, client, role):
    client.force_login(zone.users[role])
    html, api, exported = _visible_names(client)
    expected = {e.name for e, sees in ((zone.enterprise_a, SEES_A), (zone.enterprise_b, SEES_B)) if role in sees}
    assert api == expected
    assert exported == expected
    for enterprise in (zone.enterprise_a, zone.enterprise_b):
        assert (enterprise.name in html) == (enterprise.name in expected)


def test_other_parks_enterprise_never_appears_on_the_officers_workbench(zone, client):
    client.force_login(zone.users["officer_a"])
    html = client.get(reverse("workbench")).content.decode()
    assert zone.enterprise_a.name in html
    assert zone.enterprise_b.name not in html


PHONE_A = "13812345678"


@pytest.mark.parametrize(
    ("role", "full"),
    [("coordinator", True), ("officer_a", True), ("enterprise_a", True), ("department", False), ("grid_a", False)],
)
def test_phone_numbers_are_masked_and_shown_whole_only_on_request_to_roles_that_need_them(zone, client, role, full):
    client.force_login(zone.users[role])
    html = client.get(reverse("enterprise-detail", args=[zone.enterprise_a.pk])).content.decode()
    assert PHONE_A not in html and "138****5678" in html
    assert ("unmask-contact-" in html) == full
    contact = zone.enterprise_a.contacts.get()
    shown = client.get(reverse("phone-unmask", args=["contact", contact.pk]))
    assert (shown.status_code, PHONE_A in shown.content.decode()) == ((200, True) if full else (404, False))
    api = client.get(f"/api/enterprises/{zone.enterprise_a.pk}", {"unmask": "true"}).json()["contacts"][0]["phone"]
    assert api == (PHONE_A if full else "138****5678")
    assert client.get(f"/api/enterprises/{zone.enterprise_a.pk}").json()["contacts"][0]["phone"] == "138****5678"
    unmasked = AuditRecord.objects.filter(event="view_personal", actor_username=zone.users[role].username).count()
    assert unmasked == (2 if full else 0)


def test_another_enterprises_contact_number_is_not_found(zone, client):
    client.force_login(zone.users["officer_a"])
    contact_b = zone.enterprise_b.contacts.get()
    assert client.get(reverse("phone-unmask", args=["contact", contact_b.pk])).status_code == 404


def test_the_enterprise_file_shows_each_entry_only_to_those_who_may_see_what_it_points_to(zone, client):
    """A case led by another department, and an inspection by another department, appear in enterprise A's
    file (一企一档) only for those whose own scope holds that case or inspection; the entries about the
    enterprise itself for everyone who sees the enterprise."""
    from zhuqi.cases.tests.factories import CaseFactory, CategoryFactory
    from zhuqi.enterprises.models import TimelineEntry, TimelineKind
    from zhuqi.inspections.models import Inspection
    from zhuqi.inspections.tests.factories import make_checklist
    from zhuqi.org.models import Department

    other = Department.objects.create(name="市场监督管理局")
    case = CaseFactory(
        enterprise=zone.enterprise_a, park=zone.park_a, reporter=zone.users["enterprise_a"], description="内部诉求",
        category=CategoryFactory(name="知识产权", department=other), status="assigned", lead_department=other,
        assigned_on="2026-11-02", deadline="2026-11-30",
    )  # fmt: skip
    checklist = make_checklist(other)
    inspection = Inspection.objects.create(
        enterprise=zone.enterprise_a, checklist_version=checklist.versions.get(), department=other,
        lead_inspector=zone.users["coordinator"], status=Inspection.Status.SUBMITTED,
    )  # fmt: skip
    for kind, key, pk, summary in [
        ("case", "case", case.pk, "事项摘要-保密"),
        ("inspection", "inspection", inspection.pk, "检查摘要-保密"),
        (TimelineKind.UPDATED, None, None, "企业信息变更"),
    ]:
        details = {key: pk} if key else {}
        TimelineEntry.objects.create(enterprise=zone.enterprise_a, kind=kind, summary=summary, details=details)
    seen = {}
    for role in sorted(SEES_A):
        client.force_login(zone.users[role])
        page = client.get(reverse("enterprise-detail", args=[zone.enterprise_a.pk])).content.decode()
        seen[role] = {s for s in ("事项摘要-保密", "检查摘要-保密", "企业信息变更") if s in page}
    assert seen == {
        "coordinator": {"事项摘要-保密", "检查摘要-保密", "企业信息变更"},
        "department": {"企业信息变更"},  # 应急管理局 neither leads the case nor made the inspection
        "officer_a": {"事项摘要-保密", "企业信息变更"},  # the park's cases; the inspection was not the park's
        "grid_a": {"企业信息变更"},
        "enterprise_a": {"事项摘要-保密", "检查摘要-保密", "企业信息变更"},
    }


def test_the_system_administrator_sees_no_enterprise_data_in_the_admin(zone, client):
    """The admin is the system administrator's (docs/security.md: no enterprise data). Every page of every
    model registered there, list and record, holds none of an enterprise's case, inspection, alarm, readings,
    contacts or safety officials; cases, enterprises, inspections and alarms have no page there at all."""
    import datetime

    from django.contrib import admin
    from django.utils import timezone

    from zhuqi.cases.tests.factories import CaseFactory
    from zhuqi.inspections.models import Inspection, ResponsibleOfficial, RiskPoint, Tier
    from zhuqi.inspections.tests.factories import make_checklist
    from zhuqi.monitoring.models import Alarm, MonitoringPoint
    from zhuqi.org.models import Department

    department = Department.objects.get(name="应急管理局")
    case = CaseFactory(enterprise=zone.enterprise_a, park=zone.park_a, reporter=zone.users["enterprise_a"],
                       description="车间消防通道被占用-机密")  # fmt: skip
    inspection = Inspection.objects.create(
        enterprise=zone.enterprise_a, checklist_version=make_checklist(department).versions.get(),
        lead_inspector=zone.users["department"], summary="储罐区报警联锁未投用-机密",
    )  # fmt: skip
    point = MonitoringPoint.objects.create(
        enterprise=zone.enterprise_a, code="PT-101", name="储罐压力", quantity="tank_pressure", unit="MPa", high_limit=1.6,
        last_value=1.987654, state="high",
    )  # fmt: skip
    now = timezone.now()
    alarm = Alarm.objects.create(point=point, enterprise=zone.enterprise_a, level="high", triggered_at=now,
                                 value=1.987654, peak_value=1.987654, acknowledge_by=now + datetime.timedelta(hours=1))  # fmt: skip
    RiskPoint.objects.create(enterprise=zone.enterprise_a, name="液氨储罐区-机密", level="major")
    ResponsibleOfficial.objects.create(enterprise=zone.enterprise_a, tier=list(Tier)[0], name="赵安全员",
                                       position="安全总监", phone="13700001111")  # fmt: skip
    secrets = ["车间消防通道被占用-机密", "储罐区报警联锁未投用-机密", "1.987654", "液氨储罐区-机密", "赵安全员",
               "13812345678", "1370000"]  # fmt: skip
    client.force_login(zone.users["sysadmin"])
    for model in (type(case), type(inspection), Alarm, type(zone.enterprise_a)):
        meta = model._meta
        obj = {"case": case, "inspection": inspection, "alarm": alarm}.get(meta.model_name, zone.enterprise_a)
        for url in (
            f"/admin/{meta.app_label}/{meta.model_name}/",
            f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/",
        ):
            assert client.get(url).status_code in (403, 404), url  # fmt: skip
    pages = [client.get(reverse("admin:index"))]
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_module_permission(pages[0].wsgi_request):
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(client.get(reverse(f"{name}_changelist")))
        first = model._default_manager.first()
        if first is not None:
            pages.append(client.get(reverse(f"{name}_change", args=[first.pk])))
    for page in pages:
        assert page.status_code in (200, 403), page.wsgi_request.path
        text = page.content.decode()
        assert [s for s in secrets if s in text] == [], page.wsgi_request.path
    assert client.get(reverse("admin:index")).content.decode().count(zone.enterprise_a.name) == 0
    found = client.get(reverse("admin:autocomplete"), {"app_label": "monitoring", "model_name": "monitoringpoint",
                                                       "field_name": "enterprise", "term": "森源"})  # fmt: skip
    assert [r["text"] for r in found.json()["results"]] == [zone.enterprise_a.name]
