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
    """The CLI in another process, run a minute after the app read the screen: its own engine and connections on
    the same database, and a later moment (an edit stamped with the app's own moment ties with its newest
    `updated_at`, a tie the wall clock never makes)."""
    from datetime import timedelta

    from imgcoach.core.clock import FixedClock

    return Context(db=Database(ctx.db.url), clock=FixedClock(ctx.clock.now() + timedelta(minutes=1)),
                   settings=Settings())


def status_of(screen: Any, title: str) -> str:
    """The Readiness table's status cell of the check titled `title`."""
    table = screen.query_one(DataTable)
    (row,) = [table.get_row_at(i) for i in range(table.row_count) if str(table.get_row_at(i)[1]) == title]
    return str(row[0]).strip()


@pytest.mark.sqlite_only  # PostgreSQL has no write counters (migration 0007): there a return after 30 s reloads
async def test_feedback_corrected_by_the_cli_reaches_the_open_readiness_screen(demo_ctx: Context) -> None:
    """`imgcoach log feedback 1 --week 2026-07-05 --feedback ...` on a week already logged edits that row in place
    and changes no reminder; the change marker the app polls counted the log's rows and ids only, so the Readiness
    screen kept quoting the old feedback however long it stayed open, and again when left and come back to."""
    from textual.widgets import Static

    from imgcoach.coach import check_readiness
    from imgcoach.coach.actions import record_feedback

    other = other_process(demo_ctx)
    try:
        async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
            await press(pilot, "y")
            screen = pilot.app.screen
            table = screen.query_one(DataTable)
            table.move_cursor(row=table.get_row_index("feedback"))
            await settle(pilot)
            detail = screen.query_one("#readiness-detail", Static)
            assert '"Presentations too long; lead with the assessment"' in str(detail.render())
            pilot.app.check_for_changes()  # the app's poll (every 2 s when it runs for real) reads the marker
            await settle(pilot)
            record_feedback(other, 1, date(2026, 7, 5), "Presentations too long; open with the assessment and plan")
            (stored,) = [c for c in check_readiness(other).checks if c.key == "feedback"]
            assert any("open with the assessment and plan" in line for line in stored.evidence)
            pilot.app.check_for_changes()
            await settle(pilot)
            assert '"Presentations too long; open with the assessment and plan"' in str(detail.render())
            await press(pilot, "r", "y")
            assert '"Presentations too long; open with the assessment and plan"' in str(detail.render())
    finally:
        other.db.close()

async def test_deleting_a_rotation_says_what_goes_with_it_before_and_after(demo_ctx: Context) -> None:
    """d on a rotation asked "Delete ...? This cancels 3 pending reminders" and the toast said only "and cancelled
    3 reminders": its 2 cases, its 3 log weeks (with any feedback written there) and its supervisor links were
    deleted too, and its letter request and outreach row lost their link, which only the undo's toast listed.
    Both now say it, counted by the foreign keys' own rule, and the undo brings back what they named."""
    from imgcoach import plan
    from imgcoach.coach.actions import list_log
    from imgcoach.tui.widgets.dialogs import ConfirmScreen

    (lakeview,) = [r for r in plan.list_rotations(demo_ctx) if r.institution.startswith("Lakeview")]
    detail = plan.rotation_detail(demo_ctx, lakeview.id)
    weeks = [e for e in list_log(demo_ctx) if e.rotation_id == lakeview.id]
    assert (len(detail.cases), len(weeks), len(detail.supervisors), len(detail.letters)) == (2, 3, 2, 1)
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "r")
        table = pilot.app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(str(lakeview.id)))
        await press(pilot, "d")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmScreen)
        asked = " ".join(dialog.message.split())
        assert "It also deletes 2 cases, 3 weekly log entries and 2 links to people." in asked, asked
        assert "1 outreach row and 1 letter request are kept, no longer linked to a rotation." in asked, asked
        assert "This cancels 3 pending reminders:" in asked, asked
        await press(pilot, "y")
        said = [str(n.message) for n in pilot.app._notifications][-1]
        assert said == ("Deleted rotation ‘Family Medicine externship at Lakeview Community Health Center (fictional)’ "
                        "with 2 cases, 3 weekly log entries and 2 links to people, and cancelled 3 reminders; "
                        "1 outreach row and 1 letter request are kept, no longer linked to a rotation — press ctrl+z "
                        "to undo"), said
        assert not [e for e in list_log(demo_ctx) if e.rotation_id == lakeview.id]
        await press(pilot, "ctrl+z")
        back = [str(n.message) for n in pilot.app._notifications][-1]
        assert " is back with 2 cases, 3 weekly log entries, 2 links to people, 1 outreach row, 1 letter request" \
            in back, back


