"""Once an exam has been sat, the study plan that led into it is not said to no longer fit it.

Found walking an applicant's Step 2 CK over the months (7 December 2026): a plan drafted for 15 March, the booking
moved to 20 April (the final review, 22 Feb - 13 Mar, then said "the plan was made for an earlier date": true, and
useful while the exam was ahead). On 22 April, the exam sat two days before and its result not in yet, `study list`
still warned "... the Step 2 CK is booked for 20 Apr 2027, 5 weeks after it ends: the plan was made for an earlier
date: remove it with `imgcoach study remove 3` and draft a plan for the new date": no new date was ahead, and the
removal would lose the record of the study done. The timeline and the Study plan screen said it too. The rule
(plan.blocks_past_exam) now reads the applicant's today: a block and an exam day both over are left alone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from textual.widgets import DataTable, Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import (
    blocks_past_exam,
    edit_exam,
    list_exams,
    list_study_blocks,
)
from tests.cli_helpers import run_cli
from tests.test_study_fit_truth import _plan_for_april  # drafted on the tests' day for 15 April 2027
from tests.tui_helpers import SIZE, app_for, press, settle

EARLY = "is a final review, but the Step 2 CK is booked for 10 Jun 2027"
AFTER = "ends after the Step 2 CK booked for 01 Apr 2027"


def _on(ctx: Context, day: date) -> None:
    """10:00 in New York on `day`."""
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(day.year, day.month, day.day, 15, tzinfo=UTC))


def _said(ctx: Context, today: date) -> list[str]:
    return [p.message for p in blocks_past_exam(list_study_blocks(ctx), list_exams(ctx), today=today)]


def test_a_final_review_weeks_before_a_sitting_had_is_not_said(ctx: Context) -> None:
    exam_id = _plan_for_april(ctx)
    edit_exam(ctx, exam_id, "Step 2 CK", date(2027, 6, 10))
    assert any(EARLY in m for m in _said(ctx, date(2027, 6, 9))), "while the exam is ahead it is said (a guard)"
    assert any(EARLY in m for m in _said(ctx, date(2027, 6, 10))), "on its day too (a guard)"
    assert _said(ctx, date(2027, 6, 12)) == []


def test_a_block_after_a_sitting_had_is_said_until_it_ends(ctx: Context) -> None:
    exam_id = _plan_for_april(ctx)
    edit_exam(ctx, exam_id, "Step 2 CK", date(2027, 4, 1))  # moved earlier: the final review runs past it
    assert any(AFTER in m for m in _said(ctx, date(2027, 4, 8))), "still studying for it: said (a guard)"
    assert _said(ctx, date(2027, 4, 20)) == []  # both over


@pytest.mark.parametrize("full_read", [False, True], ids=["quick", "full"])
def test_study_list_says_nothing_after_the_sitting(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                  cli_clock: FixedClock, monkeypatch: pytest.MonkeyPatch,
                                                  full_read: bool) -> None:
    if full_read:
        monkeypatch.setenv("IMGCOACH_FULL_READ", "1")
    exam_id = _plan_for_april(ctx)
    edit_exam(ctx, exam_id, "Step 2 CK", date(2027, 6, 10))
    _on(ctx, date(2027, 6, 9))
    ahead = run_cli(capsys, "study", "list", "--db", ctx.db.url)
    assert ahead.code == 0 and EARLY in ahead.err, ahead.err  # a guard
    _on(ctx, date(2027, 6, 12))
    after = run_cli(capsys, "study", "list", "--db", ctx.db.url)
    assert after.code == 0 and after.err == "", after.err
    assert "Final review" in after.out, after.out  # the block is listed, as it was


async def test_the_timeline_and_the_study_screen_say_nothing_after_the_sitting(ctx: Context) -> None:
    exam_id = _plan_for_april(ctx)
    edit_exam(ctx, exam_id, "Step 2 CK", date(2027, 6, 10))
    _on(ctx, date(2027, 6, 12))
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = " ".join(str(pilot.app.screen.query_one("#conflicts", Static).render()).split())
        assert "final review" not in home, home
        await press(pilot, "s")
        box = pilot.app.screen.query_one("#study-past", Static)
        shown = " ".join(str(box.render()).split())
        assert "final review" not in shown, shown
        table = pilot.app.screen.query_one("#block-table", DataTable)
        assert any("Final review" in str(cell) for row in range(table.row_count) for cell in table.get_row_at(row))
