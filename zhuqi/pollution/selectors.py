"""重污染天气应急: the reads, each from the user's scope; the figures in SQL."""

import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)  # fmt: skip
from django.db.models.functions import Coalesce, TruncHour
from django.utils import timezone

from zhuqi.core.roles import Role
from zhuqi.core.scopes import enterprises_visible_to

from .measures import TARGET_SHARE
from .models import (
    BUREAU,
    GRADE_ORDER,
    Alert,
    AlertStatus,
    AlertTask,
    CheckIn,
    Compliance,
    Finding,
    Grade,
    GradeRecord,
    Level,
    PollutionCase,
    PollutionFirm,
    SpotCheck,
    SpotResult,
    compliance_of_latest,
)  # fmt: skip

UNCONFIRMED_AFTER = datetime.timedelta(hours=2)
POLLUTANTS = ("so2", "nox", "pm", "vocs")
STAFF = {Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER, Role.GRID_MEMBER}


def can_manage(user) -> bool:
    """The ecology and environment bureau's handlers and the zone office keep the grades and run the alerts."""
    role = getattr(user, "role", None)
    if role == Role.ZONE_COORDINATOR:
        return True
    return role == Role.DEPARTMENT_HANDLER and getattr(getattr(user, "department", None), "name", "") == BUREAU


def can_use(user) -> bool:
    return getattr(user, "role", None) in STAFF | {Role.ENTERPRISE_CONTACT}


def can_see_figures(user) -> bool:
    return getattr(user, "role", None) in {Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER}


def is_listed(user) -> bool:
    return bool(getattr(user, "enterprise_id", None)) and PollutionFirm.objects.filter(
        enterprise_id=user.enterprise_id).exists()  # fmt: skip


def firms_visible_to(user) -> QuerySet:
    return PollutionFirm.objects.filter(enterprise__in=enterprises_visible_to(user).values("pk"))


def firms_not_listed(*, user) -> QuerySet:
    """The enterprises the user may see that are not on the reduction list yet (to put one on it)."""
    return (enterprises_visible_to(user).exclude(pk__in=PollutionFirm.objects.values("enterprise_id"))
            .order_by("name"))  # fmt: skip


def tasks_visible_to(user) -> QuerySet:
    """A firm its own tasks; a park its firms'; a grid member its grids' firms'; the zone and departments all."""
    return AlertTask.objects.filter(enterprise__in=enterprises_visible_to(user).values("pk"))


def alerts_visible_to(user) -> QuerySet:
    if getattr(user, "role", None) == Role.ENTERPRISE_CONTACT:
        return Alert.objects.filter(tasks__enterprise_id=user.enterprise_id).distinct()
    if getattr(user, "role", None) in STAFF:
        return Alert.objects.all()
    return Alert.objects.none()


def spot_checks_visible_to(user) -> QuerySet:
    qs = SpotCheck.objects.filter(task__in=tasks_visible_to(user))
    return qs.filter(assignee=user) if getattr(user, "role", None) == Role.GRID_MEMBER else qs


def alert_list(*, user) -> QuerySet:
    return alerts_visible_to(user).annotate(firms=Count("tasks", distinct=True)).order_by("-starts_at", "-id")


def alert_get_for_user(*, user, pk: int) -> Alert:
    return alerts_visible_to(user).get(pk=pk)


def task_get_for_user(*, user, pk: int) -> AlertTask:
    return tasks_visible_to(user).select_related("alert", "enterprise", "park").get(pk=pk)


def firm_get_for_user(*, user, enterprise_id: int) -> PollutionFirm:
    return firms_visible_to(user).select_related("enterprise", "enterprise__park").get(enterprise_id=enterprise_id)


def firm_list(*, user, grade: str = "", q: str = "") -> QuerySet:
    qs = firms_visible_to(user).select_related("enterprise", "enterprise__park")
    if grade in Grade.values:
        qs = qs.filter(grade=grade)
    if q:
        qs = qs.filter(enterprise__name__icontains=q[:40])
    return qs.order_by("enterprise__name")


