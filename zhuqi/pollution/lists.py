"""The reduction list's writes, the bureau's (城乡建设和生态环境局) and the zone office's only: a firm put on the
list and its figures (industry, 民生保障, the capacities the baseline is the lowest of, normal load, trucks), its
gradings (the registry's environmental grade follows the one in force), its production lines and emission sources
with their normal emissions, and its own measure at a level in place of the guide's. Each audited with its actor."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.enterprises.models import Enterprise, EnvironmentalGrade

from .errors import PollutionError, must_manage
from .models import (
    Action,
    EmissionSource,
    Grade,
    GradeRecord,
    Level,
    MeasureOverride,
    PollutionFirm,
    Sector,
    SourceKind,
)  # fmt: skip

# the registry knows no B-: a B- firm is a B firm there (B- is the lower band of B in the guide's tables)
REGISTRY_GRADE = {Grade.A: EnvironmentalGrade.A, Grade.B: EnvironmentalGrade.B, Grade.B_MINUS: EnvironmentalGrade.B,
                  Grade.C: EnvironmentalGrade.C, Grade.D: EnvironmentalGrade.D, Grade.LEADING: EnvironmentalGrade.LEADING}  # fmt: skip

FIRM_FIELDS = ["sector", "livelihood", "on_list", "capacity_unit", "approval_capacity", "permit_capacity",
               "last_year_daily", "normal_load_kw", "heavy_trucks", "old_trucks"]  # fmt: skip
SOURCE_FIELDS = ["kind", "name", "daily_capacity", "so2", "nox", "pm", "vocs"]


def _plain(value):
    return str(value) if isinstance(value, Decimal | datetime.date) else value


def _checked(obj, fields: list[str]) -> None:
    """full_clean, its first message beside the field it is about (Chinese through the models' verbose names)."""
    try:
        obj.full_clean(exclude=[f.name for f in obj._meta.fields if f.name not in fields])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(
            PollutionError.INVALID, "；".join(messages), field=field if field in fields else None
        ) from exc


def _registry_grade_sync(*, enterprise, grade: str, by) -> None:
    """The grade other modules read (the registry's environmental grade) is the one in force on the list."""
    wanted = REGISTRY_GRADE[Grade(grade)]
    before = Enterprise.objects.filter(pk=enterprise.pk).values_list("environmental_grade", flat=True).first()
    if before == wanted:
        return
    Enterprise.objects.filter(pk=enterprise.pk).update(environmental_grade=wanted, version=F("version") + 1,
                                                       updated_at=timezone.now())  # fmt: skip
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=enterprise,
                 changes={"environmental_grade": [before, str(wanted)]}, detail="重污染天气绩效分级")  # fmt: skip


@transaction.atomic
def grade_set(*, enterprise, grade: str, graded_on: datetime.date, document: str, by, note: str = "") -> GradeRecord:
    """A new grading of a firm on the list: kept in its history; the grade in force is the latest by date, and the
    registry's environmental grade follows it."""
    must_manage(by)
    if grade not in Grade.values:
        raise DomainError(PollutionError.INVALID, _("Choose a grade: A, B, B-, C, D or leading"), field="grade")
    document = (document or "").strip()
    if not document:
        raise DomainError(PollutionError.INVALID, _("Name the grading document"), field="document")
    if graded_on is None or graded_on > timezone.localdate():
        raise DomainError(PollutionError.INVALID, _("The grading date cannot be in the future"), field="graded_on")
    firm = PollutionFirm.objects.select_for_update().filter(enterprise=enterprise).first()
    if firm is None:
        raise DomainError(PollutionError.INVALID, _("This firm is not on the reduction list"))
    record = GradeRecord.objects.create(enterprise=enterprise, grade=grade, graded_on=graded_on, document=document,
                                        note=(note or "").strip()[:200], recorded_by=by)  # fmt: skip
    if graded_on >= firm.graded_on:
        before = firm.grade
        firm.grade, firm.graded_on, firm.grade_document = grade, graded_on, document
        firm.save(update_fields=["grade", "graded_on", "grade_document"])
        audit_record(actor=by, event=AuditEvent.UPDATE, obj=firm, changes={"grade": [before, grade]}, detail=document)
        _registry_grade_sync(enterprise=enterprise, grade=grade, by=by)
    return record


