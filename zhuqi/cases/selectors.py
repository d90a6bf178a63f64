"""Reads of cases: lists with their traffic light, what waits for whom, and the figures — all in SQL."""

import dataclasses
import datetime
import difflib
from dataclasses import dataclass, fields

from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuqi.core import scopes
from zhuqi.core.workdays import is_provisional, workdays_left
from zhuqi.org.models import Role

from .figures import FIELDS
from .models import Case, CaseMonthFigures, Category, Rating, Result
from .turns import queue_condition
from .workflow import CLOCK_RUNNING, Status


class Flag:
    GREEN, YELLOW, RED = "green", "yellow", "red"


def flag_expression(today: datetime.date):
    """红黄绿: red once past the deadline, yellow from 80% of the time, else green; only while the clock runs."""
    running = Q(status__in=CLOCK_RUNNING)
    return SqlCase(
        When(running & Q(deadline__lt=today), then=Value(Flag.RED)),
        When(running & Q(warn_on__lte=today), then=Value(Flag.YELLOW)),
        When(running, then=Value(Flag.GREEN)),
        default=Value(""),
        output_field=CharField(),
    )


# What each figure counts; the case list filters by the same conditions, so a figure and its list agree.
def figure_conditions(today: datetime.date) -> dict[str, Q]:
    finished = Q(is_finished=True)
    return {
        "received": Q(is_counted=True),
        "finished": finished,
        "on_time": finished & Q(closed_on_time=True),
        "late": finished & Q(closed_on_time=False),
        "solved": finished & Q(result=Result.SOLVED),
        "rated": ~Q(rating=""),
        "satisfied": Q(rating__in=[Rating.SATISFIED, Rating.FAIRLY_SATISFIED]),
        "dissatisfied": Q(rating=Rating.DISSATISFIED),
        "reworked": finished & Q(rework_count__gt=0),
        "overdue": (Q(is_running=True) & Q(deadline__lt=today)) | (finished & Q(closed_on_time=False)),
        "open": Q(is_counted=True, is_finished=False),
    }


FIGURE_LABELS = {
    "received": _("Received"),
    "finished": _("Closed"),
    "on_time": _("Closed on time"),
    "late": _("Closed late"),
    "solved": _("Solved"),
    "rated": _("Rated"),
    "satisfied": _("Satisfied"),
    "dissatisfied": _("Dissatisfied"),
    "reworked": _("Sent back for rework"),
    "overdue": _("Overdue"),
    "open": _("Open"),
}


