"""Removing a sitting closes the gap in its exam's attempt numbers.

Found on 5 December: `exams remove 2` left OET "attempt 1, attempt 3" (a third attempt counted by readiness and
the shortlist for two sittings).
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.core.context import Context
from imgcoach.plan import delete_with_undo, undo_change
from imgcoach.plan.exams import add_exam, list_exams, remove_exam
from tests.cli_helpers import run_cli
from tests.tui_helpers import SIZE, app_for, press

OET_FAIL, OET_PASS = "300/310/290/300", "350/360/350/370"


def _attempts(ctx: Context, exam: str = "OET") -> list[tuple[date, int]]:
    return [(r.taken_on, r.attempt) for r in list_exams(ctx) if r.exam == exam]


def _three_sittings(ctx: Context) -> list[int]:
    rows = [add_exam(ctx, "OET", date(2026, m, 5), score=s)
            for m, s in ((1, OET_FAIL), (3, OET_FAIL), (5, OET_PASS))]
    assert [r.attempt for r in rows] == [1, 2, 3]
    return [r.id or 0 for r in rows]


def test_removing_the_middle_sitting_renumbers_the_later_ones(ctx: Context) -> None:
    first, middle, last = _three_sittings(ctx)
    renumbered = remove_exam(ctx, middle)
    assert [(r.id, r.attempt) for r in renumbered] == [(last, 2)]
    assert _attempts(ctx) == [(date(2026, 1, 5), 1), (date(2026, 5, 5), 2)]


def test_a_number_typed_higher_for_sittings_not_recorded_here_keeps_its_gap(ctx: Context) -> None:
    add_exam(ctx, "Step 2 CK", date(2026, 1, 5), score=200)
    typed = add_exam(ctx, "Step 2 CK", date(2026, 3, 5), score=205, attempt=3)  # attempt 2 not recorded here
    later = add_exam(ctx, "Step 2 CK", date(2026, 5, 5), score=210)
    assert later.attempt == 4
    remove_exam(ctx, typed.id or 0)  # typed by mistake: one sitting fewer before May
    assert _attempts(ctx, "Step 2 CK") == [(date(2026, 1, 5), 1), (date(2026, 5, 5), 3)]


def test_removing_a_booking_ahead_changes_no_number(ctx: Context) -> None:
    _three_sittings(ctx)
    booking = add_exam(ctx, "OET", date(2027, 2, 1))
    assert booking.attempt == 4
    assert remove_exam(ctx, booking.id or 0) == []
    assert [a for _, a in _attempts(ctx)] == [1, 2, 3]


def test_cli_remove_names_each_row_renumbered(ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    first, middle, last = _three_sittings(ctx)
    result = run_cli(capsys, "exams", "remove", str(middle), "--db", db_url)
    assert result.code == 0, result.err
    assert result.out.splitlines() == [f"exam {middle} removed", f"exam {last} (OET, 2026-05-05) is now attempt 2"]
    listed = run_cli(capsys, "exams", "list", "--db", db_url, "--json").json()
    assert [(r["id"], r["attempt"]) for r in listed] == [(first, 1), (last, 2)]


def test_the_undo_of_a_delete_gives_the_numbers_back(ctx: Context) -> None:
    _first, middle, last = _three_sittings(ctx)
    before = _attempts(ctx)
    record = delete_with_undo(ctx, "exam", middle)
    assert record.done == f"Deleted OET (05 Mar 2026); exam {last} (OET, 2026-05-05) is now attempt 2"
    assert _attempts(ctx) == [(date(2026, 1, 5), 1), (date(2026, 5, 5), 2)]
    undo_change(ctx, record)
    assert _attempts(ctx) == before


async def test_the_apps_delete_renumbers_and_says_so(ctx: Context) -> None:
    _first, _middle, last = _three_sittings(ctx)
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "p")
        pilot.app.screen.query_one("#exam-table").focus()
        await press(pilot, "down", "d", "y")  # the second row: the March sitting
        said = [str(n.message) for n in pilot.app._notifications][-1]  # type: ignore[attr-defined]
        assert f"; exam {last} (OET, 2026-05-05) is now attempt 2" in said, said
        assert _attempts(ctx) == [(date(2026, 1, 5), 1), (date(2026, 5, 5), 2)]
        await press(pilot, "ctrl+z")
    assert [a for _, a in _attempts(ctx)] == [1, 2, 3]
