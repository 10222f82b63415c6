"""What the app offers and where it leaves the cursor stays true (round 39): a key is offered only where its rule
lets it act, the help names every key of the screen with why one is not available now, and after a delete or its
undo the cursor is on the row the user is looking for. Pilot, keyboard only, real database files, the fixed clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import select
from textual.widgets._footer import FooterKey

from imgcoach.core.context import Context
from imgcoach.storage.models import Reminder
from imgcoach.tui.screens.outbox_screen import OutboxScreen
from imgcoach.tui.widgets.footer import PlannerFooter
from tests.tui_helpers import app_for, press, settle

SIZE = (80, 24)


def footer_words(app: Any) -> list[str]:
    """The keys the footer shows ("R Retry"), as drawn."""
    footer = app.screen.query_one(PlannerFooter)
    return [f"{k.key_display} {k.description}" for k in footer.query(FooterKey) if k.display]  # noqa


def set_status(ctx: Context, status: str, *, first: bool = True) -> int:
    """What the daemon leaves after a delivery (a separate writer): the first (or last) pending reminder in
    `status`."""
    with ctx.db.transaction() as session:
        rows = session.exec(select(Reminder).where(Reminder.status == "pending").order_by(Reminder.id)).all()
        row = rows[0] if first else rows[-1]
        row.status, row.attempts = status, 3 if status == "failed" else 1
        row.last_error = "550 mailbox unavailable" if status == "failed" else ""
        if status == "sent":
            row.sent_at, row.delivered_via = ctx.clock.now(), "smtp"
        row.updated_at = ctx.clock.now() + timedelta(seconds=1)
        session.add(row)
        return row.id  # type: ignore[return-value]


def move_to(screen: OutboxScreen, reminder_id: int) -> None:
    from imgcoach.tui.widgets.table import DetailsTable

    screen.query_one(DetailsTable).move_to_key(str(reminder_id))


async def test_retry_is_offered_on_a_failed_reminder_only(demo_ctx: Context) -> None:
    """R (Retry) showed in the footer, the help and the palette on every row, and on a sent, pending or cancelled
    one said "Only failed or unconfirmed reminders can be retried": now it shows where `reminders retry` would
    act (reminders.offered_actions), as `a` already did."""
    from imgcoach.tui.help import help_text, plain

    failed = set_status(demo_ctx, "failed")
    sent = set_status(demo_ctx, "sent", first=False)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "o", "F", "F", "F")  # all
        screen = pilot.app.screen
        assert isinstance(screen, OutboxScreen) and screen.filter == "all"
        move_to(screen, sent)
        await settle(pilot)
        assert screen.selected_id() == sent
        assert "R Retry" not in footer_words(pilot.app), footer_words(pilot.app)
        commands = [c.title for c in pilot.app.get_system_commands(screen)]
        assert "Outbox: Retry" not in commands
        move_to(screen, failed)
        await settle(pilot)
        assert screen.selected_id() == failed
        assert "R Retry" in footer_words(pilot.app), "|".join(footer_words(pilot.app))
        assert "Outbox: Retry" in [c.title for c in pilot.app.get_system_commands(screen)]
        assert "Retry" in plain(help_text(screen))


async def test_cancel_is_offered_only_on_a_reminder_that_can_be_cancelled(demo_ctx: Context) -> None:
    """x (Cancel) showed on a sent or cancelled row and pressed there said "This reminder is sent: nothing to
    cancel": now it shows where `reminders cancel` would act (offered_actions)."""
    sent = set_status(demo_ctx, "sent", first=False)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "o", "F", "F", "F")  # all
        screen = pilot.app.screen
        assert isinstance(screen, OutboxScreen)
        cancelled = next(rid for rid, r in screen.reminders.items() if r.status == "cancelled")
        pending = next(rid for rid, r in screen.reminders.items() if r.status == "pending")
        for reminder_id, offered in ((sent, False), (cancelled, False), (pending, True)):
            move_to(screen, reminder_id)
            await settle(pilot)
            assert screen.selected_id() == reminder_id
            assert ("x Cancel" in footer_words(pilot.app)) is offered, (screen.reminders[reminder_id].status,
                                                                         footer_words(pilot.app))


