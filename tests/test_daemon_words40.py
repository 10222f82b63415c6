"""One state, one set of words: `daemon status` said "daemon:   not running" and "last checked the outbox: never"
while `reminders list` and the app's Outbox said "daemon: NOT running (last heartbeat never)". All three now open
with DaemonStatus.state_line; `daemon status --json` keeps its keys. The moment in it is written as each face writes
moments: the CLI's "2026-11-25 08:59 EST", the app's "25 Nov 2026 08:59" (tui.dates.moment).
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import get_profile
from imgcoach.reminders import outbox
from imgcoach.tui import dates
from tests.cli_helpers import run_cli, run_command
from tests.tui_helpers import SIZE, app_for, press

JSON_KEYS = {"running", "daemons", "last_run_at", "last_heartbeat_at", "last_error", "last_error_at", "paused_until",
             "delivers_to"}


def _first_lines(ctx: Context, capsys: pytest.CaptureFixture[str]) -> tuple[str, str, str]:
    status = run_cli(capsys, "daemon", "status", "--db", ctx.db.url)
    listed = run_cli(capsys, "reminders", "list", "--db", ctx.db.url)
    quick = run_command(capsys, "daemon", "status", "--db", ctx.db.url)
    assert status.code == listed.code == quick.code == 0 and quick.out == status.out
    return status.out.splitlines()[0], listed.out.splitlines()[0], status.out


async def _outbox_line(ctx: Context) -> str:
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "o")
        return str(pilot.app.screen.query_one("#outbox-daemon", Static).render())


async def test_no_daemon_is_said_in_the_same_words_everywhere(demo_ctx: Context, cli_clock: FixedClock,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    status, listed, _ = _first_lines(demo_ctx, capsys)
    app = await _outbox_line(demo_ctx)
    assert status == "daemon: NOT running (last checked the outbox: never)", status
    assert listed.startswith(status) and app.startswith(status), (listed, app)


async def test_a_running_daemon_is_said_in_the_same_words_everywhere(demo_ctx: Context, cli_clock: FixedClock,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    owner = outbox.new_owner()  # this process: alive, on this host
    outbox.register_daemon(demo_ctx, owner, cli_clock.now() - timedelta(seconds=5), 5.0, "the local Maildir")
    status, listed, text = _first_lines(demo_ctx, capsys)
    app = await _outbox_line(demo_ctx)
    assert status.startswith("daemon: running (last checked the outbox: ") and "never" not in status, status
    # The same words; the moment as each face writes moments (stop 49: the app's Outbox writes it as its rows do).
    profile = get_profile(demo_ctx)
    assert profile is not None
    looked = (cli_clock.now() - timedelta(seconds=5)).astimezone(ZoneInfo(profile.timezone))
    assert listed.startswith(status) and status.endswith(f"{looked:%Y-%m-%d %H:%M %Z})"), (listed, status)
    assert app.startswith(f"daemon: running (last checked the outbox: {dates.moment(looked)})"), app
    assert f"process: {owner}" in text and "delivers to the local Maildir" in text, text
    assert set(run_cli(capsys, "daemon", "status", "--db", demo_ctx.db.url, "--json").json()) >= JSON_KEYS
