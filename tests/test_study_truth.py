"""The study side as a new applicant walks it: what the conflicts, the study-plan proposal and the exam dates say
must be true (study35).

Found by a walk on a fresh database: a study block over an observership whose hours nobody gave read
"(60 h/week combined)" on the timeline, the 40 of them assumed unsaid (the rotation clash beside it says so).
"""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from imgcoach.core.context import Context
from imgcoach.plan import add_rotation, add_study_block
from tests.tui_helpers import SIZE, app_for, settle


async def test_a_study_clash_with_a_rotation_of_assumed_hours_says_they_are_assumed(ctx: Context) -> None:
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="St Luke (fictional)",
                 start_date=date(2027, 2, 1), end_date=date(2027, 2, 26))  # no hours: 40 assumed
    add_study_block(ctx, exam="Step 2 CK", start_date=date(2027, 2, 15), end_date=date(2027, 2, 21),
                    hours_per_week=20, weekly_goal="")
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = " ".join(str(pilot.app.screen.query_one("#conflicts", Static).render()).split())
    assert "study block Step 2 CK overlaps full-time rotation at St Luke (fictional)" in shown, shown
    assert "(60 h/week combined, 40 of them assumed)" in shown, shown


def test_a_proposed_block_neither_starts_nor_ends_on_a_rest_day(ctx: Context) -> None:
    """A block began on the Saturday after a 65-hour job ended on Friday, with Saturday and Sunday rest days: the
    proposal counted 2/7 of a study week (+9 h) in the job's last week, which read "OVERLOAD" (74 h) for a week
    with no study in it at all. Study days are the plan's; a rest day at either end of a block is left out."""
    from imgcoach.plan import propose_plan

    add_rotation(ctx, kind="clinical_job", specialty="Internal Medicine", institution="Hill Hospital (fictional)",
                 start_date=date(2026, 11, 30), end_date=date(2026, 12, 11), hours_per_week=65)
    # Today is Wednesday 25 November 2026 (the ctx clock); Saturday 28 and Sunday 29 are rest days.
    proposal = propose_plan(ctx, exam="Step 2 CK", exam_date=date(2027, 1, 15), hours_per_day=6,
                            rest_days="sat, sun")
    assert proposal.blocks
    for block in proposal.blocks:
        assert block.start_date.weekday() < 5 and block.end_date.weekday() < 5, block
    assert proposal.blocks[0].start_date == date(2026, 11, 25)
    assert proposal.blocks[0].end_date == date(2026, 11, 27), "Friday: the weekend after it is rest"
    assert proposal.blocks[1].start_date == date(2026, 12, 14), "the Monday after the job, not its Saturday"
    weeks = {w.week_start: w for w in proposal.weeks}
    assert (weeks[date(2026, 12, 7)].added, weeks[date(2026, 12, 7)].total) == (0, 65)
    assert proposal.overloaded_weeks == 0
