"""Writes of the daily dispatch: the zone opens a period (its target firms resolved and frozen) and closes it; a
firm (or its service officer, or the zone, on its behalf) reports each day; a reported problem becomes a case of
the closed loop in the same step; firms that have not reported by the cut-off get one reminder a day."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.cases.models import Source
from zhuqi.cases.services import case_submit
from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.core.sms_text import firm_short, sms_fit
from zhuqi.enterprises.models import Contact, Enterprise, TimelineEntry
from zhuqi.notifications.outbox import outbox_write
from zhuqi.notifications.services import notify
from zhuqi.org.models import Role, User

from .figures import report_figures_record
from .models import (
    TIMELINE_KIND,
    DailyReport,
    DispatchPeriod,
    DispatchReminder,
    DispatchTarget,
    OperatingStatus,
    PeriodKind,
    PeriodStatus,
)
from .selectors import can_manage_periods, enterprises_reportable_by

MAX_STAFF = 100_000
MAX_OUTPUT = Decimal("1000000")  # 万元 a day: beyond it is a typing error (元 for 万元)
MAX_UTILISATION = Decimal("200")
MAX_PROBLEMS = 1000
MAX_DAYS = 120


class DispatchError(Enum):
    NOT_ALLOWED = "not_allowed"
    NOT_VISIBLE = "not_visible"
    WRONG_STATUS = "wrong_status"
    INVALID = "invalid"


def _now(now):
    return timezone.localtime(now or timezone.now())


# --- periods ------------------------------------------------------------------------------------------------------


@transaction.atomic
def period_create(*, by, name: str, kind: str, starts_on: datetime.date, ends_on: datetime.date,
                  cutoff: datetime.time = datetime.time(9, 0), tags=(), parks=(), scale: str = "",
                  enterprises=()) -> DispatchPeriod:  # fmt: skip
    """A new period, not yet open: the zone says who is asked (tags, parks, scale: all that are given must match;
    named enterprises are added) and by when each day."""
    if not can_manage_periods(by):
        raise DomainError(DispatchError.NOT_ALLOWED, _("Only the zone office opens and closes dispatch periods"))
    name = (name or "").strip()
    if not name:
        raise DomainError(DispatchError.INVALID, _("Give the dispatch a name"), field="name")
    if len(name) > 60:
        raise DomainError(DispatchError.INVALID, _("Keep the name within 60 characters"), field="name")
    if kind not in PeriodKind.values:
        raise DomainError(DispatchError.INVALID, _("Choose the kind of dispatch"), field="kind")
    if starts_on is None or ends_on is None:
        raise DomainError(DispatchError.INVALID, _("Give the first and the last report day"), field="starts_on")
    if ends_on < starts_on:
        raise DomainError(DispatchError.INVALID, _("The last report day cannot be before the first"), field="ends_on")
    if (ends_on - starts_on).days >= MAX_DAYS:
        raise DomainError(DispatchError.INVALID, _("A dispatch period lasts at most 120 days"), field="ends_on")
    if cutoff is None:
        raise DomainError(DispatchError.INVALID, _("Give the daily cut-off time"), field="cutoff")
    if scale not in ("", "above", "below"):
        raise DomainError(DispatchError.INVALID, _("Choose a scale"), field="scale")
    if not (tags or parks or scale or enterprises):
        raise DomainError(DispatchError.INVALID, _("Choose the firms asked to report: a tag, a park, a scale or a list"),
                          field="target_scale")  # fmt: skip
    period = DispatchPeriod.objects.create(name=name, kind=kind, starts_on=starts_on, ends_on=ends_on, cutoff=cutoff,
                                           target_scale=scale, created_by=by)  # fmt: skip
    period.target_tags.set(tags)
    period.target_parks.set(parks)
    period.target_list.set(enterprises)
    audit_record(actor=by, event=AuditEvent.CREATE, obj=period)
    return period


def targets_resolve(period: DispatchPeriod):
    """The enterprises the period's criteria name now."""
    matching = Enterprise.objects.all()
    criteria = False
    if period.target_scale:
        matching, criteria = matching.filter(scale=period.target_scale), True
    if period.target_parks.exists():
        matching, criteria = matching.filter(park__in=period.target_parks.all()), True
    if period.target_tags.exists():
        matching, criteria = matching.filter(tags__in=period.target_tags.all()), True
    chosen = Q(pk__in=matching.values("pk")) if criteria else Q(pk__in=[])
    return Enterprise.objects.filter(chosen | Q(pk__in=period.target_list.values("pk"))).distinct()