async def test_after_a_rotation_delete_and_its_undo_the_cursor_is_on_the_row_concerned(demo_ctx: Context) -> None:
    """d on the third rotation, then ctrl+z: after the delete the cursor was on the first rotation, not the one
    that took the deleted one's place, and after the undo on the first again, not the rotation put back (the
    next e or d acted on a row the user had not chosen)."""
    from imgcoach.tui.screens.rotations_screen import RotationsScreen

    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "down", "down")
        screen = pilot.app.screen
        assert isinstance(screen, RotationsScreen)
        ids = list(screen.rotations)
        deleted = screen.selected_id()
        assert deleted == ids[2]
        await press(pilot, "d", "y")
        assert deleted not in screen.rotations
        assert screen.selected_id() == ids[3], "the rotation that took its place"
        await press(pilot, "ctrl+z")
        assert deleted in screen.rotations
        assert screen.selected_id() == deleted, "the rotation put back"


async def test_after_the_last_study_block_is_deleted_and_put_back_the_cursor_follows(demo_ctx: Context) -> None:
    """The same on the Study plan, on its last block: the cursor went to the first block after either."""
    from imgcoach.tui.screens.study_screen import StudyScreen

    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "s")
        screen = pilot.app.screen
        assert isinstance(screen, StudyScreen)
        ids = list(screen.blocks)
        assert len(ids) >= 2
        await press(pilot, *["down"] * (len(ids) - 1))
        deleted = screen.selected_block()
        assert deleted == ids[-1]
        await press(pilot, "d", "y")
        assert screen.selected_block() == ids[-2], "the block now last, where the deleted one was"
        await press(pilot, "ctrl+z")
        assert screen.selected_block() == deleted, "the block put back"


async def test_after_an_undo_in_the_people_dialog_the_person_put_back_is_highlighted(demo_ctx: Context) -> None:
    """The rotation's people dialog kept the highlighted position: a move after the delete, then ctrl+z, left the
    highlight where the move had taken it, not on the person put back."""
    from textual.widgets import OptionList

    from imgcoach.tui.widgets.items import ItemsScreen

    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "down", "enter")
        items = pilot.app.screen
        assert isinstance(items, ItemsScreen)
        listing = items.query_one(OptionList)
        first = next(i for i, item in enumerate(items.items) if item.kind == "supervisor")
        listing.highlighted = first
        person = items.items[first]
        await press(pilot, "d", "y")
        assert person not in items.items
        await press(pilot, "down")
        await press(pilot, "ctrl+z")
        assert person in items.items
        assert items.selected() == person, (items.selected(), person)


async def test_after_an_exam_delete_and_its_undo_the_cursor_is_on_the_exam_concerned(demo_ctx: Context) -> None:
    """The Profile's exams: after d the cursor went to the first exam, and after ctrl+z too."""
    from imgcoach.tui.screens.profile_screen import ExamTable, ProfileScreen

    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "p")
        screen = pilot.app.screen
        assert isinstance(screen, ProfileScreen)
        ids = list(screen.exams)
        assert len(ids) >= 3, ids
        screen.query_one(ExamTable).focus()
        await press(pilot, "down")
        deleted = screen.selected_exam().id
        assert deleted == ids[1]
        await press(pilot, "d", "y")
        assert deleted not in screen.exams
        assert screen.selected_exam().id == ids[2], "the exam that took its place"
        await press(pilot, "ctrl+z")
        assert screen.selected_exam().id == deleted, "the exam put back"


