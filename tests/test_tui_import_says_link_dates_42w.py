"""The app's import said only "Imported: 21 new, 0 changed, 0 removed" when it linked a rotation to a hospital
event on other days (found walking a new applicant: a rotation added with the default four weeks, 4-31 January,
linked to an Outlook schedule that ends Friday 29 January). The CLI's same import says both spans and how to
take the event's: the app dropped the import's own notes (the preview that follows it has none of them), so its
thank-you stayed on 2 February with nothing said in the app. Its notes now begin with what the import said."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import Static

from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation
from imgcoach.storage.models import CalendarEvent
from tests.cli_helpers import run_cli
from tests.tui_helpers import app_for, preview_import

# Daily Morning Report (a series), Grand Rounds, and an all-day observership event 4-29 January 2027.
SCHEDULE = Path(__file__).parent / "data" / "ics" / "outlook_schedule_ends_on_friday.ics"
SAID = ("the event covers 04 Jan–29 Jan 2027; rotation {rid}, now linked to it, keeps 04 Jan–31 Jan 2027 (linking "
        "does not change your dates, and the rotation's reminders follow them): if the event's are right, "
        "`imgcoach rotations edit {rid} --end 2027-01-29`")


def _rotation(ctx: Context) -> int:
    row = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy Hospital",
                       start_date=date(2027, 1, 4), end_date=date(2027, 1, 31))  # the form's blank end: 4 weeks
    assert row.id is not None
    return row.id


def _notes(app: object) -> str:
    return str(app.screen.query_one("#import-notes", Static).render())  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_apps_import_says_what_the_cli_says_of_a_link_on_other_days(
        ctx: Context, size: tuple[int, int]) -> None:
    rid = _rotation(ctx)
    app = app_for(ctx)
    async with app.run_test(size=size) as pilot:
        await preview_import(pilot, SCHEDULE, "ctrl+a", "y", "ctrl+s")
        with ctx.db.read() as s:
            linked = s.exec(select(CalendarEvent).where(CalendarEvent.mapped_id == rid)).all()
        assert [e.summary for e in linked] == ["Observership - Internal Medicine (Dr. Patel)"], "the link was made"
        notes = _notes(app)
    assert SAID.format(rid=rid) in " ".join(notes.split()), notes


def test_the_cli_says_it_in_the_same_words(ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """One rule, both faces: the words the app's test reads are the import's own, as the CLI prints them."""
    rid = _rotation(ctx)
    res = run_cli(capsys, "import", str(SCHEDULE), "--accept-suggestions", "--db", db_url)
    assert res.code == 0, res.err
    assert SAID.format(rid=rid) in res.err


async def test_a_link_is_not_called_a_plan_item_made(ctx: Context) -> None:
    """Accepting the suggestion to link the rotation made nothing, yet the app said "made 1 plan item" (the CLI
    says "linked to rotation 1"): a new applicant would look for a second rotation."""
    _rotation(ctx)
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await preview_import(pilot, SCHEDULE, "ctrl+a", "y", "ctrl+s")
        said = " ".join(str(n.message) for n in app._notifications)
    assert "Imported: 21 new, 0 changed, 0 removed, linked 1 event to your plan" in said, said
    assert "made" not in said, said
