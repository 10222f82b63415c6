"""Conflicts between plan items: overlapping rotations, study blocks and exam days beside full-time work."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from imgcoach.core.datewords import WRITTEN, DateWords
from imgcoach.plan.rules.clinical import clinical_span
from imgcoach.plan.rules.vocab import CERTIFICATION, FULL_TIME_HOURS


class Span(Protocol):
    id: int | None
    start_date: date
    end_date: date
    hours_per_week: int


class ExamDay(Protocol):
    """An exam row (a result, or a booked day): the day it is sat."""

    id: int | None
    exam: str
    taken_on: date


@dataclass(frozen=True)
class Conflict:
    kind: str  # "rotation_overlap" | "study_over_full_time" | "exam_on_full_time" (first: the exam, start == end)
    first_id: int | None
    second_id: int | None
    start: date  # the overlapping days, inclusive
    end: date
    combined_hours: int
    first_name: str  # as describe() names a rotation; a study block by its exam
    second_name: str
    words: DateWords = field(default=WRITTEN, compare=False)  # how the face writes dates
    assumed_hours: int = 0  # of combined_hours, those of a rotation whose hours nobody gave

    @property
    def message(self) -> str:
        """Written when shown, not when found: a busy plan has thousands of conflicts and shows two."""
        days = self.words.span(self.start, self.end)
        if self.kind == "rotation_overlap":
            return (f"{self.first_name} and {self.second_name} overlap {days} "
                    f"({together(self.combined_hours, self.assumed_hours)})")
        if self.kind == "exam_on_full_time":
            # Said of a past sitting too, so in words true of either: no "arrange the day off" for a day gone by.
            hours = f"{self.combined_hours} h/week{', assumed' if self.assumed_hours else ''}"
            return (f"exam {self.first_name} on {self.words.day(self.start)} falls on a working day of "
                    f"{self.second_name}, a full-time rotation ({hours})")
        # "for": the rotation's own dates come just before, in brackets; two bare date ranges side by side
        # ("(13 Nov – 18 Dec 2026) 08 Dec – 18 Dec 2026") read as one garbled range
        # The rotation is "full-time" only by its hours: an assumed 40 says so, as the rotation clash does.
        assumed_note = f", {self.assumed_hours} of them assumed" if self.assumed_hours else ""
        return (f"study block {self.first_name} overlaps full-time rotation at {self.second_name} for {days} "
                f"({self.combined_hours} h/week combined{assumed_note})")


def describe(item: Span, words: DateWords = WRITTEN) -> str:
    """A rotation as a person names it: the place and the dates (the id only when there is no place)."""
    place = getattr(item, "institution", "") or f"rotation {item.id}"
    return f"{place} ({words.span(item.start_date, item.end_date)})"


def overlap(a_start: date, a_end: date, b_start: date, b_end: date) -> tuple[date, date] | None:
    """The shared days of two inclusive date ranges, or None."""
    start, end = max(a_start, b_start), min(a_end, b_end)
    return (start, end) if start <= end else None


def clinical_overlap(a_start: date, a_end: date, b_start: date, b_end: date) -> tuple[date, date] | None:
    """The shared days on which a rotation works (first to last shared weekday: clinical.clinical_span), or None.
    A clash is said only there: sharing a Saturday and Sunday, when no rotation has hours, is none."""
    shared = overlap(a_start, a_end, b_start, b_end)
    return clinical_span(*shared) if shared else None


describe_item = describe


def find_conflicts(rotations: Sequence[Span], study_blocks: Sequence[Span],
                   words: DateWords = WRITTEN, *, exams: Sequence[ExamDay] = ()) -> list[Conflict]:
    """Every pair of rotations that overlap, every study block over a full-time rotation, and every exam sat (or
    booked) on a working day of a full-time rotation, on weekdays (the load's working days: a weekend-only overlap
    takes no clinical hour); each conflict's days run from the first to the last shared weekday, its message
    writing them with `words` (the face's own format). An exam day beside a part-time rotation is no clash: its
    hours leave days free; a full-time one takes every weekday, so sitting Step 2 CK then needs the day off (an
    applicant with the exam booked on a 40 h/week externship's Tuesday was told nothing).

    Sorting by start lets each inner loop stop at the first item that starts after the
    current one ends, so a plan of hundreds of items stays fast.
    """
    found: list[Conflict] = []
    named: dict[int, str] = {}  # each item's description, made once (a busy plan names an item in many conflicts)

    def describe(item: Span) -> str:
        key = id(item)
        if key not in named:
            named[key] = describe_item(item, words)
        return named[key]

    rots = sorted(rotations, key=lambda r: (r.start_date, r.end_date))
    for i, a in enumerate(rots):
        for b in rots[i + 1 :]:
            if b.start_date > a.end_date:
                break
            shared = clinical_overlap(a.start_date, a.end_date, b.start_date, b.end_date)
            if shared:
                hours = a.hours_per_week + b.hours_per_week
                found.append(
                    Conflict("rotation_overlap", a.id, b.id, *shared, hours, describe(a), describe(b), words,
                             assumed(a) + assumed(b))
                )
    full_time = [r for r in rots if r.hours_per_week >= FULL_TIME_HOURS]
    # A block can only meet rotations that start at most the longest rotation's length before it: start
    # there (a bisection) instead of at the plan's first rotation (2,000 blocks x 400 rotations otherwise).
    starts = [r.start_date for r in full_time]
    longest = max(((r.end_date - r.start_date) for r in full_time), default=timedelta(0))
    for block in sorted(study_blocks, key=lambda s: s.start_date):
        try:
            earliest = block.start_date - longest
        except OverflowError:
            earliest = date.min
        for rot in full_time[bisect_left(starts, earliest):]:
            if rot.start_date > block.end_date:
                break
            shared = clinical_overlap(block.start_date, block.end_date, rot.start_date, rot.end_date)
            if shared:
                hours = block.hours_per_week + rot.hours_per_week
                found.append(
                    Conflict("study_over_full_time", block.id, rot.id, *shared, hours,
                             str(getattr(block, "exam", "") or block.id), describe(rot), words, assumed(rot))
                )
    for exam in sorted(exams, key=lambda e: (e.taken_on, e.id or 0)):
        day = exam.taken_on
        # A Saturday or Sunday sitting: no rotation works then. ECFMG certification: granted that day, not sat.
        if clinical_span(day, day) is None or exam.exam == CERTIFICATION:
            continue
        for rot in full_time:
            if rot.start_date > day:
                break
            if rot.end_date >= day:
                found.append(Conflict("exam_on_full_time", exam.id, rot.id, day, day, rot.hours_per_week, exam.exam,
                                      describe(rot), words, assumed(rot)))
    return found


def full_time_overlaps(rotation: Span, others: Sequence[Span], words: DateWords = WRITTEN) -> list[str]:
    """Warnings for saving `rotation` over another rotation when either is full time, naming both."""
    out: list[str] = []
    for other in sorted(others, key=lambda r: r.start_date):
        if other is rotation or (rotation.id is not None and other.id == rotation.id):
            continue  # itself: by its id once saved; a rotation not saved yet (an import's preview) has none
        shared = clinical_overlap(rotation.start_date, rotation.end_date, other.start_date, other.end_date)
        if shared and max(rotation.hours_per_week, other.hours_per_week) >= FULL_TIME_HOURS:
            hours = together(rotation.hours_per_week + other.hours_per_week, assumed(rotation) + assumed(other))
            # "full-time" on the one that is: a 40 h/week rotation saved over an 8 h/week volunteer clinic read
            # "... overlaps full-time Harbor Street Free Clinic", which it is not.
            first, second = describe(rotation, words), describe(other, words)
            clash = (f"{first} overlaps full-time {second}" if other.hours_per_week >= FULL_TIME_HOURS
                     else f"full-time {first} overlaps {second}")
            # "for", as the study block's clash says: the app's span is "25 Jan – 29 Jan 2027", and "from" before
            # it read "from 25 Jan – 29 Jan 2027"
            out.append(f"{clash} for {words.span(*shared)} ({hours})")
    return out


def rotation_overlaps(rotation: Span, rotations: Sequence[Span], study_blocks: Sequence[Span],
                      words: DateWords = WRITTEN, *, exams: Sequence[ExamDay] = ()) -> list[str]:
    """What `rotation` collides with in a plan of `rotations` (it may be among them), `study_blocks` and `exams`:
    the other rotations on its days when either is full time, and, when it is full time, the study blocks on its
    days and the exams sat or booked on its working days. The rule `rotations add`, the app's form and an import
    say (plan.overlap_warnings reads the plan for it), and an import's preview says of a rotation not made yet,
    beside the plan as the import would leave it."""
    others = find_conflicts([rotation], study_blocks, words, exams=exams)
    return full_time_overlaps(rotation, rotations, words) + [c.message for c in others
                                                             if c.kind != "rotation_overlap"]


def exam_overlaps(exam: ExamDay, rotations: Sequence[Span], words: DateWords = WRITTEN) -> list[str]:
    """The full-time rotations whose working day `exam` is sat on (`exams add|edit`, the app's exam form)."""
    return [c.message for c in find_conflicts(rotations, [], words, exams=[exam])]


def assumed(span: Span) -> int:
    """The hours of a rotation whose hours nobody gave (0 when given; a study block's are always given)."""
    return span.hours_per_week if getattr(span, "hours_assumed", False) else 0


def together(hours: int, assumed_hours: int) -> str:
    """"80 h/week together", and how much of it is assumed: a clash made by an assumed 40 says so."""
    return f"{hours} h/week together" + (f", {assumed_hours} of them assumed" if assumed_hours else "")
