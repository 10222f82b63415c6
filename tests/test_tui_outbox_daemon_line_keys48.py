"""At 80x24 the Outbox's daemon line takes up to 8 rows, then scrolls (stop 47): a paused daemon's long server
error (a provider's multi-line refusal) went on below those rows, reachable by the mouse wheel only. The line now
takes the focus on shift+Tab from the list when it runs past its rows, says so on its edge, and scrolls with the
keys (↓, End); Tab goes back to the list. A line that fits is no stop on Tab. Pilot, keyboard only, both engines."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, Static

from imgcoach.core.context import Context
from imgcoach.reminders import outbox
from tests.test_calendar_tui import text
from tests.tui_helpers import app_for, press

# An Exchange Online refusal as its servers write it, with the advice that follows it: some 900 characters.
REFUSAL = ("delivery paused: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
           "Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. " + " ".join(
               f"[BN{n}PR11CA00{n}.namprd11.prod.outlook.com {n:02d}-12-2026T04:00:00.000Z 08DD1A2B3C4D5E6F]"
               for n in range(1, 9)) + " (check the account's SMTP AUTH setting): the end of the error")


def _paused(ctx: Context, problem: str) -> None:
    owner = outbox.new_owner()
    now = ctx.clock.now()
    outbox.register_daemon(ctx, owner, now, 5.0, "e-mail via smtp.office365.com:587")
    outbox.record_problem(ctx, owner, now, problem, paused_until=now + timedelta(minutes=5))


async def test_a_long_daemon_line_is_read_to_its_end_by_keyboard(demo_ctx: Context) -> None:
    _paused(demo_ctx, REFUSAL)
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "o")
        line = app.screen.query_one("#outbox-daemon", Static)
        assert str(line.render()).endswith("the end of the error"), "the whole error is the line's"
        assert "the end of the error" not in " ".join(text(app).split())  # past its 8 rows
        assert isinstance(app.focused, DataTable)
        assert "shift+tab: read the whole line · 10 more lines" in text(app)
        await press(pilot, "shift+tab")
        pane = app.focused
        assert pane is not None and line in pane.children, pane
        assert "tab: back to the list · 10 more lines" in text(app)
        await press(pilot, "down")
        assert "tab: back to the list · 9 more lines" in text(app)
        await press(pilot, "end")
        assert "the end of the error" in " ".join(text(app).split())
        await press(pilot, "tab")
        assert isinstance(app.focused, DataTable)
        assert "shift+tab: read the whole line" in text(app)


async def test_a_daemon_line_that_fits_is_no_stop_on_tab(demo_ctx: Context) -> None:
    _paused(demo_ctx, "delivery paused: 535 5.7.8 Username and Password not accepted")
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "o")
        line = app.screen.query_one("#outbox-daemon", Static)
        assert "Password not accepted" in " ".join(text(app).split()) and "read the whole line" not in text(app)
        await press(pilot, "shift+tab")
        assert app.focused is not line and app.focused not in line.ancestors
