"""The Import screen says what a re-import that moved a linked rotation did to its logged weeks (the CLI's line,
ImportReport.moved_lines), and its ctrl+z puts the weeks back under their old labels and says so (undone_counts,
as `import --undo`). Pilot at 80x24, keyboard only, both engines; the import itself is the one the CLI makes
(tests/test_import_moves_log_weeks48.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Static

from imgcoach import calendar
from imgcoach.coach import list_log, log_week
from imgcoach.core.context import Context
from imgcoach.plan import add_rotation
from tests.test_import_moves_log_weeks48 import EVENT
from tests.tui_helpers import app_for, press, preview_import, record_toasts, settle


async def test_the_import_screen_says_the_weeks_renamed_and_its_undo_puts_them_back(
        ctx: Context, tmp_path: Path) -> None:
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside General",
                            start_date=date(2026, 10, 5), end_date=date(2026, 11, 27))
    assert rotation.id is not None
    for day in (5, 12):
        log_week(ctx, rotation.id, date(2026, 10, day), 40, activities="typed")
    first, moved = tmp_path / "schedule.ics", tmp_path / "schedule-moved.ics"
    first.write_text(EVENT.format(start="20261005", end="20261128"), encoding="utf-8")
    moved.write_text(EVENT.format(start="20261008", end="20261128"), encoding="utf-8")
    calendar.apply_import(ctx, first, accept=True)
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        said = record_toasts(app)
        await preview_import(pilot, moved, "ctrl+s")
        notes = " ".join(str(app.screen.query_one("#import-notes", Static).render()).split())
        assert (f"moved rotation {rotation.id} to 2026-10-08..2026-11-27 (was 2026-10-05..2026-11-27) with "
                '"Observership - Internal Medicine"; its logged weeks now go by the new weeks holding most of their '
                "days: 2026-10-05 is now 2026-10-08, 2026-10-12 is now 2026-10-15") in notes, notes
        assert [e.week_of for e in list_log(ctx)] == [date(2026, 10, 8), date(2026, 10, 15)]
        await press(pilot, "ctrl+z", "y")
        await settle(pilot)
        assert said[-1] == ("Undid the import of schedule-moved.ics (0 created, 1 updated, 0 removed; moved 1 plan "
                            "item back and put 2 logged weeks back under their old labels)"), said
    assert [e.week_of for e in list_log(ctx)] == [date(2026, 10, 5), date(2026, 10, 12)]
