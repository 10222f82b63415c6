"""A week whose digest was never made says so (found walking the daemon with the machine asleep).

A daemon ran on Wednesday 25 November; the machine then slept from Monday 30 November to Thursday 3 December.
From Thursday the digest task prepares the next week's digest (its week's expired at the end of Wednesday), so the
week of 30 November had no digest row at all: not missed, not anywhere, and nothing said so. Its week is now
recorded *missed*, saying why, when the next week's is made: `reminders list` shows it and `daemon status` counts
it. A week that nothing could have sent (the profile made later) is not. Real SQLite/PostgreSQL, the real CLI, the
injected clock.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.reminders.digest import ensure_weekly_digests
from tests.cli_helpers import run_cli
from tests.daemon_helpers import send_due_once
from tests.smtp_server import SmtpServer

THURSDAY_10_EST = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


def test_a_week_the_machine_slept_through_is_recorded_missed(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    with SmtpServer() as server:  # a daemon ran on Wednesday 25 November
        send_due_once(ctx, server)
    cli_clock.set(THURSDAY_10_EST)
    assert ensure_weekly_digests(ctx).created == ["digest:1:2026-12-07"]
    rows = run_cli(capsys, "reminders", "list", "--db", ctx.db.url, "--json").json()
    digests = {r["due_at"][:10]: (r["status"], r["note"]) for r in rows if r["kind"] == "weekly_digest"}
    assert digests == {
        "2026-11-30": ("missed", "not made: nothing made it between 2026-11-30 09:00 EST and the end of 02 Dec 2026 "
                                 "(no daemon ran then, or the profile had no e-mail address)"),
        "2026-12-07": ("pending", "Your week ahead, 07 Dec 2026 to 13 Dec 2026"),
    }, digests
    status = run_cli(capsys, "daemon", "status", "--db", ctx.db.url, "--json").json()
    assert status["missed"] == 1
    # made once: the next pass finds next week's row and leaves the missed one as it is
    assert ensure_weekly_digests(ctx).created == []
    again = run_cli(capsys, "reminders", "list", "--db", ctx.db.url, "--json").json()
    assert sum(1 for r in again if r["kind"] == "weekly_digest") == 2


def test_a_week_before_the_profile_was_made_is_not_recorded(empty_ctx: Context, clock: FixedClock) -> None:
    from imgcoach.plan.profile import set_profile
    from imgcoach.reminders.sync import list_reminders

    clock.set(THURSDAY_10_EST)
    set_profile(empty_ctx, name="Test Applicant", email="applicant@example.com", timezone="America/New_York")
    assert ensure_weekly_digests(empty_ctx).created == ["digest:1:2026-12-07"]
    assert [r.key for r in list_reminders(empty_ctx)] == ["digest:1:2026-12-07"]


async def test_the_outbox_shows_the_unmade_week_missed(ctx: Context, clock: FixedClock) -> None:
    from textual.widgets import DataTable

    from tests.tui_helpers import app_for, press, settle

    with SmtpServer() as server:
        send_due_once(ctx, server)
    clock.set(THURSDAY_10_EST)
    ensure_weekly_digests(ctx)
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "o", "F", "F", "F")  # pending, failed, sent, all
        await settle(pilot)
        table = pilot.app.screen.query_one(DataTable)
        statuses = [(str(table.get_row_at(i)[1]), str(table.get_row_at(i)[3])) for i in range(table.row_count)]
        assert ("Weekly digest", "missed") in statuses, statuses
