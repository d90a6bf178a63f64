"""Writes of the project library: a project recorded or changed (with its planned milestones and yearly amounts), a
stage moved with its evidence (the only code that moves a project), a problem raised as a case in one step, a lead
recorded and moved along its pipeline."""

from __future__ import annotations

import datetime
from decimal import Decimal
from enum import Enum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.cases.models import Category, Source
from zhuqi.cases.services import case_raise
from zhuqi.core.attachments import attachment_problem, attachment_store
from zhuqi.core.audit import audit_record, field_changes
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent

from . import selectors
from .models import (
    LEAD_NEXT,
    ORDER,
    PROBLEM_KIND,
    Lead,
    LeadEvent,
    LeadStatus,
    Milestone,
    Project,
    ProjectEvent,
    ProjectYear,
    Stage,
)
from .workflow import STEP_FROM

PROBLEM_CATEGORY = "项目推进问题"


class ProjectError(Enum):
    NOT_ALLOWED = "not_allowed"
    INVALID = "invalid"
    STALE = "stale"


PROJECT_FIELDS = ["name", "owner", "investor", "industry", "park", "total_investment", "land_mu", "energy_tce",
                  "department", "officer", "is_key"]  # fmt: skip


def _values(project: Project) -> dict:
    return {f: getattr(project, f) for f in PROJECT_FIELDS}


def _changed_words(changes: dict) -> str:
    """What changed, in the page's words: 用地（亩）、计划开工日期、2026 年投资."""
    labels = dict(Stage.choices)
    words = []
    for key in changes:
        if key.startswith("planned_"):
            words.append(_("planned date of %(stage)s") % {"stage": labels.get(key.removeprefix("planned_"), key)})
        elif key.startswith("year_"):
            words.append(_("investment of %(year)s") % {"year": key.removeprefix("year_")})
        else:
            words.append(str(Project._meta.get_field(key).verbose_name))
    return "、".join(words)


@transaction.atomic
def project_save(*, by, project: Project | None = None, data: dict, planned: dict[str, datetime.date | None],
                 years: dict[int, tuple[Decimal, Decimal]], version: int | None = None) -> Project:  # fmt: skip
    """A project recorded or changed: its particulars, the planned date of each stage not yet reached, and the
    planned and actual investment of each year (a year with neither is removed). The user must be able to move the
    project before and after (a department records its own, a park its own park's)."""
    if project is not None:
        project = Project.objects.select_for_update().get(pk=project.pk)
        if not selectors.can_move(by, project):
            raise DomainError(ProjectError.NOT_ALLOWED, _("You may not change this project"))
        if version is not None and version != project.version:
            raise DomainError(ProjectError.STALE, _("Someone changed this project meanwhile; look at it again"))
    elif not selectors.can_record_projects(by):
        raise DomainError(ProjectError.NOT_ALLOWED, _("You may not record projects"))
    before = _values(project) if project is not None else {}
    values = {**before, **data}
    owner = values.get("owner")
    if not owner and not (values.get("investor") or "").strip():
        raise DomainError(ProjectError.INVALID, _("Name the owner firm or the investor"), field="investor")
    park = values.get("park") or (owner.park if owner is not None else None)
    department = values.get("department")
    if not selectors.may_hold(by, department_id=getattr(department, "pk", None), park_id=getattr(park, "pk", None)):
        raise DomainError(ProjectError.INVALID, _("You may only record projects of your own department or park"),
                          field="park" if getattr(by, "park_id", None) else "department")  # fmt: skip
    name_taken = Project.objects.filter(name=(values.get("name") or "").strip())
    if project is not None:
        name_taken = name_taken.exclude(pk=project.pk)
    if name_taken.exists():
        raise DomainError(ProjectError.INVALID, _("A project of this name is already recorded"), field="name")
    project = project or Project(stage=ORDER[0])
    for field in PROJECT_FIELDS:
        if field in data:
            setattr(project, field, data[field])
    project.name, project.investor = project.name.strip(), (project.investor or "").strip()
    project.park = park
    created = project.pk is None
    project.save()
    changes = field_changes(before, _values(project))
    reached = set(project.milestones.filter(actual_on__isnull=False).values_list("stage", flat=True))
    at = ORDER.index(project.stage)
    plan_changes = {}
    for stage in ORDER[at + 1 :]:
        if stage in reached or stage not in planned:
            continue
        day = planned[stage]
        milestone = project.milestones.filter(stage=stage).first()
        old = milestone.planned_on if milestone else None
        if day is None:
            if milestone is not None:
                milestone.delete()
        elif milestone is None:
            Milestone.objects.create(project=project, stage=stage, planned_on=day)
        elif old != day:
            milestone.planned_on = day
            milestone.save(update_fields=["planned_on"])
        if old != day:
            plan_changes[f"planned_{stage}"] = [str(old) if old else None, str(day) if day else None]
    for year, (plan, actual) in years.items():
        if not plan and not actual:
            deleted, _rows = ProjectYear.objects.filter(project=project, year=year).delete()
            if deleted:
                plan_changes[f"year_{year}"] = ["…", None]
            continue
        row, _made = ProjectYear.objects.get_or_create(project=project, year=year)
        if (row.planned, row.actual) != (plan or 0, actual or 0):
            plan_changes[f"year_{year}"] = [f"{row.planned}/{row.actual}", f"{plan or 0}/{actual or 0}"]
            row.planned, row.actual = plan or 0, actual or 0
            row.save(update_fields=["planned", "actual"])
    changes.update(plan_changes)
    if changes and not created:  # a page that saw the project before this change cannot overwrite it
        project.version += 1
        project.save(update_fields=["version"])
    if created or changes:
        ProjectEvent.objects.create(project=project, action="recorded" if created else "changed",
                                    evidence="" if created else _changed_words(changes), actor=by)  # fmt: skip
        audit_record(actor=by, event=AuditEvent.CREATE if created else AuditEvent.UPDATE, obj=project,
                     changes=changes)  # fmt: skip
    return project


