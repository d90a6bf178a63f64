"""Working days by the official Chinese calendar: statutory holidays off, adjusted weekend workdays (调休) on.

chinesecalendar carries the State Council's published schedules; for a year it does not cover, the
system administrator's WorkdayOverride rows decide, and otherwise Monday to Friday — and every answer for
such a year says it is provisional, so that a page can warn that a deadline may move."""

import datetime
from dataclasses import dataclass

import chinese_calendar

from .models import WorkdayOverride

_MAX_SPAN_DAYS = 3 * 366


@dataclass(frozen=True)
class Calendar:
    """The working-day calendar over a span of dates, loaded in one query."""

    overrides: dict[datetime.date, bool]

    @classmethod
    def load(cls, start: datetime.date, end: datetime.date) -> "Calendar":
        rows = WorkdayOverride.objects.filter(date__range=(start, end)).values_list("date", "is_workday")
        return cls(overrides=dict(rows))

    def is_workday(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if covers(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5


def covers(year: int) -> bool:
    """Whether the official schedule for this year is known to the calendar library."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_provisional(start: datetime.date, end: datetime.date) -> bool:
    """True when some day in the span falls in a year the official schedule does not cover yet."""
    return any(not covers(year) for year in range(start.year, end.year + 1))


def add_workdays(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (the start day itself not counted): a case handed over on
    Friday with 3 working days is due on Wednesday, later if a holiday intervenes."""
    if days < 0:
        raise ValueError("days must not be negative")
    calendar = Calendar.load(start, start + datetime.timedelta(days=days * 3 + 30))
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if (day - start).days > _MAX_SPAN_DAYS:
            raise ValueError("no working days in three years: check the overrides")
        if calendar.is_workday(day):
            counted += 1
    return day


def workday_on_or_before(day: datetime.date) -> datetime.date:
    """The last working day up to and including `day` (the Friday before a weekend, the last day before a holiday)."""
    calendar = Calendar.load(day - datetime.timedelta(days=30), day)
    for offset in range(_MAX_SPAN_DAYS):
        earlier = day - datetime.timedelta(days=offset)
        if offset == 30:
            calendar = Calendar.load(day - datetime.timedelta(days=_MAX_SPAN_DAYS), day)
        if calendar.is_workday(earlier):
            return earlier
    raise ValueError("no working days in three years: check the overrides")


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`."""
    if end < start:
        return -workdays_between(end, start)
    calendar = Calendar.load(start, end)
    return sum(
        1 for offset in range(1, (end - start).days + 1) if calendar.is_workday(start + datetime.timedelta(days=offset))
    )


def workdays_left(today: datetime.date, deadlines: list[datetime.date]) -> dict[datetime.date, int]:
    """Working days from today to each deadline (0 on the day itself, negative once past), one calendar
    load for a whole page of cases."""
    if not deadlines:
        return {}
    start, end = min([today, *deadlines]), max([today, *deadlines])
    calendar = Calendar.load(start, end)
    days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
    position, counted = {}, 0
    for day in days:
        if calendar.is_workday(day):
            counted += 1
        position[day] = counted
    return {d: position[d] - position[today] for d in set(deadlines)}
