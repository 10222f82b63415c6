"""Deleting a rotation linked to an imported hospital event: the app's question said the supervisor link goes and
the letter request is kept, but not that the imported event is kept without its link, which the toast after the
yes then said first (found walking a new applicant: add a rotation, link the Outlook schedule to it, delete it).
The question now names the event too, from the same count the delete's own words use."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Static

from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation
from imgcoach.tui.widgets.dialogs import ConfirmScreen
from tests.cli_helpers import run_cli
from tests.tui_helpers import app_for, press

SCHEDULE = Path(__file__).parent / "data" / "ics" / "outlook_schedule_ends_on_friday.ics"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_question_names_the_imported_event_the_delete_unlinks(
        ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str], size: tuple[int, int]) -> None:
    row = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy Hospital",
                       start_date=date(2027, 1, 4), end_date=date(2027, 1, 31))
    res = run_cli(capsys, "import", str(SCHEDULE), "--accept-suggestions", "--db", db_url)
    assert res.code == 0 and f"linked to rotation {row.id}" in res.out, res.out
    app = app_for(ctx)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "r", "d")
        assert isinstance(app.screen, ConfirmScreen)
        asked = " ".join(" ".join(str(s.render()).split()) for s in app.screen.query(Static))
        await press(pilot, "y")
        said = " ".join(str(n.message) for n in app._notifications)
    kept = "1 imported event is kept, no longer linked to a rotation"
    assert kept in said, said  # the delete's own words, after the yes
    assert kept in asked, asked  # and now the question's, before it
