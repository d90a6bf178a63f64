"""The inspections' figures for the monthly assessment (registered as ``assessment.figures.inspections``): the
hazards found in a period per lead department and per park, rectified on time or overdue — the conditions of the
case figures, so that the hazard list behind a score agrees with it."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from zhuqi.cases.models import Case
from zhuqi.cases.selectors import figure_conditions

from .models import HAZARD_KIND

FIGURES = {
    "hazards_found": "received",
    "hazards_rectified": "finished",
    "hazards_on_time": "on_time",
    "hazards_overdue": "overdue",
}


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def assessment_figures(*, start: datetime.date, end: datetime.date,
                       today: datetime.date | None = None) -> dict[str, dict[str, Decimal | int]]:  # fmt: skip
    today = min(today or timezone.localdate(), end + datetime.timedelta(days=1))
    conditions = figure_conditions(today)
    span = Q(created_at__gte=_day_start(start), created_at__lt=_day_start(end + datetime.timedelta(days=1)))
    rows = (
        Case.objects.filter(span, kind=HAZARD_KIND)
        .values("lead_department_id", "park_id")
        .annotate(**{code: Count("created_at", filter=conditions[name]) for code, name in FIGURES.items()})
        .order_by()
    )
    found: dict[str, dict[str, int]] = {code: {} for code in FIGURES}
    for row in rows:
        department, park = row.pop("lead_department_id"), row.pop("park_id")
        for code, value in row.items():
            for key in (department and f"department:{department}", park and f"park:{park}"):
                if key:
                    found[code][key] = found[code].get(key, 0) + value
    return found


def assessment_records(*, figure: str, unit_key: str, start: datetime.date, end: datetime.date) -> str | None:
    kind, _sep, pk = unit_key.partition(":")
    if figure not in FIGURES or kind not in ("department", "park") or not pk.isdigit():
        return None
    query = {kind: pk, "kind": HAZARD_KIND, "figure": FIGURES[figure],
             "date_from": start.isoformat(), "date_to": end.isoformat()}  # fmt: skip
    return f"{reverse('case-list')}?{urlencode(query)}"
