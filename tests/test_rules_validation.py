"""Validation and conflicts: each error names the field and the value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from imgcoach.core.errors import ValidationError
from imgcoach.plan.rules import validation as v
from imgcoach.plan.rules.conflicts import find_conflicts
from imgcoach.plan.rules.load import weekly_load


def test_end_before_start_names_field_and_value() -> None:
    error = v.check_date_range(date(2027, 2, 1), date(2027, 1, 31), field="end_date")
    assert error is not None and error.field == "end_date" and error.value == "2027-01-31"
    assert v.check_date_range(date(2027, 2, 1), date(2027, 2, 1)) is None  # one-day rotation is fine


@pytest.mark.parametrize(("hours", "ok"), [(0, False), (1, True), (80, True), (81, False), (-5, False)])
def test_hours_bounds(hours: int, ok: bool) -> None:
    assert (v.check_hours(hours) is None) is ok


@pytest.mark.parametrize(
    ("email", "ok"),
    [("a@example.com", True), ("first.last+tag@mail.example.org", True), ("no-at.example.com", False),
     ("a@b", False), ("a b@example.com", False), ("a@example.com\nBcc: x@evil.test", False), ("", False)],
)
def test_email_syntax(email: str, ok: bool) -> None:
    assert (v.check_email(email) is None) is ok


@pytest.mark.parametrize(("tz", "ok"), [("America/New_York", True), ("Asia/Kolkata", True), ("UTC", True),
                                         ("Mars/Olympus", False), ("", False), ("America", False)])
def test_time_zone_exists(tz: str, ok: bool) -> None:
    assert (v.check_timezone(tz) is None) is ok


def test_graduation_year_sane() -> None:
    today = date(2026, 11, 25)
    assert v.check_graduation_year(2020, today) is None
    assert v.check_graduation_year(2032, today) is None
    assert v.check_graduation_year(2033, today) is not None
    assert v.check_graduation_year(1900, today) is not None


def test_raise_if_any_collects_every_error() -> None:
    with pytest.raises(ValidationError) as info:
        v.raise_if_any(v.check_hours(0), v.check_email("x"), None)
    assert {e.field for e in info.value.errors} == {"hours_per_week", "email"}
    assert info.value.for_field("email") is not None


@dataclass
class Item:
    id: int
    start_date: date
    end_date: date
    hours_per_week: int


def test_overlapping_rotations_and_study_over_full_time() -> None:
    rotations = [Item(1, date(2027, 1, 4), date(2027, 1, 29), 40), Item(2, date(2027, 1, 25), date(2027, 2, 19), 40),
                 Item(3, date(2027, 3, 1), date(2027, 3, 26), 10)]
    blocks = [Item(10, date(2027, 1, 20), date(2027, 2, 5), 20), Item(11, date(2027, 3, 1), date(2027, 3, 10), 20)]
    found = find_conflicts(rotations, blocks)
    kinds = {(c.kind, c.first_id, c.second_id) for c in found}
    assert ("rotation_overlap", 1, 2) in kinds
    assert ("study_over_full_time", 10, 1) in kinds and ("study_over_full_time", 10, 2) in kinds
    # A study block beside a 10 h/week rotation is not a conflict.
    assert not any(c.first_id == 11 for c in found)
    overlap = next(c for c in found if c.kind == "rotation_overlap")
    assert (overlap.start, overlap.end, overlap.combined_hours) == (date(2027, 1, 25), date(2027, 1, 29), 80)


def test_adjacent_rotations_do_not_conflict() -> None:
    rotations = [Item(1, date(2027, 1, 4), date(2027, 1, 29), 40), Item(2, date(2027, 1, 30), date(2027, 2, 26), 40)]
    assert find_conflicts(rotations, []) == []


def test_weekly_load_counts_each_touched_week() -> None:
    weeks = weekly_load([Item(1, date(2027, 1, 4), date(2027, 1, 15), 40)], [Item(2, date(2027, 1, 11), date(2027, 1, 17), 35)],
                        date(2027, 1, 4), date(2027, 1, 24))
    assert [(w.week_start.isoformat(), w.clinical_hours, w.study_hours) for w in weeks] == [
        ("2027-01-04", 40, 0), ("2027-01-11", 40, 35), ("2027-01-18", 0, 0)]
    assert weeks[1].overloaded and not weeks[0].overloaded
