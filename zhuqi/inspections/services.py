"""Writes for inspections: checklist versions, campaigns and their split among teams, and the inspection
record from its start on a phone to its submission, when each hazard found becomes a case."""

import base64
import binascii
import datetime
from dataclasses import dataclass, field
from enum import Enum

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core.attachments import attachment_problem, attachment_store
from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import Attachment, AuditEvent
from zhuqi.enterprises.models import TimelineEntry
from zhuqi.enterprises.services import people_of_deleted_enterprises_anonymise
from zhuqi.org.models import Role

from .hazards import hazard_record
from .models import (
    TIMELINE_KIND,
    Answer,
    Campaign,
    CampaignTarget,
    CampaignTeam,
    Checklist,
    ChecklistItem,
    ChecklistVersion,
    HazardGrade,
    Inspection,
    Outcome,
    ResponsibleOfficial,
    RiskColour,
    Severity,
)
from .selectors import inspectors_of, may_inspect


class InspectionError(Enum):
    NOT_ALLOWED = "not_allowed"
    INVALID = "invalid"
    WRONG_STATUS = "wrong_status"


SIGNATURE_MAX_BYTES = 300 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# the grade and colour a failed item proposes; the inspector may change both
PROPOSED = {
    Severity.GENERAL: (HazardGrade.GENERAL, RiskColour.YELLOW),
    Severity.SERIOUS: (HazardGrade.GENERAL, RiskColour.ORANGE),
    Severity.MAJOR: (HazardGrade.MAJOR, RiskColour.RED),
}


@transaction.atomic
def checklist_publish(*, by, checklist: Checklist, items: list[dict], note: str = "") -> ChecklistVersion:
    """A new version of the checklist with these items; inspections made with earlier versions keep theirs."""
    if not items:
        raise DomainError(InspectionError.INVALID, _("A checklist needs at least one item"), field="items")
    for n, item in enumerate(items, start=1):
        if not (item.get("text") or "").strip():
            raise DomainError(InspectionError.INVALID, _("Item %(n)d says nothing to check") % {"n": n}, field="items")
        if item.get("severity", Severity.GENERAL) not in Severity.values:
            raise DomainError(InspectionError.INVALID, _("Item %(n)d has no valid severity") % {"n": n}, field="items")
    Checklist.objects.select_for_update().get(pk=checklist.pk)
    number = (checklist.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ChecklistVersion.objects.create(checklist=checklist, number=number, note=note[:200], published_by=by)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            version=version,
            position=n,
            section=(item.get("section") or "")[:30],
            text=item["text"].strip()[:300],
            legal_basis=(item.get("legal_basis") or "")[:300],
            severity=item.get("severity", Severity.GENERAL),
        )
        for n, item in enumerate(items, start=1)
    )
    audit_record(actor=by, event=AuditEvent.CREATE, obj=version)
    return version


@dataclass
class TeamPlan:
    name: str
    members: list = field(default_factory=list)
    leader: object = None


