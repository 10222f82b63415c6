"""Dates as people type them, on fixed days: month ends, leap days, weekdays strictly after today."""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.plan.rules.dates import add_months, default_end, parse_day

WEDNESDAY = date(2026, 12, 2)


@pytest.mark.parametrize(("typed", "meant"), [
    ("2027-03-01", date(2027, 3, 1)),
    ("today", WEDNESDAY),
    ("  Today ", WEDNESDAY),
    ("tomorrow", date(2026, 12, 3)),
    ("+4w", date(2026, 12, 30)),
    ("+ 4w", date(2026, 12, 30)),
    ("-3d", date(2026, 11, 29)),
    ("+1m", date(2027, 1, 2)),
    ("next monday", date(2026, 12, 7)),
    ("next wednesday", date(2026, 12, 9)),  # strictly after today, never today
    ("fri", date(2026, 12, 4)),
])
def test_typed_dates(typed: str, meant: date) -> None:
    assert parse_day(typed, WEDNESDAY) == meant


def test_months_keep_the_day_or_take_the_month_end() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)  # leap year
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)  # across the year end
    assert parse_day("+1m", date(2028, 1, 31)) == date(2028, 2, 29)


def test_sunday_next_monday_is_tomorrow() -> None:
    assert parse_day("next monday", date(2026, 12, 6)) == date(2026, 12, 7)


@pytest.mark.parametrize("typed", ["soon", "+4y", "next month", "12/03/2027"])
def test_refused_with_what_is_accepted(typed: str) -> None:
    with pytest.raises(ValueError, match="use YYYY-MM-DD, today, tomorrow, \\+4w"):
        parse_day(typed, WEDNESDAY)


@pytest.mark.parametrize(("typed", "reason"), [
    ("2027-02-29", "February 2027 has 28 days"),  # no leap day in 2027
    ("2027-02-30", "February 2027 has 28 days"),
    ("2028-02-30", "February 2028 has 29 days"),
    ("2026-04-31", "April 2026 has 30 days"),
    ("2026-13-01", "there is no month 13 (months run 01 to 12)"),
])
def test_a_day_in_the_right_form_that_the_calendar_lacks_says_which_part_is_wrong(typed: str, reason: str) -> None:
    """'2027-02-29' was told to "use YYYY-MM-DD, today, ...": the form it was typed in. It is told why instead."""
    with pytest.raises(ValueError) as refused:
        parse_day(typed, WEDNESDAY)
    assert str(refused.value) == f"{typed!r} is not a date: {reason}"
    assert "use YYYY-MM-DD" not in str(refused.value)


def test_an_empty_end_is_four_weeks_of_days() -> None:
    assert default_end(date(2027, 3, 1)) == date(2027, 3, 28)
    assert default_end(date(2028, 2, 14)) == date(2028, 3, 12)  # across a leap day