@transaction.atomic
def project_advance(*, by, project: Project, evidence: str, reached_on: datetime.date, version: int | None = None,
                    today: datetime.date | None = None, files=()) -> Project:  # fmt: skip
    """The next stage reached: its milestone dated and its evidence kept (a description, photos or PDFs checked
    by their bytes); nothing moves without evidence."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not selectors.can_move(by, project):
        raise DomainError(ProjectError.NOT_ALLOWED, _("You may not move this project"))
    if version is not None and version != project.version:
        raise DomainError(ProjectError.STALE, _("Someone moved this project meanwhile; look at it again"))
    step = STEP_FROM.get(project.stage)
    if step is None:
        raise DomainError(ProjectError.INVALID, _("This project has reached its last stage"))
    files = list(files)
    if not (evidence or "").strip() and not files:
        raise DomainError(ProjectError.INVALID, _("Give the evidence: %(needs)s") % {"needs": step.needs},
                          field="evidence")  # fmt: skip
    for upload in files:
        problem = attachment_problem(upload)
        if problem:
            raise DomainError(ProjectError.INVALID, problem, field="files")
    if reached_on is None or reached_on > (today or timezone.localdate()):
        raise DomainError(ProjectError.INVALID, _("Give the date it was reached, not later than today"),
                          field="reached_on")  # fmt: skip
    milestone, _created = Milestone.objects.get_or_create(project=project, stage=step.target,
                                                          defaults={"planned_on": reached_on})  # fmt: skip
    milestone.actual_on, milestone.evidence = reached_on, (evidence or "").strip()
    milestone.save(update_fields=["actual_on", "evidence"])
    names = [attachment_store(owner=milestone, upload=upload, by=by).original_name for upload in files]
    old = project.stage
    project.stage, project.version = step.target, project.version + 1
    project.save(update_fields=["stage", "version"])
    kept = "；".join(x for x in [(evidence or "").strip(), "、".join(names)] if x)
    ProjectEvent.objects.create(project=project, action="advance", from_stage=old, to_stage=step.target,
                                evidence=kept, actor=by)  # fmt: skip
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


LEAD_FIELDS = ["name", "is_institute", "industry", "note"]


@transaction.atomic
def lead_save(*, by, lead: Lead | None = None, data: dict) -> Lead:
    """A lead recorded (接触) or its particulars changed; its steps are moved by lead_move."""
    if not selectors.can_move_leads(by):
        raise DomainError(ProjectError.NOT_ALLOWED, _("You may not record leads"))
    if not (data.get("name") or "").strip():
        raise DomainError(ProjectError.INVALID, _("Name the target firm or institute"), field="name")
    created = lead is None
    lead = Lead() if created else Lead.objects.select_for_update().get(pk=lead.pk)
    before = {f: getattr(lead, f) for f in LEAD_FIELDS} if not created else {}
    for field in LEAD_FIELDS:
        if field in data:
            setattr(lead, field, data[field].strip() if isinstance(data[field], str) else data[field])
    lead.save()
    changes = field_changes(before, {f: getattr(lead, f) for f in LEAD_FIELDS})
    if created:
        LeadEvent.objects.create(lead=lead, to_status=lead.status, note=lead.note, actor=by)
    if created or changes:
        audit_record(actor=by, event=AuditEvent.CREATE if created else AuditEvent.UPDATE, obj=lead, changes=changes)
    return lead


@transaction.atomic
def lead_move(*, by, lead: Lead, status: str, note: str = "", visited_on: datetime.date | None = None,
              project: Project | None = None) -> Lead:  # fmt: skip
    """A lead's next step (拜访, 洽谈, 转为项目 with the project it became, or 放弃), kept as a step of its history."""
    if not selectors.can_move_leads(by):
        raise DomainError(ProjectError.NOT_ALLOWED, _("You may not move leads"))
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if status not in LEAD_NEXT.get(lead.status, []):
        raise DomainError(ProjectError.INVALID, _("A lead cannot go there from where it is"), field="status")
    if visited_on is not None and visited_on > timezone.localdate():
        raise DomainError(
            ProjectError.INVALID, _("The date of the visit cannot be later than today"), field="visited_on"
        )
    old, lead.status = lead.status, status
    if note.strip():
        lead.note = (lead.note + "\n" if lead.note else "") + note.strip()
    if visited_on:
        lead.visited_on = visited_on
    if status == LeadStatus.PROJECT and project is not None:
        lead.project = project
    lead.save()
    LeadEvent.objects.create(lead=lead, from_status=old, to_status=status, note=note.strip(), actor=by)
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=lead, changes={"status": [old, status]})
    return lead
