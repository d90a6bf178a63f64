"""Writes of the project library: a stage moved with its evidence (the only code that moves a project), a
problem raised as a case in one step, a lead moved along its pipeline."""

from __future__ import annotations

import datetime
from enum import Enum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.cases.models import Category, Source
from zhuqi.cases.services import case_raise
from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent

from . import selectors
from .models import LEAD_NEXT, PROBLEM_KIND, Lead, Milestone, Project, ProjectEvent
from .workflow import STEP_FROM

PROBLEM_CATEGORY = "项目推进问题"


class ProjectError(Enum):
    NOT_ALLOWED = "not_allowed"
    INVALID = "invalid"
    STALE = "stale"


@transaction.atomic
def project_advance(*, by, project: Project, evidence: str, reached_on: datetime.date, version: int | None = None,
                    today: datetime.date | None = None) -> Project:  # fmt: skip
    """The next stage reached: its milestone dated and its evidence kept; nothing moves without evidence."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not selectors.can_move(by, project):
        raise DomainError(ProjectError.NOT_ALLOWED, _("You may not move this project"))
    if version is not None and version != project.version:
        raise DomainError(ProjectError.STALE, _("Someone moved this project meanwhile; look at it again"))
    step = STEP_FROM.get(project.stage)
    if step is None:
        raise DomainError(ProjectError.INVALID, _("This project has reached its last stage"))
    if not (evidence or "").strip():
        raise DomainError(ProjectError.INVALID, _("Give the evidence: %(needs)s") % {"needs": step.needs},
                          field="evidence")  # fmt: skip
    if reached_on is None or reached_on > (today or timezone.localdate()):
        raise DomainError(ProjectError.INVALID, _("Give the date it was reached, not later than today"),
                          field="reached_on")  # fmt: skip
    milestone, _created = Milestone.objects.get_or_create(project=project, stage=step.target,
                                                          defaults={"planned_on": reached_on})  # fmt: skip
    milestone.actual_on, milestone.evidence = reached_on, evidence.strip()
    milestone.save(update_fields=["actual_on", "evidence"])
    old = project.stage
    project.stage, project.version = step.target, project.version + 1
    project.save(update_fields=["stage", "version"])
    ProjectEvent.objects.create(project=project, action="advance", from_stage=old, to_stage=step.target,
                                evidence=evidence.strip(), actor=by)  # fmt: skip
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=project, changes={"stage": [old, step.target]})
    return project


@transaction.atomic
def project_problem_raise(*, by, project: Project, description: str):
    """A project's problem becomes a case of the closed loop in one step, with the project's department owning it."""
    if not selectors.can_move(by, project):
        raise DomainError(ProjectError.NOT_ALLOWED, _("You may not raise problems of this project"))
    if not (description or "").strip():
        raise DomainError(ProjectError.INVALID, _("Describe the problem"), field="description")
    category, _created = Category.objects.get_or_create(
        kind=PROBLEM_KIND, name=PROBLEM_CATEGORY, defaults={"department": project.department, "deadline_workdays": 10}
    )
    case = case_raise(by=by, category=category, source=Source.VISIT, enterprise=project.owner,
                      description=f"【{project.name}】{description.strip()}")  # fmt: skip
    ProjectEvent.objects.create(project=project, action="problem", evidence=description.strip(),
                                case_ref=case.number, actor=by)  # fmt: skip
    return case


@transaction.atomic
def lead_move(*, by, lead: Lead, status: str, note: str = "", visited_on: datetime.date | None = None) -> Lead:
    if not selectors.can_move_leads(by):
        raise DomainError(ProjectError.NOT_ALLOWED, _("You may not move leads"))
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if status not in LEAD_NEXT.get(lead.status, []):
        raise DomainError(ProjectError.INVALID, _("A lead cannot go there from where it is"), field="status")
    lead.status = status
    if note.strip():
        lead.note = (lead.note + "\n" if lead.note else "") + note.strip()
    if visited_on:
        lead.visited_on = visited_on
    lead.save()
    return lead
