"""The monthly rollup behind the figures page.

Figures for whole months come from CaseMonthFigures; days at the edges of a period, and “overdue now” (which
depends on today), come from the cases themselves. Each case contributes one vector to one row; the services
move that contribution whenever a case changes, under the case's row lock. figure_conditions() in selectors is
the definition in SQL; contribution() is the same definition for one case, and a test holds the two together."""

import datetime

from django.db import transaction
from django.db.models import Count, DateField, F, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from .models import Case, CaseMonthFigures, Rating, Result
from .workflow import FINISHED, Status

FIELDS = [
    "received", "finished", "on_time", "late", "solved", "rated", "satisfied", "dissatisfied", "reworked",
    "workdays_sum", "workdays_n",
]  # fmt: skip


def month_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date().replace(day=1)


def contribution(case: Case) -> tuple[tuple, dict]:
    finished = case.status in FINISHED
    vector = {
        "received": case.status not in (Status.WITHDRAWN, Status.MERGED),
        "finished": finished,
        "on_time": finished and case.closed_on_time is True,
        "late": finished and case.closed_on_time is False,
        "solved": finished and case.result == Result.SOLVED,
        "rated": case.rating != "",
        "satisfied": case.rating in (Rating.SATISFIED, Rating.FAIRLY_SATISFIED),
        "dissatisfied": case.rating == Rating.DISSATISFIED,
        "reworked": finished and case.rework_count > 0,
        "workdays_sum": case.handling_workdays or 0 if finished else 0,
        "workdays_n": finished and case.handling_workdays is not None,
    }
    key = (month_of(case.created_at), case.lead_department_id or 0, case.park_id or 0, case.category_id)
    return key, {name: int(value) for name, value in vector.items()}


def _add(key: tuple, changes: dict) -> None:
    changes = {name: F(name) + value for name, value in changes.items() if value}
    if not changes:
        return
    month, department, park, category = key
    row, _created = CaseMonthFigures.objects.get_or_create(
        month=month, department_key=department, park_key=park, category_id=category
    )
    CaseMonthFigures.objects.filter(pk=row.pk).update(**changes)


def rollup_move(before: tuple | None, after: tuple | None) -> None:
    """Moves a case's contribution: `before` and `after` are contribution() of the case before and after a write
    (None: the case does not count, as when it is new or deleted). The rows are updated in the order of their
    keys, so that two opposite moves at once (assign and return, D1→D2 and D2→D1) queue instead of deadlocking."""
    if before == after:
        return
    deltas: dict[tuple, dict] = {}
    for contribution_, sign in ((before, -1), (after, +1)):
        if contribution_ is not None:
            key, vector = contribution_
            row = deltas.setdefault(key, dict.fromkeys(FIELDS, 0))
            for name, value in vector.items():
                row[name] += sign * value
    for key in sorted(deltas):
        _add(key, deltas[key])


def case_deleted(case: Case) -> None:
    """A deleted case leaves the figures, as it leaves every list; restored, it comes back."""
    rollup_move(contribution(case), None)


def case_restored(case: Case) -> None:
    rollup_move(None, contribution(case))


@transaction.atomic
def rollup_rebuild() -> int:
    """Recomputes every row from the cases, in one GROUP BY: after bulk loads, and to repair."""
    from .selectors import figure_conditions

    conditions = figure_conditions(timezone.localdate())
    counts = {name: Count("created_at", filter=conditions[name]) for name in FIELDS[:-2]}
    counts["workdays_sum"] = Coalesce(Sum("handling_workdays", filter=conditions["finished"]), 0)
    counts["workdays_n"] = Count("handling_workdays", filter=conditions["finished"])
    rows = (
        Case.objects.annotate(month=TruncMonth("created_at", output_field=DateField()))
        .values("month", "lead_department_id", "park_id", "category_id")
        .annotate(**counts)
        .order_by()
    )
    CaseMonthFigures.objects.all().delete()
    made = CaseMonthFigures.objects.bulk_create(
        [
            CaseMonthFigures(
                month=r["month"],
                department_key=r["lead_department_id"] or 0,
                park_key=r["park_id"] or 0,
                category_id=r["category_id"],
                **{name: r[name] for name in FIELDS},
            )
            for r in rows.iterator(chunk_size=5000)
        ],
        batch_size=2000,
    )
    return len(made)
