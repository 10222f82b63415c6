"""The Outbox's daemon line writes its moments as every other moment in the app ("25 Nov 2026 09:00", the applicant's
zone: tui.dates.moment), not the CLI's "2026-11-25 09:00 EST" (issue 15: one date format per kind across screens).
The rows above it and the preview below said "25 Nov 2026 09:00"; the line between them said the same moment in ISO."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from textual.widgets import Static

from imgcoach.core.context import Context
from imgcoach.plan import get_profile, save_profile
from imgcoach.reminders import outbox
from imgcoach.tui import dates
from tests.tui_helpers import app_for, press

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _paused(ctx: Context) -> tuple[object, object]:
    """A daemon that looked just now and paused delivery for five minutes after a refusal: three moments in its line."""
    owner = outbox.new_owner()
    now = ctx.clock.now()
    outbox.register_daemon(ctx, owner, now, 5.0, "e-mail via smtp.example.org:587")
    outbox.record_problem(ctx, owner, now, "delivery paused: 535 login refused", paused_until=now + timedelta(minutes=5))
    return now, now + timedelta(minutes=5)


async def test_the_daemon_line_writes_moments_the_apps_way_in_the_applicants_zone(demo_ctx: Context) -> None:
    # A zone other than the demo's, half an hour off UTC: the moment is the applicant's, not UTC's nor the machine's.
    save_profile(demo_ctx, timezone="Asia/Kolkata")
    now, until = _paused(demo_ctx)
    zone = ZoneInfo("Asia/Kolkata")
    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "o")
        line = str(app.screen.query_one("#outbox-daemon", Static).render())
        assert not ISO_DAY.search(line), line
        assert f"last checked the outbox: {dates.moment(now, zone)})" in line, line  # type: ignore[arg-type]
        assert f"PAUSED until {dates.moment(until, zone)}" in line, line  # type: ignore[arg-type]
        assert f"last problem ({dates.moment(now, zone)})" in line, line  # type: ignore[arg-type]
        assert "25 Nov 2026 19:30" in line  # 14:00 UTC in Kolkata


def test_the_cli_keeps_its_own_spelling_of_the_daemon_line(demo_ctx: Context) -> None:
    """`reminders list` (and `daemon status`) keep the CLI's moment, with its zone: a guard."""
    now, _ = _paused(demo_ctx)
    profile = get_profile(demo_ctx)
    assert profile is not None
    zone = ZoneInfo(profile.timezone)
    status = outbox.daemon_status(demo_ctx, demo_ctx.clock.now(), mine=True)
    line = status.summary(zone)
    assert f"last checked the outbox: {now.astimezone(zone):%Y-%m-%d %H:%M %Z})" in line, line  # type: ignore[attr-defined]
