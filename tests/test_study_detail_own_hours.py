"""A study block's details say which weekly hours are the block's own and which are all study that week.

The table under a block's name showed the week's total study (24 h in the week of 04 Jan 2027 on the demo's
15 h/week Step 3 block, which has one day left that week; the next block takes the other six) as if it were the
block's. Each week now shows "this block" beside "all study", from the one rule (plan.rules.load.weekly_load).
"""

from __future__ import annotations

import re

from imgcoach.core.context import Context


def _blocks(ctx: Context) -> list:
    from imgcoach.plan import list_study_blocks

    return sorted(list_study_blocks(ctx), key=lambda b: b.start_date)


def _week(text: str, day: str) -> str:
    return " ".join(next(line for line in text.splitlines() if line.strip().startswith(day)).split())


def test_a_shared_week_shows_the_blocks_own_hours_beside_all_study(demo_ctx: Context) -> None:
    from imgcoach.tui.details import bar_details

    first, second = _blocks(demo_ctx)[:2]
    assert (first.hours_per_week, first.end_date.isoformat(), second.start_date.isoformat()) == \
        (15, "2027-01-04", "2027-01-05"), "the demo's two Step 3 blocks meet in the week of 04 Jan"
    text = bar_details(demo_ctx, "study", first.id)[1].plain
    assert "this block, all study that week" in text, text
    # 1 day of 15 h/week: 2 h of its own; 24 h of study that week with the next block's 6 days of 25 h/week
    assert _week(text, "04 Jan 2027") == "04 Jan 2027 this block 2 all study 24 clinical 0 total 24", text
    assert _week(text, "14 Dec 2026") == "14 Dec 2026 this block 15 all study 15 clinical 0 total 15", text
    later = bar_details(demo_ctx, "study", second.id)[1].plain
    assert _week(later, "04 Jan 2027") == "04 Jan 2027 this block 21 all study 24 clinical 0 total 24", later


async def test_the_app_dialog_shows_the_same_weeks(demo_ctx: Context) -> None:
    from imgcoach.tui.details import bar_details
    from imgcoach.tui.widgets.dialogs import TextScreen
    from tests.tui_helpers import app_for, settle

    block = _blocks(demo_ctx)[0]
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.open_details("study", block.id)  # what Enter on its bar (and on it in Next up) calls
        await settle(pilot)
        assert isinstance(app.screen, TextScreen), type(app.screen).__name__
        shown = app.screen.text.plain  # type: ignore[attr-defined]
        assert re.search(r"04 Jan 2027\s+this block\s+2\s+all study\s+24", shown), shown
        assert shown.split() == bar_details(demo_ctx, "study", block.id)[1].plain.split()
