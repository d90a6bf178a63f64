"""重污染天气应急: the writes. Grades and lists; an alert's steps as one transition table (activate, change level,
lift), each audited with actor and time; activation writing every firm's task, its check-in for the day, its SMS
and in-app message and the day's spot checks exactly once however often it is clicked or retried; check-ins,
spot checks and the readings' proof; a finding of non-compliance becoming a case for the bureau."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core import registry
from zhuqi.core.audit import audit_record
from zhuqi.core.bulk import insert_rows
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.core.roles import Role
from zhuqi.core.sms_text import firm_short, sms_fit
from zhuqi.enterprises.models import Contact, TimelineEntry
from zhuqi.notifications.models import Notification, OutboxMessage
from zhuqi.org.models import User

from . import measures, rules
from .errors import PollutionError
from .errors import must_manage as _must_manage
from .models import (
    BUREAU,
    CASE_CATEGORY,
    CASE_KIND,
    TIMELINE_KIND,
    Action,
    Alert,
    AlertEvent,
    AlertStatus,
    AlertTask,
    CheckIn,
    Compliance,
    EmissionSource,
    Finding,
    FindingSource,
    Level,
    PollutionCase,
    PollutionFirm,
    SpotCheck,
    SpotResult,
    compliance_of_latest,
)  # fmt: skip
from .selectors import UNCONFIRMED_AFTER, can_manage, tasks_visible_to

SPOT_CHECKS_PER_GRID = 3  # a grid member's firms to look at in a day of alert


# -- alerts: one transition table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    sources: frozenset
    target: str
    label: str


S = AlertStatus
STEPS: dict[str, Step] = {
    "activate": Step(frozenset({S.ISSUED}), S.ACTIVE, "Activate for the zone"),
    "change_level": Step(frozenset({S.ACTIVE}), S.ACTIVE, "Change the level"),
    "lift": Step(frozenset({S.ACTIVE}), S.LIFTED, "Lift the alert"),
}


def steps_allowed(alert: Alert, user) -> list[str]:
    """The steps the table offers on this alert to this user (the page shows these buttons only)."""
    if not can_manage(user):
        return []
    return [name for name, step in STEPS.items() if alert.status in step.sources]


@transaction.atomic
def alert_issue(*, level: str, document: str, starts_at: datetime.datetime, ends_at=None, region: str = "平顶山市",
                by, now: datetime.datetime | None = None) -> Alert:  # fmt: skip
    """The alert as the city issued it (not yet activated for the zone)."""
    _must_manage(by)
    if level not in Level.values:
        raise DomainError(PollutionError.INVALID, _("Choose the alert level"), field="level")
    if not (document or "").strip():
        raise DomainError(PollutionError.INVALID, _("Name the issuing document"), field="document")
    if ends_at is not None and ends_at <= starts_at:
        raise DomainError(PollutionError.INVALID, _("The alert must end after it starts"), field="ends_at")
    now = now or timezone.now()
    alert = Alert.objects.create(level=level, document=document.strip(), starts_at=starts_at, ends_at=ends_at,
                                 region=(region or "平顶山市").strip(), created_by=by, created_at=now)  # fmt: skip
    AlertEvent.objects.create(alert=alert, action="issue", to_status=alert.status, to_level=level, by=by, at=now)
    audit_record(actor=by, event=AuditEvent.CREATE, obj=alert, detail=document)
    return alert


def alert_act(*, alert: Alert, action: str, by, level: str = "", note: str = "", version: int | None = None,
              now: datetime.datetime | None = None) -> Alert:  # fmt: skip
    """The one way an alert moves: locks it, checks the table, applies the step's effect, appends the event.
    A step that finds the alert already where it leads (a second click, a retry) does nothing."""
    now = now or timezone.now()
    step = STEPS.get(action)
    if step is None:
        raise DomainError(PollutionError.INVALID, _("Unknown step"))
    _must_manage(by)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if action == "activate" and alert.status == S.ACTIVE or action == "lift" and alert.status == S.LIFTED:
            return alert  # clicked twice or retried: done already, nothing more is written
        if alert.status not in step.sources:
            raise DomainError(PollutionError.WRONG_STATUS, _("This step is not possible in the alert's status"))
        if version is not None and version != alert.version:
            raise DomainError(PollutionError.STALE, _("Already handled by someone else; refresh and try again"))
        before_status, before_level = alert.status, alert.level
        EFFECTS[action](alert, by=by, now=now, level=level)
        alert.status = step.target
        alert.version = F("version") + 1
        alert.save()
        alert.refresh_from_db()
        AlertEvent.objects.create(alert=alert, action=action, from_status=before_status, to_status=alert.status,
                                  from_level=before_level, to_level=alert.level, note=note[:200], by=by, at=now)  # fmt: skip
        audit_record(actor=by, event=AuditEvent.UPDATE, obj=alert,
                     changes={"status": [before_status, alert.status], "level": [before_level, alert.level]},
                     detail=action)  # fmt: skip
    return alert


def _at(moment):
    return connection.ops.adapt_datetimefield_value(moment)


TASK_FIELDS = ["alert_id", "enterprise_id", "park_id", "grid_id", "sector", "grade", "level", "action", "cut_percent",
               "lines_stop_percent", "transport_ban", "road_transport_stopped", "measure", "baseline", "allowed_output",
               "so2", "nox", "pm", "vocs", "sms_text", "from_at"]  # fmt: skip


def _task_rows(alert: Alert, level: str, firms, table, from_at) -> list[dict]:
    """Each listed firm's task as plain values (thousands of firms: no model instance per firm)."""
    hour = timezone.localtime(from_at)
    level_label, when = str(Level(level).label), f"{hour.day}日{hour.hour}时"
    rows = []
    for firm in firms:
        measure = table.resolve(enterprise_id=firm["enterprise_id"], sector=firm["sector"], grade=firm["grade"],
                                level=level, livelihood=firm["livelihood"])  # fmt: skip
        if measure is None:
            continue
        base = measures.baseline(approval=firm["approval_capacity"], permit=firm["permit_capacity"],
                                 last_year=firm["last_year_daily"])  # fmt: skip
        text = sms_fit("{firm}：{level}{when}起{measure}，请登录助企平台确认并每日报送。",
                       shrink={"firm": firm_short(firm["name"]), "measure": measure.text},
                       level=level_label, when=when)  # fmt: skip
        rows.append({
            "alert_id": alert.pk, "enterprise_id": firm["enterprise_id"], "park_id": firm["park_id"],
            "grid_id": firm["grid_id"], "sector": firm["sector"], "grade": firm["grade"], "level": level,
            "action": measure.action, "cut_percent": measure.cut_percent,
            "lines_stop_percent": measure.lines_stop_percent, "transport_ban": measure.transport_ban,
            "road_transport_stopped": measure.road_transport_stopped, "measure": measure.text[:200], "baseline": base,
            "allowed_output": measures.allowed_output(base, measure.cut_percent), "so2": firm["so2"] or 0,
            "nox": firm["nox"] or 0, "pm": firm["pm"] or 0, "vocs": firm["vocs"] or 0, "sms_text": text,
            "from_at": from_at,
        })  # fmt: skip
    return rows


