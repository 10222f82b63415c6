"""What the app shows is true: a message awaiting approval can be read before it is approved."""

from __future__ import annotations

from textual.widgets import Static

from imgcoach.core.context import Context
from tests.tui_helpers import app_for, press


async def test_a_progress_update_awaiting_approval_shows_the_message_approve_would_send(demo_ctx: Context) -> None:
    """The Outbox showed "(no preview: ... waits for the applicant's approval)" under an invented subject
    ("progress update"), and its approve question then said "the one you just read": the draft could not be read
    anywhere before approving it."""
    from imgcoach.tui.screens.outbox_screen import OutboxScreen
    from imgcoach.tui.widgets.dialogs import ConfirmScreen
    from imgcoach.tui.widgets.draft import ReminderScreen

    app = app_for(demo_ctx)
    async with app.run_test(size=(100, 32)) as pilot:
        await press(pilot, "o")
        screen = app.screen
        assert isinstance(screen, OutboxScreen)
        kinds = [screen.reminders[rid].kind for rid in screen.reminders]
        await press(pilot, *["down"] * kinds.index("progress_update"))
        shown = str(screen.query_one("#outbox-preview", Static).render())
        assert "no preview" not in shown.lower()
        assert "Subject: An update from Amina Rahman (synthetic demo): a new exam result" in shown
        assert "Dear Dr. James Whitaker (fictional)," in shown
        assert "Step 2 CK result: 246" in shown
        await press(pilot, "enter")
        dialog = app.screen
        assert isinstance(dialog, ReminderScreen)
        await press(pilot, "a")
        assert isinstance(app.screen, ConfirmScreen)
        assert "the one you just read" in str(app.screen.message)
        assert screen.preview.subject == "An update from Amina Rahman (synthetic demo): a new exam result"
        assert "Step 2 CK result: 246" in screen.preview.text


async def test_the_shortlist_note_counts_the_unknowns_as_the_cli_does(demo_ctx: Context) -> None:
    """The app's note column said "unknowns" where `imgcoach shortlist` says "10 unknown": the count, which says
    how far the row's chance can be trusted, was left out at every width."""
    from textual.widgets import DataTable

    from imgcoach import matching

    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "m")
        table = pilot.app.screen.query_one(DataTable)
        notes = {str(key.value): str(table.get_row(key)[-1]) for key in table.rows}
    entries = matching.current(demo_ctx).shortlist.entries
    uncertain = [e for e in entries if e.status == "uncertain"]
    assert len(uncertain) > 5, "the demo has programs with unknown inputs"
    assert {notes[e.program_id] for e in uncertain} == {f"{len(e.unknown_fields)} unknown" for e in uncertain}
    assert all(notes[e.program_id] == "needs your plan" for e in entries if e.status == "conditional")
