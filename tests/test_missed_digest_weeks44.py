"""Every Monday a daemon down for weeks did not send a digest is recorded missed, at most eight (stop 44).

A daemon ran on Wednesday 25 November; the machine was then off until a Thursday weeks later. Only the week before
the one prepared then was recorded missed: five of six Mondays without a digest had no row and no word, and
`daemon status` counted one missed. Each is now recorded missed, saying why, back to the last week with a digest;
at most MISSED_WEEKS_LISTED, the oldest listed saying that the weeks before it are not. Real SQLite/PostgreSQL, the
real CLI, the injected clock.
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

WHY = "(no daemon ran then, or the profile had no e-mail address)"


def _digests(capsys: pytest.CaptureFixture[str], db: str) -> dict[str, tuple[str, str]]:
    rows = run_cli(capsys, "reminders", "list", "--db", db, "--json").json()
    return {r["due_at"][:10]: (r["status"], r["note"]) for r in rows if r["kind"] == "weekly_digest"}


def test_each_monday_of_weeks_off_is_recorded_missed(ctx: Context, cli_clock: FixedClock,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    with SmtpServer() as server:  # a daemon ran on Wednesday 25 November, after that week's Monday
        send_due_once(ctx, server)
    cli_clock.set(datetime(2027, 1, 7, 15, tzinfo=UTC))  # Thursday 10:00 EST, six Mondays later
    assert ensure_weekly_digests(ctx).created == ["digest:1:2027-01-11"]
    digests = _digests(capsys, ctx.db.url)
    missed = {day: note for day, (status, note) in digests.items() if status == "missed"}
    assert sorted(missed) == ["2026-11-30", "2026-12-07", "2026-12-14", "2026-12-21", "2026-12-28", "2027-01-04"]
    assert missed["2026-12-14"] == ("not made: nothing made it between 2026-12-14 09:00 EST and the end of 16 Dec "
                                    f"2026 {WHY}")
    assert digests["2027-01-11"][0] == "pending" and len(digests) == 7, digests  # none of 23 Nov: no daemon yet
    status = run_cli(capsys, "daemon", "status", "--db", ctx.db.url, "--json").json()
    assert status["missed"] == 6
    listed = run_cli(capsys, "reminders", "list", "--db", ctx.db.url).out
    assert sum(1 for line in listed.splitlines() if "Weekly digest" in line and "missed" in line) == 6, listed
    assert ensure_weekly_digests(ctx).created == []  # made once
    assert len(_digests(capsys, ctx.db.url)) == 7


def test_at_most_eight_weeks_are_listed_and_the_oldest_says_so(ctx: Context, cli_clock: FixedClock,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from imgcoach.reminders.digest import MISSED_WEEKS_LISTED

    with SmtpServer() as server:
        send_due_once(ctx, server)
    cli_clock.set(datetime(2027, 2, 25, 15, tzinfo=UTC))  # Thursday 10:00 EST, thirteen Mondays later
    assert ensure_weekly_digests(ctx).created == ["digest:1:2027-03-01"]
    missed = {day: note for day, (status, note) in _digests(capsys, ctx.db.url).items() if status == "missed"}
    assert MISSED_WEEKS_LISTED == 8
    assert sorted(missed) == ["2027-01-04", "2027-01-11", "2027-01-18", "2027-01-25", "2027-02-01", "2027-02-08",
                              "2027-02-15", "2027-02-22"]
    assert missed["2027-01-04"] == ("not made: nothing made it between 2027-01-04 09:00 EST and the end of 06 Jan "
                                    f"2027 {WHY}; the weeks before it were not made either and are not listed (at "
                                    "most 8 are)")
    assert missed["2027-01-11"].endswith(WHY)


def test_no_week_before_the_first_daemon_is_recorded(ctx: Context, clock: FixedClock) -> None:
    """Nothing could have sent a digest before any daemon ran: none of those weeks is missed."""
    from imgcoach.reminders.sync import list_reminders

    clock.set(datetime(2027, 1, 7, 15, tzinfo=UTC))
    assert ensure_weekly_digests(ctx).created == ["digest:1:2027-01-11"]
    assert [r.key for r in list_reminders(ctx) if r.kind == "weekly_digest"] == ["digest:1:2027-01-11"]
