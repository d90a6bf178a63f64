"""Projects: milestones and stall colours in working days, a stage moved only with its evidence, a problem
raised as a case in one step, leads, and who sees which project."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from zhuqi.cases.models import Case
from zhuqi.core.errors import DomainError
from zhuqi.org.models import Role
from zhuqi.org.tests.factories import DepartmentFactory, UserFactory
from zhuqi.projects import selectors, services
from zhuqi.projects.models import Lead, Milestone, Project, ProjectEvent, Stage

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
