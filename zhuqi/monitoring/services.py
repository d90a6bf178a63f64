"""Writes for monitoring: storing readings and evaluating them, the alarm's life (触发 → 确认 → 处置 → 消警), the
sweep that marks silent points offline, and the escalation of unacknowledged or repeating alarms into cases."""

import bisect
import contextlib
import datetime
import logging
from dataclasses import dataclass, field
from enum import Enum
from operator import itemgetter

from django.conf import settings
from django.db import transaction
from django.db.models import DurationField, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhuqi.cases.models import Category, Source
from zhuqi.cases.services import case_raise
from zhuqi.core.errors import DomainError
from zhuqi.core.sms_text import firm_short, sms_fit
from zhuqi.enterprises.models import TimelineEntry
from zhuqi.notifications.services import notify
from zhuqi.org.models import Role, User

from .evaluation import NORMAL, Limits, step
from .models import (
    ALARM_KIND,
    GRAVITY,
    TIMELINE_KIND,
    Alarm,
    AlarmEvent,
    AlarmLevel,
    AlarmStatus,
    MonitoringPoint,
    Outage,
)
from .outages import outages_sweep, outages_to_escalate
from .storage import live_save, open_alarms_lock, points_lock, readings_inserting

logger = logging.getLogger("zhuqi.monitoring")
PLATFORM_USERNAME = "monitoring.platform"
ALARM_CATEGORY = "监测告警"


class AlarmError(Enum):
    NOT_ALLOWED = "not_allowed"
    WRONG_STATUS = "wrong_status"
    INVALID = "invalid"


@dataclass
class StoreResult:
    received: int = 0
    stored: int = 0
    duplicates: int = 0
    late: int = 0  # older than the point's last reading: stored, not evaluated
    alarms: list = field(default_factory=list)  # raised, risen or returned (not those back to normal)


def readings_store(rows, *, now: datetime.datetime | None = None) -> StoreResult:
    """Store (point id, time, value) rows — the same point and time twice is kept once — and move each point's
    state reading by reading, in time order, raising, rising and returning alarms. One transaction per batch.

    A reading is evaluated when it is newer than its point's last one, whether or not it was stored before: a
    reading stored by a batch whose evaluation failed is evaluated when it comes again."""
    by_point = {}  # point id → {time: value}; the first value wins for a time sent twice
    for point_id, at, value in rows:
        by_point.setdefault(point_id, {}).setdefault(at, value)
    return grouped_readings_store(by_point, received=len(rows), now=now)


def grouped_readings_store(by_point: dict, *, received: int, now=None, written=None, last_values=None) -> StoreResult:
    """readings_store for readings already grouped by point: {point id: {time: value}}, `received` readings
    before duplicates were dropped (how the ingester hands them over). `written`, when given, says that the
    readings are being stored on another connection (`storage.ReadingsWriter`): a callable that waits for them
    and returns how many were new, called before this transaction commits. `last_values` (a
    `storage.LastValues`, the ingester's) holds back the points' last value and time for a few seconds."""
    now = now or timezone.now()
    result = StoreResult(received=received)
    if not by_point:
        return result
    unique = sum(map(len, by_point.values()))
    with transaction.atomic():
        points = points_lock(by_point, last_values)
        for unknown in by_point.keys() - points.keys():
            del by_point[unknown]
        # the server stores while the batch is evaluated here
        with contextlib.nullcontext() if written else readings_inserting(by_point) as inserted:
            rest = _evaluate_at_rest(points, by_point, result)
        # the open alarms of the points that need the full rule only: in most batches none
        open_alarms = open_alarms_lock([point.id for point, _readings in rest]) if rest else {}
        touched = {}
        for point, readings in rest:
            _evaluate(point, readings, open_alarms, touched, result, now)
        live_save([points[point_id] for point_id in by_point], last_values)
        for alarm in touched.values():
            alarm.save()
        result.stored = written() if written else inserted.stored  # readings refused: states roll back
        result.duplicates = received - unique + (sum(map(len, by_point.values())) - result.stored)
    for alarm in {a.pk: a for a in result.alarms}.values():
        if _repeating(alarm, now) and alarm.case_id is None:
            try:
                alarm_to_case(alarm=alarm, reason=_("the alarm keeps coming back"))
            except DomainError:  # the readings are stored; the sweep tries the case again
                logger.exception("could not open a case for alarm %s", alarm.pk)
    return result