@transaction.atomic
def period_open(*, by, period: DispatchPeriod) -> DispatchPeriod:
    """Opens the period: the target firms are resolved once and frozen, with their park and industry."""
    if not can_manage_periods(by):
        raise DomainError(DispatchError.NOT_ALLOWED, _("Only the zone office opens and closes dispatch periods"))
    period = DispatchPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status != PeriodStatus.DRAFT:
        raise DomainError(DispatchError.WRONG_STATUS, _("This dispatch period has been opened already"))
    firms = targets_resolve(period).values_list("pk", "park_id", "industry", "headcount")
    DispatchTarget.objects.bulk_create([
        DispatchTarget(period=period, enterprise_id=pk, park_id=park, industry=industry, usual_staff=headcount)
        for pk, park, industry, headcount in firms
    ])  # fmt: skip
    if not period.targets.exists():
        raise DomainError(DispatchError.INVALID, _("No enterprise matches the chosen targets"))
    period.status, period.opened_at = PeriodStatus.OPEN, timezone.now()
    period.save(update_fields=["status", "opened_at"])
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=period,
                 changes={"status": [PeriodStatus.DRAFT, PeriodStatus.OPEN], "targets": period.targets.count()})  # fmt: skip
    return period


@transaction.atomic
def period_close(*, by, period: DispatchPeriod) -> DispatchPeriod:
    if not can_manage_periods(by):
        raise DomainError(DispatchError.NOT_ALLOWED, _("Only the zone office opens and closes dispatch periods"))
    period = DispatchPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status != PeriodStatus.OPEN:
        raise DomainError(DispatchError.WRONG_STATUS, _("Only an open dispatch period can be closed"))
    period.status, period.closed_at = PeriodStatus.CLOSED, timezone.now()
    period.save(update_fields=["status", "closed_at"])
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=period,
                 changes={"status": [PeriodStatus.OPEN, PeriodStatus.CLOSED]})  # fmt: skip
    return period


# --- the daily report ---------------------------------------------------------------------------------------------


def _whole(value, field: str, label: str, problems: dict, *, low: int = 0):
    if value in (None, ""):
        problems[field] = _("Enter %(what)s") % {"what": label}
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        problems[field] = _("%(what)s is a whole number of people") % {"what": label}
        return None
    if number < low or number > MAX_STAFF:
        problems[field] = _("%(what)s is between %(low)d and %(high)d") % {"what": label, "low": low, "high": MAX_STAFF}
        return None
    return number


