"""A busy plan (issue 17's 100x: 400 rotations, 2,000 study blocks): conflicts are found by looking only at the
items that can meet and are the same as checking every pair, their messages are written when shown; the weekly
load, counted on day ordinals, is the rule applied one date at a time."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from imgcoach.plan.rules.clinical import clinical_span
from imgcoach.plan.rules.conflicts import describe, find_conflicts, overlap
from imgcoach.plan.rules.vocab import FULL_TIME_HOURS


@dataclass
class Item:
    id: int
    start_date: date
    end_date: date
    hours_per_week: int
    institution: str = ""
    exam: str = ""


def busy_plan(seed: int) -> tuple[list[Item], list[Item]]:
    rng = random.Random(seed)
    first = date(2026, 12, 2)
    rotations = []
    for i in range(120):  # one long research year among short rotations: a block far after its start still meets it
        start = first + timedelta(days=rng.randrange(700))
        length, hours = (365, 40) if i == 7 else (rng.randrange(14, 60), rng.choice((20, 30, 40)))
        rotations.append(Item(i + 1, start, start + timedelta(days=length), hours, f"Hospital {i} (synthetic)"))
    blocks = []
    for i in range(300):
        start = first + timedelta(days=rng.randrange(760))
        blocks.append(Item(i + 1, start, start + timedelta(days=rng.randrange(1, 30)), 10, exam="Step 3"))
    return rotations, blocks


def weekdays(shared: tuple[date, date] | None) -> tuple[date, date] | None:
    """The shared days a rotation works (first to last weekday): a weekend-only overlap is no conflict."""
    return clinical_span(*shared) if shared else None


def every_pair(rotations: list[Item], blocks: list[Item]) -> set[tuple[str, int, int, date, date]]:
    found = set()
    for a in rotations:
        for b in rotations:
            if (a.start_date, a.end_date) < (b.start_date, b.end_date) and (shared := weekdays(overlap(
                    a.start_date, a.end_date, b.start_date, b.end_date))):
                found.add(("rotation_overlap", a.id, b.id, *shared))
    for block in blocks:
        for rot in rotations:
            if rot.hours_per_week >= FULL_TIME_HOURS and (shared := weekdays(overlap(
                    block.start_date, block.end_date, rot.start_date, rot.end_date))):
                found.add(("study_over_full_time", block.id, rot.id, *shared))
    return found


def test_the_conflicts_of_a_busy_plan_are_those_of_every_pair() -> None:
    for seed in range(3):
        rotations, blocks = busy_plan(seed)
        conflicts = find_conflicts(rotations, blocks)
        assert {(c.kind, c.first_id, c.second_id, c.start, c.end) for c in conflicts} == every_pair(rotations, blocks)
        assert len(conflicts) == len({(c.kind, c.first_id, c.second_id) for c in conflicts}), "each pair once"
        research = rotations[7]
        assert any(c.kind == "study_over_full_time" and c.second_id == research.id
                   and c.start > research.start_date + timedelta(days=60) for c in conflicts), (
            "a block months into the research year is found although dozens of rotations start in between")


def test_a_conflict_reads_as_a_sentence() -> None:
    a = Item(1, date(2027, 1, 4), date(2027, 1, 31), 40, "Mercy Hospital (synthetic)")
    b = Item(2, date(2027, 1, 25), date(2027, 2, 21), 30, "Lakeview Clinic (synthetic)")
    block = Item(5, date(2027, 1, 10), date(2027, 1, 16), 10, exam="Step 3")
    overlap_, study = find_conflicts([a, b], [block])
    assert overlap_.message == (f"{describe(a)} and {describe(b)} overlap 25 Jan 2027 to 29 Jan 2027 "
                                "(70 h/week together)")  # Monday to Friday: the weekend after holds no hours
    assert study.message == (f"study block Step 3 overlaps full-time rotation at {describe(a)} for 11 Jan 2027 to "
                             "15 Jan 2027 (50 h/week combined)")  # the block's Sunday and Saturday hold no work


def day_by_day_load(rotations: list[Item], blocks: list[Item], first: date, last: date) -> dict[date, tuple[int, int]]:
    """The weekly load rule stated plainly (a fifth of a rotation's hours per weekday, the largest study block's
    seventh per day), one date at a time."""
    start = first - timedelta(days=first.weekday())
    end = last - timedelta(days=last.weekday()) + timedelta(days=6)
    clinical: dict[date, float] = {}
    study: dict[date, float] = {}
    day = start
    while day <= end:
        week = day - timedelta(days=day.weekday())
        if day.weekday() < 5:
            clinical[week] = clinical.get(week, 0.0) + sum(r.hours_per_week / 5 for r in rotations
                                                           if r.start_date <= day <= r.end_date)
        study[week] = study.get(week, 0.0) + max((b.hours_per_week / 7 for b in blocks
                                                  if b.start_date <= day <= b.end_date), default=0.0)
        day += timedelta(days=1)
    return {week: (round(clinical.get(week, 0.0)), round(study[week])) for week in study}


def test_the_weekly_load_of_a_busy_plan_is_the_rule_day_by_day() -> None:
    from imgcoach.plan.rules.load import weekly_load

    rotations, blocks = busy_plan(1)
    for block in blocks[::3]:
        block.hours_per_week = 15  # overlapping blocks of different hours: the day counts the largest
    first, last = date(2026, 11, 20), date(2029, 2, 1)
    got = {w.week_start: (w.clinical_hours, w.study_hours) for w in weekly_load(rotations, blocks, first, last)}
    assert got == day_by_day_load(rotations, blocks, first, last)
    assert any(study for _, study in got.values()) and any(clinical for clinical, _ in got.values())