async def test_help_lists_every_key_of_the_screen_and_says_why_one_is_not_available_here(demo_ctx: Context) -> None:
    """On the Outbox's first row (an overdue reminder) the help listed only f, x, v, / and the table's keys: R and a,
    which that row does not offer, were missing, so a user could not learn from it that the screen retries and
    approves. Now every key is there, the withheld ones with why, and the help scrolls to its end at 80x24."""
    from textual.containers import VerticalScroll

    from imgcoach.tui.help import help_text, plain
    from imgcoach.tui.widgets.dialogs import TextScreen

    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "o")
        screen = pilot.app.screen
        assert isinstance(screen, OutboxScreen)
        reminder = screen.reminders[screen.selected_id() or 0]
        assert reminder.status == "pending" and screen.check_action("retry", ()) is False
        helped = " ".join(plain(help_text(screen), width=80).split())
        assert "R Retry — not on this row: only a failed or unconfirmed reminder" in helped, helped
        assert "A Approve — not on this row: only a message that waits for your approval" in helped, helped
        assert "x Cancel" in helped and "x Cancel —" not in helped, "offered here: no reason beside it"
        await press(pilot, "question_mark")
        dialog = pilot.app.screen
        assert isinstance(dialog, TextScreen)
        body = dialog.query_one("#text-body", VerticalScroll)
        assert body.max_scroll_y > 0, "longer than the dialog at 80x24 (else nothing to test)"
        await press(pilot, "end")
        assert body.scroll_y == body.max_scroll_y


async def test_the_outbox_rotation_column_tells_two_rotations_apart_at_80_and_120_columns(demo_ctx: Context) -> None:
    """At 80 columns the Rotation column cut the names to "Family Medicine, …" for Lakeview's and Harbor Street's
    rotations, and "Internal Medicine…" for Brookside's and Northgate's: two rotations read the same. Each cell
    now ends with its rotation's start month, kept whole however the name is cut, and the preview names the
    rotation in full with its days."""
    from textual.widgets import Static

    from imgcoach.plan import list_rotations
    from imgcoach.tui import dates
    from imgcoach.tui.widgets.table import DetailsTable

    starts = {r.id: r.start_date for r in list_rotations(demo_ctx)}
    for size in ((80, 24), (120, 40)):
        async with app_for(demo_ctx).run_test(size=size) as pilot:
            await press(pilot, "o", "F", "F", "F")  # all
            screen = pilot.app.screen
            assert isinstance(screen, OutboxScreen)
            table = screen.query_one(DetailsTable)
            shown = {r.rotation_id: str(table.get_row(str(rid))[2]) for rid, r in screen.reminders.items()
                     if r.rotation_id is not None}
            assert len(shown) == len(set(shown.values())) >= 4, (size, shown)
            assert all(cell.endswith(dates.month(starts[rotation])) for rotation, cell in shown.items()), shown
            lakeview = next(rid for rid, r in screen.reminders.items() if r.rotation_id is not None
                            and "Lakeview" in screen.names[r.rotation_id])
            move_to(screen, lakeview)
            await settle(pilot)
            preview = " ".join(str(screen.query_one("#outbox-preview", Static).render()).split())
            assert "Rotation 05 Nov – 10 Dec 2026: Family Medicine, Lakeview Community Health Center (fictional)" \
                in preview, preview


def test_a_rotation_cell_keeps_its_month_whole_however_narrow() -> None:
    from imgcoach.tui.screens.outbox_screen import fit_rotation

    cell = "Family Medicine, Lakeview Community Health Center (fictional) · Nov 2026"
    assert fit_rotation(cell, 200) == cell
    assert fit_rotation(cell, 18) == "Family M… Nov 2026"
    assert fit_rotation(cell, 40).endswith(" · Nov 2026") and len(fit_rotation(cell, 40)) == 40
    assert fit_rotation("—", 18) == "—"