def _listed_firms():
    from django.db.models import Sum

    return (PollutionFirm.objects.filter(on_list=True)
            .values("enterprise_id", "sector", "grade", "livelihood", "approval_capacity", "permit_capacity",
                    "last_year_daily", name=F("enterprise__name"), park_id=F("enterprise__park_id"),
                    grid_id=F("enterprise__grid_id"))
            .annotate(so2=Sum("sources__so2"), nox=Sum("sources__nox"), pm=Sum("sources__pm"),
                      vocs=Sum("sources__vocs")).order_by("enterprise_id"))  # fmt: skip


def _tell(alert: Alert, *, title: str, only_unnotified: bool, now) -> None:
    """Each task's firm: its SMS (the task's own text, naming the measure and the hour) to its first contact with
    a phone, and a message in its accounts' inboxes. The number is copied as stored (sealed), never decrypted."""
    task, contact, outbox = AlertTask._meta.db_table, Contact._meta.db_table, OutboxMessage._meta.db_table
    inbox, users = Notification._meta.db_table, User._meta.db_table
    where = "t.alert_id = %s" + (" AND t.notified_at IS NULL" if only_unnotified else "")
    at = _at(now)
    url_prefix = reverse("pollution-task", args=[0])[:-2]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {outbox} (channel, recipient, subject, body, status, attempts, next_attempt_at,
                                      last_error, created_at)
                SELECT 'sms', c.phone, %s, t.sms_text, 'pending', 0, %s, '', %s
                FROM {task} t JOIN {contact} c ON c.id = (SELECT c2.id FROM {contact} c2
                     WHERE c2.enterprise_id = t.enterprise_id AND c2.phone <> ''
                     ORDER BY c2.is_primary DESC, c2.id LIMIT 1)
                WHERE {where}""",  # noqa: S608  # nosec B608  (table names from the models; values are parameters)
            [title[:200], at, at, alert.pk],
        )
        concat = "%s || t.id || '/'" if connection.vendor != "mysql" else "CONCAT(%s, t.id, '/')"
        cursor.execute(
            f"""INSERT INTO {inbox} (recipient_id, title, body, url, created_at)
                SELECT u.id, %s, t.measure, {concat}, %s FROM {users} u JOIN {task} t ON t.enterprise_id = u.enterprise_id
                WHERE u.is_active = %s AND u.role = %s AND {where}""",  # noqa: S608  # nosec B608  (table names from the models; values are parameters)
            [title[:120], url_prefix, at, True, Role.ENTERPRISE_CONTACT, alert.pk],
        )
    AlertTask.objects.filter(alert=alert, **({"notified_at__isnull": True} if only_unnotified else {})).update(
        notified_at=now
    )

    def deliver_soon():
        from zhuqi.core.background import run_in_background
        from zhuqi.notifications.tasks import outbox_deliver

        run_in_background(outbox_deliver)

    transaction.on_commit(deliver_soon)


def day_open(*, alert: Alert, day: datetime.date) -> int:
    """The day's check-in for every open task and the day's spot checks, once (unique per task and day); how
    many check-ins it opened."""
    tasks = list(AlertTask.objects.filter(alert=alert, closed_at__isnull=True, grid__member__isnull=False)
                 .values_list("pk", "grid_id", "grid__member_id", "enterprise_id"))  # fmt: skip
    with connection.cursor() as cursor:  # one statement; a check-in already open for the day is left as it is
        cursor.execute(
            f"""INSERT INTO {CheckIn._meta.db_table} (task_id, day, note)
                SELECT t.id, %s, '' FROM {AlertTask._meta.db_table} t WHERE t.alert_id = %s AND t.closed_at IS NULL
                ON CONFLICT (task_id, day) DO NOTHING""",  # noqa: S608  # nosec B608  (table names from the models; values are parameters)
            [connection.ops.adapt_datefield_value(day), alert.pk],
        )
        opened = cursor.rowcount
    # spot checks: for each grid, the first firms that have none yet in this alert, rotating day by day
    checked = set(SpotCheck.objects.filter(task__alert=alert).values_list("task_id", flat=True))
    if SpotCheck.objects.filter(task__alert=alert, day=day).exists():
        return opened
    by_grid: dict[int, list] = {}
    for t in tasks:
        by_grid.setdefault(t[1], []).append(t)
    spots = []
    for grid_tasks in by_grid.values():
        grid_tasks.sort(key=lambda t: (t[0] in checked, t[3]))
        spots += [SpotCheck(task_id=t[0], day=day, assignee_id=t[2]) for t in grid_tasks[:SPOT_CHECKS_PER_GRID]]
    SpotCheck.objects.bulk_create(spots, ignore_conflicts=True, batch_size=2000)
    return opened


def _activate(alert: Alert, *, by, now, level):
    from_at = max(alert.starts_at, now) if alert.starts_at > now else alert.starts_at
    firms = list(_listed_firms())
    table = measures.MeasureTable(on=timezone.localdate(from_at))
    rows = _task_rows(alert, alert.level, firms, table, from_at)
    if connection.vendor == "postgresql" and not AlertTask.objects.filter(alert=alert).exists():
        # the first activation under the alert's row lock: the rows go by COPY (the unique constraint would still
        # refuse a second task per firm, rolling everything back rather than doubling anything)
        insert_rows(AlertTask, TASK_FIELDS, ([row[n] for n in TASK_FIELDS] for row in rows))
    else:
        AlertTask.objects.bulk_create([AlertTask(**row) for row in rows], ignore_conflicts=True, batch_size=2000)
    day_open(alert=alert, day=timezone.localdate(now))
    _tell(alert, title=_("%(level)s: emergency reduction from %(when)s") % {
        "level": alert.get_level_display(), "when": f"{timezone.localtime(from_at):%m-%d %H:%M}"},
        only_unnotified=True, now=now)  # fmt: skip
    alert.activated_at = now


def _change_level(alert: Alert, *, by, now, level):
    if level not in Level.values or level == alert.level:
        raise DomainError(PollutionError.INVALID, _("Choose another level"), field="level")
    alert.level = level
    firms = {f["enterprise_id"]: f for f in _listed_firms()}
    table = measures.MeasureTable(on=timezone.localdate(now))
    tasks = list(AlertTask.objects.filter(alert=alert, closed_at__isnull=True))
    fresh = {t["enterprise_id"]: t for t in _task_rows(alert, level, [firms[t.enterprise_id] for t in tasks
                                                                    if t.enterprise_id in firms], table, now)}  # fmt: skip
    fields = ["level", "action", "cut_percent", "lines_stop_percent", "transport_ban", "road_transport_stopped",
              "measure", "allowed_output", "sms_text", "from_at"]  # fmt: skip
    for t in tasks:
        new = fresh.get(t.enterprise_id)
        if new is not None:
            for name in fields:
                setattr(t, name, new[name])
            t.confirmed_at, t.confirmed_by = None, None  # the new measure is confirmed anew
    AlertTask.objects.bulk_update(tasks, [*fields, "confirmed_at", "confirmed_by"], batch_size=2000)
    _tell(alert, title=_("Alert changed to %(level)s: new reduction measures") % {"level": Level(level).label},
          only_unnotified=False, now=now)  # fmt: skip


def _lift(alert: Alert, *, by, now, level):
    """Lifting closes every task and records the firm's part on its file's timeline."""
    alert.lifted_at = now
    for task in AlertTask.objects.filter(alert=alert, closed_at__isnull=True):
        compliance_refresh(task=task)
    AlertTask.objects.filter(alert=alert, closed_at__isnull=True).update(closed_at=now)
    SpotCheck.objects.filter(task__alert=alert, result=SpotResult.OPEN).delete()  # not done: nothing to keep
    labels = dict(Compliance.choices)
    entries = [
        TimelineEntry(
            enterprise_id=t.enterprise_id,
            kind=TIMELINE_KIND,
            actor=by,
            occurred_at=now,
            summary=f"{alert}（{alert.document}）解除：{t.measure}，{labels[t.compliance]}",
            details={"alert": alert.pk, "task": t.pk, "compliance": t.compliance},
        )  # fmt: skip
        for t in AlertTask.objects.filter(alert=alert).only("pk", "enterprise_id", "measure", "compliance")
    ]
    TimelineEntry.objects.bulk_create(entries, batch_size=2000)


EFFECTS = {"activate": _activate, "change_level": _change_level, "lift": _lift}


# -- the firm: confirm, check in ----------------------------------------------------------------------------------


def _task_for(by, task) -> AlertTask:
    task = AlertTask.objects.select_for_update().select_related("alert").get(pk=task.pk)
    if not tasks_visible_to(by).filter(pk=task.pk).exists():
        raise DomainError(PollutionError.NOT_ALLOWED, _("You may not act for this firm"))
    if task.closed_at is not None:
        raise DomainError(PollutionError.WRONG_STATUS, _("The alert is lifted: this task is closed"))
    return task


@transaction.atomic
def task_confirm(*, task: AlertTask, by) -> AlertTask:
    """The firm confirms it has received its measure and carries it out (once; again after a level change)."""
    task = _task_for(by, task)
    if by.role != Role.ENTERPRISE_CONTACT and not can_manage(by):
        raise DomainError(PollutionError.NOT_ALLOWED, _("The firm confirms its own task"))
    if task.confirmed_at is None:
        task.confirmed_at, task.confirmed_by = timezone.now(), by
        task.save(update_fields=["confirmed_at", "confirmed_by"])
    return task


def _number(value, field: str, *, whole: bool = False):
    text = str(value if value is not None else "").strip()
    if text == "":
        raise DomainError(PollutionError.INVALID, _("Fill in this field"), field=field)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise DomainError(PollutionError.INVALID, _("Enter a number"), field=field) from None
    if number < 0 or number > Decimal("9999999999"):
        raise DomainError(PollutionError.INVALID, _("Enter a number of 0 or more"), field=field)
    if whole:
        if number != number.to_integral_value():
            raise DomainError(PollutionError.INVALID, _("Enter a whole number"), field=field)
        return int(number)
    return number


def _lines_of(task) -> int:
    return EmissionSource.objects.filter(firm__enterprise_id=task.enterprise_id, kind="line").count()


def lines_required(task) -> int:
    lines = _lines_of(task)
    return -(-lines * task.lines_stop_percent // 100)  # rounded up: “stop 50% of 3 lines” is 2


def checkin_evaluate(*, task: AlertTask, checkin: CheckIn):
    """The check-in against the measure's rules (the shared engine's rule set pollution.compliance)."""
    evaluate = registry.selector("rules.evaluate")
    current = {
        "pollution_output": float(checkin.output), "pollution_baseline": float(task.baseline),
        "pollution_cut_percent": int(task.cut_percent), "pollution_lines_stopped": int(checkin.lines_stopped or 0),
        "pollution_lines_required": lines_required(task), "pollution_transport_ban": bool(task.transport_ban),
        "pollution_old_trucks_used": int(checkin.old_trucks_used or 0),
    }  # fmt: skip
    if task.action in (Action.SELF, Action.LIVELIHOOD):
        current["pollution_cut_percent"] = 0
    evaluation = evaluate(ruleset=rules.RULESET, current=current, on=checkin.day)
    return [o for o in evaluation.outcomes if o.rule.code not in rules.READING_RULES]


@transaction.atomic
def checkin_submit(*, task: AlertTask, by, values: dict, photo=None, day: datetime.date | None = None,
                   now: datetime.datetime | None = None) -> CheckIn:  # fmt: skip
    """The day's check-in (a second one the same day corrects it): checked, evaluated against the rules, kept as a
    finding; the firm's compliance follows."""
    task = _task_for(by, task)
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    output = _number(values.get("output"), "output")
    stopped = _number(values.get("lines_stopped"), "lines_stopped", whole=True)
    cut = _number(values.get("lines_cut") or 0, "lines_cut", whole=True)
    trucks = _number(values.get("old_trucks_used") or 0, "old_trucks_used", whole=True)
    lines = _lines_of(task)
    if lines and stopped + cut > lines:
        raise DomainError(PollutionError.INVALID, _("The firm has %(n)d production lines") % {"n": lines},
                          field="lines_stopped")  # fmt: skip
    checkin, _created = CheckIn.objects.select_for_update().get_or_create(task=task, day=day)
    checkin.output, checkin.lines_stopped, checkin.lines_cut, checkin.old_trucks_used = output, stopped, cut, trucks
    checkin.note = (values.get("note") or "").strip()[:300]
    checkin.submitted_at, checkin.submitted_by = now, by
    if photo is not None:
        from zhuqi.core.attachments import attachment_store

        checkin.photo = attachment_store(owner=checkin, upload=photo, by=by)
    checkin.save()
    if task.confirmed_at is None and by.role == Role.ENTERPRISE_CONTACT:
        task.confirmed_at, task.confirmed_by = now, by
        task.save(update_fields=["confirmed_at", "confirmed_by"])
    outcomes = checkin_evaluate(task=task, checkin=checkin)
    failing = [o for o in outcomes if o.verdict == "false"]
    Finding.objects.create(task=task, source=FindingSource.CHECKIN, ok=not failing, observed=output,
                           allowed=task.allowed_output,
                           detail=("；".join(o.message for o in failing) or "报送情况符合减排措施")[:300], at=now)  # fmt: skip
    compliance_refresh(task=task)
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=checkin, changes={"output": [None, str(output)]})
    return checkin