@transaction.atomic
def campaign_create(
    *, by, name: str, checklist: Checklist, starts_on: datetime.date, ends_on: datetime.date, enterprises,
    teams: list[TeamPlan], targets_described: str = "",
) -> Campaign:  # fmt: skip
    """专项检查: the targets chosen by a filter, split among the teams in the order of park and name (分包)."""
    if by.role not in (Role.DEPARTMENT_HANDLER, Role.ZONE_COORDINATOR):
        raise DomainError(InspectionError.NOT_ALLOWED, _("Campaigns are planned by a department or the zone office"))
    name = (name or "").strip()
    if not name:
        raise DomainError(InspectionError.INVALID, _("Name the campaign"), field="name")
    if ends_on < starts_on:
        raise DomainError(InspectionError.INVALID, _("The campaign ends before it starts"), field="ends_on")
    if not checklist.is_active or checklist.current_version is None:
        raise DomainError(InspectionError.INVALID, _("This checklist is not in use"), field="checklist")
    teams = [t for t in teams if t.name.strip() or t.members]
    if not teams or any(not t.members for t in teams):
        raise DomainError(InspectionError.INVALID, _("Each team needs at least one member"), field="teams")
    names = [t.name.strip() or _("Team %(n)d") % {"n": n} for n, t in enumerate(teams, start=1)]
    if len(set(names)) != len(names):
        raise DomainError(InspectionError.INVALID, _("Give each team its own name"), field="teams")
    allowed = set(inspectors_of(by).values_list("pk", flat=True)) | {by.pk}
    if any(member.pk not in allowed for team in teams for member in team.members):
        raise DomainError(InspectionError.INVALID, _("Team members come from your own unit"), field="teams")
    targets = list(enterprises.order_by("park__sort_order", "park__name", "name"))
    if not targets:
        raise DomainError(InspectionError.INVALID, _("No enterprise matches the targets chosen"), field="targets")
    campaign = Campaign.objects.create(
        name=name[:100],
        department=by.department or checklist.department,
        checklist=checklist,
        starts_on=starts_on,
        ends_on=ends_on,
        targets_described=targets_described[:300],
        created_by=by,
    )
    made = []
    for team_name, plan in zip(names, teams, strict=True):
        team = CampaignTeam.objects.create(
            campaign=campaign, name=team_name[:40], leader=plan.leader or plan.members[0]
        )
        team.members.set(plan.members)
        made.append(team)
    # contiguous shares keep a team's firms near each other; the first teams take one more when it does not divide
    share, extra = divmod(len(targets), len(made))
    rows, start = [], 0
    for n, team in enumerate(made):
        size = share + (1 if n < extra else 0)
        rows += [CampaignTarget(campaign=campaign, enterprise=e, team=team) for e in targets[start : start + size]]
        start += size
    CampaignTarget.objects.bulk_create(rows)
    audit_record(actor=by, event=AuditEvent.CREATE, obj=campaign)
    return campaign


@transaction.atomic
def campaign_assign(*, by, target: CampaignTarget, team: CampaignTeam | None) -> CampaignTarget:
    if by.pk != target.campaign.created_by_id and not (
        by.role == Role.DEPARTMENT_HANDLER and by.department_id == target.campaign.department_id
    ):
        raise DomainError(InspectionError.NOT_ALLOWED, _("Only the campaign's department changes its split"))
    if team is not None and team.campaign_id != target.campaign_id:
        raise DomainError(InspectionError.INVALID, _("Choose one of this campaign's teams"), field="team")
    target.team = team
    target.save(update_fields=["team"])
    return target


@transaction.atomic
def inspection_start(
    *, by, enterprise, checklist: Checklist, campaign: Campaign | None = None, inspected_on: datetime.date | None = None
) -> Inspection:
    """A draft record with one blank answer per item of the checklist's current version."""
    if not may_inspect(by, enterprise):
        raise DomainError(InspectionError.NOT_ALLOWED, _("You may not inspect this enterprise"))
    version = checklist.current_version
    if not checklist.is_active or version is None:
        raise DomainError(InspectionError.INVALID, _("This checklist is not in use"), field="checklist")
    if campaign is not None:
        if not campaign.targets.filter(enterprise=enterprise).exists():
            raise DomainError(InspectionError.INVALID, _("This enterprise is not one of the campaign's targets"))
        checklist = campaign.checklist
        version = checklist.current_version
    inspected_on = inspected_on or timezone.localdate()
    if inspected_on > timezone.localdate():
        raise DomainError(InspectionError.INVALID, _("The date cannot be later than today"), field="inspected_on")
    inspection = Inspection.objects.create(
        enterprise=enterprise,
        checklist_version=version,
        campaign=campaign,
        department=by.department or (campaign.department if campaign else None),
        park=enterprise.park,
        inspected_on=inspected_on,
        lead_inspector=by,
    )
    inspection.inspectors.set([by])
    Answer.objects.bulk_create(Answer(inspection=inspection, item=item) for item in version.items.all())
    return inspection