async def test_details_is_offered_only_where_there_is_a_row_to_open(ctx: Context) -> None:
    """A new plan's Rotations and Outbox offered "⏎ Details" in the footer, and Enter did nothing at all. It shows
    once there is a row (a rotation added from the CLI meanwhile), and the help says why it is missing before."""
    from datetime import date

    from imgcoach.plan import add_rotation
    from imgcoach.tui.help import help_text, plain

    async with app_for(ctx).run_test(size=SIZE) as pilot:
        for key in ("r", "o"):
            await press(pilot, key)
            assert "⏎ Details" not in footer_words(pilot.app), (key, footer_words(pilot.app))
        await press(pilot, "r")
        assert "⏎ Details — not now: no row to open" in " ".join(plain(help_text(pilot.app.screen)).split())
        add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy (fictional)",
                     start_date=date(2027, 1, 4), end_date=date(2027, 1, 31))
        pilot.app.screen.reload()  # type: ignore[attr-defined]
        await settle(pilot)
        assert "⏎ Details" in footer_words(pilot.app), footer_words(pilot.app)


async def test_next_bar_on_a_new_plan_says_why_it_moves_nothing(ctx: Context) -> None:
    """The timeline of a new plan offers "↓ Next bar": ↓ did nothing at all, where Enter beside it said there is
    nothing on the timeline yet and how to add something. ↓ and ↑ say it too."""
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "↓ Next bar" in footer_words(pilot.app)
        for key in ("down", "up"):
            before = len(pilot.app._notifications)
            await press(pilot, key)
            said = [str(n.message) for n in pilot.app._notifications][before:]
            assert said == ["Nothing on the timeline yet: add a rotation (r), a study block (s) or import a calendar "
                            "(i)"], (key, said)


async def test_the_outbox_e_mail_dialog_names_the_reminders_status(demo_ctx: Context) -> None:
    """Enter on a cancelled reminder opened "E-mail: Ask for feedback" with the draft's "approve it with `imgcoach
    reminders approve 1`" and nothing saying it was cancelled: the title now says the status the list shows."""
    from imgcoach.tui.widgets.draft import ReminderScreen

    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "o", "F", "F", "F")  # all
        screen = pilot.app.screen
        assert isinstance(screen, OutboxScreen)
        cancelled = next(rid for rid, r in screen.reminders.items() if r.status == "cancelled" and r.rotation_id is not None
                         and r.kind == "mid_rotation_feedback")
        move_to(screen, cancelled)
        await settle(pilot)
        await press(pilot, "enter")
        dialog = pilot.app.screen
        assert isinstance(dialog, ReminderScreen)
        assert dialog.title_text == "E-mail: Ask for feedback · cancelled", dialog.title_text


async def test_a_palette_action_the_row_does_not_offer_says_why_as_the_help_does(demo_ctx: Context) -> None:
    """"Outbox: Retry" from the timeline's palette goes to the Outbox and, on its first row (an overdue reminder),
    said "Retry: nothing to act on here now"; it now says why, in the help's words."""
    from imgcoach.tui.commands import run_on_screen

    binding = next(b for b in OutboxScreen.BINDINGS if getattr(b, "action", "") == "retry")
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_on_screen(pilot.app, "outbox", binding)
        await settle(pilot)
        assert isinstance(pilot.app.screen, OutboxScreen)
        said = [str(n.message) for n in pilot.app._notifications][-1:]
        assert said == ["Retry: not on this row: only a failed or unconfirmed reminder"], said


def test_the_help_advice_keeps_its_indent_when_it_wraps() -> None:
    """At 80 columns the advice paragraph's first line was indented and the rest ran back to the edge, under the
    heading, as if they were another section."""
    from imgcoach.tui.help import help_text, plain

    class Bare:  # a screen with no keys of its own: the help's fixed parts
        KEY = ""

    lines = plain(help_text(Bare()), width=76).splitlines()
    start = lines.index("Planning advice built in") + 1
    advice = [line for line in lines[start:] if line.strip()]
    assert len(advice) > 1 and all(line.startswith("  ") for line in advice), advice
