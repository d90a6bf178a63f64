"""Reads of the project library: who sees which project, the board's counts and amounts per stage, batch and year
(GROUP BY in SQL), the stall colour of each project in working days, the timelines."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from zhuqi.core.models import Attachment
from zhuqi.core.scopes import _role, colleagues_of, enterprises_visible_to
from zhuqi.core.workdays import workdays_left
from zhuqi.org.models import Department, Park, Role

from .models import BATCHES, ORDER, Lead, Milestone, Project, ProjectYear, Stage

YELLOW_AFTER = 0  # working days past the next milestone's planned date: yellow from the first
RED_AFTER = 10  # and red after two working weeks, as a case past its deadline


def can_see_projects(user) -> bool:
    return _role(user) in {Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER}


def projects_visible_to(user) -> QuerySet:
    role = _role(user)
    if role in (Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER):
        return Project.objects.all()
    if role == Role.PARK_OFFICER and user.park_id:
        return Project.objects.filter(park_id=user.park_id)
    if role == Role.ENTERPRISE_CONTACT and user.enterprise_id:
        return Project.objects.filter(owner_id=user.enterprise_id)
    return Project.objects.none()


def leads_visible_to(user) -> QuerySet:
    return Lead.objects.all() if can_see_projects(user) else Lead.objects.none()


def can_move(user, project: Project) -> bool:
    role = _role(user)
    if role == Role.ZONE_COORDINATOR:
        return True
    if role == Role.DEPARTMENT_HANDLER:
        return user.department_id == project.department_id
    return role == Role.PARK_OFFICER and user.park_id is not None and user.park_id == project.park_id


def can_move_leads(user) -> bool:
    return _role(user) in {Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER}


def can_record_projects(user) -> bool:
    return can_see_projects(user)


def may_hold(user, *, department_id: int | None, park_id: int | None) -> bool:
    """Whether a project with this department and park stays one the user may move: the zone office records any, a
    department its own, a park its own park's (as can_move answers for a saved project)."""
    role = _role(user)
    if role == Role.ZONE_COORDINATOR:
        return True
    if role == Role.DEPARTMENT_HANDLER:
        return department_id is not None and department_id == user.department_id
    return role == Role.PARK_OFFICER and park_id is not None and park_id == user.park_id


def project_choices(user) -> dict[str, QuerySet]:
    """What the project form offers this user: the firms it sees as owners, the departments and parks it may
    record projects for, and the officers who may answer for them (its colleagues and itself)."""
    role = _role(user)
    departments = Department.objects.order_by("name")
    parks = Park.objects.order_by("name")
    if role == Role.DEPARTMENT_HANDLER:
        departments = departments.filter(pk=user.department_id)
    if role == Role.PARK_OFFICER:
        parks = parks.filter(pk=user.park_id)
    officers = get_user_model().objects.filter(
        Q(pk=getattr(user, "pk", None)) | Q(pk__in=colleagues_of(user).values("pk"))
    )
    return {"owners": enterprises_visible_to(user).order_by("name"), "departments": departments, "parks": parks,
            "officers": officers.order_by("full_name")}  # fmt: skip


def evidence_of(project: Project) -> dict[int, list[Attachment]]:
    """{milestone id: its evidence files} in one query."""
    found: dict[int, list[Attachment]] = {}
    ids = list(project.milestones.values_list("pk", flat=True))
    rows = Attachment.objects.filter(owner_type=Milestone._meta.label_lower, owner_id__in=ids).order_by("pk")
    for attachment in rows:
        found.setdefault(attachment.owner_id, []).append(attachment)
    return found


def evidence_get_for_user(*, user, pk: int) -> Attachment:
    """A milestone's evidence file, for a user who sees its project (404 alike for missing and forbidden)."""
    attachment = Attachment.objects.get(pk=pk, owner_type=Milestone._meta.label_lower)
    Milestone.objects.get(pk=attachment.owner_id, project__in=projects_visible_to(user).values("pk"))
    return attachment


def lead_get_for_user(*, user, pk: int) -> Lead:
    return leads_visible_to(user).select_related("project").get(pk=pk)


def next_stage(stage: str) -> str | None:
    at = ORDER.index(stage)
    return ORDER[at + 1] if at + 1 < len(ORDER) else None