def test_rotations_remove_says_what_went_with_the_rotation(demo_ctx: Context, cli_clock: Any,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """`rotations remove 2` said "rotation 2 removed; 3 pending reminders cancelled" of a rotation whose cases, log
    weeks and supervisor links it deleted too; it now names them as the app's confirmation does, and --json adds
    deleted_with and unlinked (the keys it had are unchanged)."""
    from tests.cli_helpers import run_cli

    said = run_cli(capsys, "rotations", "remove", "2", "--db", demo_ctx.db.url)
    assert said.code == 0, said.err
    assert said.out.strip() == ("rotation 2 removed with 2 cases, 3 weekly log entries and 2 links to people; "
                                "3 pending reminders cancelled; 1 outreach row and 1 letter request are kept, no "
                                "longer linked to a rotation")
    data = run_cli(capsys, "rotations", "remove", "3", "--db", demo_ctx.db.url, "--json").json()
    assert data["removed"] == 3 and len(data["cancelled_reminders"]) == 4
    assert data["deleted_with"] == {"rotation_contact": 1} and data["unlinked"] == {"letter_request": 1}, data



# A profile and nothing else (the set-up with its steps skipped), at 80x24: each screen says what to do first.


async def test_a_new_plans_letters_board_says_how_to_plan_a_letter(ctx: Context) -> None:
    """The board's pane said "No letter card in this column.": its empty-board words were written, then
    overwritten by the empty column's in the same pass."""
    from textual.widgets import Static

    async with app_for(ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "l")
        said = str(pilot.app.screen.query_one("#letter-preview", Static).render())
        assert said.startswith("No letter requests yet. Press a to plan one"), said


async def test_a_new_plans_outbox_says_where_reminders_come_from(ctx: Context) -> None:
    """The Outbox said "No pending reminders." of a plan with none at all, as if some were under another filter."""
    from textual.widgets import Static

    async with app_for(ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "o")
        said = " ".join(str(pilot.app.screen.query_one("#outbox-preview", Static).render()).split())
        assert said.startswith("No reminders yet. A rotation plans its own"), said


async def test_a_new_plans_weekly_hours_are_not_rows_of_zeros(ctx: Context) -> None:
    """The Study plan's weekly hours were eight rows of "0 0 0": hours counted, with nothing to count."""
    async with app_for(ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "s")
        load = pilot.app.screen.query_one("#load-table", DataTable)
        rows = [[str(c) for c in load.get_row_at(i)] for i in range(load.row_count)]
        assert rows == [["—", "", "", "", "Nothing yet: add a rotation (r) or block (a)"]], rows
        assert sum(column.get_render_width(load) for column in load.columns.values()) <= 80, "whole at 80 columns"


def footer_keys(screen: Any) -> dict[str, str]:
    return {b.binding.key: b.binding.description for b in screen.active_bindings.values() if b.binding.show}


async def test_mark_sent_is_offered_only_where_an_e_mail_can_go_out(demo_ctx: Context) -> None:
    """The Outreach footer offered "b Mark sent" on every row; on an offer, an interview, an accepted or a declined
    entry b answered "status: cannot go from offered to sent (allowed: ...)". It is now offered where the pipeline
    lets an e-mail go out (a draft, a follow-up due), and leaves once the row is marked sent."""
    from imgcoach.coach import list_outreach

    statuses = {row.institution: status.value for row, status, _, _ in list_outreach(demo_ctx)}
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "u")
        screen = pilot.app.screen
        table = screen.query_one(DataTable)
        offered = {}
        for i in range(table.row_count):
            table.move_cursor(row=i)
            await settle(pilot)
            offered[str(table.get_row_at(i)[0])] = "b" in footer_keys(screen)
        assert offered == {name: status in ("drafted", "follow_up_due") for name, status in statuses.items()}, offered
        assert sum(offered.values()) == 2
        (harborview,) = [i for i in range(table.row_count) if str(table.get_row_at(i)[0]).startswith("Harborview")]
        table.move_cursor(row=harborview)
        await press(pilot, "b")
        assert not [n for n in pilot.app._notifications if "cannot go from" in str(n.message)]
        (eastside,) = [i for i in range(table.row_count) if str(table.get_row_at(i)[0]).startswith("Eastside")]
        table.move_cursor(row=eastside)
        await press(pilot, "b")
        assert str(table.get_row_at(eastside)[1]) == "sent"
        assert "b" not in footer_keys(screen), "sent: nothing to mark sent until a follow-up is due"
    after = {row.institution: status.value for row, status, _, _ in list_outreach(demo_ctx)}
    assert after == {**statuses, "Eastside Health (fictional)": "sent"}


