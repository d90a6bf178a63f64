"""Writes of the growth pipeline: stages and certificates with their history, annual reports, recognition rounds,
and the reminders (certificate expiry, the 31 May annual report) told once each through the notifications."""

from __future__ import annotations

import datetime
from enum import Enum

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.notifications.services import notify
from zhuqi.org.models import Role, User

from . import selectors
from .models import (
    AnnualReport,
    Forecast,
    RecognitionRound,
    ReminderKind,
    ReminderSent,
    Result,
    RoundEntry,
    Stage,
    StageEvent,
    StageKind,
)


class GrowthError(Enum):
    NOT_ALLOWED = "not_allowed"
    INVALID = "invalid"


VALIDITY_YEARS = {StageKind.HIGH_TECH: 3, StageKind.SPECIALISED: 3, StageKind.LITTLE_GIANT: 3}


def _check_firm(by, enterprise) -> None:
    if not selectors.enterprises_for_stages(by).filter(pk=enterprise.pk).exists():
        raise DomainError(GrowthError.NOT_ALLOWED, _("You may not record stages for this enterprise"))


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years) - datetime.timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def stage_grant(*, by, enterprise, kind: str, granted_on: datetime.date, number: str = "", year: int | None = None,
                plan: str = "", target_year: int | None = None, valid_until: datetime.date | None = None,
                note: str = "") -> Stage:  # fmt: skip
    """A stage reached: a certificate (高企: valid three years, re-examined in its last year), a register entry
    (科技型中小企业 入库编号 of a year), an entry into the cultivation pool (with its service plan)."""
    if by is not None:
        _check_firm(by, enterprise)
    if kind not in StageKind.values:
        raise DomainError(GrowthError.INVALID, _("Choose a stage"), field="kind")
    if kind == StageKind.HIGH_TECH and not number.strip():
        raise DomainError(GrowthError.INVALID, _("Give the certificate number"), field="number")
    if kind == StageKind.POOL and not plan.strip():
        raise DomainError(GrowthError.INVALID, _("Write the service plan for the firm in the pool"), field="plan")
    if valid_until is None and kind in VALIDITY_YEARS:
        valid_until = _years_later(granted_on, VALIDITY_YEARS[kind])
    if kind == StageKind.TECH_SME and valid_until is None:
        valid_until = datetime.date((year or granted_on.year), 12, 31)  # 入库 for the year it is granted in
    if valid_until is not None and valid_until < granted_on:
        raise DomainError(GrowthError.INVALID, _("The validity ends before the date granted"), field="valid_until")
    stage = Stage.objects.create(
        enterprise=enterprise, kind=kind, number=number.strip(), year=year or granted_on.year, granted_on=granted_on,
        valid_until=valid_until, review_year=valid_until.year if kind == StageKind.HIGH_TECH and valid_until else None,
        plan=plan.strip(), target_year=target_year, created_by=by,
    )  # fmt: skip
    StageEvent.objects.create(stage=stage, action=StageEvent.Action.GRANTED, note=note, actor=by,
                              changes={"number": stage.number, "granted_on": str(granted_on),
                                       "valid_until": str(valid_until) if valid_until else None})  # fmt: skip
    if kind == StageKind.HIGH_TECH:  # a firm recognised leaves the pool
        for pooled in Stage.objects.filter(enterprise=enterprise, kind=StageKind.POOL, ended_on__isnull=True):
            stage_end(by=by, stage=pooled, on=granted_on, reason=_("Recognised as a high-tech enterprise"))
    audit_record(actor=by, event=AuditEvent.CREATE, obj=stage, changes={"kind": [None, kind]})
    return stage


@transaction.atomic
def stage_plan_change(*, by, stage: Stage, plan: str, target_year: int | None = None) -> Stage:
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    _check_firm(by, stage.enterprise)
    if not plan.strip():
        raise DomainError(GrowthError.INVALID, _("Write the service plan for the firm in the pool"), field="plan")
    old = stage.plan
    stage.plan, stage.target_year = plan.strip(), target_year
    stage.save(update_fields=["plan", "target_year"])
    StageEvent.objects.create(stage=stage, action=StageEvent.Action.PLAN, actor=by,
                              changes={"plan": [old, stage.plan], "target_year": target_year})  # fmt: skip
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=stage, changes={"plan": [old, stage.plan]})
    return stage


@transaction.atomic
def stage_end(*, by, stage: Stage, on: datetime.date, reason: str) -> Stage:
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    if by is not None:
        _check_firm(by, stage.enterprise)
    if not reason.strip():
        raise DomainError(GrowthError.INVALID, _("Say why the stage ends"), field="reason")
    if stage.ended_on is not None:
        raise DomainError(GrowthError.INVALID, _("This stage has already ended"))
    stage.ended_on, stage.end_reason = on, reason.strip()
    stage.save(update_fields=["ended_on", "end_reason"])
    StageEvent.objects.create(stage=stage, action=StageEvent.Action.ENDED, note=reason, actor=by,
                              changes={"ended_on": str(on)})  # fmt: skip
    return stage


@transaction.atomic
def annual_report_record(*, by, enterprise, year: int, filed_on: datetime.date) -> AnnualReport:
    if by is not None:
        _check_firm(by, enterprise)
    report, _created = AnnualReport.objects.get_or_create(enterprise=enterprise, year=year,
                                                          defaults={"filed_on": filed_on, "recorded_by": by})  # fmt: skip
    return report