def stall_colours(projects: list[Project], *, today: datetime.date) -> dict[int, tuple[str, int]]:
    """{project id: (colour, working days late)}: the next stage's milestone planned date against today — green on
    time, yellow once past it, red more than RED_AFTER working days past (one calendar load for the page)."""
    wanted = {p.pk: next_stage(p.stage) for p in projects}
    planned = {
        (m.project_id): m.planned_on
        for m in Milestone.objects.filter(project__in=[p.pk for p in projects], actual_on__isnull=True)
        if wanted.get(m.project_id) == m.stage
    }
    left = workdays_left(today, list(set(planned.values())))
    found = {}
    for p in projects:
        day = planned.get(p.pk)
        if day is None:
            found[p.pk] = ("", 0)
            continue
        late = -left[day]
        found[p.pk] = ("red" if late > RED_AFTER else "yellow" if late > YELLOW_AFTER else "green", max(late, 0))
    return found


def project_list(*, user, stage: str = "", batch: str = "", year: int | None = None, today: datetime.date):
    qs = projects_visible_to(user).select_related("owner", "department", "officer", "park")
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    if batch in BATCHES:
        qs = qs.filter(stage__in=BATCHES[batch][1])
    if year:
        qs = qs.filter(years__year=year, years__planned__gt=0)
    projects = list(qs.order_by("-is_key", "name").distinct())
    colours = stall_colours(projects, today=today)
    return [(p, *colours[p.pk]) for p in projects]


def project_board(*, user) -> dict:
    """Counts and amounts per stage, per batch (谋划储备 / 开工实施 / 投产见效) and planned vs actual per year."""
    visible = projects_visible_to(user)
    by_stage = {
        r["stage"]: r
        for r in visible.order_by().values("stage").annotate(n=Count("pk"), amount=Sum("total_investment"))
    }
    stages = [{"stage": s, "label": label, "n": by_stage.get(s, {}).get("n", 0),
               "total": by_stage.get(s, {}).get("amount") or 0} for s, label in Stage.choices]  # fmt: skip
    batches = [{"key": key, "label": label, "n": sum(x["n"] for x in stages if x["stage"] in members),
                "total": sum(x["total"] for x in stages if x["stage"] in members)}
               for key, (label, members) in BATCHES.items()]  # fmt: skip
    years = list(ProjectYear.objects.filter(project__in=visible.values("pk")).values("year")
                 .annotate(planned_sum=Sum("planned"), actual_sum=Sum("actual"),
                           n=Count("project", distinct=True, filter=Q(planned__gt=0)))
                 .order_by("year"))  # fmt: skip
    return {"stages": stages, "batches": batches, "years": years, "key": visible.filter(is_key=True).count()}


def project_get_for_user(*, user, pk: int) -> Project:
    return projects_visible_to(user).select_related("owner", "department", "officer", "park").get(pk=pk)


def milestones_of(project: Project) -> list[Milestone]:
    order = {s: i for i, s in enumerate(ORDER)}
    return sorted(project.milestones.all(), key=lambda m: order[m.stage])


def timeline(projects: list[Project], *, today: datetime.date) -> dict:
    """ECharts rows: per project (portfolio) or per milestone (one project), a planned bar and an actual bar."""
    rows, planned, actual = [], [], []
    if len(projects) == 1:
        project = projects[0]
        previous_plan = previous_actual = None
        for i, m in enumerate(milestones_of(project)):
            rows.append(m.get_stage_display())
            start = previous_plan or m.planned_on - datetime.timedelta(days=30)
            planned.append([i, str(start), str(m.planned_on)])
            if m.actual_on:
                actual.append([i, str(previous_actual or m.actual_on - datetime.timedelta(days=30)), str(m.actual_on)])
                previous_actual = m.actual_on
            previous_plan = m.planned_on
    else:
        spans = {r["project"]: r for r in Milestone.objects.filter(project__in=[p.pk for p in projects]).values(
            "project").annotate(p0=Min("planned_on"), p1=Max("planned_on"), a0=Min("actual_on"), a1=Max("actual_on"))}  # fmt: skip
        for i, p in enumerate(projects):
            rows.append(p.name)
            span = spans.get(p.pk)
            if span:
                planned.append([i, str(span["p0"]), str(span["p1"])])
                if span["a0"]:
                    actual.append([i, str(span["a0"]), str(span["a1"] if p.stage == Stage.FULL else today)])
    return {"rows": rows, "planned": planned, "actual": actual, "today": str(today)}


def leads(*, user) -> QuerySet:
    return leads_visible_to(user).select_related("project")
