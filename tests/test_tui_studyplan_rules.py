"""The pure study-plan generator (imgcoach.plan.rules.studyplan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imgcoach.core.errors import FieldError, ValidationError
from imgcoach.plan.rules.clinical import clinical_span
from imgcoach.plan.rules.conflicts import find_conflicts
from imgcoach.plan.rules.load import OVERLOAD_HOURS, weekly_load
from imgcoach.plan.rules.studyplan import (
    StudyRequest,
    day_names,
    parse_rest_days,
    propose_study_plan,
)

TODAY = date(2026, 11, 25)


@dataclass
class Item:
    start_date: date
    end_date: date
    hours_per_week: int
    id: int | None = None


def request(**overrides: object) -> StudyRequest:
    values: dict[str, object] = dict(exam="Step 3", exam_date=TODAY + timedelta(days=90), hours_per_day=4,
                                     rest_days=frozenset({6}), start=TODAY)
    values.update(overrides)
    return StudyRequest(**values)  # type: ignore[arg-type]


def test_free_calendar_gives_blocks_up_to_the_day_before_the_exam() -> None:
    proposal = propose_study_plan(request(), [])
    blocks = proposal.blocks
    assert blocks[0].start_date == TODAY
    assert blocks[-1].end_date == TODAY + timedelta(days=89)
    assert all((b.end_date - b.start_date).days + 1 <= 28 for b in blocks)
    assert all(b.hours_per_week == 24 for b in blocks)  # 4 h x 6 study days
    for first, second in zip(blocks, blocks[1:], strict=False):
        assert second.start_date == first.end_date + timedelta(days=1)
    assert blocks[-1].weekly_goal.startswith("Final review")
    assert proposal.total_hours == round(24 * 90 / 7)


def test_full_time_rotation_days_are_never_study_days() -> None:
    rotation = Item(TODAY + timedelta(days=20), TODAY + timedelta(days=47), 40, id=1)
    proposal = propose_study_plan(request(), [rotation])
    for block in proposal.blocks:
        assert block.end_date < rotation.start_date or block.start_date > rotation.end_date
    assert not [c for c in find_conflicts([rotation], list(proposal.blocks)) if c.kind == "study_over_full_time"]


def test_part_time_rotation_shrinks_study_hours_below_the_overload_line() -> None:
    rotation = Item(TODAY + timedelta(days=10), TODAY + timedelta(days=40), 30)
    proposal = propose_study_plan(request(hours_per_day=8, rest_days=frozenset()), [rotation])
    # Every block sharing a week with the rotation leaves room for the hours the rotation takes in that week, by
    # the load's rule (a fifth per weekday: Sat 5 Dec to Mon 4 Jan takes 0 hours of its first week, 6 of its last).
    beside = [b for b in proposal.blocks if b.start_date <= rotation.end_date and b.end_date >= rotation.start_date]
    capacity = 8 * 7
    for block in beside:
        day = block.start_date
        while day <= block.end_date:
            [week] = weekly_load([rotation], [], day, day)
            assert block.hours_per_week == min(capacity, OVERLOAD_HOURS - week.clinical_hours), (block, day)
            day += timedelta(days=1)
    assert any(b.hours_per_week == OVERLOAD_HOURS - 30 for b in beside)
    assert proposal.overloaded_weeks == 0
    assert all(b.weekly_goal.startswith("Light block") for b in beside if b.hours_per_week < capacity)


def test_existing_blocks_and_short_gaps_are_left_alone() -> None:
    existing = Item(TODAY, TODAY + timedelta(days=29), 20)
    rotation = Item(TODAY + timedelta(days=32), TODAY + timedelta(days=88), 40)
    proposal = propose_study_plan(request(), [rotation], [existing])
    # Days 30-31 (Fri 25 and Sat 26 Dec; Sunday is a rest day) are a 2-day gap (skipped). The rotation, recorded
    # to Sunday 21 Feb, works to Friday 19 Feb (the load's rule): Sat 20 to Mon 22 Feb, the day before the exam,
    # are free, and the one block.
    assert [(b.start_date, b.end_date) for b in proposal.blocks] == [(date(2027, 2, 20), date(2027, 2, 22))]
    assert any("too short" in note for note in proposal.notes)
    assert not find_conflicts([rotation], list(proposal.blocks))


def test_exam_during_a_full_time_rotation_is_noted() -> None:
    rotation = Item(TODAY + timedelta(days=80), TODAY + timedelta(days=100), 40)
    proposal = propose_study_plan(request(), [rotation])
    assert any("exam falls during" in note for note in proposal.notes)


def test_every_bad_input_is_named_by_its_field() -> None:
    with pytest.raises(ValidationError) as caught:
        propose_study_plan(request(exam=" ", exam_date=TODAY, hours_per_day=0, rest_days=frozenset(range(7))), [])
    fields = {e.field for e in caught.value.errors}
    assert fields == {"exam", "exam_date", "hours_per_day", "rest_days"}
    with pytest.raises(ValidationError) as too_much:
        propose_study_plan(request(hours_per_day=12, rest_days=frozenset()), [])
    assert too_much.value.for_field("hours_per_day") is not None


def test_rest_days_parse_and_print() -> None:
    assert parse_rest_days("Sat, sunday") == frozenset({5, 6})
    assert parse_rest_days("") == frozenset()
    assert day_names(frozenset({0, 6})) == "Mon, Sun"
    with pytest.raises(FieldError, match="unknown day"):
        parse_rest_days("sat, funday")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 150), st.integers(1, 60), st.sampled_from([8, 20, 30, 40, 50])), max_size=6),
    st.integers(10, 160),
    st.integers(1, 10),
)
def test_proposals_respect_rotations_and_load(rots: list[tuple[int, int, int]], exam_in: int, per_day: int) -> None:
    rotations = [Item(TODAY + timedelta(days=s), TODAY + timedelta(days=s + n), h) for s, n, h in rots]
    proposal = propose_study_plan(request(exam_date=TODAY + timedelta(days=exam_in), hours_per_day=per_day), rotations)
    exam_date = TODAY + timedelta(days=exam_in)
    for block in proposal.blocks:
        assert TODAY <= block.start_date <= block.end_date < exam_date
        assert 5 <= block.hours_per_week <= 80
        day = block.start_date
        while day <= block.end_date:
            # no working day of a full-time rotation; room for the week's clinical hours as the load counts them
            assert not [r for r in rotations if r.hours_per_week >= 35 and (span := clinical_span(
                r.start_date, r.end_date)) and span[0] <= day <= span[1]]
            [week] = weekly_load(rotations, [], day, day)
            assert week.clinical_hours + block.hours_per_week <= OVERLOAD_HOURS
            day += timedelta(days=1)
    spans = sorted(proposal.blocks, key=lambda b: b.start_date)
    for first, second in zip(spans, spans[1:], strict=False):
        assert first.end_date < second.start_date
    # The same weekly-load rule the Study screen shows can be computed on the result.
    assert weekly_load(rotations, list(proposal.blocks), TODAY, exam_date)


def test_proposal_carries_the_weekly_hours_with_it_applied() -> None:
    part_time = Item(TODAY + timedelta(days=5), TODAY + timedelta(days=40), 30, 1)
    planned = Item(TODAY + timedelta(days=12), TODAY + timedelta(days=20), 20, 2)
    proposal = propose_study_plan(request(hours_per_day=8, rest_days=frozenset()), [part_time], [planned])
    assert proposal.blocks
    first = min(b.start_date for b in proposal.blocks)
    assert proposal.weeks[0].week_start == first - timedelta(days=first.weekday())
    before = {w.week_start: w for w in weekly_load([part_time], [planned], first, proposal.blocks[-1].end_date)}
    for week in proposal.weeks:
        assert (week.clinical, week.study) == (before[week.week_start].clinical_hours,
                                               before[week.week_start].study_hours)
        assert week.total == week.clinical + week.study + week.added
        assert week.overloaded == (week.total > OVERLOAD_HOURS)
    assert proposal.overloaded_weeks == sum(w.overloaded for w in proposal.weeks)
    assert propose_study_plan(request(exam_date=TODAY + timedelta(days=2)), [], []).weeks == ()
