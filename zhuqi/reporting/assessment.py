"""The reporting's figures for the monthly assessment (registered as ``assessment.figures.reporting``): the returns
due in a period per park (the firm's), and those submitted by the day they were due."""

import datetime
from decimal import Decimal

from django.db.models import Count, F, Q
from django.urls import reverse

from .models import Return

FIGURES = ("returns_due", "returns_on_time")


def assessment_figures(*, start: datetime.date, end: datetime.date) -> dict[str, dict[str, Decimal | int]]:
    rows = (
        Return.objects.filter(campaign__due_on__gte=start, campaign__due_on__lte=end, enterprise__park__isnull=False)
        .values("enterprise__park_id")
        .annotate(
            returns_due=Count("pk"),
            returns_on_time=Count("pk", filter=Q(submitted_at__date__lte=F("campaign__due_on"))),
        )
        .order_by()
    )
    found: dict[str, dict[str, int]] = {code: {} for code in FIGURES}
    for row in rows:
        key = f"park:{row['enterprise__park_id']}"
        for code in FIGURES:
            found[code][key] = row[code]
    return found


def assessment_records(*, figure: str, unit_key: str, start: datetime.date, end: datetime.date) -> str | None:
    return reverse("return-list") if figure in FIGURES else None
