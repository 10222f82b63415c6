"""The Outbox's approve key and status column, keyboard only at 80x24 and 120x40 on the demo data (issue 15):
`a` is offered only where `approve_draft` has something to approve, its dialog names the reminder, and the
status column keeps its place on the selected row."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from imgcoach.core.context import Context
from imgcoach.tui.screens.outbox_screen import OutboxScreen
from imgcoach.tui.widgets.dialogs import ConfirmScreen
from tests.tui_helpers import app_for, press

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
ROTATION = "Family Medicine, Lakeview Community Health Center (fictional)"
# The demo's first rotation reminder still to send: Lakeview's feedback was asked, so its "Ask for feedback" is
# cancelled (not sent) and the letter window's opening is the first a supervisor draft can be approved for.
FIRST = "letter_request_open"


def first_rotation_row(screen: OutboxScreen) -> int:
    """Where the Outbox lists the first rotation reminder (an outreach follow-up comes before it)."""
    return next(n for n, rid in enumerate(screen.reminders) if screen.reminders[rid].rotation_id is not None)


@SIZES
async def test_a_is_not_offered_again_once_the_supervisor_draft_is_queued(demo_ctx: Context,
                                                                        size: tuple[int, int]) -> None:
    """Approving a rotation reminder queues its supervisor draft; `a` stayed offered on that reminder, and a second
    yes ended in "the draft of reminder N is already pending"."""
    from imgcoach.reminders import list_reminders

    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "o")
        screen = app.screen
        assert isinstance(screen, OutboxScreen)
        await press(pilot, *["down"] * first_rotation_row(screen))
        first = screen.selected_id()
        assert first is not None and screen.reminders[first].kind == FIRST
        assert screen.check_action("approve", ()) is True
        await press(pilot, "A")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "y")
        drafts = [r for r in list_reminders(demo_ctx) if (r.payload or {}).get("draft_of") == first]
        assert [d.status for d in drafts] == ["pending"], "approved: the draft is queued"
        assert app.screen is screen and screen.selected_id() == first
        assert screen.check_action("approve", ()) is False, "nothing left to approve on it"
        await press(pilot, "A")
        assert app.screen is screen, "A does nothing there"


@SIZES
async def test_the_approve_dialog_names_the_reminder_and_its_rotation(demo_ctx: Context,
                                                                      size: tuple[int, int]) -> None:
    """The dialog said "“Ask for feedback” due 23 Nov 2026 09:00": the demo has that reminder for three
    rotations, so which supervisor would be written to was not said."""
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "o")
        assert isinstance(app.screen, OutboxScreen)
        await press(pilot, *["down"] * first_rotation_row(app.screen), "A")
        assert isinstance(app.screen, ConfirmScreen)
        message = " ".join(str(app.screen.message).split())
        assert "“Ask for a letter”" in message and ROTATION in message, message
        assert "read it first with v" in message, "asked from the list: v shows the e-mail (it does, on the Outbox)"


@SIZES
async def test_the_status_column_keeps_its_place_on_the_selected_row(demo_ctx: Context,
                                                                     size: tuple[int, int]) -> None:
    """Each row in turn selected (↓): its status starts under the "Status" header, as every other row's does."""
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "o")
        table = app.screen.query_one(DataTable)
        words = ("overdue", "pending", "failed", "sent", "sending", "missed", "cancelled", "unconfirmed", "to approve")
        column = table.render_line(0).text.index("Status")
        rows = min(table.row_count, table.size.height - 1)
        assert rows > 3
        for n in range(rows):
            assert table.cursor_row == n
            for y in range(1, rows + 1):
                line = table.render_line(y).text
                assert any(line[column:].startswith(f"{word} ") for word in words), (n, y, line)
                assert line[column - 1] == " ", (n, y, line)
            await press(pilot, "down")


@SIZES
async def test_a_is_not_offered_where_no_supervisor_has_an_address(demo_ctx: Context, size: tuple[int, int]) -> None:
    """The demo's Harbor Street rotation has no supervisor: `a` was offered on its four reminders and every yes
    ended in "the rotation's supervisor has no e-mail address"."""
    from imgcoach.reminders import list_reminders

    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "o")
        screen = app.screen
        assert isinstance(screen, OutboxScreen)
        order = list(screen.reminders)
        harbor = [n for n, rid in enumerate(order)
                     if "Harbor Street" in screen.names.get(screen.reminders[rid].rotation_id, "")]
        assert harbor, "the demo has reminders for the Harbor Street rotation"
        await press(pilot, *["down"] * harbor[0])
        assert screen.check_action("approve", ()) is False
        await press(pilot, "A")
        assert app.screen is screen, "A does nothing there"
        before = len(list_reminders(demo_ctx))
        await press(pilot, *["up"] * (harbor[0] - first_rotation_row(screen)))  # a supervisor with an address
        assert screen.check_action("approve", ()) is True
        assert len(list_reminders(demo_ctx)) == before


async def test_a_is_not_offered_on_a_failed_reminder_whose_draft_is_queued(demo_ctx: Context) -> None:
    """The Outbox reads only the rows of the status shown: under "failed" the queued (pending) draft is not among
    them, and the approve rule must still see it (reminders.outbox_view reads every queued draft), or `a` is offered for an error."""
    from sqlalchemy import text

    from imgcoach.reminders import approve_draft, list_reminders

    first = next(r for r in list_reminders(demo_ctx, "pending") if r.kind == FIRST)
    assert first.id is not None
    approve_draft(demo_ctx, first.id)  # its supervisor draft is queued (pending)
    with demo_ctx.db.engine.begin() as conn:  # the reminder itself then failed to reach the applicant
        conn.execute(text("UPDATE reminder SET status = 'failed', attempts = 3 WHERE id = :id"), {"id": first.id})
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "o", "F")
        screen = app.screen
        assert isinstance(screen, OutboxScreen) and screen.filter == "failed"
        await pilot.pause()
        assert screen.selected_id() == first.id, screen.reminders
        assert screen.check_action("approve", ()) is False