def grade_counts() -> list[tuple[str, str, int]]:
    counts = dict(PollutionFirm.objects.values_list("grade").annotate(n=Count("pk")))
    return [(g.value, g.label, counts.get(g.value, 0)) for g in Grade]


def _latest_checkin(field: str):
    return Subquery(CheckIn.objects.filter(task=OuterRef("pk"), submitted_at__isnull=False)
                    .order_by("-day").values(field)[:1])  # fmt: skip


def _reduction_fraction():
    """What share of its normal emissions a task's firm has taken off: from its latest check-in's output against
    the baseline; none without a check-in, nor for a firm whose measure cuts nothing."""
    output = _latest_checkin("output")
    dec = DecimalField(max_digits=14, decimal_places=6)
    share = ExpressionWrapper(
        Value(Decimal(1)) - output * Value(1.0) / F("baseline"), output_field=dec
    )  # 1.0: no integer division in SQLite
    return Case(
        When(Q(cut_percent=0), then=Value(Decimal(0))),
        When(Exists(CheckIn.objects.filter(task=OuterRef("pk"), submitted_at__isnull=False)) & Q(baseline__gt=0),
             then=Case(When(Q(**{"red_share__lt": 0}), then=Value(Decimal(0))), default=F("red_share"))),
        default=Value(Decimal(0)), output_field=dec,
    ), share  # fmt: skip


def alert_figures(*, user, alert: Alert, group: str = "park") -> dict:
    """Live figures of an alert, over the tasks the user may see: notified, confirmed, complying, checked, cases;
    per pollutant the reduction required and achieved against the target share of the level (10/20/30%)."""
    tasks = tasks_visible_to(user).filter(alert=alert)
    # distinct: the spot checks and the case joined in multiply the rows
    cutoff = timezone.now() - UNCONFIRMED_AFTER
    counts = tasks.aggregate(
        firms=Count("pk", distinct=True),
        notified=Count("pk", distinct=True, filter=Q(notified_at__isnull=False)),
        confirmed=Count("pk", distinct=True, filter=Q(confirmed_at__isnull=False)),
        unconfirmed_late=Count("pk", distinct=True, filter=Q(confirmed_at__isnull=True, notified_at__lt=cutoff, closed_at__isnull=True)),
        complying=Count("pk", distinct=True, filter=Q(compliance=Compliance.DONE)),
        partial=Count("pk", distinct=True, filter=Q(compliance=Compliance.PARTIAL)),
        not_done=Count("pk", distinct=True, filter=Q(compliance=Compliance.NOT_DONE)),
        pending=Count("pk", distinct=True, filter=Q(compliance=Compliance.PENDING)),
        checked=Count("pk", distinct=True,
                      filter=Q(spot_checks__result__in=[SpotResult.COMPLIANT, SpotResult.NON_COMPLIANT])),
        cases=Count("case_link", distinct=True),
    )  # fmt: skip
    fraction, share = _reduction_fraction()
    annotated = tasks.annotate(red_share=share).annotate(red_fraction=fraction)
    dec = DecimalField(max_digits=18, decimal_places=4)
    sums = {}
    for p in POLLUTANTS:
        sums[f"{p}_normal"] = Coalesce(Sum(p), Value(Decimal(0)), output_field=dec)
        sums[f"{p}_required"] = Coalesce(Sum(ExpressionWrapper(F(p) * F("cut_percent") / Value(Decimal(100)),
                                                                output_field=dec)), Value(Decimal(0)), output_field=dec)  # fmt: skip
        sums[f"{p}_achieved"] = Coalesce(Sum(ExpressionWrapper(F(p) * F("red_fraction"), output_field=dec)),
                                         Value(Decimal(0)), output_field=dec)  # fmt: skip
    key = {"park": "park__name", "industry": "sector"}.get(group, "park__name")
    rows = list(annotated.values(key).annotate(firms=Count("pk"), **sums).order_by(key))
    target = TARGET_SHARE[Level(alert.level)]

    def pct(part, whole):
        return round(float(part) * 100 / float(whole), 1) if whole else None

    def pollutants(row):
        return {p: {"normal": row[f"{p}_normal"], "required": row[f"{p}_required"], "achieved": row[f"{p}_achieved"],
                    "required_pct": pct(row[f"{p}_required"], row[f"{p}_normal"]),
                    "achieved_pct": pct(row[f"{p}_achieved"], row[f"{p}_normal"])} for p in POLLUTANTS}  # fmt: skip

    total = {k: sum((r[k] for r in rows), Decimal(0)) for k in sums}
    from .models import Sector

    labels = dict(Sector.choices)
    groups = [{"name": (labels.get(r[key], r[key]) if group == "industry" else r[key]) or "—", "firms": r["firms"],
               "pollutants": pollutants(r)} for r in rows]  # fmt: skip
    return {"counts": counts, "zone": pollutants(total), "groups": groups, "target": target}


