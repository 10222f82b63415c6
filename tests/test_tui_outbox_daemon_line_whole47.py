"""At 80x24 the Outbox's daemon line is cut at three rows: with a daemon paused after a refused login, the last
problem read "delivery paused: 535 5.7.8 Username and" and the rest ("Password not accepted", what to fix) was not on
the screen, with nothing saying so. The line now takes the rows it needs (up to 8, then it scrolls). Pilot, on the
demo data (both engines)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Static

from imgcoach.core.context import Context
from imgcoach.reminders import outbox
from tests.test_calendar_tui import text
from tests.tui_helpers import app_for, press


@pytest.mark.parametrize("size", [(80, 24), (100, 32)])
async def test_the_daemon_line_is_on_screen_whole(demo_ctx: Context, size: tuple[int, int]) -> None:
    owner = outbox.new_owner()  # this process: a daemon alive, on this host
    now = demo_ctx.clock.now()
    outbox.register_daemon(demo_ctx, owner, now, 5.0, "e-mail via smtp.gmail.com:587")
    outbox.record_problem(demo_ctx, owner, now, "delivery paused: 535 5.7.8 Username and Password not accepted",
                          paused_until=now + timedelta(minutes=5))
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "o")
        line = str(app.screen.query_one("#outbox-daemon", Static).render())
        assert "PAUSED until" in line and line.endswith("535 5.7.8 Username and Password not accepted"), line
        shown = " ".join(text(app).split())
        assert " ".join(line.split()) in shown, shown
