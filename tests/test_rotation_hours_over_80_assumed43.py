"""A timed series whose usual week adds up to more than the 80 hours a rotation may hold falls back to the
assumed 40, and says so: that path had no test, and its words ("outside 1-80") left the reader to guess what
the range was and which end the schedule missed. The file is a surgery sub-internship as a resident keeps it
(Mon-Fri 05:30-18:30, a 24-hour in-house call each Saturday): 5 x 13 h + 24 h = 89 h a week. The CLI and the
app's Import screen now say the schedule's figure and why it was not taken."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from imgcoach.core.context import Context
from imgcoach.plan.rotations import list_rotations
from tests.cli_helpers import run_cli
from tests.tui_helpers import app_for, preview_import

CALLS = Path(__file__).parent / "data" / "ics" / "google_surgery_subi_saturday_24h_call_over_80_hours.ics"
WHY = ('from "Sub-internship - General Surgery" (40 h/week assumed: its schedule adds up to 89 h a week, and a '
       "rotation's hours a week are at most 80")


def test_the_cli_says_the_schedules_hours_and_why_40_was_assumed(
        ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(capsys, "import", str(CALLS), "--accept-suggestions", "--db", db_url)
    assert res.code == 0, res.err
    (rotation,) = list_rotations(ctx)  # one rotation for the weekdays and the calls: one series, one run
    assert (rotation.hours_per_week, rotation.hours_assumed) == (40, True)
    assert (rotation.start_date.isoformat(), rotation.end_date.isoformat()) == ("2027-02-01", "2027-02-28")
    assert (f"made rotation {rotation.id} {WHY}; give them with `imgcoach rotations edit {rotation.id} "
            "--hours N`)") in res.out, res.out


async def test_the_import_screen_says_it_too_at_80_columns(ctx: Context) -> None:
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await preview_import(pilot, CALLS, "ctrl+a", "y", "ctrl+s")
        notes = " ".join(str(app.screen.query_one("#import-notes", Static).render()).split())
    (rotation,) = list_rotations(ctx)
    assert f"made rotation {rotation.id} {WHY}; give them on Rotations: e edits rotation {rotation.id})" in notes, notes
