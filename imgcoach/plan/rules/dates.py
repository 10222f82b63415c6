"""Dates as people type them: YYYY-MM-DD, `today`, `tomorrow`, `+4w`, `-3d`, `+2m`, `next monday`.

Pure (today is passed in, never read from a clock) so forms and the CLI can share it and tests can pin
month ends and leap days. Anything else is refused with the forms that are understood.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterable
from datetime import date, timedelta

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # not calendar.month_name: that follows the locale, these messages are English
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ACCEPTED = "YYYY-MM-DD, today, tomorrow, +4w, -3d, +2m or next monday"
_OFFSET = re.compile(r"^([+-])\s*(\d{1,4})\s*([dwm])$")
DEFAULT_ROTATION_WEEKS = 4  # an end date left empty: start + 4 weeks (the usual observership block)


def parse_day(text: str, today: date) -> date:
    """The date `text` means on `today`; ValueError names what is accepted."""
    word = " ".join(text.strip().lower().split())
    if word in ("today", "tod"):
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    if word == "yesterday":
        return today - timedelta(days=1)
    offset = _OFFSET.match(word)
    if offset:
        sign = 1 if offset[1] == "+" else -1
        amount = sign * int(offset[2])
        if offset[3] == "d":
            return today + timedelta(days=amount)
        if offset[3] == "w":
            return today + timedelta(weeks=amount)
        return add_months(today, amount)
    weekday = word.removeprefix("next ").strip()
    if weekday in WEEKDAYS or any(weekday == w[:3] for w in WEEKDAYS):
        target = next(i for i, w in enumerate(WEEKDAYS) if w.startswith(weekday))
        return today + timedelta(days=(target - today.weekday() - 1) % 7 + 1)  # strictly after today
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise NotADate(text.strip(), _why_not(word)) from None


class NotADate(ValueError):
    """A typed day that is none: `reason` is what to fix, for a form that names the field itself."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{text!r} is not a date: {reason}")
        self.reason = reason


_ISO_SHAPE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _why_not(word: str) -> str:
    """What is wrong with `word`. A YYYY-MM-DD day the calendar lacks (2027-02-29) was told to "use YYYY-MM-DD",
    the form it was already in: it is told which part is out of range instead."""
    shape = _ISO_SHAPE.match(word)
    if shape is None or int(shape[1]) < 1:
        return f"use {ACCEPTED}"
    return out_of_range(int(shape[1]), int(shape[2]))


def out_of_range(year: int, month: int) -> str:
    """What the calendar lacks in a day written in a date's shape whose month or day is out of range (year 1 or
    later): also the program file's reader (matching.schema), which called 2027-02-29 "not a date YYYY-MM-DD"."""
    import calendar  # as in _why_not: only a refused day needs it

    if not 1 <= month <= 12:
        return f"there is no month {month:02d} (months run 01 to 12)"
    return f"{MONTHS[month - 1]} {year} has {calendar.monthrange(year, month)[1]} days"


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day (31 Jan + 1m = 28 or 29 Feb)."""
    import calendar  # here: readiness imports this module for rotation_weeks alone (locale too, issue 17)

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def default_end(start: date) -> date:
    """An end date the applicant left empty: the last day of a four-week block from `start`."""
    return start + timedelta(weeks=DEFAULT_ROTATION_WEEKS, days=-1)


def week_days(rotation_start: date, day: date) -> tuple[date, date]:
    """First and last day of the rotation week ``day`` falls in, counted from the rotation's first day (as
    rotation_weeks counts them, and as the log's "week of" rows run): `--week` is any day of that week, so the
    stored week is found by its days, not by the day typed (a Thursday's feedback made a second, 0-hour row
    beside the week logged on its first day). Here, below coach, because a rotation edit renames its log's weeks."""
    first = rotation_start + timedelta(days=7 * ((day - rotation_start).days // 7))
    return first, first + timedelta(days=6)


def log_week_first(day: date, rotation_start: date | None) -> date:
    """The first day of the log week holding ``day``: the rotation's week (week_days) where the rotation is known
    and ``day`` is in it, else the calendar week from Monday. A log week is written once this day has come (the
    log refuses a week not begun; a rotation's move keeps a week under its label rather than make it one)."""
    if rotation_start is not None and day >= rotation_start:
        return week_days(rotation_start, day)[0]
    return day - timedelta(days=day.weekday())


def rotation_weeks(start: date, end: date) -> int:
    """A rotation's length in whole weeks, to the nearest, at least 1: how rotations are quoted.

    Mon..Fri four weeks later (26 days) is 4 weeks, and so is Thu..Thu four weeks later (29 days). Rounding
    up once made a 36-day rotation "6 weeks" and counted its odd day as a week of clinical experience; a
    rotation of a few days is 1 week, never 0. Readiness and the shortlist both count experience with it."""
    return max(1, math.floor(((end - start).days + 1) / 7 + 0.5))


class CalendarWeeks:
    """Whole weeks of calendar time inclusive (start, end) spans cover together, kept as spans are added. Spans
    sharing a day are merged into one run (a day served in two rotations at once is one day of experience: two
    rotations sharing 22 days made "3 months" of 9 weeks), and each run is counted as rotation_weeks counts a
    rotation, so rotations that share no day count exactly as each is quoted. Added one at a time, so the
    shortlist can ask which planned rotation reaches a requirement without counting the others again."""

    def __init__(self, spans: Iterable[tuple[date, date]] = ()) -> None:
        self._starts: list[date] = []  # the runs, disjoint and in order: their ends are in order too
        self._ends: list[date] = []
        self.weeks = 0
        for span in spans:
            self.add(span)

    def add(self, span: tuple[date, date]) -> None:
        start, end = span
        first = last = bisect_left(self._ends, start)  # the first run ending on or after `start`
        while last < len(self._starts) and self._starts[last] <= end:  # every run sharing a day with the span
            start, end = min(start, self._starts[last]), max(end, self._ends[last])
            self.weeks -= rotation_weeks(self._starts[last], self._ends[last])
            last += 1
        self._starts[first:last], self._ends[first:last] = [start], [end]
        self.weeks += rotation_weeks(start, end)


def calendar_weeks(spans: Iterable[tuple[date, date]]) -> int:
    """Whole weeks of calendar time the spans cover together (CalendarWeeks)."""
    return CalendarWeeks(spans).weeks


def experience_weeks(hands_on: Iterable[tuple[date, date]],
                     observing: Iterable[tuple[date, date]]) -> tuple[int, int]:
    """(hands-on, observing) weeks of clinical experience, as calendar time: the hands-on spans' calendar weeks,
    and the observing weeks not also hands-on (all spans' calendar weeks less the hands-on ones: a week observing
    beside a hands-on rotation counts once, as hands-on), so the two add up to the calendar time of all. The one
    rule for readiness's months and the shortlist's US clinical experience."""
    hands = list(hands_on)
    hands_weeks = calendar_weeks(hands)
    return hands_weeks, max(0, calendar_weeks([*hands, *observing]) - hands_weeks)
