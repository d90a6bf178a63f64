"""Reads of the enterprise registry, always starting from what the user may see."""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.http import Http404
from django.utils import timezone

from zhuqi.core import registry, scopes

from .models import (
    Enterprise,
    Qualification,
    TimelineEntry,
    Visit,
    VisitFrequency,
    VisitProblem,
    VisitRule,
)

DEFAULT_VISIT_FREQUENCY = VisitFrequency.QUARTERLY
_CODE_LIKE = re.compile(r"^[0-9A-Za-z]{4,18}$")
_INITIALS_LIKE = re.compile(r"^[A-Za-z]+$")


@dataclass
class EnterpriseFilters:
    q: str = ""
    park: int | None = None
    grid: int | None = None
    tag: int | None = None
    qualification: str = ""
    scale: str = ""
    officer: int | None = None
    overdue: bool = False
    extra: dict = field(default_factory=dict)


def search_condition(q: str) -> Q:
    """One box for all three: a credit code (or its start), pinyin initials, or part of the name."""
    q = q.strip()
    if not q:
        return Q()
    condition = Q(name__contains=q)
    if _INITIALS_LIKE.match(q):
        condition |= Q(name_initials__contains=q.lower())
    if _CODE_LIKE.match(q) and any(ch.isdigit() for ch in q):
        condition |= Q(credit_code__startswith=q.upper())
    return condition


def enterprise_list(*, user, filters: EnterpriseFilters | None = None, today: datetime.date | None = None) -> QuerySet:
    filters = filters or EnterpriseFilters()
    qs = scopes.enterprises_visible_to(user)
    if filters.q:
        qs = qs.filter(search_condition(filters.q))
    if filters.park:
        qs = qs.filter(park_id=filters.park)
    if filters.grid:
        qs = qs.filter(grid_id=filters.grid)
    if filters.tag:
        qs = qs.filter(tags__id=filters.tag)
    if filters.qualification:
        qs = qs.filter(
            qualifications__kind=filters.qualification,
            qualifications__valid_until__gte=today or timezone.localdate(),
        )
    if filters.scale:
        qs = qs.filter(scale=filters.scale)
    if filters.officer:
        qs = qs.filter(service_officer_id=filters.officer)
    if filters.tag or filters.qualification:
        qs = qs.distinct()
    if filters.overdue:
        qs = with_visit_status(qs, today=today).filter(visit_overdue=True)
    return qs.select_related("park", "grid", "service_officer").prefetch_related("tags").order_by("name")


def enterprise_get_for_user(*, user, pk: int) -> Enterprise:
    """404 alike for a missing enterprise and for one the user may not see."""
    try:
        return (
            scopes.enterprises_visible_to(user)
            .select_related("park", "grid__community__town", "service_officer")
            .prefetch_related("tags", "contacts", "qualifications")
            .get(pk=pk)
        )
    except Enterprise.DoesNotExist:
        raise Http404 from None


def visit_cutoffs(today: datetime.date) -> dict[int, datetime.date]:
    """For each frequency, the earliest visit date that still counts as on time today."""

    def months_back(months: int) -> datetime.date:
        year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
        month += 1
        day = min(
            today.day,
            [
                31,
                29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ][month - 1],
        )
        return datetime.date(year, month, day)

    return {freq.value: months_back(freq.value) for freq in VisitFrequency}


