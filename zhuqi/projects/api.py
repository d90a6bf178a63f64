"""The project library through the API (registered under /api/projects), read from the same selectors and scopes as
the pages: the list with each project's stage and stall colour, a project with its milestones, years and history,
and moving a project a stage through the same service (a page's version guards against a move made meanwhile)."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from zhuqi.core.api_types import Day, PathId
from zhuqi.core.errors import DomainError

from . import selectors, services
from .models import BATCHES, Stage
from .services import ProjectError
from .workflow import STEP_FROM

router = Router(tags=["projects 项目库"])


class ProjectOut(Schema):
    id: int
    name: str
    owner_id: int | None
    owner: str
    investor: str
    industry: str
    park: str
    total_investment: Decimal
    land_mu: Decimal | None
    energy_tce: Decimal | None
    department: str
    officer: str
    stage: str
    stage_label: str
    next_stage: str | None
    is_key: bool
    colour: str  # green / yellow / red against the next milestone's planned date, "" without one
    workdays_late: int
    version: int


class MilestoneOut(Schema):
    stage: str
    planned_on: datetime.date
    actual_on: datetime.date | None
    evidence: str
    files: list[str]


class YearOut(Schema):
    year: int
    planned: Decimal
    actual: Decimal


class EventOut(Schema):
    action: str
    from_stage: str
    to_stage: str
    evidence: str
    case_ref: str
    at: datetime.datetime


class ProjectDetailOut(ProjectOut):
    evidence_needed: str
    milestones: list[MilestoneOut]
    years: list[YearOut]
    events: list[EventOut]


class ProjectFilter(Schema):
    stage: Stage | None = None
    batch: Annotated[str, Field(max_length=12)] = ""


class AdvanceIn(Schema):
    reached_on: Day
    evidence: Annotated[str, Field(max_length=2000)]
    version: int | None = Field(None, ge=1, le=2**31)


def _staff_only(request):
    if not selectors.can_see_projects(request.user):
        raise DomainError(ProjectError.NOT_ALLOWED, _("You may not see the project library"))


def _row(project, colour: str, late: int) -> dict:
    step = STEP_FROM.get(project.stage)
    officer = project.officer
    return {
        "id": project.pk, "name": project.name, "owner_id": project.owner_id,
        "owner": project.owner.name if project.owner_id else "", "investor": project.investor,
        "industry": project.industry, "park": project.park.name if project.park_id else "",
        "total_investment": project.total_investment, "land_mu": project.land_mu, "energy_tce": project.energy_tce,
        "department": project.department.name, "officer": (officer.full_name or officer.username) if officer else "",
        "stage": project.stage, "stage_label": str(project.get_stage_display()),
        "next_stage": step.target if step else None, "is_key": project.is_key, "colour": colour,
        "workdays_late": late, "version": project.version,
    }  # fmt: skip


def _project(request, project_id: int):
    _staff_only(request)
    try:
        return selectors.project_get_for_user(user=request.user, pk=project_id)
    except ObjectDoesNotExist:
        raise Http404 from None


def _detail(project) -> dict:
    colour, late = selectors.stall_colours([project], today=timezone.localdate())[project.pk]
    files = selectors.evidence_of(project)
    step = STEP_FROM.get(project.stage)
    return {
        **_row(project, colour, late), "evidence_needed": step.needs if step else "",
        "milestones": [{"stage": m.stage, "planned_on": m.planned_on, "actual_on": m.actual_on, "evidence": m.evidence,
                        "files": [a.original_name for a in files.get(m.pk, [])]}
                       for m in selectors.milestones_of(project)],
        "years": list(project.years.order_by("year").values("year", "planned", "actual")),
        "events": list(project.events.values("action", "from_stage", "to_stage", "evidence", "case_ref", "at")),
    }  # fmt: skip


@router.get("/", response=list[ProjectOut], summary="项目库：各项目所处阶段与进度颜色（可按阶段、批次筛选）")
def project_list(request, filters: Query[ProjectFilter]):
    _staff_only(request)
    batch = filters.batch if filters.batch in BATCHES else ""
    rows = selectors.project_list(user=request.user, stage=filters.stage or "", batch=batch,
                                  today=timezone.localdate())  # fmt: skip
    return [_row(p, colour, late) for p, colour, late in rows]


@router.get("/{project_id}", response=ProjectDetailOut, summary="项目详情：节点（计划与实际）、分年度投资、推进记录")
def project_detail(request, project_id: PathId):
    return _detail(_project(request, project_id))


@router.post("/{project_id}/advance", response=ProjectDetailOut, summary="项目推进到下一阶段（须有证明材料）")
def project_advance(request, project_id: PathId, payload: AdvanceIn):
    project = _project(request, project_id)
    services.project_advance(by=request.user, project=project, evidence=payload.evidence,
                             reached_on=payload.reached_on, version=payload.version)  # fmt: skip
    return _detail(selectors.project_get_for_user(user=request.user, pk=project.pk))
