"""Projects: milestones and stall colours in working days, a stage moved only with its evidence, a problem
raised as a case in one step, leads, and who sees which project."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhuqi.cases.models import Case
from zhuqi.core.errors import DomainError
from zhuqi.org.models import Role
from zhuqi.org.tests.factories import DepartmentFactory, UserFactory
from zhuqi.projects import selectors, services
from zhuqi.projects.models import Lead, LeadEvent, Milestone, Project, ProjectEvent, ProjectYear, Stage

# 2026-09-25 is a Friday; 2026-10-01 … 10-07 are the National Day holiday and 2026-10-10 (Saturday) a workday
FRIDAY = datetime.date(2026, 9, 25)


@pytest.fixture
def project(zone):
    department = DepartmentFactory(name="经济发展局")
    zone.users["economy"] = UserFactory(username="economy", role=Role.DEPARTMENT_HANDLER, department=department)
    p = Project.objects.create(name="森源电气智能开关柜扩能项目", owner=zone.enterprise_a, park=zone.park_a,
                               industry="电气装备", total_investment=Decimal(45000), department=department,
                               stage=Stage.SIGNED)  # fmt: skip
    Milestone.objects.create(project=p, stage=Stage.STARTED, planned_on=FRIDAY)
    zone.project = p
    return zone


@pytest.mark.parametrize(("today", "colour", "late"), [
    (FRIDAY, "green", 0),                       # the planned day itself
    (datetime.date(2026, 9, 28), "yellow", 1),  # Monday: one working day past
    (datetime.date(2026, 10, 8), "yellow", 4),  # 9-28 … 9-30, then the holiday, then 10-08: 4 working days
    (datetime.date(2026, 10, 15), "yellow", 10),
    (datetime.date(2026, 10, 16), "red", 11),
])  # fmt: skip
def test_stall_colours_count_working_days_past_the_next_milestone(project, today, colour, late):
    assert selectors.stall_colours([project.project], today=today)[project.project.pk] == (colour, late)


def test_a_stage_moves_only_with_evidence_and_keeps_its_history(project):
    p, economy = project.project, project.users["economy"]
    with pytest.raises(DomainError) as refused:
        services.project_advance(by=economy, project=p, evidence="  ", reached_on=FRIDAY, today=FRIDAY)
    assert refused.value.field == "evidence" and "施工许可证" in refused.value.message
    with pytest.raises(DomainError):
        services.project_advance(by=economy, project=p, evidence="施工许可证", reached_on=FRIDAY,
                                 today=FRIDAY - datetime.timedelta(days=1))  # fmt: skip
    services.project_advance(by=economy, project=p, evidence="施工许可证已取得", reached_on=FRIDAY, today=FRIDAY)
    p.refresh_from_db()
    assert p.stage == Stage.STARTED and p.version == 2
    milestone = Milestone.objects.get(project=p, stage=Stage.STARTED)
    assert milestone.actual_on == FRIDAY and milestone.evidence == "施工许可证已取得"
    assert list(ProjectEvent.objects.values_list("from_stage", "to_stage")) == [("signed", "started")]
    # a page that saw the old version cannot move it again
    with pytest.raises(DomainError):
        services.project_advance(by=economy, project=p, evidence="x", reached_on=FRIDAY, version=1, today=FRIDAY)
    # the next milestone has no plan yet: no colour
    assert selectors.stall_colours([p], today=FRIDAY)[p.pk] == ("", 0)


def test_only_the_responsible_department_the_park_or_the_zone_moves_a_project(project):
    p = project.project
    other = UserFactory(username="other_dept", role=Role.DEPARTMENT_HANDLER, department=DepartmentFactory())
    for user in (other, project.users["officer_b"], project.users["enterprise_a"]):
        with pytest.raises(DomainError):
            services.project_advance(by=user, project=p, evidence="证明", reached_on=FRIDAY, today=FRIDAY)
    services.project_advance(by=project.users["officer_a"], project=p, evidence="证明", reached_on=FRIDAY,
                             today=FRIDAY)  # fmt: skip


def test_a_problem_becomes_a_case_in_one_step(project):
    case = services.project_problem_raise(by=project.users["economy"], project=project.project,
                                          description="施工用电增容未批复")  # fmt: skip
    assert Case.objects.get(pk=case.pk).category.kind == "project_problem"
    assert case.enterprise == project.enterprise_a and "施工用电增容未批复" in case.description
    assert ProjectEvent.objects.get(action="problem").case_ref == case.number


def test_board_counts_and_scope(project, client):
    board = selectors.project_board(user=project.users["coordinator"])
    assert {s["stage"]: s["n"] for s in board["stages"]}["signed"] == 1
    assert [b["n"] for b in board["batches"]] == [1, 0, 0]
    client.force_login(project.users["officer_b"])
    assert project.project.name not in client.get(reverse("project-list")).content.decode()
    assert client.get(reverse("project-detail", args=[project.project.pk])).status_code == 404
    client.force_login(project.users["enterprise_a"])
    assert client.get(reverse("project-list")).status_code == 403
    client.force_login(project.users["officer_a"])
    page = client.get(reverse("project-list") + "?batch=reserve").content.decode()
    assert project.project.name in page
    answer = client.post(reverse("project-advance", args=[project.project.pk]),
                         {"reached_on": "2026-01-05", "evidence": "", "version": 1})  # fmt: skip
    assert "请提供证明材料" in answer.content.decode()


def test_a_lead_moves_along_its_short_pipeline(project):
    lead = Lead.objects.create(name="郑州大学材料学院", is_institute=True)
    services.lead_move(by=project.users["coordinator"], lead=lead, status="visited", visited_on=FRIDAY)
    with pytest.raises(DomainError):
        services.lead_move(by=project.users["coordinator"], lead=lead, status="contacted")
    with pytest.raises(DomainError):
        services.lead_move(by=project.users["officer_a"], lead=lead, status="talking")


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def test_a_park_records_its_project_with_planned_milestones_and_yearly_amounts(project, client):
    economy = project.project.department
    client.force_login(project.users["officer_a"])
    typed = {"name": "尼龙新材料中试基地", "industry": "尼龙新材料", "total_investment": "1200", "department": economy.pk,
             "park": project.park_b.pk, "owner": project.enterprise_a.pk, "plan_negotiating": "2026-11-02",
             "planned_2026": "300", "actual_2026": "abc"}  # fmt: skip
    page = client.post(reverse("project-new"), typed).content.decode()
    # another park is not among its choices; a word where an amount goes is refused beside it; nothing is lost
    assert "尼龙新材料中试基地" in page and "2026-11-02" in page and "万元" in page
    assert not Project.objects.filter(name="尼龙新材料中试基地").exists()
    answer = client.post(reverse("project-new"), {**typed, "park": project.park_a.pk, "actual_2026": "120.5"})
    made = Project.objects.get(name="尼龙新材料中试基地")
    assert answer.url == reverse("project-detail", args=[made.pk])
    assert made.park == project.park_a and made.stage == Stage.PLANNING
    assert Milestone.objects.get(project=made, stage=Stage.NEGOTIATING).planned_on == datetime.date(2026, 11, 2)
    assert ProjectYear.objects.get(project=made, year=2026).actual == Decimal("120.5")
    # a change moves the plan, records what changed, and a page that saw the old version is refused
    services.project_save(by=project.users["officer_a"], project=made, data={"land_mu": Decimal(40)},
                          planned={"negotiating": datetime.date(2026, 12, 1)}, years={}, version=1)  # fmt: skip
    assert "计划" in ProjectEvent.objects.filter(project=made, action="changed").get().evidence
    with pytest.raises(DomainError):
        services.project_save(by=project.users["officer_a"], project=made, data={}, planned={}, years={}, version=1)
    client.force_login(project.users["officer_b"])
    assert client.get(reverse("project-edit", args=[made.pk])).status_code == 404
    client.force_login(project.users["department"])  # another department sees the project but may not change it
    assert client.get(reverse("project-edit", args=[made.pk])).status_code == 403


def test_evidence_files_are_checked_by_their_bytes_and_open_only_for_who_sees_the_project(project, client):
    p = project.project
    client.force_login(project.users["economy"])
    fake = SimpleUploadedFile("许可证.jpg", b"not a photo at all", content_type="image/jpeg")
    page = client.post(reverse("project-advance", args=[p.pk]),
                       {"reached_on": "2026-01-05", "evidence": "施工许可证", "version": 1, "files": [fake]})  # fmt: skip
    assert "类型不允许上传" in page.content.decode() and "施工许可证" in page.content.decode()
    p.refresh_from_db()
    assert p.stage == Stage.SIGNED
    photo = SimpleUploadedFile("开工现场.png", PNG, content_type="image/png")
    client.post(reverse("project-advance", args=[p.pk]), {"reached_on": "2026-01-05", "version": 1, "files": [photo]})
    p.refresh_from_db()
    assert p.stage == Stage.STARTED and "开工现场.png" in p.events.get(action="advance").evidence
    detail = client.get(reverse("project-detail", args=[p.pk])).content.decode()
    evidence = selectors.evidence_of(p)[Milestone.objects.get(project=p, stage=Stage.STARTED).pk][0]
    assert reverse("project-evidence", args=[evidence.pk]) in detail
    assert client.get(reverse("project-evidence", args=[evidence.pk])).status_code == 200
    client.force_login(project.users["officer_b"])
    assert client.get(reverse("project-evidence", args=[evidence.pk])).status_code == 404


def test_a_lead_is_recorded_and_each_step_kept(project, client):
    client.force_login(project.users["officer_a"])
    assert client.get(reverse("lead-new")).status_code == 403
    client.force_login(project.users["economy"])
    assert "请填写" in client.post(reverse("lead-new"), {"industry": "新材料"}).content.decode()
    client.post(reverse("lead-new"), {"name": "郑州大学材料学院", "is_institute": "on", "industry": "新材料"})
    lead = Lead.objects.get(name="郑州大学材料学院")
    page = client.post(reverse("lead-move", args=[lead.pk]), {"status": "visited", "visited_on": "2099-01-01"})
    assert "不能晚于今天" in page.content.decode()
    client.post(reverse("lead-move", args=[lead.pk]), {"status": "visited", "note": "座谈，对方有意设中试基地"})
    lead.refresh_from_db()
    assert lead.status == "visited" and lead.visited_on is not None
    assert list(LeadEvent.objects.filter(lead=lead).values_list("to_status", flat=True)) == ["contacted", "visited"]
    assert "对方有意设中试基地" in client.get(reverse("lead-detail", args=[lead.pk])).content.decode()


def test_the_api_lists_a_users_projects_and_moves_one_a_stage_through_the_same_rules(project, client):
    p = project.project
    client.force_login(project.users["officer_b"])
    assert client.get("/api/projects/").json() == []
    assert client.get(f"/api/projects/{p.pk}").status_code == 404
    client.force_login(project.users["enterprise_a"])
    assert client.get("/api/projects/").status_code == 403
    client.force_login(project.users["department"])  # sees every project, moves only its department's
    [row] = client.get("/api/projects/?stage=signed").json()
    assert (row["name"], row["stage"], row["next_stage"]) == (p.name, "signed", "started")
    move = {"reached_on": "2026-01-05", "evidence": "施工许可证", "version": 1}
    assert client.post(f"/api/projects/{p.pk}/advance", move, content_type="application/json").status_code == 403
    client.force_login(project.users["economy"])
    refused = client.post(f"/api/projects/{p.pk}/advance", {**move, "evidence": " "}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["field"] == "evidence"
    moved = client.post(f"/api/projects/{p.pk}/advance", move, content_type="application/json").json()
    assert moved["stage"] == "started" and moved["milestones"][0]["actual_on"] == "2026-01-05"
    stale = client.post(f"/api/projects/{p.pk}/advance", move, content_type="application/json")
    assert stale.status_code == 409
    paths = set(client.get("/api/openapi.json").json()["paths"])
    assert {"/api/projects/", "/api/projects/{project_id}", "/api/projects/{project_id}/advance"} <= paths
