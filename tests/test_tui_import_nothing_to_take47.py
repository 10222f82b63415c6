"""A file whose one event (a series) has no occurrence inside the import window: its import said "Nothing imported:
FILE has nothing new for your plan (0 events unchanged)", as if the plan held the file already. It now says the
file has no event this import can take, and that the notes say why (they name the series and the window).
Pilot at 80x24, keyboard only, both engines."""

from __future__ import annotations

from pathlib import Path

from imgcoach.calendar import import_history
from imgcoach.core.context import Context
from tests.tui_helpers import app_for, press, preview_import, record_toasts

OUT_OF_WINDOW = Path(__file__).parent / "data" / "ics" / "corpus" / "recurring-ical-events__issue_75_range_parameter.ics"


async def test_a_file_with_nothing_in_the_window_says_so_not_nothing_new(ctx: Context) -> None:
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        said = record_toasts(app)
        await preview_import(pilot, OUT_OF_WINDOW)
        notes = app.screen._notes(app.screen.report).plain  # type: ignore[attr-defined]
        assert "recurring series has no occurrence between" in notes, notes
        await press(pilot, "ctrl+s")
        assert said[-1] == ("Nothing imported: recurring-ical-events__issue_75_range_parameter.ics has no event this "
                            "import can take (the notes say why)"), said
    assert import_history(ctx) == []