# -- proof: spot checks and readings ------------------------------------------------------------------------------


@transaction.atomic
def spot_check_record(
    *, spot: SpotCheck, by, result: str, note: str, now: datetime.datetime | None = None
) -> SpotCheck:
    """The grid member or inspector records what was found; producing beyond the list becomes a case."""
    spot = SpotCheck.objects.select_for_update().select_related("task__alert", "task__enterprise").get(pk=spot.pk)
    if not (can_manage(by) or spot.assignee_id == by.pk):
        raise DomainError(PollutionError.NOT_ALLOWED, _("This spot check is assigned to someone else"))
    if spot.task.closed_at is not None:
        raise DomainError(PollutionError.WRONG_STATUS, _("The alert is lifted: this task is closed"))
    if result not in (SpotResult.COMPLIANT, SpotResult.NON_COMPLIANT):
        raise DomainError(PollutionError.INVALID, _("Say whether the measures were in place"), field="result")
    note = (note or "").strip()
    if result == SpotResult.NON_COMPLIANT and len(note) < 4:
        raise DomainError(PollutionError.INVALID, _("Describe what was found (lines running, output, trucks)"),
                          field="note")  # fmt: skip
    spot.result, spot.note, spot.checked_by, spot.checked_at = result, note[:300], by, now or timezone.now()
    spot.save()
    ok = result == SpotResult.COMPLIANT
    Finding.objects.create(task=spot.task, source=FindingSource.SPOT_CHECK, ok=ok,
                           detail=(note or "措施落实到位")[:300], at=spot.checked_at)  # fmt: skip
    compliance_refresh(task=spot.task)
    if not ok:
        finding_raise_case(
            task=spot.task, by=by, evidence=f"现场抽查 {timezone.localtime(spot.checked_at):%Y-%m-%d %H:%M}：{note}"
        )
    return spot


