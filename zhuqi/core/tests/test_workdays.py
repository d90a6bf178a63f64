import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhuqi.core.models import WorkdayOverride
from zhuqi.core.workdays import add_workdays, covers, is_provisional, workday_on_or_before, workdays_between

D = datetime.date


@pytest.mark.django_db
def test_three_working_days_before_spring_festival_2026_skip_the_whole_holiday():
    # 2026: the Spring Festival holiday runs 15–23 February; Saturday 14 February and Saturday 28 February are workdays
    assert add_workdays(D(2026, 2, 12), 3) == D(2026, 2, 24)
    assert add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)


@pytest.mark.django_db
def test_an_adjusted_saturday_counts_as_a_working_day():
    assert add_workdays(D(2026, 2, 27), 1) == D(2026, 2, 28)
    assert add_workdays(D(2026, 3, 6), 1) == D(2026, 3, 9)  # an ordinary Saturday and Sunday are off


@pytest.mark.django_db
def test_the_last_working_day_on_or_before_a_day_goes_back_over_weekends_and_holidays():
    assert workday_on_or_before(D(2026, 3, 9)) == D(2026, 3, 9)  # a Monday is itself
    assert workday_on_or_before(D(2026, 3, 8)) == D(2026, 3, 6)  # Sunday: the Friday
    assert workday_on_or_before(D(2026, 10, 5)) == D(2026, 9, 30)  # inside the National Day week
    WorkdayOverride.objects.create(date=D(2026, 3, 7), is_workday=True)
    assert workday_on_or_before(D(2026, 3, 8)) == D(2026, 3, 7)


@pytest.mark.django_db
def test_national_day_week_is_off():
    assert add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 8)  # 1–7 October off


@pytest.mark.django_db
def test_years_beyond_the_published_schedule_use_the_admins_overrides_and_are_flagged():
    assert covers(2026) and not covers(2027)
    assert is_provisional(D(2026, 12, 20), D(2027, 1, 10))
    assert not is_provisional(D(2026, 1, 1), D(2026, 12, 31))
    assert add_workdays(D(2027, 2, 5), 1) == D(2027, 2, 8)  # Friday → Monday by default
    WorkdayOverride.objects.create(date=D(2027, 2, 8), is_workday=False, note="2027 春节")
    WorkdayOverride.objects.create(date=D(2027, 2, 6), is_workday=True, note="2027 春节调休")
    assert add_workdays(D(2027, 2, 5), 1) == D(2027, 2, 6)
    assert add_workdays(D(2027, 2, 5), 2) == D(2027, 2, 9)


@pytest.mark.django_db
def test_counting_between_two_dates_matches_adding():
    assert workdays_between(D(2026, 2, 12), D(2026, 2, 24)) == 3
    assert workdays_between(D(2026, 2, 24), D(2026, 2, 12)) == -3
    assert workdays_between(D(2026, 3, 2), D(2026, 3, 2)) == 0


@pytest.mark.django_db
@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2026, 10, 1)), st.integers(0, 40))
def test_adding_then_counting_gives_back_the_same_number(start, days):
    assert workdays_between(start, add_workdays(start, days)) == days
