"""The monitoring's figures for the monthly assessment (registered as ``assessment.figures.monitoring``): the alarms
raised in a period per park (the firm's), and those acknowledged by their deadline."""

import datetime
from decimal import Decimal

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from .models import Alarm

FIGURES = ("alarms", "alarms_acknowledged_in_time")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def assessment_figures(*, start: datetime.date, end: datetime.date) -> dict[str, dict[str, Decimal | int]]:
    rows = (
        Alarm.objects.filter(
            triggered_at__gte=_day_start(start),
            triggered_at__lt=_day_start(end + datetime.timedelta(days=1)),
            enterprise__park__isnull=False,
        )
        .values("enterprise__park_id")
        .annotate(
            alarms=Count("pk"),
            alarms_acknowledged_in_time=Count("pk", filter=Q(acknowledged_at__lte=F("acknowledge_by"))),
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
    return reverse("monitoring-overview") if figure in FIGURES else None