def _evaluate_at_rest(points, by_point, result) -> list:
    """The usual reading, without touching the database: a point at rest whose value stays within its quiet
    range stays at rest, whether or not an alarm of its is still open (back to normal, not yet cleared: the full
    rule would change nothing). Late readings are counted and skipped. Returns, per point, the readings that
    need the full rule (from the first one that leaves the quiet range)."""
    rest = []
    for point_id, readings in by_point.items():
        point = points[point_id]
        ordered = sorted(readings.items()) if len(readings) > 1 else list(readings.items())
        if point.last_at is not None and ordered[0][0] <= point.last_at:
            late = bisect.bisect_right(ordered, point.last_at, key=itemgetter(0))
            result.late += late
            ordered = ordered[late:]
        if ordered and point.at_rest():
            low, high, quiet = point.quiet_low, point.quiet_high, 0
            for _at, value in ordered:
                if not low < value < high:
                    break
                quiet += 1
            if quiet:
                point.last_at, point.last_value = ordered[quiet - 1]
                ordered = ordered[quiet:]
        if ordered:
            rest.append((point, ordered))
    return rest


def _evaluate(point, readings, open_alarms, touched, result, now) -> None:
    """The full rule for one point's readings, in time order: pending levels, state changes and their alarms."""
    limits, alarm = Limits.of(point), open_alarms.get(point.id)
    for at, value in readings:
        point.last_value, point.last_at = value, at
        moved = step(limits, point.state, point.pending_level, point.pending_since, at, value)
        point.state, point.pending_level, point.pending_since = moved.state, moved.pending_level, moved.pending_since
        if alarm is not None and alarm.peak_value is not None and point.state != NORMAL:
            extreme = min if point.state == AlarmLevel.LOW else max
            alarm.peak_value = extreme(alarm.peak_value, value)
            touched[alarm.pk] = alarm
        if moved.changed_to is not None:
            alarm = _state_changed(point, alarm, moved.changed_to, at, value, now)
            if alarm is not None:
                open_alarms[point.id] = alarm
                touched[alarm.pk] = alarm
                if moved.changed_to != NORMAL:
                    result.alarms.append(alarm)


def _state_changed(point, alarm, state, at, value, now):
    """A point's state moved: a new alarm, a rise in level, a return (repeat) or back to normal. `point` is a
    MonitoringPoint or the batch's `Live` row: its id, firm, name and unit are all that is read."""
    if state == NORMAL:
        if alarm is not None and alarm.normal_since is None:
            alarm.normal_since = at
            AlarmEvent.objects.create(alarm=alarm, action="normal", at=at, value=value)
            return alarm
        return None
    level = AlarmLevel(state)
    if alarm is None:
        alarm = Alarm.objects.create(
            point_id=point.id, enterprise_id=point.enterprise_id, level=level, triggered_at=at, value=value, peak_value=value,
            acknowledge_by=max(at, now) + datetime.timedelta(minutes=settings.ZHUQI_ALARM_ACK_MINUTES),
        )  # fmt: skip
        AlarmEvent.objects.create(alarm=alarm, action="trigger", at=at, level=level, value=value)
        TimelineEntry.objects.create(
            enterprise_id=point.enterprise_id, kind=TIMELINE_KIND, occurred_at=at,
            summary=_("%(point)s %(level)s: %(value)s %(unit)s")
            % {"point": point.name, "level": level.label, "value": "—" if value is None else value, "unit": point.unit},
            details={"alarm": alarm.pk},
        )  # fmt: skip
        _tell_enterprise(alarm, point)
        return alarm
    if alarm.normal_since is not None:
        alarm.normal_since = None
        alarm.repeats += 1
        AlarmEvent.objects.create(alarm=alarm, action="repeat", at=at, level=level, value=value)
    if GRAVITY[level] > GRAVITY[AlarmLevel(alarm.level)]:
        alarm.level = level
        AlarmEvent.objects.create(alarm=alarm, action="rise", at=at, level=level, value=value)
    return alarm


def _repeating(alarm, now) -> bool:
    window = now - datetime.timedelta(minutes=settings.ZHUQI_ALARM_REPEAT_WINDOW_MINUTES)
    returns = AlarmEvent.objects.filter(
        alarm__point_id=alarm.point_id, action__in=["trigger", "repeat"], at__gte=min(window, alarm.triggered_at)
    ).count()
    return returns >= settings.ZHUQI_ALARM_REPEAT_COUNT


