"""A pending reminder past its expiry is not "overdue: start the daemon" (found walking the daemon over a real rotation).

With the daemon off for two weeks, `reminders list` called a weekly digest past its Wednesday expiry "pending,
OVERDUE" and its first line said "2 overdue: start `imgcoach daemon` or run `imgcoach daemon --once`"; the run that
followed sent one and marked the digest missed, "expired before it could be sent". The list, `daemon status` (both
read paths), the Outbox and the timeline's Next up now say it expired and will not be sent. Real SQLite/PostgreSQL,
the real CLI, the app under Pilot, the injected clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from textual.widgets import DataTable, OptionList, Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.locations import data_dir
from imgcoach.plan.rotations import add_rotation
from imgcoach.reminders import digest as service
from imgcoach.reminders import outbox
from imgcoach.reminders.daemon.daemon import ReminderDaemon
from imgcoach.reminders.daemon.worker import OutboxWorker
from imgcoach.reminders.mail.settings import MailSettings
from tests.cli_helpers import outbox_reads_on_both_paths, run_cli
from tests.tui_helpers import app_for, press, settle


def _off_for_two_weeks(ctx: Context, clock: FixedClock) -> None:
    """A rotation entered on 17 February, 22 February to 21 March, and no daemon since but one pass of the digest
    task on Monday 22 March; now Saturday 3 April. Expired: the feedback (due 8 March, of no use after the rotation)
    and the digest (end of Wednesday 24 March); not yet: the letter reminders and the thank-you (due 23 March). The
    letter window's opening is superseded by its last call, due too (tests/test_superseded_not_overdue43.py)."""
    clock.set(datetime(2027, 2, 17, 16, tzinfo=UTC))
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy Hospital (synthetic)",
                 start_date=date(2027, 2, 22), end_date=date(2027, 3, 21))
    clock.set(datetime(2027, 3, 22, 12, tzinfo=UTC))  # Monday 08:00 EDT
    assert service.ensure_weekly_digests(ctx).created == ["digest:1:2027-03-22"]
    clock.set(datetime(2027, 4, 3, 14, tzinfo=UTC))


def test_reminders_list_and_daemon_status_say_an_expired_reminder_will_not_be_sent(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    _off_for_two_weeks(ctx, cli_clock)
    db = ctx.db.url
    for listed, rows, status, status_text in outbox_reads_on_both_paths(capsys, db):  # the two paths say the same
        said = {r["kind"]: (r["overdue"], r["expired"]) for r in rows}
        assert said == {"mid_rotation_feedback": (False, True), "weekly_digest": (False, True),
                        "letter_request_open": (False, False), "letter_request_last_call": (True, False),
                        "thank_you": (True, False)}, said
        first = listed.out.splitlines()[0]
        assert "; 2 overdue: start `imgcoach daemon`" in first, first
        assert "2 expired: past the last day they were useful, they will not be sent" in first, first
        for name in ("Weekly digest", "Ask for feedback"):
            (line,) = [x for x in listed.out.splitlines() if name in x]
            assert "pending, EXPIRED: will not be sent" in line and "OVERDUE" not in line, line
        assert (status["overdue"], status["expired"], status["pending"]) == (2, 2, 5)
        assert "overdue: 2  expired: 2" in status_text, status_text
    # What the daemon then does matches what was said: the thank-you goes (late), the digest is marked missed.
    settings = MailSettings(maildir=data_dir() / "Maildir", sender="reminders@example.org")
    ReminderDaemon(OutboxWorker(ctx, settings), cli_clock, tasks=[]).run_once()
    after = {r["kind"]: r["status"] for r in run_cli(capsys, "reminders", "list", "--db", db, "--json").json()}
    assert after["weekly_digest"] == after["mid_rotation_feedback"] == "missed"
    assert after["thank_you"] == after["letter_request_last_call"] == "sent"
    assert after["letter_request_open"] == "cancelled"


async def test_the_outbox_and_next_up_do_not_call_an_expired_reminder_overdue(ctx: Context, clock: FixedClock) -> None:
    _off_for_two_weeks(ctx, clock)
    assert outbox.daemon_status(ctx, clock.now(), mine=True).counts["expired"] == 2
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed = pilot.app.screen.query_one("#next-list", OptionList)
        first = str(listed.get_option_at_index(0).prompt)
        assert "2 overdue, 2 expired" in first, first
        await press(pilot, "o")
        await settle(pilot)
        table = pilot.app.screen.query_one(DataTable)
        labels = {str(table.get_row_at(i)[1]): str(table.get_row_at(i)[3]) for i in range(table.row_count)}
        line = str(pilot.app.screen.query_one("#outbox-daemon", Static).render())
    assert labels["Weekly digest"] == labels["Ask for feedback"] == "expired", labels
    assert labels["Thank-you note"] == "overdue", labels
    assert "; 2 overdue: start `imgcoach daemon`" in line and "2 expired" in line, line


def test_one_missed_email_is_it_not_they() -> None:
    """`daemon --once` said "missed: 1 e-mail (1 weekly digest) expired before they could be sent"."""
    from imgcoach.reminders.kinds import missed_words

    assert missed_words({"digest": 1}) == "1 e-mail (1 weekly digest) expired before it could be sent"
    assert missed_words({"reminder": 1}) == "1 reminder expired before it could be sent"
    assert missed_words({"reminder": 1, "digest": 1}) == ("2 e-mails (1 reminder, 1 weekly digest) expired before "
                                                          "they could be sent")
