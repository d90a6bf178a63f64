"""The registry's figures for the monthly assessment (registered as ``assessment.figures.enterprises``): visits made
in a period and the firms they reached, per park (the firm's) and per department (the visiting officers'); the
firms with a service officer (those due visits, as the registry stands); the firms established in the period per
park (新增市场主体 counted from the registry)."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode

from .models import Enterprise, Visit

FIGURES = ("visits", "firms_visited", "firms_assigned", "firms_established")


def assessment_figures(*, start: datetime.date, end: datetime.date) -> dict[str, dict[str, Decimal | int]]:
    found: dict[str, dict[str, int]] = {code: {} for code in FIGURES}
    visits = Visit.objects.filter(visited_on__gte=start, visited_on__lte=end)
    for row in (
        visits.filter(enterprise__park__isnull=False)
        .values("enterprise__park_id")
        .annotate(visits=Count("pk"), firms_visited=Count("enterprise", distinct=True))
        .order_by()
    ):
        key = f"park:{row['enterprise__park_id']}"
        found["visits"][key], found["firms_visited"][key] = row["visits"], row["firms_visited"]
    for row in (
        visits.filter(officers__department__isnull=False)
        .values("officers__department_id")
        .annotate(visits=Count("pk", distinct=True), firms_visited=Count("enterprise", distinct=True))
        .order_by()
    ):
        key = f"department:{row['officers__department_id']}"
        found["visits"][key], found["firms_visited"][key] = row["visits"], row["firms_visited"]
    for row in (
        Enterprise.objects.filter(park__isnull=False)
        .values("park_id")
        .annotate(
            firms_assigned=Count("pk", filter=Q(service_officer__isnull=False)),
            firms_established=Count("pk", filter=Q(established_on__gte=start, established_on__lte=end)),
        )
        .order_by()
    ):
        key = f"park:{row['park_id']}"
        found["firms_assigned"][key], found["firms_established"][key] = row["firms_assigned"], row["firms_established"]
    return found


def assessment_records(*, figure: str, unit_key: str, start: datetime.date, end: datetime.date) -> str | None:
    kind, _sep, pk = unit_key.partition(":")
    if figure not in FIGURES:
        return None
    if figure in ("visits", "firms_visited"):
        return reverse("visit-coverage")
    if kind == "park" and pk.isdigit():
        return f"{reverse('enterprise-list')}?{urlencode({'park': pk})}"
    return None