def with_visit_status(qs: QuerySet, *, today: datetime.date | None = None) -> QuerySet:
    """Annotates last_visit, visit_frequency (the strictest matching rule) and visit_overdue, in SQL."""
    today = today or timezone.localdate()
    default = (
        VisitRule.objects.filter(tag__isnull=True, scale__isnull=True).values_list("frequency", flat=True).first()
        or DEFAULT_VISIT_FREQUENCY
    )
    by_tag = VisitRule.objects.filter(tag__enterprises=OuterRef("pk")).order_by("frequency").values("frequency")[:1]
    by_scale = VisitRule.objects.filter(scale=OuterRef("scale")).values("frequency")[:1]
    last_visit = Visit.objects.filter(enterprise=OuterRef("pk")).order_by("-visited_on").values("visited_on")[:1]
    cutoffs = visit_cutoffs(today)
    return qs.annotate(
        last_visit=Subquery(last_visit, output_field=DateField()),
        visit_frequency=Least(
            Coalesce(Subquery(by_tag), Value(99)), Coalesce(Subquery(by_scale), Value(99)), Value(default)
        ),
        visit_cutoff=Case(
            *[When(visit_frequency=freq, then=Value(cutoff)) for freq, cutoff in cutoffs.items()],
            output_field=DateField(),
        ),
        visit_overdue=Case(
            When(Q(last_visit__isnull=True) | Q(last_visit__lt=F("visit_cutoff")), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def enterprise_timeline(*, user, enterprise: Enterprise) -> QuerySet:
    """一企一档 as this user may read it: entries of the enterprise itself for whoever sees the enterprise, and
    each entry about a case, inspection or alarm only if the user may see that case, inspection or alarm."""
    # each module registers its kinds (core.registry.timeline_kind_register): the key in the entry's details that
    # holds the id, and the module's own scope (user -> QuerySet with an enterprise_id)
    scoped = [kind for kind in registry.timeline_kinds().values() if kind.visible_to is not None]
    shown = ~Q(kind__in=[kind.value for kind in scoped])
    for kind in scoped:
        ids = list(kind.visible_to(user).filter(enterprise_id=enterprise.pk).values_list("pk", flat=True))
        if ids:
            shown |= Q(kind=kind.value, **{f"details__{kind.key}__in": ids})
    return TimelineEntry.objects.filter(shown, enterprise=enterprise).select_related("actor", "visit")


def enterprise_visits(*, enterprise: Enterprise) -> QuerySet:
    return (
        Visit.objects.filter(enterprise=enterprise)
        .prefetch_related("officers", "problems")
        .order_by("-visited_on", "-id")
    )


def visit_get_for_user(*, user, pk: int) -> Visit:
    try:
        return (
            scopes.visits_visible_to(user)
            .select_related("enterprise", "recorded_by")
            .prefetch_related("officers", "problems")
            .get(pk=pk)
        )
    except Visit.DoesNotExist:
        raise Http404 from None


def qualifications_expiring(*, user, within_days: int = 90, today: datetime.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return (
        Qualification.objects.filter(
            enterprise__in=scopes.enterprises_visible_to(user),
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=within_days),
        )
        .select_related("enterprise", "enterprise__park", "enterprise__service_officer")
        .order_by("valid_until", "enterprise__name")
    )


@dataclass
class OfficerCoverage:
    officer_id: int
    name: str
    park: str
    assigned: int
    visited_this_month: int
    visited_this_quarter: int
    overdue: int

    @property
    def month_rate(self) -> float:
        return self.visited_this_month / self.assigned if self.assigned else 0.0


def visit_coverage(*, user, today: datetime.date | None = None) -> list[OfficerCoverage]:
    """Each overseen officer: enterprises assigned, visited this month / quarter, overdue."""
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    officers = scopes.officers_overseen_by(user).select_related("park").order_by("park__sort_order", "full_name")
    counted = (
        with_visit_status(Enterprise.objects.filter(service_officer__in=officers), today=today)
        .values("service_officer")
        .annotate(
            assigned=Count("pk"),
            visited_month=Count("pk", filter=Q(last_visit__gte=month_start)),
            visited_quarter=Count("pk", filter=Q(last_visit__gte=quarter_start)),
            overdue=Count("pk", filter=Q(visit_overdue=True)),
        )
        .order_by()
    )
    by_officer = {row["service_officer"]: row for row in counted}
    empty = {"assigned": 0, "visited_month": 0, "visited_quarter": 0, "overdue": 0}
    return [
        OfficerCoverage(
            officer_id=o.pk,
            name=str(o),
            park=str(o.park or ""),
            assigned=by_officer.get(o.pk, empty)["assigned"],
            visited_this_month=by_officer.get(o.pk, empty)["visited_month"],
            visited_this_quarter=by_officer.get(o.pk, empty)["visited_quarter"],
            overdue=by_officer.get(o.pk, empty)["overdue"],
        )
        for o in officers
    ]


def my_enterprises(*, user, today: datetime.date | None = None) -> QuerySet:
    qs = scopes.enterprises_visible_to(user).filter(service_officer=user)
    return with_visit_status(qs, today=today).select_related("park").order_by("-visit_overdue", "last_visit", "name")


def enterprises_for_export(*, user, filters: EnterpriseFilters) -> QuerySet:
    return enterprise_list(user=user, filters=filters).prefetch_related(Prefetch("contacts"), "qualifications")


def visit_problems_open(*, visit: Visit) -> QuerySet:
    """The problems a visit raised that have not become cases yet."""
    return VisitProblem.objects.filter(visit=visit, case__isnull=True)


def counted_facts(*, enterprise_ids: list[int], period: str) -> dict[int, dict]:
    """The registry's facts of firms for a period (`indicators.counted.enterprises`): ``serious_breach`` (on the
    严重失信 list by the period's last day) and ``years_registered`` (whole years from establishment to the
    period's last day, or today while the period runs; absent when the date of establishment is not known).
    One query."""
    from zhuqi.core.period_keys import period_days

    last_day = min(period_days(period)[1], timezone.localdate())
    facts: dict[int, dict] = {}
    rows = Enterprise.objects.filter(pk__in=enterprise_ids).values_list("pk", "established_on", "serious_breach_on")
    for pk, established, listed in rows:
        found = {"serious_breach": listed is not None and listed <= last_day}
        if established is not None and established <= last_day:
            years = last_day.year - established.year
            if (last_day.month, last_day.day) < (established.month, established.day):
                years -= 1
            found["years_registered"] = years
        facts[pk] = found
    return facts


def brief_figures(
    *, start: datetime.date, end: datetime.date, department: int | None = None, park: int | None = None
) -> dict:
    """A unit's visits in a period, for its brief (registered as "brief.figures.enterprises"): 走访企业 N 家次 (the
    visits its staff made), N 家 (the enterprises visited), and the problems collected on them."""
    officers = Q(officers__department_id=department) if department else Q(officers__park_id=park)
    visits = Visit.objects.filter(officers, visited_on__gte=start, visited_on__lte=end).values("pk").distinct()
    figures = Visit.objects.filter(pk__in=visits).aggregate(
        visits=Count("pk", distinct=True),
        enterprises=Count("enterprise_id", distinct=True),
        problems=Count("problems", distinct=True),
    )
    return figures
