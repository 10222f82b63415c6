"""Enter on the timeline's "Morning Report ×19" bar (a daily Outlook series, 4-29 January, 18 January left out)
showed the first morning alone, "04 Jan 2027 07:30 to 04 Jan 2027 08:30", and said "d on the timeline deletes
this one", where d deletes all 19 (found walking a new applicant's first import). The details now say which
occurrence they show, of how many over which days, and that d deletes them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.calendar import apply_import
from imgcoach.core.context import Context
from imgcoach.tui.screens.timeline_screen import TimelineView
from imgcoach.tui.widgets.dialogs import TextScreen
from tests.tui_helpers import app_for, press

SCHEDULE = Path(__file__).parent / "data" / "ics" / "outlook_schedule_ends_on_friday.ics"


async def _details_of(ctx: Context, label: str, size: tuple[int, int]) -> str:
    app = app_for(ctx)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "f")  # fit the plan: January 2027
        view = app.screen.query_one(TimelineView)
        for _ in range(6):
            await press(pilot, "down")
            if view.selected is not None and view.selected.label.startswith(label):
                break
        assert view.selected is not None and view.selected.label.startswith(label), view.selected
        await press(pilot, "enter")
        assert isinstance(app.screen, TextScreen)
        return " ".join(app.screen.text.plain.split())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_series_bar_says_it_shows_one_of_its_occurrences(ctx: Context, size: tuple[int, int]) -> None:
    apply_import(ctx, SCHEDULE)  # the applicant is in New York: 07:30 Central is 08:30 there
    shown = await _details_of(ctx, "Morning Report", size)
    assert "04 Jan 2027 08:30 to 04 Jan 2027 09:30 (your time)" in shown, shown
    assert "The first of 19 occurrences, 04 Jan – 29 Jan 2027" in shown, shown
    assert "deletes this one" not in shown, shown
    assert "d on the timeline deletes all 19" in shown, shown


async def test_a_single_event_keeps_its_words(ctx: Context) -> None:
    apply_import(ctx, SCHEDULE)
    shown = await _details_of(ctx, "Grand Rounds", (120, 40))
    assert "13 Jan 2027 13:00 to 13 Jan 2027 14:00 (your time)" in shown, shown
    assert "d on the timeline deletes this one" in shown and "occurrences" not in shown, shown