@transaction.atomic
def readings_compare(*, alert: Alert, now: datetime.datetime | None = None) -> dict:
    """Each open task whose firm has monitoring points heard from in the last two hours (monitoring's registered
    selector): its electricity load against its normal load cut as the measure asks (rule load_within_cut), and,
    where the measure stops the firm, its CEMS outlets against a stack without flue gas (rule
    stacks_idle_when_stopped). A comparison is kept as a finding; one that disagrees is flagged as a mismatch."""
    now = now or timezone.now()
    tasks = list(AlertTask.objects.filter(alert=alert, closed_at__isnull=True))
    try:
        latest = registry.selector("monitoring.latest_by_firm")
    except KeyError:
        return {"compared": 0, "mismatches": 0}
    ids, since = [t.enterprise_id for t in tasks], now - datetime.timedelta(hours=2)
    normal = dict(PollutionFirm.objects.filter(enterprise_id__in=ids, normal_load_kw__isnull=False)
                  .values_list("enterprise_id", "normal_load_kw"))  # fmt: skip
    loads = latest(enterprise_ids=list(normal), quantity="electric_load", since=since)
    stopped = [
        t.enterprise_id for t in tasks if t.cut_percent >= 100 and t.action not in (Action.SELF, Action.LIVELIHOOD)
    ]
    outlets: dict[int, float] = {}
    for quantity in rules.CEMS if stopped else ():
        for pk, value in latest(enterprise_ids=stopped, quantity=quantity, since=since, highest=True).items():
            outlets[pk] = max(value, outlets.get(pk, value))
    evaluate = registry.selector("rules.evaluate")
    compared = mismatches = 0
    for task in tasks:
        load, stack = loads.get(task.enterprise_id), outlets.get(task.enterprise_id)
        if load is None and stack is None:
            continue
        cut = 0 if task.action in (Action.SELF, Action.LIVELIHOOD) else task.cut_percent
        current = {"pollution_cut_percent": int(cut)}
        if load is not None:
            current |= {"pollution_load_kw": float(load), "pollution_normal_load_kw": float(normal[task.enterprise_id])}
        if stack is not None:
            current["pollution_cems_mg"] = float(stack)
        evaluation = evaluate(ruleset=rules.RULESET, on=timezone.localdate(now), current=current)
        failing = [o for o in evaluation.outcomes if o.rule.code in rules.READING_RULES and o.verdict == "false"]
        if load is not None:
            observed = Decimal(str(round(load, 1)))
            allowed = (normal[task.enterprise_id] * (110 - cut) / 100).quantize(Decimal("0.1"))
        else:
            observed, allowed = Decimal(str(round(stack, 1))), Decimal(rules.CEMS_IDLE_MG)
        Finding.objects.create(task=task, source=FindingSource.READING, ok=not failing, observed=observed,
                               allowed=allowed, at=now,
                               detail=("；".join(o.message for o in failing) or "在线监测数据与减排要求相符")[:300])  # fmt: skip
        compliance_refresh(task=task)
        compared += 1
        mismatches += bool(failing)
    return {"compared": compared, "mismatches": mismatches}


