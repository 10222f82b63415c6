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