_LEVEL_WORDS = {"offline": "离线", "low": "低报", "high": "高报", "high_high": "高高报"}


def _tell_enterprise(alarm, point):
    people = User.objects.filter(is_active=True, role=Role.ENTERPRISE_CONTACT, enterprise_id=alarm.enterprise_id)
    notify(
        people,
        title=_("Alarm: %(point)s %(level)s") % {"point": point.name, "level": alarm.get_level_display()},
        body=_("Value %(value)s %(unit)s; acknowledge by %(due)s")
        % {
            "value": alarm.value,
            "unit": point.unit,
            "due": timezone.localtime(alarm.acknowledge_by).strftime("%H:%M"),
        },
        url=reverse("alarm-detail", args=[alarm.pk]),
        sms=True,
        sms_text=alarm_sms(alarm, point),
    )


def alarm_sms(alarm, point) -> str:
    """The firm, the point, how bad, the reading, and by when to acknowledge, in one SMS (in Chinese, as every
    SMS under the platform's signature is)."""
    due = timezone.localtime(alarm.acknowledge_by).strftime("%H:%M")
    return sms_fit(
        "{firm}「{point}」{level}{reading}，请于{due}前确认",
        shrink={"firm": firm_short(alarm.enterprise.name), "point": point.name},
        level=_LEVEL_WORDS.get(alarm.level, ""), due=due,
        reading=f"，读数{alarm.value:g}{point.unit}" if alarm.value is not None else "",
    )  # fmt: skip


def may_act(user, alarm) -> bool:
    """The firm acknowledges and handles its own alarms; the zone office and the bureau that owns the alarm
    category may act on any."""
    if user.role == Role.ENTERPRISE_CONTACT:
        return user.enterprise_id == alarm.enterprise_id
    if user.role == Role.ZONE_COORDINATOR:
        return True
    category = Category.objects.filter(kind=ALARM_KIND, name=ALARM_CATEGORY).first()
    return (
        user.role == Role.DEPARTMENT_HANDLER and category is not None and user.department_id == category.department_id
    )


@dataclass(frozen=True)
class AlarmTransition:
    """One row of the alarm's lifecycle: the statuses it starts from, where it leads, the time it stamps."""

    sources: frozenset
    target: str
    stamp: str
    wrong_status: object  # the message when the alarm is in another status
    needs_comment: bool = False  # 处置 says what was done; the comment becomes the alarm's handling
    needs_normal: bool = False  # 消警 only once the value is back to normal


ST = AlarmStatus
# 确认 (the firm, within the time allowed), 处置 (what was done, again if need be), 消警 (once back to normal)
ALARM_TRANSITIONS: dict[str, AlarmTransition] = {
    "acknowledge": AlarmTransition(frozenset({ST.TRIGGERED}), ST.ACKNOWLEDGED, "acknowledged_at",
                                   gettext_lazy("This alarm has already been acknowledged")),
    "handle": AlarmTransition(frozenset({ST.ACKNOWLEDGED, ST.HANDLED}), ST.HANDLED, "handled_at",
                              gettext_lazy("Acknowledge the alarm first"), needs_comment=True),
    "clear": AlarmTransition(frozenset({ST.HANDLED}), ST.CLEARED, "cleared_at",
                             gettext_lazy("Record what was done before clearing the alarm"), needs_normal=True),
}  # fmt: skip


@transaction.atomic
def alarm_act(*, alarm: Alarm, action: str, by, comment: str = "") -> Alarm:
    """The people's steps in an alarm's lifecycle, as ALARM_TRANSITIONS says."""
    alarm = Alarm.objects.select_for_update().select_related("point").get(pk=alarm.pk)
    if not may_act(by, alarm):
        raise DomainError(AlarmError.NOT_ALLOWED, _("You may not act on this alarm"))
    transition = ALARM_TRANSITIONS.get(action)
    if transition is None:
        raise DomainError(AlarmError.INVALID, _("Unknown action"))
    comment = (comment or "").strip()
    if alarm.status not in transition.sources:
        raise DomainError(AlarmError.WRONG_STATUS, str(transition.wrong_status))
    if transition.needs_comment and not comment:
        raise DomainError(AlarmError.INVALID, _("Say what was done"), field="comment")
    if transition.needs_normal and (alarm.normal_since is None or alarm.point.state != NORMAL):
        raise DomainError(AlarmError.WRONG_STATUS, _("The value is not back to normal yet"))
    alarm.status = transition.target
    setattr(alarm, transition.stamp, timezone.now())
    if transition.needs_comment:
        alarm.handling = comment[:2000]
    alarm.save()
    AlarmEvent.objects.create(alarm=alarm, action=action, actor=by, comment=comment)
    if transition.target == ST.CLEARED:
        TimelineEntry.objects.create(
            enterprise_id=alarm.enterprise_id, kind=TIMELINE_KIND, actor=by,
            summary=_("%(point)s alarm cleared: %(handling)s") % {"point": alarm.point.name, "handling": alarm.handling[:200]},
            details={"alarm": alarm.pk},
        )  # fmt: skip
    return alarm


