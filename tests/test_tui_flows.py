"""Pilot tests: each planner flow driven from the keyboard against a real SQLite file."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlmodel import select
from textual.widgets import DataTable, Input, OptionList, Static

from imgcoach.core.context import Context
from imgcoach.plan.people import list_letters
from imgcoach.plan.profile import get_profile
from imgcoach.plan.rotations import list_rotations
from imgcoach.plan.study import list_study_blocks
from imgcoach.reminders.sync import list_reminders
from imgcoach.storage.models import Reminder
from imgcoach.tui.screens.timeline_screen import NextUpList
from imgcoach.tui.widgets.dialogs import ConfirmScreen, TextScreen
from imgcoach.tui.widgets.form import FormScreen
from imgcoach.tui.widgets.proposal import ProposalScreen
from tests.tui_helpers import SIZE, app_for, error_of, fill, press, settle


async def test_add_rotation_from_the_keyboard(ctx: Context) -> None:
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "a")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-specialty", Input).focus()
        await pilot.press(*"Internal Medicine")
        fill(form, institution="Riverside General (fictional)", start_date="2027-01-04", end_date="2027-01-31")
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, FormScreen)
        rotations = list_rotations(ctx)
        assert [(r.specialty, r.start_date, r.hours_per_week) for r in rotations] == [
            ("Internal Medicine", date(2027, 1, 4), 40)]
        assert {r.kind for r in list_reminders(ctx)} >= {"mid_rotation_feedback", "thank_you"}
        table = pilot.app.screen.query_one(DataTable)
        assert table.row_count == 1
        detail = str(pilot.app.screen.query_one("#rotation-detail", Static).content)
        assert "Ask for feedback" in detail and "Cases worth remembering" in detail


async def test_edit_shows_errors_next_to_fields_and_keeps_the_input(demo_ctx: Context) -> None:
    before = list_rotations(demo_ctx)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "e")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, end_date="2026-01-01", hours_per_week="many")
        await press(pilot, "ctrl+s")
        assert error_of(form, "hours_per_week").endswith("must be a whole number")
        fill(form, hours_per_week="45")
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is form, "the form stays open"
        assert "ends before it starts" in error_of(form, "end_date")
        assert error_of(form, "hours_per_week") == ""
        assert form.query_one("#field-end_date", Input).value == "2026-01-01", "input kept as typed"
        assert list_rotations(demo_ctx) == before, "database unchanged"
        fill(form, end_date="2026-07-31")
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, FormScreen)
    edited = next(r for r in list_rotations(demo_ctx) if r.id == before[0].id)
    assert (edited.end_date, edited.hours_per_week) == (date(2026, 7, 31), 45)


async def test_delete_asks_and_names_the_reminders_it_cancels(demo_ctx: Context) -> None:
    target = list_rotations(demo_ctx)[1]  # the current externship, with pending reminders
    pending = [r for r in list_reminders(demo_ctx, "pending") if r.rotation_id == target.id]
    assert pending
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "down", "d")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmScreen)
        message = str(dialog.query_one("#confirm-message", Static).render())
        assert f"cancels {len(pending)} pending reminder{'' if len(pending) == 1 else 's'}" in message
        assert "Ask for a letter" in message and target.institution in message
        await press(pilot, "n")
        assert target.id in {r.id for r in list_rotations(demo_ctx)}, "No keeps it"
        await press(pilot, "d", "y")
    assert target.id not in {r.id for r in list_rotations(demo_ctx)}
    statuses = {r.status for r in list_reminders(demo_ctx) if r.id in {p.id for p in pending}}
    assert statuses == {"cancelled"}


async def test_generate_a_study_plan_preview_then_accept_or_drop(demo_ctx: Context) -> None:
    before = len(list_study_blocks(demo_ctx))
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "s", "g")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, exam="Step 3", exam_date="2027-05-20", hours_per_day="4", rest_days="sat, sun")
        await press(pilot, "ctrl+s")
        preview = pilot.app.screen
        assert isinstance(preview, ProposalScreen)
        proposed = preview.proposal.blocks
        assert proposed and all(b.start_date >= date(2027, 3, 1) for b in proposed)
        await press(pilot, "escape")
        assert len(list_study_blocks(demo_ctx)) == before, "dropped: nothing saved"
        await press(pilot, "g")
        fill(pilot.app.screen, exam="Step 3", exam_date="2027-05-20", hours_per_day="4", rest_days="sat, sun")
        await press(pilot, "ctrl+s", "ctrl+a")
        assert len(list_study_blocks(demo_ctx)) == before + len(proposed)
        hours = pilot.app.screen.query_one("#load-table", DataTable)
        assert hours.row_count == 26


async def test_generator_form_names_bad_inputs(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "s", "g")
        form = pilot.app.screen
        fill(form, exam_date="2026-01-01", hours_per_day="4", rest_days="sat, funday")
        await press(pilot, "ctrl+s")
        assert "unknown day" in error_of(form, "rest_days")
        fill(form, rest_days="sun")
        await press(pilot, "ctrl+s")
        assert "must be after today" in error_of(form, "exam_date")
        assert isinstance(pilot.app.screen, FormScreen)


async def test_moving_a_letter_card_updates_the_reminders(demo_ctx: Context) -> None:
    letter = next(lt for lt, writer, rot in list_letters(demo_ctx) if lt.status == "planned")
    letter_kinds = {"letter_request_open", "letter_request_last_call"}

    def pending_letter_reminders() -> int:
        return sum(1 for r in list_reminders(demo_ctx, "pending")
                   if r.rotation_id == letter.rotation_id and r.kind in letter_kinds)

    assert pending_letter_reminders() == 2
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "l")
        column = pilot.app.screen.query_one("#column-planned", OptionList)
        assert column.has_focus and column.option_count == 2
        await press(pilot, "right_square_bracket")
        moved = next(lt for lt, writer, rot in list_letters(demo_ctx) if lt.id == letter.id)
        assert moved.status == "requested" and moved.requested_on is not None
        assert pending_letter_reminders() == 0
        requested = pilot.app.screen.query_one("#column-requested", OptionList)
        assert requested.option_count == 1 and requested.has_focus, "the cursor follows the card"
        await press(pilot, "left_square_bracket")
        assert pending_letter_reminders() == 2, "back to planned: the reminders return"
        await press(pilot, "v")
        assert isinstance(pilot.app.screen, TextScreen)
        await press(pilot, "escape")


def _fail_one(ctx: Context) -> int:
    """What the daemon does after a refused delivery (a separate writer, like the real daemon)."""
    with ctx.db.transaction() as session:
        row = session.exec(select(Reminder).where(Reminder.status == "pending").order_by(Reminder.id)).first()
        assert row is not None
        row.status, row.attempts, row.last_error = "failed", 3, "550 mailbox unavailable"
        row.updated_at = ctx.clock.now() + timedelta(seconds=1)
        session.add(row)
        return row.id  # type: ignore[return-value]


async def test_retry_a_failed_reminder(demo_ctx: Context) -> None:
    failed_id = _fail_one(demo_ctx)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "o", "F")
        screen = pilot.app.screen
        assert screen.filter == "failed"  # type: ignore[attr-defined]
        assert screen.query_one(DataTable).row_count == 1
        preview = str(screen.query_one("#outbox-preview", Static).render())
        assert "550 mailbox unavailable" in preview and "Subject:" in preview
        await press(pilot, "R")
    row = next(r for r in list_reminders(demo_ctx) if r.id == failed_id)
    # The CLI's rule (reminders.retry_reminder), not a screen's own copy: a fresh start of the backoff.
    assert (row.status, row.next_attempt_at, row.attempts) == ("pending", None, 0)
    assert "550 mailbox unavailable" in row.note


async def test_cancel_a_reminder_after_confirmation(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "o")
        first = pilot.app.screen.selected_id()  # type: ignore[attr-defined]
        await press(pilot, "x")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await press(pilot, "y")
    assert next(r for r in list_reminders(demo_ctx) if r.id == first).status == "cancelled"


async def test_the_filter_bar_accounts_for_every_reminder_in_all(demo_ctx: Context) -> None:
    """"pending 14  failed 0  sent 0  all 18": the 4 cancelled were counted in "all" and named nowhere."""
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "o")
        await press(pilot, "x")
        await press(pilot, "y")
        await settle(pilot)
        bar = str(pilot.app.screen.query_one("#outbox-filters", Static).render())
    counts = Counter(r.status for r in list_reminders(demo_ctx))
    assert counts["cancelled"] >= 1 and f"all {sum(counts.values())}" in bar
    for status, n in counts.items():  # each status "all" counts is named with its count, on the bar or beside it
        assert f"{status} {n}" in bar or f"{n} {status}" in bar, (status, n, bar)


async def test_daemon_changes_appear_without_restart(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "o")
        pilot.app.check_for_changes()  # first poll records the marker
        await settle(pilot)
        _fail_one(demo_ctx)
        pilot.app.check_for_changes()
        await settle(pilot)
        bar = str(pilot.app.screen.query_one("#outbox-filters", Static).render())
        assert "failed 1" in bar


async def test_first_run_is_a_guided_three_step_setup(empty_ctx: Context) -> None:
    """Profile (with a validation error on the way), an exam, the first rotation: keyboard only."""
    async with app_for(empty_ctx).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, FormScreen) and pilot.app.current_mode == "profile"
        assert form.form_title == "Step 1 of 4: your profile"
        assert form.query_one("#field-name", Input).has_focus, "type at once"
        await pilot.press(*"Ravi Kumar", "tab")
        await pilot.press(*"not-an-email")
        fill(form, timezone="Asia/Kolkata")
        await press(pilot, "ctrl+s")
        assert "not a valid e-mail" in error_of(form, "email")
        assert pilot.app.screen is form and form.query_one("#field-name", Input).value == "Ravi Kumar"
        fill(form, email="ravi@example.com", graduation_year="2021")
        await press(pilot, "ctrl+s")
        step2 = pilot.app.screen
        assert isinstance(step2, FormScreen) and step2.form_title.startswith("Step 2 of 4")
        fill(step2, exam="Step 2 CK", taken_on="2027-03-15")
        await press(pilot, "ctrl+s")
        step3 = pilot.app.screen
        assert isinstance(step3, FormScreen) and step3.form_title.startswith("Step 3 of 4")
        fill(step3, specialty="Internal Medicine", institution="Riverside General (fictional)",
             start_date="2027-01-04", end_date="2027-01-31")
        await press(pilot, "ctrl+s")
        step4 = pilot.app.screen
        assert isinstance(step4, FormScreen) and step4.form_title.startswith("Step 4 of 4: where reminders go")
        step4.query_one("#field-where").value = "local"  # type: ignore[attr-defined]
        await press(pilot, "ctrl+s")
        assert pilot.app.current_mode == "timeline"
        view = pilot.app.screen.query_one("#timeline")
        assert [bar.label for bar in view.bars] == ["Internal Medicine observership"]
        side = pilot.app.screen.query_one(NextUpList).text()
        assert "Exam: Step 2 CK" in side
    profile = get_profile(empty_ctx)
    assert profile is not None and (profile.timezone, profile.graduation_year) == ("Asia/Kolkata", 2021)
    assert [r.institution for r in list_rotations(empty_ctx)] == ["Riverside General (fictional)"]


async def test_first_run_steps_two_to_four_can_be_skipped(empty_ctx: Context) -> None:
    async with app_for(empty_ctx).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        fill(pilot.app.screen, name="Ana Silva", email="ana@example.com", timezone="America/Sao_Paulo")
        await press(pilot, "ctrl+s", "escape")
        assert pilot.app.screen.form_title.startswith("Step 3 of 4")  # type: ignore[attr-defined]
        await press(pilot, "escape")
        assert pilot.app.screen.form_title.startswith("Step 4 of 4")  # type: ignore[attr-defined]
        await press(pilot, "escape")
        assert pilot.app.current_mode == "timeline"
        side = pilot.app.screen.query_one(NextUpList).text()
        assert "Add a rotation (r)" in side
    assert list_rotations(empty_ctx) == []


async def test_escape_on_the_first_step_pauses_the_setup(empty_ctx: Context) -> None:
    async with app_for(empty_ctx).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "escape")
        assert pilot.app.current_mode == "profile" and not isinstance(pilot.app.screen, FormScreen)
        await press(pilot, "e")
        assert pilot.app.screen.form_title.startswith("Step 1 of 4"), "e starts the set-up again"  # type: ignore[attr-defined]
    assert get_profile(empty_ctx) is None


async def test_timeline_moves_by_week_and_month_and_jumps_to_today(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = pilot.app.screen.query_one("#timeline")
        home = view.start
        assert home == date(2026, 10, 26)
        await press(pilot, "right")
        assert view.start == home + timedelta(weeks=1)
        await press(pilot, "right_square_bracket")
        assert view.start == date(2026, 11, 30)  # the week holding 1 December
        await press(pilot, "left_square_bracket", "left_square_bracket")
        assert view.start == date(2026, 9, 28)
        await press(pilot, "full_stop")
        assert view.start == home
        side = pilot.app.screen.query_one(NextUpList).text()
        assert "Ask for feedback" in side
        conflicts = str(pilot.app.screen.query_one("#conflicts", Static).render())
        assert "overlaps full-time rotation" in conflicts


async def test_help_palette_theme_escape_and_quit(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "question_mark")
        assert isinstance(app.screen, TextScreen)
        await press(pilot, "escape")
        assert app.current_mode == "timeline"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Go to Rotations", "Go to Letters", "Timeline: Today", "Help"} <= set(titles)
        await press(pilot, "T")
        assert app.theme == "textual-light"
        await press(pilot, "r")
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Rotations: Add" in commands
        await press(pilot, "escape")
        assert app.current_mode == "timeline"
        await press(pilot, "r", "question_mark")
        await pilot.press("q")  # q quits from any screen and read-only dialog (Help here), not only the timeline
        await pilot.pause()
    assert app.return_code == 0


async def test_approve_a_progress_update_draft(demo_ctx: Context) -> None:
    """A draft to a supervisor leaves only after the applicant approves that one message."""
    gated = [r for r in list_reminders(demo_ctx) if r.requires_approval and r.status == "pending"]
    assert gated and all(r.approved_at is None for r in gated)
    target = gated[0]

    async def approve_target(answer: str) -> None:
        async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
            await press(pilot, "o")
            table = pilot.app.screen.query_one(DataTable)
            table.move_cursor(row=table.get_row_index(str(target.id)))
            await settle(pilot)
            await press(pilot, "A")
            assert isinstance(pilot.app.screen, ConfirmScreen)
            await press(pilot, answer)

    await approve_target("escape")  # changing one's mind sends nothing
    assert all(r.approved_at is None for r in list_reminders(demo_ctx) if r.id == target.id)
    await approve_target("y")
    approved = {r.id: r for r in list_reminders(demo_ctx)}
    assert approved[target.id].approved_at is not None
    assert all(approved[r.id].approved_at is None for r in gated[1:])  # one approval, one message