def alert_hourly(*, user, alert: Alert, now: datetime.datetime | None = None) -> dict:
    """Hour by hour since activation (until lifted, or now): how many of the firms the user may see had confirmed
    by the end of the hour and how many were complying then (their findings up to that hour, judged as the task's
    compliance is). Confirmations counted in SQL by hour; the findings read once, in order, and swept."""
    if alert.activated_at is None:
        return {"hours": [], "confirmed": [], "complying": [], "firms": 0}
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    first = timezone.localtime(alert.activated_at, tz).replace(minute=0, second=0, microsecond=0)
    last = timezone.localtime(min(alert.lifted_at or now, now), tz)
    hours = []
    while first <= last and len(hours) < 24 * 14:  # a fortnight of hours at most
        hours.append(first)
        first += datetime.timedelta(hours=1)
    tasks = tasks_visible_to(user).filter(alert=alert)
    per_hour = dict(tasks.filter(confirmed_at__isnull=False).annotate(hour=TruncHour("confirmed_at", tzinfo=tz))
                    .values("hour").annotate(n=Count("pk")).values_list("hour", "n"))  # fmt: skip
    findings = (Finding.objects.filter(task__in=tasks).order_by("at", "pk")
                .values_list("task_id", "source", "ok", "at"))  # fmt: skip
    confirmed, complying = [], []
    latest: dict[int, dict[str, bool]] = {}
    done: set[int] = set()
    stream = iter(findings)
    pending = next(stream, None)
    total = sum(n for h, n in per_hour.items() if h < hours[0]) if hours else 0
    for hour in hours:
        end = hour + datetime.timedelta(hours=1)
        total += sum(n for h, n in per_hour.items() if hour <= h < end)
        while pending is not None and pending[3] < end:
            task_id, source, ok, _at = pending
            latest.setdefault(task_id, {})[source] = ok
            (done.add if compliance_of_latest(latest[task_id]) == Compliance.DONE else done.discard)(task_id)
            pending = next(stream, None)
        confirmed.append(total)
        complying.append(len(done))
    return {"hours": [f"{h:%m-%d %H}时" for h in hours], "confirmed": confirmed, "complying": complying,
            "firms": tasks.count()}  # fmt: skip


def tasks_of_alert(*, user, alert: Alert, compliance: str = "") -> QuerySet:
    qs = tasks_visible_to(user).filter(alert=alert).select_related("enterprise", "park")
    if compliance in Compliance.values:
        qs = qs.filter(compliance=compliance)
    return qs.annotate(case_id=F("case_link__case_id")).order_by("compliance", "enterprise__name")


def unconfirmed_for(*, user, now: datetime.datetime | None = None) -> QuerySet:
    """Firms of an active alert not confirmed within two hours of being told: on their service officer's and their
    grid member's list."""
    now = now or timezone.now()
    qs = AlertTask.objects.filter(alert__status=AlertStatus.ACTIVE, closed_at__isnull=True, confirmed_at__isnull=True,
                                  notified_at__lt=now - UNCONFIRMED_AFTER)  # fmt: skip
    if user.role == Role.PARK_OFFICER:
        qs = qs.filter(enterprise__service_officer=user)
    elif user.role == Role.GRID_MEMBER:
        qs = qs.filter(grid__member=user)
    elif not can_manage(user):
        return qs.none()
    return qs.select_related("enterprise", "alert").order_by("notified_at", "enterprise__name")


