"""Weekly load: hours of clinical work and study per week, so overload is visible."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from imgcoach.plan.rules.clinical import hours_in_week
from imgcoach.plan.rules.conflicts import Span, assumed

OVERLOAD_HOURS = 70  # above this a week is flagged; a rule of thumb, change in one place


@dataclass(frozen=True)
class WeekLoad:
    week_start: date  # Monday
    clinical_hours: int
    study_hours: int
    assumed_hours: int = 0  # of clinical_hours, from rotations whose hours nobody gave (shown "80?", not as given)

    @property
    def total(self) -> int:
        return self.clinical_hours + self.study_hours

    @property
    def overloaded(self) -> bool:
        return self.total > OVERLOAD_HOURS


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_load(rotations: Sequence[Span], study_blocks: Sequence[Span], first: date, last: date) -> list[WeekLoad]:
    """Hours per week from `first` to `last`, counted day by day: a rotation gives a fifth of its weekly hours to
    each weekday it covers (clinical.hours_in_week) and a study block a seventh to each day, so a week in which two blocks meet counts each day once (a block ending Wednesday
    and the next starting Thursday make one week of study, not two).

    Clinical hours of rotations on the same day add up (two rotations are two jobs); study blocks of one exam on
    the same day count the largest (one day of that study, however many blocks name it), and blocks of different
    exams add up: a 15 h/week OET block beside a 25 h/week Step 2 CK block is 40 hours of study, and counting
    only the 25 left the OET hours out of every total and overload line without a word.
    """
    start = monday_of(first)
    weeks = (monday_of(last) - start).days // 7 + 1
    end = start + timedelta(days=weeks * 7 - 1)
    clinical = [0.0] * weeks
    guessed = [0.0] * weeks
    study = [0.0] * weeks
    # Days as ordinals (plain ints): the same sums in the same order as stepping dates, several times faster
    # (a plan of 2,400 items is 60,000 item-days). `start` is a Monday, so (day - origin) // 7 is the week.
    origin, stop_all = start.toordinal(), end.toordinal()
    study_by_day: dict[tuple[int, str], float] = {}  # (day, exam) -> the largest of that exam's blocks that day
    for item in rotations:
        # clinical.hours_in_week, the rule the study-plan generator reads too: a fifth per weekday covered
        into = guessed if assumed(item) else None
        begin = max(item.start_date.toordinal(), origin)
        for week in range((begin - origin) // 7, (min(item.end_date.toordinal(), stop_all) - origin) // 7 + 1):
            hours = hours_in_week(item.hours_per_week, item.start_date, item.end_date, start + timedelta(weeks=week))
            clinical[week] += hours
            if into is not None:
                into[week] += hours
    for item in study_blocks:
        share = item.hours_per_week / 7
        exam = str(getattr(item, "exam", "") or "").strip().casefold()
        for day in range(max(item.start_date.toordinal(), origin), min(item.end_date.toordinal(), stop_all) + 1):
            study_by_day[day, exam] = max(study_by_day.get((day, exam), 0.0), share)
    for (day, _), hours in study_by_day.items():
        study[(day - origin) // 7] += hours
    return [WeekLoad(start + timedelta(weeks=i), round(clinical[i]), round(study[i]), round(guessed[i]))
            for i in range(weeks)]