@dataclass
class AnswerInput:
    outcome: str = ""
    note: str = ""
    photos: list = field(default_factory=list)
    # for a hazard
    description: str = ""
    grade: str = ""
    colour: str = ""
    place: str = ""
    deadline: datetime.date | None = None


def _signature(data_url: str, label: str) -> ContentFile | None:
    if not data_url:
        return None
    head, _sep, payload = data_url.partition(",")
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if head != "data:image/png;base64" or not raw.startswith(PNG_MAGIC) or len(raw) > SIGNATURE_MAX_BYTES:
        raise DomainError(
            InspectionError.INVALID, _("The %(who)s signature could not be read; sign again") % {"who": label}
        )
    return ContentFile(raw)


def _editable(by, inspection: Inspection) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status != Inspection.Status.DRAFT:
        raise DomainError(
            InspectionError.WRONG_STATUS, _("This inspection has been submitted and can no longer change")
        )
    if by.pk != inspection.lead_inspector_id and not inspection.inspectors.filter(pk=by.pk).exists():
        raise DomainError(InspectionError.NOT_ALLOWED, _("Only the inspectors who made it fill in this record"))
    return inspection


def _save_answers(by, inspection: Inspection, answers: dict[int, AnswerInput]) -> dict[int, Answer]:
    """Outcomes, notes and photos as they stand; photos belong to the answer from the moment they arrive."""
    rows = {a.item_id: a for a in inspection.answers.select_related("item")}
    for item_id, given in answers.items():
        if item_id not in rows:
            raise DomainError(InspectionError.INVALID, _("An answer does not belong to this checklist"))
        if given.outcome and given.outcome not in Outcome.values:
            raise DomainError(InspectionError.INVALID, _("Choose passed, hazard or not applicable"))
        for upload in given.photos:
            problem = attachment_problem(upload)
            if problem:
                raise DomainError(InspectionError.INVALID, problem, field=f"photos_{item_id}")
        rows[item_id].outcome, rows[item_id].note = given.outcome, given.note.strip()[:500]
    Answer.objects.bulk_update(rows.values(), ["outcome", "note"])
    for item_id, given in answers.items():
        for upload in given.photos:
            attachment_store(owner=rows[item_id], upload=upload, by=by)
    return rows


@transaction.atomic
def inspection_save(*, by, inspection: Inspection, answers: dict[int, AnswerInput], inspectors=(),
                    representative: str = "", summary: str = "") -> Inspection:  # fmt: skip
    """保存: the draft as it stands, so a poor signal or a break loses nothing."""
    inspection = _editable(by, inspection)
    _save_answers(by, inspection, answers)
    _set_people(by, inspection, inspectors, representative, summary)
    return inspection


def _set_people(by, inspection, inspectors, representative, summary):
    allowed = set(inspectors_of(by).values_list("pk", flat=True)) | {inspection.lead_inspector_id}
    if inspection.campaign_id:
        allowed |= set(
            CampaignTeam.members.through.objects.filter(campaignteam__campaign_id=inspection.campaign_id).values_list(
                "user_id", flat=True
            )
        )
    people = {p.pk for p in inspectors} | {inspection.lead_inspector_id}
    if not people <= allowed:
        raise DomainError(InspectionError.INVALID, _("Inspectors come from your own unit"), field="inspectors")
    inspection.inspectors.set(people)
    inspection.representative = (representative or "").strip()[:40]
    inspection.summary = (summary or "").strip()[:5000]
    inspection.save(update_fields=["representative", "summary"])


