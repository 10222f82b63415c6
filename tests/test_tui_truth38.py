"""What the app shows stays true while another process writes (round 38): a screen left open, or come back to,
shows what the CLI just stored. Pilot, keyboard only, real database files, the fixed clock."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.widgets import DataTable

from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.storage.db import Database
from tests.tui_helpers import app_for, press, settle


def other_process(ctx: Context) -> Context:
    """The CLI in another process: its own engine and connections on the same database."""
    return Context(db=Database(ctx.db.url), clock=ctx.clock, settings=Settings())


def status_of(screen: Any, title: str) -> str:
    """The Readiness table's status cell of the check titled `title`."""
    table = screen.query_one(DataTable)
    (row,) = [table.get_row_at(i) for i in range(table.row_count) if str(table.get_row_at(i)[1]) == title]
    return str(row[0]).strip()


@pytest.mark.sqlite_only  # PostgreSQL has no write counters (migration 0007): there a return after 30 s reloads
async def test_feedback_recorded_by_the_cli_on_a_logged_week_reaches_the_open_readiness_screen(
        demo_ctx: Context) -> None:
    """`imgcoach log feedback 2 --week 2026-11-19 ...` on a week already logged edits that row in place; the change
    marker the app polls counted rows and ids only for the log, so the Readiness screen kept "at risk" for the
    mid-rotation feedback however long it stayed open, and said it again when left and come back to."""
    from imgcoach.coach import check_readiness
    from imgcoach.coach.actions import record_feedback

    other = other_process(demo_ctx)
    try:
        async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
            await press(pilot, "y")
            screen = pilot.app.screen
            assert status_of(screen, "Mid-rotation feedback") == "! at risk"
            pilot.app.check_for_changes()  # the app's poll (every 2 s when it runs for real) sees the marker
            await settle(pilot)
            record_feedback(other, 2, date(2026, 11, 19), "Good differentials; present more concisely")
            pilot.app.check_for_changes()
            await settle(pilot)
            (stored,) = [c for c in check_readiness(other).checks if c.title == "Mid-rotation feedback"]
            assert stored.status.value == "met"
            assert status_of(screen, "Mid-rotation feedback") == "✓ met"
    finally:
        other.db.close()