def compliance_of(findings: list[Finding]) -> str:
    """The firm's compliance from the latest finding of each source (models.compliance_of_latest)."""
    latest: dict[str, bool] = {}
    for f in sorted(findings, key=lambda f: (f.at, f.pk or 0)):
        latest[f.source] = f.ok
    return compliance_of_latest(latest)


def compliance_refresh(*, task: AlertTask) -> str:
    value = compliance_of(list(task.findings.all()))
    if value != task.compliance:
        AlertTask.objects.filter(pk=task.pk).update(compliance=value)
        task.compliance = value
    return value


def case_category():
    from zhuqi.cases.models import Category, Priority
    from zhuqi.org.models import Department

    department = Department.objects.filter(name=BUREAU).first()
    if department is None:
        raise DomainError(PollutionError.INVALID, _("The ecology and environment bureau is not set up"))
    return Category.objects.get_or_create(kind=CASE_KIND, name=CASE_CATEGORY, defaults={
        "department": department, "deadline_workdays": 3, "priority": Priority.URGENT, "routes_directly": True})[0]  # fmt: skip


@transaction.atomic
def finding_raise_case(*, task: AlertTask, by, evidence: str = ""):
    """A firm found not doing what its list asks: a case of kind 重污染减排不落实 (category 环保) for the bureau, with
    the evidence (the findings), once per task."""
    from zhuqi.cases.models import Source
    from zhuqi.cases.services import case_raise

    if not (can_manage(by) or by.role == Role.GRID_MEMBER):
        raise DomainError(
            PollutionError.NOT_ALLOWED, _("Only the bureau, the zone office and grid members raise these cases")
        )
    task = AlertTask.objects.select_for_update().select_related("alert", "enterprise").get(pk=task.pk)
    link = PollutionCase.objects.filter(task=task).select_related("case").first()
    if link is not None:
        return link.case
    findings = "\n".join(f"{timezone.localtime(f.at):%m-%d %H:%M} {f.get_source_display()}：{f.detail}"
                         for f in task.findings.filter(ok=False).order_by("at"))  # fmt: skip
    spotted = task.findings.filter(source=FindingSource.SPOT_CHECK, ok=False).exists()
    source = Source.INSPECTION if spotted or by.role == Role.GRID_MEMBER else Source.MONITORING
    description = (f"{task.alert}（{task.alert.document}）期间未落实应急减排措施：{task.measure}。"
                   f"\n{evidence}\n{findings}").strip()  # fmt: skip
    case = case_raise(by=by, category=case_category(), enterprise=task.enterprise, source=source,
                      description=description, grid=task.grid)  # fmt: skip
    PollutionCase.objects.create(task=task, case=case)
    return case


