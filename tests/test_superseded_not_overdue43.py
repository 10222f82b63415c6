"""An "Ask for a letter" that its last call supersedes is not "overdue: start the daemon" (found walking the daemon).

A two-week observership (2 to 13 November) entered before it began, and no daemon until Wednesday 11 November: its
letter window opened on Monday and its last call fell due on Tuesday. A daemon's run sends the last call alone and
cancels the opening (outbox.supersede_letter_openings). Until then `reminders list` called the opening "pending,
OVERDUE" and its first line counted it in "overdue: start `imgcoach daemon`"; so did `daemon status` (both read
paths), the Outbox and the timeline's Next up. Real SQLite/PostgreSQL, the real CLI, the app under Pilot, the
injected clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from textual.widgets import DataTable, OptionList, Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.locations import data_dir
from imgcoach.plan.rotations import add_rotation
from imgcoach.reminders import outbox
from imgcoach.reminders.daemon.daemon import ReminderDaemon
from imgcoach.reminders.daemon.worker import OutboxWorker
from imgcoach.reminders.mail.settings import MailSettings
from tests.cli_helpers import outbox_reads_on_both_paths, run_cli
from tests.tui_helpers import app_for, press, settle


def _off_through_the_window(ctx: Context, clock: FixedClock) -> None:
    clock.set(datetime(2026, 10, 20, 14, tzinfo=UTC))
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Bayview (synthetic)",
                 start_date=date(2026, 11, 2), end_date=date(2026, 11, 13), hours_per_week=40)
    clock.set(datetime(2026, 11, 11, 15, tzinfo=UTC))  # Wednesday 10:00 EST


def test_reminders_list_and_daemon_status_say_the_last_call_goes_instead(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    _off_through_the_window(ctx, cli_clock)
    db = ctx.db.url
    for listed, rows, status, status_text in outbox_reads_on_both_paths(capsys, db):  # the two paths say the same
        said = {r["kind"]: (r["overdue"], r.get("superseded")) for r in rows if r["status"] == "pending"}
        assert said["letter_request_open"] == (False, True), said
        assert said["letter_request_last_call"] == (True, False), said
        overdue = sum(1 for o, _ in said.values() if o)
        first = listed.out.splitlines()[0]
        assert f"; {overdue} overdue: start `imgcoach daemon`" in first, first
        assert "1 “Ask for a letter” not to be sent: its last call is due too and goes instead" in first, first
        (line,) = [x for x in listed.out.splitlines() if "Ask for a letter" in x and "Rotation" not in x][-1:]
        assert "pending, SUPERSEDED: will not be sent, the last call goes instead" in line, line
        assert "OVERDUE" not in line, line
        assert (status["overdue"], status["superseded"]) == (overdue, 1), status
        assert f"overdue: {overdue}  expired: 0  superseded: 1" in status_text, status_text
    # What the daemon then does matches what was said: the last call goes, the opening is cancelled.
    settings = MailSettings(maildir=data_dir() / "Maildir", sender="reminders@example.org")
    ReminderDaemon(OutboxWorker(ctx, settings), cli_clock, tasks=[]).run_once()
    after = {r["kind"]: r["status"] for r in run_cli(capsys, "reminders", "list", "--db", db, "--json").json()}
    assert (after["letter_request_open"], after["letter_request_last_call"]) == ("cancelled", "sent"), after


async def test_the_outbox_and_next_up_do_not_call_a_superseded_opening_overdue(ctx: Context, clock: FixedClock) -> None:
    _off_through_the_window(ctx, clock)
    status = outbox.daemon_status(ctx, clock.now(), mine=True)
    assert status.counts["superseded"] == 1
    overdue = status.counts["overdue"]
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed = pilot.app.screen.query_one("#next-list", OptionList)
        first = str(listed.get_option_at_index(0).prompt)
        assert f"{overdue} overdue" in first and "superseded" not in first, first
        await press(pilot, "o")
        await settle(pilot)
        table = pilot.app.screen.query_one(DataTable)
        labels = {str(table.get_row_at(i)[1]): str(table.get_row_at(i)[3]) for i in range(table.row_count)}
        line = str(pilot.app.screen.query_one("#outbox-daemon", Static).render())
    assert labels["Ask for a letter"] == "superseded", labels
    assert labels["Letter: last call"] == "overdue", labels
    assert f"; {overdue} overdue: start `imgcoach daemon`" in line and "goes instead" in line, line
