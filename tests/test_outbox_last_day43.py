"""The Outbox says the last day a reminder is still sent, in the applicant's days, as the e-mails' `expires` is.

Found in stop 43 (the daemon walk): the preview's line read "useful until 05 Apr 2027 00:00" beside "Due ...
09:00 IST": an instant with no zone, the midnight after the last day on which the daemon still sends it.
"""

from __future__ import annotations

from textual.widgets import Static

from imgcoach.core.context import Context
from imgcoach.tui.screens.outbox_screen import OutboxScreen
from tests.tui_helpers import app_for, press, settle


async def test_the_preview_names_the_last_day_it_is_sent(demo_ctx: Context) -> None:
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from imgcoach.plan import get_profile
    from imgcoach.reminders import list_reminders
    from imgcoach.tui import dates

    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "o")
        screen = app.screen
        assert isinstance(screen, OutboxScreen)
        row = next(n for n, rid in enumerate(screen.reminders) if screen.reminders[rid].expires_at is not None)
        await press(pilot, *["down"] * row)
        await app.workers.wait_for_complete()
        await settle(pilot)
        rid = screen.selected_id()
        shown = str(screen.query_one("#outbox-preview", Static).render())
    reminder = next(r for r in list_reminders(demo_ctx) if r.id == rid)
    assert reminder.expires_at is not None
    profile = get_profile(demo_ctx)
    assert profile is not None
    # The instant it stops being sent is a local midnight: the day before it is the last one.
    last = (reminder.expires_at.astimezone(ZoneInfo(profile.timezone)) - timedelta(seconds=1)).date()
    assert f" · not sent after {dates.day(last)} · to " in shown, shown
    assert "useful until" not in shown and "00:00 ·" not in shown
