"""ctrl+z on the Import screen with no import left to undo (and no delete to undo) said "Nothing to undo: ... (an
import: ctrl+z on the Import screen)": the key just pressed, on the screen it was pressed on, as if pressing it
again would work. There it now says no import is left to undo; elsewhere the pointer to the Import screen stays.
Pilot at 80x24, keyboard only, both engines."""

from __future__ import annotations

from pathlib import Path

from imgcoach import calendar
from imgcoach.core.context import Context
from tests.tui_helpers import app_for, press, record_toasts

ICS = Path(__file__).parent / "data" / "ics" / "hospital_schedule_for_planned_rotation.ics"


async def test_ctrl_z_on_import_after_the_import_was_undone_says_none_is_left(ctx: Context) -> None:
    calendar.apply_import(ctx, ICS)
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        said = record_toasts(app)
        await press(pilot, "i", "ctrl+z", "y")
        assert said[-1].startswith("Undid the import of hospital_schedule_for_planned_rotation.ics"), said
        assert calendar.undoable_import(ctx) is None
        await press(pilot, "ctrl+z")
        assert said[-1] == ("Nothing to undo: the deletes and letter-card moves made since the app started can be "
                            "undone; no import is left to undo either (each one made has been undone, or none was "
                            "made)"), said
        await press(pilot, "r", "ctrl+z")
        assert said[-1].endswith("can be undone (an import: ctrl+z on the Import screen)"), said
