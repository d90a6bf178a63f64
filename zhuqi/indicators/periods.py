"""Periods as short keys: 2024, 2024Q1, 2024-03, 2024-03-05. A key sorts as its period does within its kind."""

import datetime
import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


PATTERNS = {
    PeriodKind.YEAR: re.compile(r"^(\d{4})$"),
    PeriodKind.QUARTER: re.compile(r"^(\d{4})Q([1-4])$"),
    PeriodKind.MONTH: re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    PeriodKind.DAY: re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
}


def period_valid(kind: str, key: str) -> bool:
    match = PATTERNS[PeriodKind(kind)].match(key or "")
    if match is None:
        return False
    if kind == PeriodKind.DAY:
        try:
            datetime.date.fromisoformat(key)
        except ValueError:
            return False
    return True


def period_start(kind: str, key: str) -> datetime.date:
    kind = PeriodKind(kind)
    if kind == PeriodKind.YEAR:
        return datetime.date(int(key), 1, 1)
    if kind == PeriodKind.QUARTER:
        return datetime.date(int(key[:4]), (int(key[5]) - 1) * 3 + 1, 1)
    if kind == PeriodKind.MONTH:
        return datetime.date(int(key[:4]), int(key[5:7]), 1)
    return datetime.date.fromisoformat(key)


def period_previous(kind: str, key: str) -> str:
    """The period before: last year for a year, the quarter, month or day before otherwise."""
    kind = PeriodKind(kind)
    if kind == PeriodKind.YEAR:
        return str(int(key) - 1)
    if kind == PeriodKind.QUARTER:
        year, quarter = int(key[:4]), int(key[5])
        return f"{year - 1}Q4" if quarter == 1 else f"{year}Q{quarter - 1}"
    if kind == PeriodKind.MONTH:
        year, month = int(key[:4]), int(key[5:7])
        return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    return (datetime.date.fromisoformat(key) - datetime.timedelta(days=1)).isoformat()


def period_same_last_year(kind: str, key: str) -> str:
    """同比: the same period a year before."""
    if PeriodKind(kind) == PeriodKind.DAY:
        day = datetime.date.fromisoformat(key)
        try:
            return day.replace(year=day.year - 1).isoformat()
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28).isoformat()
    return str(int(key[:4]) - 1) + key[4:]


def period_kind_of(key: str) -> str | None:
    """The kind of a period key (2024 → year, 2024Q1 → quarter …), or None when it is none."""
    for kind in PeriodKind:
        if period_valid(kind, key):
            return kind
    return None