def spot_checks_for(*, user, day: datetime.date | None = None) -> QuerySet:
    day = day or timezone.localdate()
    return (spot_checks_visible_to(user).filter(day=day, task__closed_at__isnull=True)
            .select_related("task__enterprise", "task__alert", "assignee").order_by("result", "task__enterprise__name"))  # fmt: skip


def open_tasks_of_firm(*, user) -> QuerySet:
    if user.role != Role.ENTERPRISE_CONTACT:
        return AlertTask.objects.none()
    return AlertTask.objects.filter(enterprise_id=user.enterprise_id, closed_at__isnull=True,
                                    alert__status=AlertStatus.ACTIVE).select_related("alert")  # fmt: skip


def year_record(*, user, year: int) -> list[dict]:
    """Each firm's record over a year's alerts (how often it complied), the input to its next grading; the firms
    nearest to moving up a grade first: graded below A, a task in every alert, the best compliance, no case."""
    start = datetime.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    end = datetime.datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    tasks = AlertTask.objects.filter(alert__starts_at__gte=start, alert__starts_at__lt=end,
                                     enterprise__in=enterprises_visible_to(user).values("pk"))  # fmt: skip
    rows = tasks.values("enterprise_id", "enterprise__name", "grade").annotate(
        alerts=Count("pk"), done=Count("pk", filter=Q(compliance=Compliance.DONE)),
        failed=Count("pk", filter=Q(compliance=Compliance.NOT_DONE)), cases=Count("case_link"),
    )  # fmt: skip
    grades = dict(PollutionFirm.objects.values_list("enterprise_id", "grade"))
    result = []
    for r in rows:
        grade = grades.get(r["enterprise_id"], r["grade"])
        rate = round(r["done"] * 100 / r["alerts"]) if r["alerts"] else None
        next_up = None
        if grade in GRADE_ORDER and grade != Grade.A:
            next_up = GRADE_ORDER[GRADE_ORDER.index(grade) + 1]
        result.append({"enterprise_id": r["enterprise_id"], "name": r["enterprise__name"], "grade": grade,
                       "grade_label": Grade(grade).label if grade in Grade.values else "—", "alerts": r["alerts"],
                       "done": r["done"], "failed": r["failed"], "cases": r["cases"], "rate": rate,
                       "next_up": Grade(next_up).label if next_up else None,
                       "candidate": bool(next_up) and r["cases"] == 0 and r["failed"] == 0 and r["done"] == r["alerts"]})  # fmt: skip
    result.sort(key=lambda x: (not x["candidate"], -(x["rate"] or 0), x["name"]))
    return result


def grade_history(*, enterprise_id: int) -> QuerySet:
    return (
        GradeRecord.objects.filter(enterprise_id=enterprise_id)
        .select_related("recorded_by")
        .order_by("-graded_on", "-id")
    )


def counted(*, enterprise_ids: list[int], period: str) -> dict[int, dict]:
    """indicators.counted.pollution: each firm's grade in force at the end of the period (the latest grading dated
    by then) and how many of the period's alerts found it not carrying out its measures — two queries."""
    from zhuqi.indicators.periods import PeriodKind, period_start

    kind = next((k for k in PeriodKind if _valid(k, period)), None)
    if kind is None:
        return {}
    start = period_start(kind, period)
    end = _period_end(kind, start)
    result: dict[int, dict] = {}
    grades = (GradeRecord.objects.filter(enterprise_id__in=enterprise_ids, graded_on__lt=end)
              .order_by("enterprise_id", "-graded_on", "-id").values_list("enterprise_id", "grade"))  # fmt: skip
    for pk, grade in grades:
        result.setdefault(pk, {}).setdefault("pollution_grade", "leading" if grade == Grade.LEADING else grade)
    tz = timezone.get_current_timezone()
    failed = (AlertTask.objects.filter(enterprise_id__in=enterprise_ids, compliance=Compliance.NOT_DONE,
                                       alert__starts_at__gte=datetime.datetime.combine(start, datetime.time(), tz),
                                       alert__starts_at__lt=datetime.datetime.combine(end, datetime.time(), tz))
              .values("enterprise_id").annotate(n=Count("pk")))  # fmt: skip
    counts = {r["enterprise_id"]: r["n"] for r in failed}
    for pk in enterprise_ids:
        result.setdefault(pk, {})["pollution_noncompliance_in_period"] = counts.get(pk, 0)
    return result