@transaction.atomic
def inspection_submit(
    *,
    by,
    inspection: Inspection,
    answers: dict[int, AnswerInput],
    inspectors=(),
    representative: str = "",
    summary: str = "",
    inspector_signature: str = "",
    representative_signature: str = "",
    latitude=None,
    longitude=None,
) -> Inspection:
    """提交: every item answered, both sides signed; each hazard becomes a case sent to the enterprise with its
    rectification deadline, all in one transaction — nothing is kept if one part is wrong."""
    inspection = _editable(by, inspection)
    rows = _save_answers(by, inspection, answers)
    unanswered = [a.item.position for a in rows.values() if not a.outcome]
    if unanswered:
        raise DomainError(
            InspectionError.INVALID,
            _("Items not yet answered: %(items)s") % {"items": "、".join(str(n) for n in sorted(unanswered))},
        )
    _set_people(by, inspection, inspectors, representative, summary)
    if not inspection.representative:
        raise DomainError(InspectionError.INVALID, _("Name the enterprise's representative"), field="representative")
    signed = {
        "inspector_signature": _signature(inspector_signature, _("inspector's")),
        "representative_signature": _signature(representative_signature, _("representative's")),
    }
    if not all(signed.values()):
        raise DomainError(
            InspectionError.INVALID, _("Both the inspector and the representative must sign"), field="signatures"
        )
    photos = {}
    for photo in Attachment.objects.filter(owner_type="inspections.answer", owner_id__in=[a.pk for a in rows.values()]):
        photos.setdefault(photo.owner_id, []).append(photo)
    found = sorted((a for a in rows.values() if a.outcome == Outcome.HAZARD), key=lambda a: a.item.position)
    for answer in found:
        if not photos.get(answer.pk):
            raise DomainError(
                InspectionError.INVALID,
                _("Item %(n)d: take a photo of the hazard") % {"n": answer.item.position},
                field=f"photos_{answer.item_id}",
            )
    category = inspection.checklist_version.checklist.hazard_category
    for answer in found:
        given = answers.get(answer.item_id, AnswerInput())
        grade, colour = PROPOSED[Severity(answer.item.severity)]
        case = hazard_record(
            by=by,
            enterprise=inspection.enterprise,
            category=category,
            description=given.description.strip() or f"{answer.item.text}{('：' + answer.note) if answer.note else ''}",
            grade=given.grade or grade,
            colour=given.colour or colour,
            place=given.place,
            deadline=given.deadline,
            inspection=inspection,
            item=answer.item,
            raised_at=_moment(inspection.inspected_on),
        )
        # the case shows the same photos; the files are not copied
        Attachment.objects.bulk_create(
            Attachment(
                owner_type="cases.case",
                owner_id=case.pk,
                file=p.file.name,
                original_name=p.original_name,
                mime_type=p.mime_type,
                size=p.size,
                uploaded_by=p.uploaded_by,
            )  # fmt: skip
            for p in photos[answer.pk]
        )
    hazards = len(found)
    for name, content in signed.items():
        getattr(inspection, name).save(f"inspection-{inspection.pk}-{name}.png", content, save=False)
    inspection.latitude, inspection.longitude = latitude, longitude
    inspection.status, inspection.submitted_at = Inspection.Status.SUBMITTED, timezone.now()
    inspection.save()
    TimelineEntry.objects.create(
        enterprise_id=inspection.enterprise_id,
        kind=TIMELINE_KIND,
        actor=by,
        summary=_("%(checklist)s: %(n)d items checked, %(hazards)d hazards found")
        % {"checklist": inspection.checklist_version.checklist.name, "n": len(rows), "hazards": hazards},
        details={"inspection": inspection.pk},
    )
    audit_record(actor=by, event=AuditEvent.CREATE, obj=inspection)
    return inspection


def _moment(day: datetime.date) -> datetime.datetime:
    """A hazard found on an earlier day (a record finished later) counts on the day it was found."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def officials_anonymise_expired(cutoff) -> int:
    return people_of_deleted_enterprises_anonymise(ResponsibleOfficial, cutoff, "责任人")