async def test_a_reload_keeps_the_readiness_check_being_read(demo_ctx: Context) -> None:
    """Reading "Host-country letters" while another process moved a letter (the CLI, or the daemon's writes, which
    the app polls for): the reload put the cursor and the detail back on the first check, so the letters' new
    evidence was never in front of the reader. The cursor and its detail now stay on the same check."""
    from textual.widgets import Static

    from imgcoach import plan

    other = other_process(demo_ctx)
    try:
        async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
            await press(pilot, "y")
            screen = pilot.app.screen
            table = screen.query_one(DataTable)
            table.move_cursor(row=table.get_row_index("letters"))
            await settle(pilot)
            detail = screen.query_one("#readiness-detail", Static)
            assert str(detail.render()).startswith("Host-country letters: ")
            assert "Dr. Priya Nair (fictional): planned" in str(detail.render())
            pilot.app.check_for_changes()
            await settle(pilot)
            plan.move_letter_with_undo(other, 2, 1)  # planned -> requested, as `letters set-status 2 requested`
            pilot.app.check_for_changes()
            await settle(pilot)
            assert str(table.get_row_at(table.cursor_row)[1]) == "Host-country letters"
            assert str(detail.render()).startswith("Host-country letters: "), str(detail.render())[:80]
            assert "Dr. Priya Nair (fictional): requested" in str(detail.render())
    finally:
        other.db.close()


@pytest.mark.parametrize("key", ["y", "i"])
async def test_help_names_the_screen_it_is_on(ctx: Context, key: str) -> None:
    """? on the Readiness screen headed its keys "On this screen (ReadinessScreen)", the Import screen's
    "(ImportScreen)": a class name, where every other screen's help says its title as the nav bar does."""
    from imgcoach.tui.help import help_text, plain
    from imgcoach.tui.registry import SCREENS

    title = {item.binding: item.title for item in SCREENS}[key]
    async with app_for(ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, key)
        said = plain(help_text(pilot.app.screen))
        assert f"On this screen ({title})" in said, said
        assert "Screen)" not in said


async def test_a_reload_keeps_the_study_block_under_the_cursor(demo_ctx: Context) -> None:
    """On the second study block while another process wrote (an exam added with the CLI): the reload put the
    cursor back on the first block, so the d pressed next asked to delete that one. It now stays where it was."""
    from imgcoach import plan
    from imgcoach.tui.widgets.dialogs import ConfirmScreen

    other = other_process(demo_ctx)
    try:
        async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
            await press(pilot, "s", "down")
            table = pilot.app.screen.query_one("#block-table", DataTable)
            assert table.cursor_row == 1
            pilot.app.check_for_changes()
            await settle(pilot)
            plan.add_exam(other, "PLAB 1", date(2027, 8, 2))
            pilot.app.check_for_changes()
            await settle(pilot)
            assert pilot.app.screen.loads >= 2, "the write was seen and the screen loaded again"  # type: ignore[attr-defined]
            assert table.cursor_row == 1
            await press(pilot, "d")
            dialog = pilot.app.screen
            assert isinstance(dialog, ConfirmScreen) and "05 Jan" in dialog.message, dialog.message
    finally:
        other.db.close()


async def test_keys_in_the_footer_of_an_empty_list_say_why_they_do_nothing(ctx: Context) -> None:
    """On a new plan the footer offers v (E-mail) on the Letters board and x (Cancel) in the Outbox; both did
    nothing at all, where e, d and R beside them say why. They now say it too, and change nothing."""
    from tests.cli_helpers import database_state

    before = database_state(ctx.db.url)
    async with app_for(ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "l")
        assert "v" in footer_keys(pilot.app.screen)
        await press(pilot, "v")
        assert [str(n.message) for n in pilot.app._notifications][-1:] == ["No letter card selected"]
        await press(pilot, "o")
        assert "x" in footer_keys(pilot.app.screen)
        await press(pilot, "x")
        said = [str(n.message) for n in pilot.app._notifications][-1:]
        assert said == ["No pending reminder here to cancel (F shows the others)"], said
    assert database_state(ctx.db.url) == before


async def test_the_letters_footer_stays_whole_with_the_letter_focused_and_a_move_to_undo(demo_ctx: Context) -> None:
    """At 80x24, a card moved (]) and Tab into the letter: the footer gained "↑ ↓ Scroll" and "^z Undo" and ran
    past the window, its last key cut to "? H" and "^z Undo" not shown at all. Keys that are elsewhere too now
    give way (ctrl+q: q quits as well; v: the e-mail is the pane in front of the reader), and both stay whole."""
    from imgcoach.tui.widgets.detail_pane import DetailPane
    from imgcoach.tui.widgets.footer import PlannerFooter
    from tests.test_tui_footer import footer_row

    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "l", "right_square_bracket", "tab")
        assert isinstance(pilot.app.focused, DetailPane)
        keys, row_end, palette_x = footer_row(pilot.app)
        footer = pilot.app.screen.query_one(PlannerFooter)
        assert {"? Help", "^z Undo"} <= set(keys), keys
        assert "up" in footer_keys(pilot.app.screen), "the letter runs past its pane: ↑ ↓ Scroll is in the row"
        assert row_end <= palette_x <= 80 and footer.virtual_size.width <= 81, keys
        await press(pilot, "tab")  # back to the board: ^q and v come back where they fit
        keys, row_end, palette_x = footer_row(pilot.app)
        # Since stop 49 the board says "⏎ Details" (a card's details, whose keys include v): at 80 columns with a move
        # to undo, v gives way to it; the row stays whole.
        assert "⏎ Details" in keys and "^z Undo" in keys and row_end <= palette_x <= 80, keys
