"""When a rotation's hours fall: the one rule the weekly load, the conflicts and the study-plan generator share.

A rotation's weekly hours are worked Monday to Friday, a fifth on each weekday it covers (no rotation records
weekend hours). The generator charged a part-time rotation's whole weekly hours to a week it touched on one
Tuesday while the load beside it counted two fifths, and a study block (or a rotation) meeting a rotation only
on its Saturday and Sunday was a "conflict" in weeks the load showed no clinical hour on those days.
"""

from __future__ import annotations

from datetime import date, timedelta

CLINICAL_WEEKDAYS = 5  # Monday to Friday: date.weekday() < 5


def is_clinical_day(day: date) -> bool:
    return day.weekday() < CLINICAL_WEEKDAYS


def clinical_span(start: date, end: date) -> tuple[date, date] | None:
    """The days from the first to the last weekday of an inclusive range (None: weekend days only)."""
    while start <= end and not is_clinical_day(start):
        start += timedelta(days=1)
    while end >= start and not is_clinical_day(end):
        end -= timedelta(days=1)
    return (start, end) if start <= end else None


def hours_in_week(hours_per_week: int, start: date, end: date, monday: date) -> float:
    """The hours a rotation of `hours_per_week` from `start` to `end` takes in the week beginning `monday`: a
    fifth for each of that week's weekdays it covers."""
    first, last = max(start, monday), min(end, monday + timedelta(days=CLINICAL_WEEKDAYS - 1))
    return hours_per_week * max((last - first).days + 1, 0) / CLINICAL_WEEKDAYS