def mismatches_to_cases(*, alert: Alert, by) -> int:
    """The bureau's one click: every task whose latest reading disagrees with its cut becomes a case (once)."""
    raised = 0
    for task in AlertTask.objects.filter(alert=alert, closed_at__isnull=True, case_link__isnull=True,
                                         compliance__in=[Compliance.NOT_DONE, Compliance.PARTIAL]):  # fmt: skip
        latest = task.findings.filter(source=FindingSource.READING).order_by("-at", "-pk").first()
        if latest is not None and not latest.ok:
            finding_raise_case(task=task, by=by, evidence=latest.detail)
            raised += 1
    return raised


def unconfirmed_remind(*, now: datetime.datetime | None = None) -> int:
    """Firms told of an active alert two hours ago and more that have not confirmed: each reminded once however
    often this runs — its accounts in the app, its first contact by SMS through the outbox — and its service
    officer and grid member told in the app (the firm is on their lists: selectors.unconfirmed_for)."""
    from zhuqi.notifications.outbox import outbox_write
    from zhuqi.notifications.services import notify

    now = now or timezone.now()
    late = (AlertTask.objects.filter(alert__status=S.ACTIVE, closed_at__isnull=True, confirmed_at__isnull=True,
                                     reminded_at__isnull=True, notified_at__lt=now - UNCONFIRMED_AFTER)
            .select_related("alert", "enterprise__service_officer", "grid__member").order_by("pk"))  # fmt: skip
    sent = 0
    for task in late.iterator(chunk_size=500):
        with transaction.atomic():
            if not AlertTask.objects.filter(pk=task.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue  # another worker reminded it meanwhile
            url = reverse("pollution-task", args=[task.pk])
            text = sms_fit("{firm}：{level}减排措施（{measure}）尚未确认，请立即登录助企平台确认。",
                           shrink={"firm": firm_short(task.enterprise.name), "measure": task.measure},
                           level=str(Level(task.level).label))  # fmt: skip
            accounts = User.objects.filter(is_active=True, role=Role.ENTERPRISE_CONTACT,
                                           enterprise_id=task.enterprise_id)  # fmt: skip
            title = _("Please confirm your emergency reduction measure")
            notify(accounts, title=title, body=task.measure, url=url)
            # the SMS goes where activation's went: the firm's first contact with a phone
            contacts = Contact.objects.filter(enterprise_id=task.enterprise_id).order_by("-is_primary", "pk")
            phone = next((c.phone for c in contacts if c.phone), "")  # sealed in the table: read, not filtered
            if phone:
                outbox_write(phones=[phone], subject=title, sms_text=text)
            staff = [task.enterprise.service_officer, task.grid.member if task.grid else None]
            notify([u for u in staff if u is not None],
                   title=_("%(firm)s has not confirmed its reduction measure within two hours")
                   % {"firm": task.enterprise.name}, body=task.measure, url=url)  # fmt: skip
        sent += 1
    return sent


def days_open_all(*, now: datetime.datetime | None = None) -> int:
    """The periodic job: each active alert's check-ins and spot checks of today, once."""
    today = timezone.localdate(now or timezone.now())
    return sum(day_open(alert=a, day=today) for a in Alert.objects.filter(status=S.ACTIVE))