# -- recognition rounds -------------------------------------------------------------------------------------------


def forecast_of(verdict: str) -> str:
    return {"true": Forecast.ELIGIBLE, "false": Forecast.SHORT}.get(verdict, Forecast.UNKNOWN)


@transaction.atomic
def round_apply(*, by, year: int, enterprises, on: datetime.date | None = None) -> list[RoundEntry]:
    """申报: the firms applying in a year's round, each with the pool's forecast (its standing on last year's
    statistics) kept beside it, to be compared with the result."""
    if by is not None and not selectors.can_record_rounds(by):
        raise DomainError(GrowthError.NOT_ALLOWED, _("Only the zone office records recognition rounds"))
    rnd, _created = RecognitionRound.objects.get_or_create(year=year)
    firms = list(enterprises)
    found = selectors.standings(enterprise_ids=[f.pk for f in firms], year=year - 1, on=on)
    day = datetime.date(year, 1, 1)
    pooled = set(Stage.objects.filter(selectors.in_force_q(day), kind=StageKind.POOL,
                                      enterprise__in=[f.pk for f in firms]).values_list("enterprise_id", flat=True))  # fmt: skip
    held = set(Stage.objects.filter(kind=StageKind.HIGH_TECH, enterprise__in=[f.pk for f in firms],
                                    granted_on__lt=day).values_list("enterprise_id", flat=True))  # fmt: skip
    entries = []
    for firm in firms:
        entry, _created = RoundEntry.objects.get_or_create(round=rnd, enterprise=firm, defaults={
            "re_exam": firm.pk in held, "from_pool": firm.pk in pooled,
            "forecast": forecast_of(found[firm.pk].high_tech), "recorded_by": by})  # fmt: skip
        entries.append(entry)
    return entries


@transaction.atomic
def round_result(*, by, entry: RoundEntry, result: str, reasons: str = "", number: str = "",
                 granted_on: datetime.date | None = None) -> RoundEntry:  # fmt: skip
    """通过 (with the certificate, which becomes the firm's 高企 stage) or 未通过 (with the reasons)."""
    if by is not None and not selectors.can_record_rounds(by):
        raise DomainError(GrowthError.NOT_ALLOWED, _("Only the zone office records recognition rounds"))
    entry = RoundEntry.objects.select_for_update().select_related("round", "enterprise").get(pk=entry.pk)
    if result not in (Result.PASSED, Result.FAILED):
        raise DomainError(GrowthError.INVALID, _("Choose recognised or not recognised"), field="result")
    if result == Result.FAILED and not reasons.strip():
        raise DomainError(GrowthError.INVALID, _("Give the reasons it was not recognised"), field="reasons")
    if result == Result.PASSED and not number.strip():
        raise DomainError(GrowthError.INVALID, _("Give the certificate number"), field="number")
    if entry.result != Result.APPLIED:
        raise DomainError(GrowthError.INVALID, _("This application's result is already recorded"))
    entry.result, entry.reasons = result, reasons.strip()
    entry.save(update_fields=["result", "reasons"])
    if result == Result.PASSED:
        stage_grant(by=None, enterprise=entry.enterprise, kind=StageKind.HIGH_TECH, number=number,
                    granted_on=granted_on or datetime.date(entry.round.year, 12, 1), year=entry.round.year,
                    note=_("Recognised in the %(year)s round") % {"year": entry.round.year})  # fmt: skip
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=entry, changes={"result": [Result.APPLIED, result]})
    return entry


# -- reminders: once each -----------------------------------------------------------------------------------------


def _people(enterprise) -> list:
    people = list(User.objects.filter(enterprise=enterprise, role=Role.ENTERPRISE_CONTACT, is_active=True))
    if enterprise.service_officer_id:
        people.append(enterprise.service_officer)
    return people


def _once(enterprise, kind: str, key: str) -> bool:
    """True the first time only (the unique key decides, also between two workers)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(enterprise=enterprise, kind=kind, key=key)
    except IntegrityError:
        return False
    return True


def reminders_send(*, today: datetime.date | None = None) -> dict:
    """Each certificate due within 90 days (to be re-examined) and, in May, each 高企 that has not filed last year's
    annual report: the firm and its service officer are told once."""
    today = today or timezone.localdate()
    sent = {"expiry": 0, "annual_report": 0}
    for stage in selectors.certificates_expiring(today=today, within_days=90):
        if _once(stage.enterprise, ReminderKind.EXPIRY, str(stage.pk)):
            notify(_people(stage.enterprise), title=_("%(stage)s certificate expires on %(day)s") % {
                "stage": stage.get_kind_display(), "day": stage.valid_until},
                body=_("Prepare the re-examination this year."), url="/growth/standing/", sms=True)  # fmt: skip
            sent["expiry"] += 1
    if datetime.date(today.year, 5, 1) <= today <= datetime.date(today.year, 5, 31):
        for firm in selectors.annual_reports_missing(year=today.year - 1).select_related("service_officer"):
            if _once(firm, ReminderKind.ANNUAL_REPORT, str(today.year - 1)):
                notify(_people(firm), title=_("The high-tech annual report for %(year)s is due by 31 May") % {
                    "year": today.year - 1}, body=_("Two years without a report revoke the recognition."),
                    url="/growth/standing/", sms=True)  # fmt: skip
                sent["annual_report"] += 1
    return sent
