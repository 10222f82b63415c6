"""A study plan made for an exam date that has since moved later says so, wherever the plan is shown.

Found by a new applicant on 25 November 2026: a Step 2 CK booked for 15 April 2027 and a plan drafted for it
(its last block "Final review: timed practice tests, revisit weak areas, light day before the exam", ending
14 April); the booking was then moved to 10 June. `exams edit`, `study list`, the Study plan screen and the
timeline said nothing, and the final review "before the exam" ended eight weeks before it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from textual.widgets import Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import (
    accept_plan,
    add_exam,
    add_study_block,
    blocks_past_exam,
    edit_exam,
    list_exams,
    list_study_blocks,
    propose_plan,
)
from tests.cli_helpers import run_cli
from tests.tui_helpers import SIZE, app_for, press, settle

TODAY = date(2026, 11, 25)  # the tests' day (conftest.FIXED_NOW) in New York
SAID = "is a final review, but the Step 2 CK is booked for 10 Jun 2027, 8 weeks after it ends: the plan was made " \
       "for an earlier date"


def _plan_for_april(ctx: Context) -> int:
    exam = add_exam(ctx, "Step 2 CK", date(2027, 4, 15))
    accept_plan(ctx, propose_plan(ctx, exam="Step 2 CK", exam_date=date(2027, 4, 15), hours_per_day=4,
                                  rest_days="sun"))
    assert exam.id is not None
    return exam.id


def test_the_rule_names_the_final_review_left_weeks_before_the_moved_exam(ctx: Context) -> None:
    exam_id = _plan_for_april(ctx)
    assert blocks_past_exam(list_study_blocks(ctx), list_exams(ctx), today=TODAY) == [], "as drafted, the plan fits"
    edit_exam(ctx, exam_id, "Step 2 CK", date(2027, 4, 22))  # a week later: the review still leads into it
    assert blocks_past_exam(list_study_blocks(ctx), list_exams(ctx), today=TODAY) == []
    edit_exam(ctx, exam_id, "Step 2 CK", date(2027, 6, 10))
    found = blocks_past_exam(list_study_blocks(ctx), list_exams(ctx), today=TODAY)
    assert [(p.kind, p.end) for p in found] == [("early", date(2027, 4, 14))]
    assert found[0].message.endswith(SAID), found[0].message
    # A block the applicant typed is read by its dates: ending weeks before the exam is their plan to make.
    add_study_block(ctx, exam="Step 2 CK", start_date=date(2027, 4, 19), end_date=date(2027, 5, 1),
                    hours_per_week=20, weekly_goal="UWorld")
    assert len(blocks_past_exam(list_study_blocks(ctx), list_exams(ctx), today=TODAY)) == 1


def test_a_final_review_that_led_into_a_sitting_is_not_said_when_a_retake_is_booked(ctx: Context) -> None:
    exam_id = _plan_for_april(ctx)
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(2027, 5, 20, 14, tzinfo=UTC))
    edit_exam(ctx, exam_id, "Step 2 CK", date(2027, 4, 15), score="205")  # sat as planned, failed
    add_exam(ctx, "Step 2 CK", date(2027, 8, 2))  # the retake, booked
    assert blocks_past_exam(list_study_blocks(ctx), list_exams(ctx), today=date(2027, 5, 20)) == []


def test_exams_edit_and_study_list_say_it(ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str],
                                          cli_clock: FixedClock) -> None:
    exam_id = _plan_for_april(ctx)
    moved = run_cli(capsys, "exams", "edit", str(exam_id), "--date", "2027-06-10", "--db", db_url)
    assert moved.code == 0 and moved.out == f"exam {exam_id} saved\n", moved.err
    assert len(moved.err.splitlines()) == 1 and SAID in moved.err, moved.err
    assert "draft a plan for the new date" in moved.err
    for flags in ((), ("--json",)):
        listed = run_cli(capsys, "study", "list", "--db", db_url, *flags)
        assert listed.code == 0 and SAID in listed.err, listed.err


async def test_the_study_screen_and_the_timeline_say_it(ctx: Context) -> None:
    exam_id = _plan_for_april(ctx)
    edit_exam(ctx, exam_id, "Step 2 CK", date(2027, 6, 10))
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = " ".join(str(pilot.app.screen.query_one("#conflicts", Static).render()).split())
        assert SAID in home, home
        await press(pilot, "s")
        box = pilot.app.screen.query_one("#study-past", Static)
        shown = " ".join(str(box.render()).split())
        assert box.has_class("shown") and SAID in shown, shown