def _amount(value, field: str, label: str, problems: dict, *, high: Decimal, places: str = "0.01"):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        problems[field] = _("%(what)s is a number") % {"what": label}
        return None
    if not number.is_finite() or number < 0 or number > high:
        problems[field] = _("%(what)s is between 0 and %(high)s") % {"what": label, "high": f"{high:,}"}
        return None
    return number.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def report_check(*, operating_status, staff_on_duty, staff_planned, output_value=None, capacity_utilisation=None,
                 normal_output=None, problems: str = "") -> tuple[dict, dict]:  # fmt: skip
    """The daily report's values, cleaned and checked: (clean values, {field: Chinese message}). The form and the
    API show every problem at once; report_submit refuses on any."""
    found: dict[str, str] = {}
    if operating_status not in OperatingStatus.values:
        found["operating_status"] = _("Choose whether the firm is working normally, partly or stopped")
    on_duty = _whole(staff_on_duty, "staff_on_duty", _("the staff at work"), found)
    planned = _whole(staff_planned, "staff_planned", _("the planned staff"), found, low=1)
    output = _amount(output_value, "output_value", _("Output today"), found, high=MAX_OUTPUT)
    rate = _amount(capacity_utilisation, "capacity_utilisation", _("Capacity utilisation"), found,
                   high=MAX_UTILISATION, places="0.1")  # fmt: skip
    normal = _amount(normal_output, "normal_output", _("Normal daily output"), found, high=MAX_OUTPUT)
    if normal is None and "normal_output" not in found:
        found["normal_output"] = _("Enter the normal daily output (10,000 yuan), the basis of the recovery rate")
    elif normal is not None and normal <= 0:
        found["normal_output"] = _("The normal daily output is more than 0")
    if output is None and rate is None and not {"output_value", "capacity_utilisation"} & found.keys():
        found["output_value"] = _("Enter the output today or the capacity utilisation")
    if on_duty is not None and planned is not None and on_duty > planned:
        found["staff_on_duty"] = _("The staff at work cannot be more than the planned staff")
    if operating_status == OperatingStatus.STOPPED:
        if (output or 0) > 0 or (rate or 0) > 0:
            found["output_value"] = _("A stopped firm has no output today: enter 0")
    elif operating_status in OperatingStatus.values:
        if on_duty == 0:
            found["staff_on_duty"] = _("A working firm has staff at work")
        if output == 0 or (output is None and rate == 0):
            found["output_value"] = _("A working firm has output today; if it has none, report it as stopped")
    problems = (problems or "").strip()
    if len(problems) > MAX_PROBLEMS:
        found["problems"] = _("Keep the difficulties and problems within 1,000 characters")
    clean = {"operating_status": operating_status, "staff_on_duty": on_duty, "staff_planned": planned,
             "normal_output": normal, "problems": problems, "output_given": output is not None}  # fmt: skip
    if not found:
        if output is not None:
            clean["output_value"] = output
            clean["capacity_utilisation"] = min(
                (output * 100 / normal).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), MAX_UTILISATION
            )
        else:
            clean["capacity_utilisation"] = rate
            clean["output_value"] = (normal * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return clean, found


def target_for_report(*, by, period: DispatchPeriod, enterprise) -> DispatchTarget:
    """The target row this user may report for: the firm itself, its park's officer, or the zone."""
    if not enterprises_reportable_by(by).filter(pk=enterprise.pk).exists():
        raise DomainError(DispatchError.NOT_VISIBLE, _("You may not report for this enterprise"))
    target = DispatchTarget.objects.filter(period=period, enterprise=enterprise).first()
    if target is None:
        raise DomainError(DispatchError.NOT_VISIBLE, _("This enterprise is not asked to report in this dispatch"))
    return target


@transaction.atomic
def report_submit(*, by, period: DispatchPeriod, enterprise, values: dict, case_category=None,
                  now: datetime.datetime | None = None) -> DailyReport:  # fmt: skip
    """Today's report for a target firm, or its correction the same day; with case_category, the problems it
    reports become a case of the closed loop in the same transaction (nothing is kept if that fails)."""
    now = _now(now)
    day = now.date()
    target = target_for_report(by=by, period=period, enterprise=enterprise)
    period = DispatchPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status != PeriodStatus.OPEN:
        raise DomainError(DispatchError.WRONG_STATUS, _("This dispatch period is not open for reports"))
    if not period.starts_on <= day <= period.ends_on:
        raise DomainError(DispatchError.WRONG_STATUS,
                          _("Reports are taken from %(start)s to %(end)s") % {"start": period.starts_on,
                                                                               "end": period.ends_on})  # fmt: skip
    clean, found = report_check(**values)
    if found:
        field, message = next(iter(found.items()))
        raise DomainError(DispatchError.INVALID, message, field=field)
    if case_category is not None and not clean["problems"]:
        raise DomainError(DispatchError.INVALID, _("Describe the problem to raise it as a case"), field="problems")
    report = DailyReport.objects.select_for_update().filter(target=target, day=day).first()
    first = report is None
    if first:
        report = DailyReport(target=target, enterprise=enterprise, day=day)
    before = {} if first else {k: getattr(report, k) for k in clean}
    for name, value in clean.items():
        setattr(report, name, value)
    report.reported_by, report.reported_at = by, now
    report.is_late = now.time() > period.cutoff
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # the same firm's other account saved today's report a moment before
        raise DomainError(
            DispatchError.INVALID, _("Today's report was saved meanwhile; open it again to correct it")
        ) from None
    changes = {k: [str(before.get(k, "")), str(v)] for k, v in clean.items() if before.get(k) != v}
    audit_record(actor=by, event=AuditEvent.CREATE if first else AuditEvent.UPDATE, obj=report, changes=changes)
    report_figures_record(report=report, by=by)  # the firm's day as indicator values (the assessment reads them)
    if first:
        TimelineEntry.objects.create(
            enterprise=enterprise, kind=TIMELINE_KIND, actor=by, occurred_at=now,
            summary=_("%(period)s %(day)s: %(status)s, %(on)d of %(planned)d staff at work, capacity %(rate)s%%") % {
                "period": period.name, "day": f"{day.month}月{day.day}日", "status": report.get_operating_status_display(),
                "on": report.staff_on_duty, "planned": report.staff_planned, "rate": report.capacity_utilisation},
            details={"dispatch_report": report.pk, "period": period.pk},
        )  # fmt: skip
    if case_category is not None:
        report.case = report_problem_raise(by=by, report=report, category=case_category)
    return report


@transaction.atomic
def report_problem_raise(*, by, report: DailyReport, category):
    """困难和问题 → a case (an enterprise demand) in one step, linked to the report; once per report."""
    report = DailyReport.objects.select_for_update().select_related("target__period", "enterprise").get(pk=report.pk)
    if report.case_id is not None:
        raise DomainError(DispatchError.WRONG_STATUS, _("This report's problem is already a case"))
    if not report.problems:
        raise DomainError(DispatchError.INVALID, _("This report states no problem"), field="problems")
    if not enterprises_reportable_by(by).filter(pk=report.enterprise_id).exists():
        raise DomainError(DispatchError.NOT_VISIBLE, _("You may not report for this enterprise"))
    period = report.target.period
    case = case_submit(
        by=by, category=category, source=Source.ENTERPRISE, enterprise=report.enterprise,
        description=f"【{period.name} {report.day:%m-%d}】{report.problems}",
    )  # fmt: skip
    report.case = case
    report.save(update_fields=["case"])
    return case


# --- the cut-off: one reminder per firm and day -----------------------------------------------------------------


def _reminder_text(period: DispatchPeriod, enterprise, day: datetime.date) -> str:
    return sms_fit("{firm}尚未报送{period}{day}每日调度，请尽快登录助企平台填报。",
                   shrink={"firm": firm_short(enterprise.name), "period": period.name},
                   day=f"{day.month}月{day.day}日")  # fmt: skip


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Past the cut-off of an open period's report day, each target firm without a report gets one reminder (its
    accounts' inbox and SMS, or its primary contact's phone by SMS), however often this runs."""
    now = _now(now)
    day = now.date()
    periods = DispatchPeriod.objects.filter(status=PeriodStatus.OPEN, starts_on__lte=day, ends_on__gte=day,
                                            cutoff__lt=now.time())  # fmt: skip
    waiting = (
        DispatchTarget.objects.filter(period__in=periods)
        .exclude(reports__day=day)
        .exclude(reminders__day=day)
        .select_related("period", "enterprise")
        .order_by("pk")
    )
    sent = 0
    for target in waiting.iterator(chunk_size=500):
        try:
            with transaction.atomic():
                DispatchReminder.objects.create(target=target, day=day)
                text = _reminder_text(target.period, target.enterprise, day)
                title = _("%(period)s: today's report is not in yet (cut-off %(cutoff)s)") % {
                    "period": target.period.name, "cutoff": target.period.cutoff.strftime("%H:%M")}  # fmt: skip
                accounts = User.objects.filter(is_active=True, role=Role.ENTERPRISE_CONTACT,
                                               enterprise_id=target.enterprise_id)  # fmt: skip
                url = reverse("dispatch-report", args=[target.period_id])
                if not notify(accounts, title=title, url=url, sms=True, sms_text=text):
                    contact = Contact.objects.filter(enterprise_id=target.enterprise_id).order_by("-is_primary", "pk")
                    phone = next((c.phone for c in contact if c.phone), "")
                    if phone:
                        outbox_write(phones=[phone], subject=title, sms_text=text)
        except IntegrityError:  # another worker reminded this firm meanwhile
            continue
        sent += 1
    return sent