def _valid(kind, period) -> bool:
    from zhuqi.indicators.periods import period_valid

    return period_valid(kind, period)


def _period_end(kind, start: datetime.date) -> datetime.date:
    if kind == "year":
        return start.replace(year=start.year + 1)
    if kind == "quarter":
        month = start.month + 3
        return start.replace(year=start.year + (month > 12), month=(month - 1) % 12 + 1)
    if kind == "month":
        return start.replace(year=start.year + (start.month == 12), month=start.month % 12 + 1)
    return start + datetime.timedelta(days=1)


def case_of_task(task) -> int | None:
    return PollutionCase.objects.filter(task=task).values_list("case_id", flat=True).first()


def alert_summary(*, user, alert: Alert) -> dict:
    """The alert report's opening sentence and figures, for the report written when an alert is lifted and for the
    briefs (registered as "brief.figures.pollution", read with the zone office's scope)."""
    figures = alert_figures(user=user, alert=alert, group="park")
    c = figures["counts"]
    start = timezone.localtime(alert.activated_at or alert.starts_at)
    end = timezone.localtime(alert.lifted_at) if alert.lifted_at else None

    def when(t):
        return f"{t.year}年{t.month}月{t.day}日{t.hour}时"

    sentence = (
        f"根据{alert.document}，{alert.region}于{when(start)}启动重污染天气{alert.get_level_display()}"
        + (f"，{when(end)}解除。" if end else "，目前仍在响应中。")
        + f"高新区纳入应急减排清单企业 {c['firms']} 家，已通知 {c['notified']} 家，确认 {c['confirmed']} 家；"
        f"已落实 {c['complying']} 家、部分落实 {c['partial']} 家、未落实 {c['not_done']} 家、待核查 {c['pending']} 家；"
        f"现场抽查 {c['checked']} 家，立案 {c['cases']} 件。"
    )
    return {"sentence": sentence, "figures": figures, "level": alert.get_level_display(), "start": start, "end": end}


def brief_figures(*, alert: int) -> dict | None:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    found = Alert.objects.filter(pk=alert).first()
    if found is None:
        return None
    office = get_user_model()(role=Role.ZONE_COORDINATOR, is_active=True)
    return alert_summary(user=office, alert=found) | {"url": reverse("pollution-alert", args=[found.pk])}


def brief_subjects() -> list[dict]:
    """The alerts an alert report may be written about: those activated."""
    return [
        {"id": a.pk, "label": f"{timezone.localtime(a.activated_at or a.starts_at):%Y-%m-%d} {a.get_level_display()}",
         "department_id": None}
        for a in Alert.objects.exclude(activated_at=None).order_by("-starts_at")
    ]  # fmt: skip


def cockpit_alert(*, now: datetime.datetime | None = None) -> dict | None:
    """Registered as `cockpit.pollution`: the heavy-pollution alert in force (issued or active, the latest) with its
    firms told, confirmed and complying, as its page counts them for the zone office; else the last one lifted (no
    figures), or None. Two small queries."""
    now = now or timezone.now()
    alert = Alert.objects.exclude(status=AlertStatus.LIFTED).order_by("-starts_at", "-id").first()
    if alert is None:
        last = Alert.objects.filter(status=AlertStatus.LIFTED).order_by("-starts_at", "-id").first()
        return None if last is None else {"alert": last, "in_progress": False}
    tasks = AlertTask.objects.filter(alert=alert, enterprise__deleted_at__isnull=True)
    counts = tasks.aggregate(
        firms=Count("pk"),
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        unconfirmed_late=Count("pk", filter=Q(confirmed_at__isnull=True, notified_at__lt=now - UNCONFIRMED_AFTER,
                                              closed_at__isnull=True)),
        complying=Count("pk", filter=Q(compliance=Compliance.DONE)),
        not_done=Count("pk", filter=Q(compliance=Compliance.NOT_DONE)),
    )  # fmt: skip
    return {"alert": alert, "in_progress": True, "counts": counts}
