"""What the app shows is true: a message awaiting approval can be read before it is approved, the Shortlist
counts unknown inputs as the CLI does, and a set-up step Escape skips says Skip."""

from __future__ import annotations

from textual.widgets import Static

from imgcoach.core.context import Context
from tests.tui_helpers import app_for, press, settle


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
        await press(pilot, "A")
        assert isinstance(app.screen, ConfirmScreen)
        assert "the one you just read" in str(app.screen.message)
        assert screen.preview.subject == "An update from Amina Rahman (synthetic demo): a new exam result"
        assert "Step 2 CK result: 246" in screen.preview.text


async def test_the_shortlist_note_counts_the_unknowns_with_the_clis_rule(demo_ctx: Context) -> None:
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


async def test_the_setup_steps_that_escape_skips_say_skip_not_cancel(empty_ctx: Context) -> None:
    """Steps 2 to 4 of the first-run set-up say "Escape skips this step", and Escape opens the next step; their
    footer said "esc Cancel" and their button "Cancel", as if the set-up would stop there."""
    from textual.widgets import Button

    from imgcoach.tui.widgets.form import FormScreen
    from tests.tui_helpers import fill

    def footer_and_button(form: FormScreen) -> tuple[str, str]:
        bindings = {b.binding.key: b.binding.description for b in form.active_bindings.values()}
        return bindings["escape"], str(form.query_one("#form-cancel", Button).label)

    async with app_for(empty_ctx).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        step1 = pilot.app.screen
        assert isinstance(step1, FormScreen) and step1.form_title.startswith("Step 1")
        assert footer_and_button(step1) == ("Cancel", "Cancel"), "Escape on step 1 pauses the set-up"
        fill(step1, name="Ravi Kumar (synthetic)", email="ravi@example.com", timezone="Asia/Kolkata")
        for number in (2, 3, 4):
            await press(pilot, "escape" if number > 2 else "ctrl+s")
            step = pilot.app.screen
            assert isinstance(step, FormScreen) and step.form_title.startswith(f"Step {number}")
            assert "Escape skips this step" in step.hint
            assert footer_and_button(step) == ("Skip", "Skip")
            shown = "\n".join(strip.text for strip in step._compositor.render_strips())
            assert "esc Skip" in shown and "Cancel" not in shown
