"""A delivery problem that later deliveries got past is not shown as the current one.

Found by walking the daemon as a cron user: a wrong password paused delivery ("login refused ... check smtp.user
and the password, then `imgcoach mail test`"); the password was fixed and the next `daemon --once` delivered
everything, yet `reminders list` and the app's Outbox went on printing that problem and its advice on their
status line, for as long as no daemon ran continuously: it read as if delivery were still refused. Real
SQLite/PostgreSQL, a real loopback SMTP server, time from a FixedClock."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.reminders import outbox
from tests.cli_helpers import run_cli
from tests.daemon_helpers import add_due_reminders, add_supervised_rotation, send_due_once
from tests.smtp_server import SmtpServer

NY = ZoneInfo("America/New_York")
REFUSED = "554 5.7.1 relay access denied"


def _line(ctx: Context, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """The status line of `reminders list` (quick read) and of the Outbox (the full path)."""
    listed = run_cli(capsys, "reminders", "list", "--db", ctx.db.url)
    assert listed.code == 0, listed.err
    return listed.out.splitlines()[0], outbox.daemon_status(ctx, ctx.clock.now(), mine=True).summary(NY)


def test_a_problem_delivery_got_past_leaves_the_status_line(
        ctx: Context, clock: FixedClock, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    add_due_reminders(ctx, add_supervised_rotation(ctx), 3, due=clock.now() - timedelta(minutes=1))
    with SmtpServer() as server:
        server.handler.data_replies.append(REFUSED)
        assert send_due_once(ctx, server) == 0  # cron at 09:00: delivery paused
        for line in _line(ctx, capsys):
            assert "last problem (2026-11-25 09:00 EST): delivery paused" in line and REFUSED in line, line
        clock.advance(timedelta(minutes=5))
        assert send_due_once(ctx, server) == 3  # cron at 09:05, the cause fixed: everything delivered
    for line in _line(ctx, capsys):
        assert "last problem" not in line and REFUSED not in line, line
    report = run_cli(capsys, "daemon", "status", "--db", ctx.db.url)
    assert ("last problem (2026-11-25 09:00 EST; delivered since, last at 2026-11-25 09:05 EST): "
            "delivery paused") in report.out, report.out
    status = run_cli(capsys, "daemon", "status", "--db", ctx.db.url, "--json").json()
    assert REFUSED in status["last_error"] and status["last_delivered_at"] == "2026-11-25T09:05:00-05:00"
