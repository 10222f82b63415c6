"""A stopped daemon's delivery target is said in the past: where the last one delivered, not where mail "goes".

Found walking README on a fresh clone (readme51): after a `daemon --once` to the local mailbox, the SMTP variables
were set and `mail test` sent through SMTP, yet `daemon status` still said "delivers to local mailbox ...", the
present tense of a daemon no longer running, read as what one started now would do. A running daemon's target is
still said in the present (test_daemon_words40). Real SQLite/PostgreSQL, the CLI in-process, the app's Outbox.
"""

from __future__ import annotations

import pytest
from textual.widgets import Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli, run_command
from tests.tui_helpers import SIZE, app_for, press


async def test_after_the_daemon_stopped_its_target_is_in_the_past(demo_ctx: Context, cli_clock: FixedClock,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    ran = run_cli(capsys, "daemon", "--once", "--db", demo_ctx.db.url)
    assert ran.code == 0, ran.err
    status = run_cli(capsys, "daemon", "status", "--db", demo_ctx.db.url).out
    assert run_command(capsys, "daemon", "status", "--db", demo_ctx.db.url).out == status, "the quick read alike"
    listed = run_cli(capsys, "reminders", "list", "--db", demo_ctx.db.url).out.splitlines()[0]
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "o")
        outbox_line = str(pilot.app.screen.query_one("#outbox-daemon", Static).render())
    for text in (status, listed, outbox_line):
        assert "NOT running" in text and "delivers to" not in text, text
        assert "the last daemon delivered to local mailbox" in " ".join(text.split()), text
    assert run_cli(capsys, "daemon", "status", "--json", "--db", demo_ctx.db.url).json()["delivers_to"].startswith(
        "local mailbox"), "--json keeps the value: scripts read the field, not the words"