@dataclass
class CaseFilters:
    q: str = ""
    kind: str = ""
    status: str = ""
    category: int | None = None
    department: int | None = None
    park: int | None = None
    enterprise: int | None = None
    source: str = ""
    campaign: int | None = None  # hazards found in a campaign's inspections
    flag: str = ""
    figure: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def as_query(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in (None, "")}


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _filtered(qs: QuerySet, f: CaseFilters, today: datetime.date) -> QuerySet:
    if f.date_from:
        qs = qs.filter(created_at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(created_at__lt=_day_start(f.date_to + datetime.timedelta(days=1)))
    for name in ("category", "park", "enterprise"):
        if getattr(f, name):
            qs = qs.filter(**{f"{name}_id": getattr(f, name)})
    if f.department:
        qs = qs.filter(lead_department_id=f.department)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.campaign:
        qs = qs.filter(hazard__inspection__campaign_id=f.campaign)
    if f.figure in figure_conditions(today):
        qs = qs.filter(figure_conditions(today)[f.figure])
    if f.flag == Flag.RED:
        qs = qs.filter(status__in=CLOCK_RUNNING, deadline__lt=today)
    elif f.flag == Flag.YELLOW:
        qs = qs.filter(status__in=CLOCK_RUNNING, warn_on__lte=today, deadline__gte=today)
    elif f.flag == Flag.GREEN:
        qs = qs.filter(status__in=CLOCK_RUNNING).exclude(warn_on__lte=today)
    if f.q:
        term = f.q.strip()
        qs = qs.filter(Q(number__iexact=term) | Q(description__icontains=term) | Q(enterprise__name__icontains=term))
    return qs


def case_list(*, user, filters: CaseFilters | None = None, today: datetime.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    qs = _filtered(scopes.cases_visible_to(user), filters or CaseFilters(), today)
    return qs.select_related("enterprise", "category", "lead_department").annotate(flag=flag_expression(today))


def with_time_left(cases, today: datetime.date | None = None):
    """Puts `workdays_left` and `provisional` on each case of a page (one calendar load for the page)."""
    today = today or timezone.localdate()
    cases = list(cases)
    left = workdays_left(today, [c.deadline for c in cases if c.deadline and c.status in CLOCK_RUNNING])
    for c in cases:
        c.workdays_left = left.get(c.deadline) if c.status in CLOCK_RUNNING else None
        c.provisional = bool(c.deadline) and is_provisional(c.deadline, c.deadline)
    return cases


def waiting_for(*, user, today: datetime.date | None = None) -> QuerySet:
    """待办: the cases on which it is this user's turn (each kind's turns say whose: cases.turns), red first, then
    yellow, then by deadline."""
    today = today or timezone.localdate()
    visible = scopes.cases_visible_to(user)
    turn = queue_condition(user)
    order = SqlCase(
        When(status__in=CLOCK_RUNNING, deadline__lt=today, then=Value(0)),
        When(status__in=CLOCK_RUNNING, warn_on__lte=today, then=Value(1)),
        default=Value(2),
    )
    return (
        visible.filter(turn)
        .select_related("enterprise", "category", "lead_department")
        .annotate(flag=flag_expression(today), urgency=order)
        .order_by("urgency", F("deadline").asc(nulls_last=True), "created_at")
    )


def status_counts(*, user) -> dict[str, int]:
    rows = scopes.cases_visible_to(user).values("status").annotate(n=Count("id")).order_by()
    return {r["status"]: r["n"] for r in rows}


GROUPS = {"department": "lead_department", "park": "park", "category": "category"}


def _month_after(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _split_period(date_from, date_to) -> tuple[tuple | None, list[tuple]]:
    """The whole months inside the period (first month, last month; None where open-ended) and the day spans
    at its edges that whole months do not cover."""
    first = date_from if date_from is None or date_from.day == 1 else _month_after(date_from)
    if date_to is None:
        last = None
    elif _month_after(date_to) - datetime.timedelta(days=1) == date_to:
        last = date_to.replace(day=1)
    else:
        last = (date_to.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    if first is not None and last is not None and first > last:
        return None, [(date_from, date_to)]
    edges = []
    if date_from is not None and date_from < first:
        edges.append((date_from, first - datetime.timedelta(days=1)))
    if last is not None and date_to is not None and _month_after(last) <= date_to:
        edges.append((_month_after(last), date_to))
    return (first, last), edges


def _span(spans) -> Q:
    """Cases raised within any of the (start, end) day spans; None leaves a side open."""
    q = Q(pk__in=[])
    for start, end in spans:
        if start is None and end is None:
            return Q()
        part = Q()
        if start:
            part &= Q(created_at__gte=_day_start(start))
        if end:
            part &= Q(created_at__lt=_day_start(end + datetime.timedelta(days=1)))
        q |= part
    return q


ROLLUP_KEYS = {"lead_department": "department_key", "park": "park_key", "category": "category_id"}


def case_figures(
    *, user, filters: CaseFilters | None = None, group_by: str = "department", today: datetime.date | None = None
) -> dict:
    """受理数, 办结率, 按期办结率, 解决率, 满意率, 返工率, 超期件数, 平均办理时长 per department, park or category.

    Whole months come from the monthly rollup (figures.py), the days at the period's edges from one GROUP BY over
    the cases, and “overdue now” from the running cases; the counts are added per group and the rates worked out
    from them. Where the rollup cannot answer (a department's scope includes the cases it assists; filters
    beyond period, department, park and category), everything comes from the cases."""
    rollup_scope = {Role.ZONE_COORDINATOR: {}, Role.PARK_OFFICER: {"park_key": user.park_id}}.get(user.role)
    return _figures(scopes.cases_visible_to(user), rollup_scope, filters=filters, group_by=group_by, today=today)


def _figures(visible: QuerySet, rollup_scope: dict | None, *, filters, group_by, today) -> dict:
    """case_figures over the cases `visible` (a user's scope), with the rollup rows of `rollup_scope` where the rollup
    can answer for that scope (None: it cannot)."""
    today = today or timezone.localdate()
    filters = filters or CaseFilters()
    key = GROUPS.get(group_by, "lead_department")
    conditions = figure_conditions(today)
    counts = {name: Count("created_at", filter=cond) for name, cond in conditions.items() if name != "open"}
    counts["workdays_sum"] = Sum("handling_workdays", filter=conditions["finished"])
    counts["workdays_n"] = Count("handling_workdays", filter=conditions["finished"])
    plain = CaseFilters(kind=filters.kind, department=filters.department, park=filters.park, category=filters.category)
    months, edges = _split_period(filters.date_from, filters.date_to)
    if rollup_scope is None or plain != dataclasses.replace(filters, date_from=None, date_to=None):
        months, edges = None, [(filters.date_from, filters.date_to)]
    cases = _filtered(visible, dataclasses.replace(filters, date_from=None, date_to=None), today)
    # counted over created_at and grouped by the id alone, so that PostgreSQL answers from the covering index
    # without touching the table or joining; the names come from their own small table
    rows = {}

    def add(group, values):
        row = rows.setdefault(group, dict.fromkeys([*FIELDS, "overdue"], 0))
        for name, value in values.items():
            row[name] += value or 0

    for r in cases.filter(_span(edges)).values(f"{key}_id").annotate(**counts).order_by():
        add(r.pop(f"{key}_id"), r)
    if months is not None:
        first, last = months
        rollup = CaseMonthFigures.objects.filter(**rollup_scope)
        rollup = rollup.filter(month__gte=first) if first else rollup
        rollup = rollup.filter(month__lte=last) if last else rollup
        rollup = rollup.filter(category__kind=filters.kind) if filters.kind else rollup
        for name, field in (("department", "department_key"), ("park", "park_key"), ("category", "category_id")):
            if getattr(filters, name):
                rollup = rollup.filter(**{field: getattr(filters, name)})
        group = ROLLUP_KEYS[key]
        for r in rollup.values(group).annotate(**{name: Sum(name) for name in FIELDS}).order_by():
            add(r.pop(group) or None, r | {"overdue": r["late"]})
        span = _span([(first, (_month_after(last) - datetime.timedelta(days=1)) if last else None)])
        running_late = cases.filter(span, status__in=CLOCK_RUNNING, deadline__lt=today)
        for r in running_late.values(f"{key}_id").annotate(n=Count("created_at")).order_by():
            add(r[f"{key}_id"], {"overdue": r["n"]})
    model = Case._meta.get_field(key).related_model
    names = dict(model.objects.filter(pk__in=[g for g in rows if g]).values_list("pk", "name"))
    # a group whose cases were all withdrawn or merged counts nothing and is left out
    result = [row | {"id": group, "name": names.get(group)} for group, row in rows.items() if any(row.values())]
    # the zone's total is the sum of its groups' counts: a dozen numbers, not a second pass over the cases
    total = {name: sum(r[name] for r in result) for name in [*FIELDS, "overdue"]} | {"id": None, "name": None}
    for row in [*result, total]:
        _rates(row)
    result.sort(key=lambda r: (r["on_time_rate"] is None, -(r["on_time_rate"] or 0), -r["received"]))
    return {"rows": result, "total": total, "group_by": key}


def cockpit_figures(*, year: int, today: datetime.date | None = None) -> dict:
    """Registered as `cockpit.cases`: the zone's closed loop for the leaders' cockpit — the year's figures to date, as
    the figures page shows them to the zone office (the same computation over the same cases), and the cases open
    now and overdue now whatever the year they came in."""
    today = today or timezone.localdate()
    first, last = datetime.date(year, 1, 1), min(today, datetime.date(year, 12, 31))
    total = _figures(Case.objects.all(), {}, filters=CaseFilters(date_from=first, date_to=last), group_by="department",
                     today=today)["total"]  # fmt: skip
    conditions = figure_conditions(today)
    now = Case.objects.aggregate(
        open=Count("pk", filter=conditions["open"]),
        overdue=Count("pk", filter=Q(status__in=CLOCK_RUNNING, deadline__lt=today)),
    )
    return {"year": year, "date_from": first, "date_to": last, "received": total["received"],
            "finished": total["finished"], "on_time_rate": total["on_time_rate"],
            "satisfaction_rate": total["satisfaction_rate"], "overdue_in_year": total["overdue"],
            "open": now["open"], "overdue": now["overdue"]}  # fmt: skip


def _ratio(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _rates(row: dict) -> None:
    row["finish_rate"] = _ratio(row["finished"], row["received"])
    row["on_time_rate"] = _ratio(row["on_time"], row["finished"])
    row["solve_rate"] = _ratio(row["solved"], row["finished"])
    row["satisfaction_rate"] = _ratio(row["satisfied"], row["rated"])
    row["rework_rate"] = _ratio(row["reworked"], row["finished"])
    n, days = row.pop("workdays_n"), row.pop("workdays_sum")
    row["avg_workdays"] = round(days / n, 1) if n else None


def case_events_for(*, user, case: Case) -> QuerySet:
    """The case's history; an enterprise sees public entries only, never internal notes."""
    events = case.events.select_related("actor")
    if user.role == Role.ENTERPRISE_CONTACT:
        events = events.filter(is_public=True)
    return events


def likely_duplicates(*, case: Case, within_days: int = 90, limit: int = 5) -> list[Case]:
    """Cases that may be the same matter: same enterprise and category, raised around the same time, with
    similar wording. Candidates come from an indexed query; only a handful are compared by text."""
    if case.enterprise_id is None:
        return []
    since = case.created_at - datetime.timedelta(days=within_days)
    candidates = (
        Case.objects.filter(enterprise_id=case.enterprise_id, category_id=case.category_id, created_at__gte=since)
        .exclude(pk=case.pk)
        .exclude(status__in=[Status.MERGED, Status.WITHDRAWN])
        .order_by("-created_at")[:50]
    )
    scored = []
    for other in candidates:
        ratio = difflib.SequenceMatcher(None, case.description, other.description).ratio()
        if ratio >= 0.4:
            other.similarity = round(ratio * 100)
            scored.append(other)
    scored.sort(key=lambda c: -c.similarity)
    return scored[:limit]


def case_get_for_user(*, user, pk: int) -> Case:
    """The case with its traffic light, or 404 alike whether it does not exist or the user may not see it."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        case_list(user=user).select_related("reporter", "park", "master", "symposium", "grid"), pk=pk
    )


def supervision_notices_of(*, case: Case):
    return case.supervision_notices.select_related("department", "issued_by", "replied_by")


def category_get(*, pk) -> Category | None:
    """A category by id, or None (the API says which field is wrong; the service checks what may be raised)."""
    return Category.objects.filter(pk=pk).first()


def counted_facts(*, enterprise_ids: list[int], period: str) -> dict[int, dict]:
    """The closed loop's fact of firms (`indicators.counted.cases`), in one GROUP BY: ``cases_closed_in_period``,
    the firm's cases (of every kind) closed in the period and still closed or rated (withdrawn and merged ones
    never count). Every firm asked gets a count, 0 when it has none."""
    from zhuqi.core.period_keys import period_times

    start, end = period_times(period)
    rows = (
        Case.objects.filter(enterprise_id__in=enterprise_ids, is_finished=True, closed_at__gte=start, closed_at__lt=end)
        .values("enterprise_id")
        .annotate(closed=Count("pk"))
        .values_list("enterprise_id", "closed")
    )
    facts = {pk: {"cases_closed_in_period": 0} for pk in enterprise_ids}
    for pk, closed in rows:
        facts[pk] = {"cases_closed_in_period": closed}
    return facts


# -- for the briefs (registered as "brief.figures.cases") ----------------------------------------------------------


def _received(qs: QuerySet, start: datetime.date, end: datetime.date) -> QuerySet:
    return qs.filter(created_at__gte=_day_start(start), created_at__lt=_day_start(end + datetime.timedelta(days=1)))


def _shifted(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def brief_figures(
    *, start: datetime.date, end: datetime.date, department: int | None = None, park: int | None = None
) -> dict:
    """A unit's cases in a period, for its brief: the demands received (with the previous period of the same
    length and the same dates a year before, for 环比 and 同比), closed and solved; those from satisfaction surveys
    (甄别回复诉求); the problems its own staff collected on visits (by the visit's date) and how many are solved;
    the grid incidents it handled, per category. Each with the case list's address filtered the same way."""
    from django.urls import reverse

    unit = Q(lead_department_id=department) if department else Q(park_id=park)
    where = {"department": department} if department else {"park": park}

    def url(**extra) -> str:
        query = {**where, "date_from": start, "date_to": end, **extra}
        return f"{reverse('case-list')}?" + "&".join(f"{k}={v}" for k, v in query.items() if v not in (None, ""))

    demands = Case.objects.filter(unit, kind="demand")
    length = (end - start).days + 1
    counts = _received(demands, start, end).aggregate(
        received=Count("pk"),
        closed=Count("pk", filter=Q(status=Status.CLOSED)),
        solved=Count("pk", filter=Q(status=Status.CLOSED, result=Result.SOLVED)),
        survey=Count("pk", filter=Q(source="survey")),
        survey_closed=Count("pk", filter=Q(source="survey", status=Status.CLOSED)),
    )
    previous = _received(demands, start - datetime.timedelta(days=length), start - datetime.timedelta(days=1)).count()
    last_year = _received(demands, _shifted(start, -1), _shifted(end, -1)).count()
    officers = (
        Q(visit_problem__visit__officers__department_id=department)
        if department
        else Q(visit_problem__visit__officers__park_id=park)
    )
    problems = (
        Case.objects.filter(
            officers,
            source="visit",
            visit_problem__visit__visited_on__gte=start,
            visit_problem__visit__visited_on__lte=end,
        )
        .values("pk")
        .distinct()
    )
    visit_problems = Case.objects.filter(pk__in=problems).aggregate(
        raised=Count("pk"), solved=Count("pk", filter=Q(status=Status.CLOSED, result=Result.SOLVED))
    )
    # a department reports the incidents it led or assisted in (a joint action's figures)
    handled = unit | Q(assisting_departments__id=department) if department else unit
    incidents = list(
        _received(
            Case.objects.filter(pk__in=Case.objects.filter(handled, kind="grid_incident").values("pk")), start, end
        )
        .values("category__name", "category_id")
        .annotate(n=Count("pk"))
        .order_by("category__sort_order", "category__name")
    )
    return {
        **counts,
        "previous": previous,
        "last_year": last_year,
        "url": url(kind="demand"),
        "survey_url": url(kind="demand", source="survey"),
        "visit_problems": visit_problems,
        "incidents": [
            {
                "category": row["category__name"],
                "count": row["n"],
                "url": url(kind="grid_incident", category=row["category_id"], department=None),
            }
            for row in incidents
        ],
    }
