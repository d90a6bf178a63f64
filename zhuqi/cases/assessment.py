"""The cases' figures for the monthly assessment (registered as ``assessment.figures.cases``): the demands raised in
a period per lead department and per park — the same cohort and conditions as the figures page, so that a score
and the case list behind it agree — and the 督办单 issued in it."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .models import Case, SupervisionNotice
from .selectors import _day_start, figure_conditions
from .workflow import Kind

# figure code → the case list's figure filter (None: not a list of cases raised in the period)
FIGURES = {
    "cases_received": "received",
    "cases_closed": "finished",
    "cases_closed_on_time": "on_time",
    "cases_rated": "rated",
    "cases_satisfied": "satisfied",
    "cases_overdue": "overdue",
    "cases_supervised": None,
}


def _add(found: dict, figure: str, unit_key: str, value) -> None:
    units = found.setdefault(figure, {})
    units[unit_key] = units.get(unit_key, 0) + (value or 0)


def assessment_figures(*, start: datetime.date, end: datetime.date,
                       today: datetime.date | None = None) -> dict[str, dict[str, Decimal | int]]:  # fmt: skip
    """{figure: {unit_key: count}}: one GROUP BY over the demands raised in the period (by lead department and
    park together, the few groups then added per unit), one over the 督办单 issued in it."""
    today = min(today or timezone.localdate(), end + datetime.timedelta(days=1))
    conditions = figure_conditions(today)
    span = Q(created_at__gte=_day_start(start), created_at__lt=_day_start(end + datetime.timedelta(days=1)))
    counts = {code: Count("created_at", filter=conditions[name]) for code, name in FIGURES.items() if name}
    rows = (
        Case.objects.filter(span, kind=Kind.DEMAND)
        .values("lead_department_id", "park_id")
        .annotate(**counts)
        .order_by()
    )
    found: dict[str, dict[str, int]] = {code: {} for code in FIGURES}
    for row in rows:
        department, park = row.pop("lead_department_id"), row.pop("park_id")
        for code, value in row.items():
            if department:
                _add(found, code, f"department:{department}", value)
            if park:
                _add(found, code, f"park:{park}", value)
    notices = (
        SupervisionNotice.objects.filter(
            issued_at__gte=_day_start(start), issued_at__lt=_day_start(end + datetime.timedelta(days=1))
        )
        .values("department_id", "case__park_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in notices:
        _add(found, "cases_supervised", f"department:{row['department_id']}", row["n"])
        if row["case__park_id"]:
            _add(found, "cases_supervised", f"park:{row['case__park_id']}", row["n"])
    return found


def assessment_records(*, figure: str, unit_key: str, start: datetime.date, end: datetime.date) -> str | None:
    """The case list filtered to the records a figure counts, or None."""
    if figure not in FIGURES:
        return None
    kind, _sep, pk = unit_key.partition(":")
    if kind not in ("department", "park") or not pk.isdigit():
        return None
    query = {kind: pk, "kind": Kind.DEMAND, "date_from": start.isoformat(), "date_to": end.isoformat()}
    if FIGURES[figure]:
        query["figure"] = FIGURES[figure]
    return f"{reverse('case-list')}?{urlencode(query)}"
