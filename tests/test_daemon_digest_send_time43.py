"""The weekly digest lists the week as it is when it is sent (found walking the daemon over a real rotation).

The daemon refreshed a pending digest's list once an hour only. A rotation's end moved at 08:30 brought its feedback
and letter reminders into the week, and the digest sent at 09:00 still said "Nothing is scheduled this week", the
list of its 08:10 pass. Real SQLite file, the loopback SMTP server, the injected clock; the maintenance tasks as the
long-running daemon has them (the digest task ran at start, an hour is not up at 09:00).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from imgcoach.composition import daemon_tasks
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.locations import data_dir
from imgcoach.plan.people import add_contact
from imgcoach.plan.rotations import add_rotation, edit_rotation
from imgcoach.reminders.daemon.daemon import ReminderDaemon
from imgcoach.reminders.daemon.worker import OutboxWorker
from imgcoach.reminders.mail.settings import MailSettings, SmtpSettings
from tests.smtp_server import SmtpServer


def _text(server: SmtpServer, subject_start: str) -> str:
    (mail,) = [r.message for r in server.received if str(r.message["Subject"]).startswith(subject_start)]
    return mail.get_body(("plain",)).get_content().replace("\r\n", "\n")


def test_a_digest_sent_after_a_rotation_edit_lists_the_reminders_the_edit_moved_into_its_week(
        ctx: Context, clock: FixedClock) -> None:
    clock.set(datetime(2027, 4, 1, 16, tzinfo=UTC))  # Thursday before
    # 5 April to 16 May: the feedback falls on Mon 26 April, outside the week of 19 April
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Lakeside General (synthetic)", start_date=date(2027, 4, 5),
                            end_date=date(2027, 5, 16)).id
    assert rotation is not None
    add_contact(ctx, "Dr. Jane Okafor", rotation_id=rotation, role="supervisor", email="jane.okafor@hospital.example")
    clock.set(datetime(2027, 4, 19, 12, 10, tzinfo=UTC))  # Monday 08:10 EDT: the daemon starts
    with SmtpServer() as server:
        settings = MailSettings(maildir=data_dir() / "Maildir", sender="reminders@example.org",
                                smtp=SmtpSettings(host=server.host, port=server.port, security="none", timeout=5))
        daemon = ReminderDaemon(OutboxWorker(ctx, settings), clock, tasks=daemon_tasks(ctx))
        daemon.worker.start(clock.now())
        try:
            daemon.wake()  # the start-up pass: this week's digest row, nothing in it yet
            assert server.received == []
            clock.set(datetime(2027, 4, 19, 12, 30, tzinfo=UTC))  # 08:30: the real end is 9 May
            edit_rotation(ctx, rotation, end_date=date(2027, 5, 9))  # feedback Thu 22 April, letter Fri 23 April
            clock.set(datetime(2027, 4, 19, 13, 0, tzinfo=UTC))  # 09:00 EDT: the digest is due, the hour is not up
            daemon.wake()
        finally:
            daemon.worker.stop(clock.now())
    text = _text(server, "Weekly digest: 19 April 2027")
    assert "Nothing is scheduled this week." not in text, text
    assert "- Thu 22 April 2027, 09:00 EDT: Ask for feedback (Internal Medicine, Lakeside General (synthetic))" in text
    assert "- Fri 23 April 2027, 09:00 EDT: Ask for a letter" in text
