"""Walking the Import screen as a person would (import a file, import it again, undo) at 80x24 and 120x40:

- Importing a file again that holds nothing new wrote nothing and no history row, yet the app said "Imported:
  0 new, 0 changed, 0 removed", and its ctrl+z then undid the import before it. It now says nothing was imported.
- The undo's question said "Undo the last import" of none named: after that second, empty import, a person
  took it for the one just done. It now names the import by the number `imgcoach import --history` lists and
  its file, as the CLI's `undid import 1 of FILE` does after the fact."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Label, Static

from imgcoach.calendar import import_history
from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation
from imgcoach.tui.app import PlannerApp
from imgcoach.tui.widgets.dialogs import ConfirmScreen
from tests.test_calendar_tui import text
from tests.tui_helpers import app_for, press, preview_import

HOSPITAL = Path(__file__).parent / "data" / "ics" / "hospital_schedule_for_planned_rotation.ics"
SIZES = [(80, 24), (120, 40)]


def _planned(ctx: Context) -> None:
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside General",
                 start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))


async def _import_twice(app: PlannerApp, pilot: Pilot[Any]) -> None:
    """Accept the link and import, then press ctrl+s again on the same file."""
    await preview_import(pilot, HOSPITAL, "ctrl+a", "y", "ctrl+s")
    await press(pilot, "ctrl+s")


@pytest.mark.parametrize("size", SIZES)
async def test_importing_a_file_again_that_changes_nothing_says_nothing_was_imported(
        ctx: Context, size: tuple[int, int]) -> None:
    _planned(ctx)
    app = app_for(ctx)
    async with app.run_test(size=size) as pilot:
        await _import_twice(app, pilot)
        said = [str(n.message) for n in app._notifications]
    assert said[0] == "Imported: 2 new, 0 changed, 0 removed, linked 1 event to your plan", said
    assert said[-1] == ("Nothing imported: hospital_schedule_for_planned_rotation.ics has nothing new for your plan "
                        "(2 events unchanged)"), said
    assert len(import_history(ctx)) == 1  # the second wrote no history row: there was nothing to say "Imported" of


@pytest.mark.parametrize("size", SIZES)
async def test_the_undo_question_names_the_import_it_undoes(ctx: Context, size: tuple[int, int]) -> None:
    _planned(ctx)
    app = app_for(ctx)
    async with app.run_test(size=size) as pilot:
        await _import_twice(app, pilot)
        await press(pilot, "ctrl+z")
        assert isinstance(app.screen, ConfirmScreen)
        title = app.screen.query_one(".dialog-title", Label)
        message = str(app.screen.query_one("#confirm-message", Static).render())
        (first,) = import_history(ctx)
        assert str(title.render()) == f"Undo import {first.id}"
        assert title.size.width >= len(f"Undo import {first.id}")  # not cut at 80 columns
        assert " ".join(message.split()).startswith(
            f"Import {first.id} of hospital_schedule_for_planned_rotation.ics: remove the events it added"), message
        await press(pilot, "y")
        said = [str(n.message) for n in app._notifications][-1]
    assert said.startswith("Undid the import of hospital_schedule_for_planned_rotation.ics"), said


@pytest.mark.parametrize("size", SIZES)
async def test_a_refused_file_offers_no_import_key(ctx: Context, size: tuple[int, int]) -> None:
    """A file refused as a whole (a CSV named .ics): its Import button was disabled, yet the footer offered
    ctrl+s "Import", which answered "Preview a file without errors first" of the file just previewed."""
    app = app_for(ctx)
    async with app.run_test(size=size) as pilot:
        await preview_import(pilot, HOSPITAL.parent / "not_ics.ics")
        screen = app.screen
        assert screen.report is not None and screen.report.status == "refused"  # type: ignore[attr-defined]
        footer = " ".join(text(app).split()[-12:])
        assert "^s Import" not in footer, footer
        assert screen.check_action("apply", ()) is False
        assert screen.why_unavailable("apply") == (  # type: ignore[attr-defined]
            "not now: nothing in this file can be imported (its problems are in the notes)")
        await press(pilot, "ctrl+s")
        assert not [n for n in app._notifications if "Preview a file without errors first" in str(n.message)]


async def test_the_import_names_the_kinds_it_made(ctx: Context) -> None:
    """It said "made 3 plan items" of a rotation, a study block and an exam, where `import --history` and the
    notes below name each kind."""
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await preview_import(pilot, HOSPITAL.parent / "imgcoach_export_rotation_study_exam.ics", "ctrl+a", "y", "ctrl+s")
        said = [str(n.message) for n in app._notifications]
    assert said[-1] == "Imported: 3 new, 0 changed, 0 removed, made 1 rotation, 1 study block and 1 exam", said
