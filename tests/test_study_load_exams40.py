"""The weekly load adds up study blocks of different exams on the same days (study40).

Found on a fresh database: a 25 h/week Step 2 CK block and a 15 h/week OET block over the same two weeks read
"Study 25" on the Study plan screen, the timeline's load and the block's detail: each day counted only the largest
block, so the OET hours were in no total and no overload line. Blocks of one exam on the same days still count once
(the same study typed twice, or a re-planned block beside the old one).
"""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable

from imgcoach.core.context import Context
from imgcoach.plan import add_study_block, load_plan, propose_plan, study_block_detail
from tests.tui_helpers import SIZE, app_for, press, settle

MONDAY = date(2026, 12, 7)  # two weeks after the ctx clock's 25 November 2026


def _two_exams_one_fortnight(ctx: Context) -> int:
    first = add_study_block(ctx, exam="Step 2 CK", start_date=MONDAY, end_date=date(2026, 12, 20), hours_per_week=25)
    add_study_block(ctx, exam="OET", start_date=MONDAY, end_date=date(2026, 12, 20), hours_per_week=15)
    # The same exam again on the same days (a re-planned block): one day of that study, the larger counts.
    add_study_block(ctx, exam="Step 2 CK", start_date=MONDAY, end_date=date(2026, 12, 13), hours_per_week=20)
    return first.id or 0


def test_blocks_of_two_exams_on_the_same_days_add_up(ctx: Context) -> None:
    block_id = _two_exams_one_fortnight(ctx)
    weeks = {w.week_start: w for w in load_plan(ctx).load}
    assert weeks[MONDAY].study_hours == 40
    assert weeks[date(2026, 12, 14)].study_hours == 40
    _, shared, own = study_block_detail(ctx, block_id)
    assert [w.study_hours for w in shared] == [40, 40]
    assert [w.study_hours for w in own] == [25, 25]


async def test_the_study_screen_shows_both_exams_hours(ctx: Context) -> None:
    _two_exams_one_fortnight(ctx)
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "s")
        await settle(pilot)
        table = pilot.app.screen.query_one("#load-table", DataTable)
        rows = {str(table.get_row_at(i)[0]): table.get_row_at(i) for i in range(table.row_count)}
    assert [str(c) for c in rows["07 Dec 2026"][1:4]] == ["0", "40", "40"], rows["07 Dec 2026"]


async def test_the_proposal_notes_write_dates_as_the_dialog_does(ctx: Context) -> None:
    """The generator's notes read "left 2027-01-01 to 2027-01-03 free" and "(2027-01-04 to 2027-02-12)" in a
    dialog whose blocks and weeks read "04 Jan 2027": the same kind of date in two formats on one screen."""
    from textual.widgets import Static

    from imgcoach.plan import add_exam, add_rotation

    for place, start, end in (("Hill (fictional)", date(2026, 11, 30), date(2026, 12, 31)),
                              ("Dale (fictional)", date(2027, 1, 4), date(2027, 2, 12))):
        add_rotation(ctx, kind="clinical_job", specialty="Internal Medicine", institution=place, start_date=start,
                     end_date=end, hours_per_week=50)
    add_exam(ctx, "Step 2 CK", date(2027, 2, 10))  # the generator's form starts from this booking
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "s")
        await settle(pilot)
        await press(pilot, "g")
        await settle(pilot)
        await press(pilot, "ctrl+s")
        await settle(pilot)
        notes = str(pilot.app.screen.query_one("#proposal-notes", Static).render())
    assert "free: too short for a block" in notes and "the exam falls during a full-time rotation" in notes, notes
    assert "2027-" not in notes and "2026-" not in notes, notes
    assert "left 01 Jan – 03 Jan 2027 free" in notes and "(04 Jan – 12 Feb 2027)" in notes, notes


def test_generating_again_says_it_keeps_the_blocks_already_planned(ctx: Context) -> None:
    """Generate, accept, delete a block, generate again: the second proposal held only the deleted block's days
    ("1 block, about 69 hours" under "Proposed plan") and said nothing of the blocks it planned around."""
    from imgcoach.plan import accept_plan, remove_study_block
    from imgcoach.tui import dates

    def propose() -> object:
        return propose_plan(ctx, exam="Step 2 CK", exam_date=date(2027, 3, 1), hours_per_day=4, rest_days="sun",
                            words=dates.WORDS)

    first = propose()
    assert not any("already planned" in note for note in first.notes)  # type: ignore[attr-defined]
    saved = accept_plan(ctx, first)  # type: ignore[arg-type]
    assert len(saved) == 4
    remove_study_block(ctx, saved[1].id or 0)
    again = propose()
    assert [(b.start_date, b.end_date) for b in again.blocks] == [  # type: ignore[attr-defined]
        (saved[1].start_date, saved[1].end_date)]
    # Sunday 28 February, the day before the exam, is a rest day: left free by choice, not "too short for a block".
    assert again.notes == ("keeps the 3 study blocks already planned (25 Nov 2026 – 27 Feb 2027) "  # type: ignore[attr-defined]
                           "and plans only the days they leave free",), again.notes  # type: ignore[attr-defined]