def platform_account() -> User:
    """The platform itself, as the reporter of the cases it opens; it has no password and cannot log in."""
    user, created = User.objects.get_or_create(
        username=PLATFORM_USERNAME,
        defaults={"full_name": _("Monitoring and early warning"), "role": Role.ZONE_COORDINATOR},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def alarm_to_case(*, alarm: Alarm, reason: str):
    """An alarm nobody acknowledged in time, or one that keeps coming back: a case of kind 监测告警 for the
    emergency-management bureau, with the alarm's history in it."""
    alarm = Alarm.objects.select_for_update().select_related("point", "enterprise").get(pk=alarm.pk)
    if alarm.case_id:
        return alarm.case
    category = _alarm_category()
    history = "\n".join(
        f"{timezone.localtime(e.at):%Y-%m-%d %H:%M:%S} {e.get_action_display()} {e.get_level_display() if e.level else ''} "
        f"{'' if e.value is None else e.value}".strip()
        for e in alarm.events.order_by("at", "id")
    )
    description = _("%(point)s (%(code)s) %(level)s, value %(value)s %(unit)s at %(at)s; %(reason)s.") % {
        "point": alarm.point.name,
        "code": alarm.point.code,
        "level": alarm.get_level_display(),
        "value": alarm.value,
        "unit": alarm.point.unit,
        "at": f"{timezone.localtime(alarm.triggered_at):%Y-%m-%d %H:%M:%S}",
        "reason": reason,
    }
    heading = _("Alarm history")
    case = case_raise(
        by=platform_account(), category=category, enterprise=alarm.enterprise, source=Source.MONITORING,
        description=f"{description}\n{heading}:\n{history}",
    )  # fmt: skip
    alarm.case = case
    alarm.save(update_fields=["case"])
    AlarmEvent.objects.create(alarm=alarm, action="case", comment=f"{case.number} {reason}")
    return case


def _alarm_category() -> Category:
    category = Category.objects.filter(kind=ALARM_KIND, name=ALARM_CATEGORY, is_active=True).first()
    if category is None:
        raise DomainError(
            AlarmError.INVALID, _("No active category “%(name)s” for monitoring alarms") % {"name": ALARM_CATEGORY}
        )
    return category


@transaction.atomic
def outage_to_case(*, outage: Outage, now: datetime.datetime):
    """A gateway still silent ZHUQI_OUTAGE_ESCALATE_MINUTES after its outage was noticed: its points are unwatched.
    One case of kind 监测告警 for the emergency-management bureau (never one per point), and the firm's service
    officer told by inbox and SMS. None when it ended or was escalated meanwhile."""
    outage = (
        Outage.objects.select_for_update(of=("self",))
        .select_related("enterprise", "gateway")
        .filter(pk=outage.pk, ended_at__isnull=True, case__isnull=True)
        .first()
    )
    if outage is None:
        return None
    category = _alarm_category()
    since = timezone.localtime(outage.last_reading_at or outage.started_at)
    minutes = round((now - (outage.last_reading_at or outage.started_at)).total_seconds() / 60)
    gateway = outage.gateway.name if outage.gateway_id else _("sensor gateway")
    points = outage.enterprise.monitoring_points.filter(is_active=True, gateway_id=outage.gateway_id).order_by("code")
    description = _(
        "%(gateway)s of %(firm)s has sent nothing since %(since)s (%(minutes)s minutes): its %(n)s monitoring points "
        "are unwatched. The firm was told when it was noticed and has not brought it back."
    ) % {"gateway": gateway, "firm": outage.enterprise.name, "since": f"{since:%Y-%m-%d %H:%M}",
         "minutes": minutes, "n": outage.points}  # fmt: skip
    listing = "\n".join(f"{p.code} {p.name}" for p in points)
    case = case_raise(
        by=platform_account(), category=category, enterprise=outage.enterprise, source=Source.MONITORING,
        description=f"{description}\n{_('Points')}:\n{listing}",
    )  # fmt: skip
    outage.case = case
    outage.save(update_fields=["case"])
    officer = outage.enterprise.service_officer
    if officer is not None and officer.is_active:
        firm = outage.enterprise.name
        notify(
            [officer],
            title=_("Gateway silent for %(minutes)s minutes: %(firm)s, case %(number)s") % {
                "minutes": minutes, "firm": firm, "number": case.number,
            },
            body=description,
            url=reverse("case-detail", args=[case.pk]),
            sms=True,
            sms_text=sms_fit("{firm}采集网关停报{minutes}分钟，{n}个监测点无人值守，已转应急管理局{number}，请督促企业恢复",
                             shrink={"firm": firm_short(firm)}, minutes=minutes, n=outage.points, number=case.number),
        )  # fmt: skip
    return case


def _silent_points(now: datetime.datetime):
    """Active points not yet offline that have sent nothing for their set time, the condition in SQL (so that
    the lock can check it again on the row as it is then)."""
    second = Value(datetime.timedelta(seconds=1), DurationField())
    seconds = ExpressionWrapper(F("offline_after_seconds"), IntegerField())  # SQLite multiplies plain integers only
    silence = ExpressionWrapper(second * seconds, DurationField())
    return (
        MonitoringPoint.objects.filter(is_active=True)
        .exclude(state=AlarmLevel.OFFLINE)
        .filter(Q(last_at__isnull=True) | Q(last_at__lt=Value(now) - silence))
        .order_by("pk")
    )


def alarms_sweep(*, now: datetime.datetime | None = None) -> dict:
    """What the ingester and the worker run every few seconds: points without data for their set time go
    offline; a whole platform or firm gone silent is one outage (outages.py), any other silent point an offline
    alarm of its own; alarms not acknowledged in time become cases."""
    now = now or timezone.now()
    silent = _silent_points(now)
    offline = 0
    for pk in silent.values_list("pk", flat=True):
        # the UPDATE checks the condition again on the row as it is once locked: a reading stored since the list
        # was read keeps the point online
        offline += silent.filter(pk=pk).update(state=AlarmLevel.OFFLINE, pending_level="", pending_since=None)
    cover, outages = outages_sweep(now=now)
    alarms = 0 if cover.everything else _offline_alarms_raise(now, cover)
    escalated = 0
    for outage in outages_to_escalate(now=now):
        try:
            escalated += outage_to_case(outage=outage, now=now) is not None
        except DomainError:  # no alarm category configured: said in the log, tried again next sweep
            logger.exception("could not open a case for outage %s", outage.pk)
    overdue = Alarm.objects.filter(status=AlarmStatus.TRIGGERED, acknowledge_by__lt=now, case__isnull=True)
    cases = 0
    for alarm in overdue:
        try:
            alarm_to_case(alarm=alarm, reason=_("not acknowledged in time"))
        except DomainError:  # no alarm category configured: said in the log, tried again next sweep
            logger.exception("could not open a case for alarm %s", alarm.pk)
            continue
        cases += 1
    return {"offline": offline, "offline_alarms": alarms, "outages_opened": outages["opened"],
            "outages_ended": outages["ended"], "outages_escalated": escalated, "cases": cases}  # fmt: skip


def _offline_alarms_raise(now, cover) -> int:
    """An offline alarm for each offline point without an open alarm that no outage covers: a point silent while
    the others of its firm report, including one still silent after its firm's or the platform's outage ended."""
    open_alarm = Alarm.objects.filter(point=OuterRef("pk")).exclude(status=AlarmStatus.CLEARED)
    candidates = (
        MonitoringPoint.objects.filter(is_active=True, state=AlarmLevel.OFFLINE)
        .exclude(gateway_id__in=cover.gateways)
        .exclude(gateway__isnull=True, enterprise_id__in=cover.firms)
        .exclude(Exists(open_alarm))
        .order_by("pk")
    )
    raised = 0
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            point = candidates.select_for_update().select_related("enterprise").filter(pk=pk).first()
            if point is None or Alarm.objects.filter(point=point).exclude(status=AlarmStatus.CLEARED).exists():
                continue
            _state_changed(point, None, AlarmLevel.OFFLINE, now, None, now)
            raised += 1
    return raised
