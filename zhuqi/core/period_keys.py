"""A period key (2024, 2024Q1, 2024-03, 2024-03-05) as the days it covers and as a half-open time range, for the
apps below the indicators layer that count facts of a period from their own records."""

import datetime
import re

from django.utils import timezone

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def period_days(key: str) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of a period; ValueError for a key that is none."""
    key = key or ""
    if match := _YEAR.match(key):
        year = int(match[1])
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if match := _QUARTER.match(key):
        year, quarter = int(match[1]), int(match[2])
        first = datetime.date(year, (quarter - 1) * 3 + 1, 1)
        return first, _month_end(year, quarter * 3)
    if match := _MONTH.match(key):
        year, month = int(match[1]), int(match[2])
        return datetime.date(year, month, 1), _month_end(year, month)
    if _DAY.match(key):
        day = datetime.date.fromisoformat(key)
        return day, day
    raise ValueError(f"not a period: {key!r}")


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def period_times(key: str) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a period in the zone's time: midnight of its first day to midnight after its last."""
    first, last = period_days(key)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return start, end
