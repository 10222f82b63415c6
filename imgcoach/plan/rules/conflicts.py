"""Conflicts between plan items: overlapping rotations, study blocks beside full-time work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from imgcoach.core.datewords import WRITTEN, DateWords
from imgcoach.plan.rules.vocab import FULL_TIME_HOURS


class Span(Protocol):
    id: int | None
    start_date: date
    end_date: date
    hours_per_week: int


@dataclass(frozen=True)
class Conflict:
    kind: str  # "rotation_overlap" | "study_over_full_time"
    first_id: int | None
    second_id: int | None
    start: date  # the overlapping days, inclusive
    end: date
    combined_hours: int
    message: str


def describe(item: Span, words: DateWords = WRITTEN) -> str:
    """A rotation as a person names it: the place and the dates (the id only when there is no place)."""
    place = getattr(item, "institution", "") or f"rotation {item.id}"
    return f"{place} ({words.span(item.start_date, item.end_date)})"


def overlap(a_start: date, a_end: date, b_start: date, b_end: date) -> tuple[date, date] | None:
    """The shared days of two inclusive date ranges, or None."""
    start, end = max(a_start, b_start), min(a_end, b_end)
    return (start, end) if start <= end else None


def find_conflicts(rotations: Sequence[Span], study_blocks: Sequence[Span],
                   words: DateWords = WRITTEN) -> list[Conflict]:
    """Every pair of rotations that overlap, and every study block over a full-time rotation; each
    message writes its dates with `words` (the face's own format).

    Sorting by start lets each inner loop stop at the first item that starts after the
    current one ends, so a plan of hundreds of items stays fast.
    """
    found: list[Conflict] = []
    rots = sorted(rotations, key=lambda r: (r.start_date, r.end_date))
    for i, a in enumerate(rots):
        for b in rots[i + 1 :]:
            if b.start_date > a.end_date:
                break
            shared = overlap(a.start_date, a.end_date, b.start_date, b.end_date)
            if shared:
                hours = a.hours_per_week + b.hours_per_week
                found.append(
                    Conflict(
                        "rotation_overlap", a.id, b.id, *shared, hours,
                        f"{describe(a, words)} and {describe(b, words)} overlap {words.span(*shared)} "
                        f"({hours} h/week together)",
                    )
                )
    full_time = [r for r in rots if r.hours_per_week >= FULL_TIME_HOURS]
    for block in sorted(study_blocks, key=lambda s: s.start_date):
        for rot in full_time:
            if rot.start_date > block.end_date:
                break
            shared = overlap(block.start_date, block.end_date, rot.start_date, rot.end_date)
            if shared:
                hours = block.hours_per_week + rot.hours_per_week
                found.append(
                    Conflict(
                        "study_over_full_time", block.id, rot.id, *shared, hours,
                        f"study block {getattr(block, 'exam', '') or block.id} overlaps full-time rotation at "
                        f"{describe(rot, words)} {words.span(*shared)} ({hours} h/week combined)",
                    )
                )
    return found


def full_time_overlaps(rotation: Span, others: Sequence[Span], words: DateWords = WRITTEN) -> list[str]:
    """Warnings for saving `rotation` over another rotation when either is full time, naming both."""
    out: list[str] = []
    for other in sorted(others, key=lambda r: r.start_date):
        if other.id == rotation.id:
            continue
        shared = overlap(rotation.start_date, rotation.end_date, other.start_date, other.end_date)
        if shared and max(rotation.hours_per_week, other.hours_per_week) >= FULL_TIME_HOURS:
            out.append(f"{describe(rotation, words)} overlaps full-time {describe(other, words)} from "
                       f"{words.span(*shared)} ({rotation.hours_per_week + other.hours_per_week} h/week together)")
    return out
