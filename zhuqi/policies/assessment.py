"""The policies' figures for the monthly assessment (registered as ``assessment.figures.policies``): the payments made
in a period per department (the policy's), and the calendar days from the list drawn or the application submitted
to the payment, summed in SQL (政策兑现时长 = days ÷ payments)."""

import datetime
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.urls import reverse
from django.utils.http import urlencode

from .models import PolicyPayment

FIGURES = ("payments", "payment_days")


def assessment_figures(*, start: datetime.date, end: datetime.date) -> dict[str, dict[str, Decimal | int]]:
    span = ExpressionWrapper(F("paid_on") - F("started_on"), output_field=DurationField())
    rows = (
        PolicyPayment.objects.filter(paid_on__gte=start, paid_on__lte=end, policy__department__isnull=False)
        .values("policy__department_id")
        .annotate(payments=Count("pk"), payment_days=Sum(span))
        .order_by()
    )
    found: dict[str, dict[str, int]] = {code: {} for code in FIGURES}
    for row in rows:
        key = f"department:{row['policy__department_id']}"
        found["payments"][key] = row["payments"]
        days = row["payment_days"]
        found["payment_days"][key] = days.days if isinstance(days, datetime.timedelta) else int(days or 0)
    return found


def assessment_records(*, figure: str, unit_key: str, start: datetime.date, end: datetime.date) -> str | None:
    kind, _sep, pk = unit_key.partition(":")
    if figure not in FIGURES or kind != "department" or not pk.isdigit():
        return None
    return f"{reverse('policy-figures-payments')}?{urlencode({'year': start.year, 'department': pk})}"