@transaction.atomic
def firm_save(*, enterprise, by, values: dict, grade: str = "", graded_on: datetime.date | None = None,
              document: str = "") -> PollutionFirm:  # fmt: skip
    """A firm's figures on the list; the first time, it is put on the list with its first grading."""
    must_manage(by)
    firm = PollutionFirm.objects.select_for_update().filter(enterprise=enterprise).first()
    creating = firm is None
    if creating:
        if grade not in Grade.values:
            raise DomainError(PollutionError.INVALID, _("Choose a grade: A, B, B-, C, D or leading"), field="grade")
        if graded_on is None:
            raise DomainError(PollutionError.INVALID, _("Give the grading date"), field="graded_on")
        firm = PollutionFirm(enterprise=enterprise, grade=grade, graded_on=graded_on,
                             grade_document=(document or "").strip())  # fmt: skip
    before = {name: _plain(getattr(firm, name)) for name in FIRM_FIELDS}
    for name in FIRM_FIELDS:
        if name in values:
            setattr(firm, name, values[name])
    if firm.sector not in Sector.values:
        raise DomainError(PollutionError.INVALID, _("Choose the grading industry"), field="sector")
    _checked(firm, FIRM_FIELDS)
    if firm.old_trucks > firm.heavy_trucks:
        raise DomainError(PollutionError.INVALID, _("More old trucks than heavy trucks in use"), field="old_trucks")
    firm.save()
    changes = {n: [before[n], _plain(getattr(firm, n))] for n in FIRM_FIELDS if before[n] != _plain(getattr(firm, n))}
    audit_record(actor=by, event=AuditEvent.CREATE if creating else AuditEvent.UPDATE, obj=firm, changes=changes)
    if creating:  # its first grading: the history begins, the registry's grade follows
        grade_set(enterprise=enterprise, grade=grade, graded_on=graded_on, document=document, by=by)
        firm.refresh_from_db()
    return firm


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        raise DomainError(PollutionError.INVALID, _("Enter a number"), field=field) from None
    if number < 0:
        raise DomainError(PollutionError.INVALID, _("Enter a number of 0 or more"), field=field)
    return number


@transaction.atomic
def source_save(*, firm: PollutionFirm, by, values: dict, source: EmissionSource | None = None) -> EmissionSource:
    """A production line or emission source with its daily capacity and normal emissions (kg/day): what the
    lines a measure stops are counted from and what the reduction achieved is weighed against."""
    must_manage(by)
    if source is not None and source.firm_id != firm.pk:
        raise DomainError(PollutionError.NOT_ALLOWED, _("This source belongs to another firm"))
    creating = source is None
    source = source or EmissionSource(firm=firm)
    before = {name: _plain(getattr(source, name)) for name in SOURCE_FIELDS}
    name = (values.get("name") or "").strip()
    if not name:
        raise DomainError(PollutionError.INVALID, _("Name the line or source"), field="name")
    if values.get("kind") not in SourceKind.values:
        raise DomainError(PollutionError.INVALID, _("Choose the kind of source"), field="kind")
    source.name, source.kind = name[:60], values["kind"]
    for field in ("daily_capacity", "so2", "nox", "pm", "vocs"):
        setattr(source, field, _decimal(values.get(field), field))
    _checked(source, SOURCE_FIELDS)
    source.save()
    changes = {
        n: [before[n], _plain(getattr(source, n))] for n in SOURCE_FIELDS if before[n] != _plain(getattr(source, n))
    }
    audit_record(actor=by, event=AuditEvent.CREATE if creating else AuditEvent.UPDATE, obj=source, changes=changes,
                 detail=str(firm))  # fmt: skip
    return source


@transaction.atomic
def source_delete(*, source: EmissionSource, by) -> None:
    must_manage(by)
    audit_record(actor=by, event=AuditEvent.DELETE, obj=source, detail=str(source.firm),
                 changes={n: [_plain(getattr(source, n)), None] for n in SOURCE_FIELDS})  # fmt: skip
    source.delete()


@transaction.atomic
def override_set(*, enterprise, level: str, action: str, cut_percent: int, lines_stop_percent: int,
                 transport_ban: bool, road_transport_stopped: bool, text: str, reason: str, by) -> MeasureOverride:  # fmt: skip
    """A firm's own measure at a level, in place of the guide's default."""
    must_manage(by)
    if level not in Level.values:
        raise DomainError(PollutionError.INVALID, _("Choose the alert level"), field="level")
    if action not in Action.values:
        raise DomainError(PollutionError.INVALID, _("Choose the measure"), field="action")
    for field, value in (("cut_percent", cut_percent), ("lines_stop_percent", lines_stop_percent)):
        if value is None or not 0 <= value <= 100:
            raise DomainError(PollutionError.INVALID, _("A percentage is between 0 and 100"), field=field)
    if not (text or "").strip():
        raise DomainError(PollutionError.INVALID, _("Say the measure in words"), field="text")
    if not (reason or "").strip():
        raise DomainError(PollutionError.INVALID, _("Say why it differs from the guide"), field="reason")
    before = MeasureOverride.objects.filter(enterprise=enterprise, level=level).values_list("text", flat=True).first()
    override, _created = MeasureOverride.objects.update_or_create(enterprise=enterprise, level=level, defaults={
        "action": action, "cut_percent": cut_percent, "lines_stop_percent": lines_stop_percent,
        "transport_ban": transport_ban, "road_transport_stopped": road_transport_stopped, "text": text.strip()[:200],
        "reason": reason.strip()[:200], "set_by": by, "set_at": timezone.now()})  # fmt: skip
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=override, changes={"text": [before, override.text]},
                 detail=override.reason)  # fmt: skip
    return override


@transaction.atomic
def override_remove(*, enterprise, level: str, by) -> bool:
    """The firm's measure at the level is the guide's again."""
    must_manage(by)
    override = MeasureOverride.objects.filter(enterprise=enterprise, level=level).first()
    if override is None:
        return False
    audit_record(actor=by, event=AuditEvent.DELETE, obj=override, changes={"text": [override.text, None]})
    override.delete()
    return True
