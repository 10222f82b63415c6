"""Weekly load: hours of clinical work and study per week, so overload is visible."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from imgcoach.plan.rules.conflicts import Span

OVERLOAD_HOURS = 70  # above this a week is flagged; a rule of thumb, change in one place


@dataclass(frozen=True)
class WeekLoad:
    week_start: date  # Monday
    clinical_hours: int
    study_hours: int

    @property
    def total(self) -> int:
        return self.clinical_hours + self.study_hours

    @property
    def overloaded(self) -> bool:
        return self.total > OVERLOAD_HOURS


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_load(rotations: list[Span], study_blocks: list[Span], first: date, last: date) -> list[WeekLoad]:
    """Hours per week from `first` to `last`. An item counts in full for every week it touches."""
    start = monday_of(first)
    weeks = (monday_of(last) - start).days // 7 + 1
    clinical = [0] * weeks
    study = [0] * weeks
    for items, totals in ((rotations, clinical), (study_blocks, study)):
        for item in items:
            lo = max(0, (monday_of(item.start_date) - start).days // 7)
            hi = min(weeks - 1, (monday_of(item.end_date) - start).days // 7)
            for week in range(lo, hi + 1):
                totals[week] += item.hours_per_week
    return [WeekLoad(start + timedelta(weeks=i), clinical[i], study[i]) for i in range(weeks)]
