"""A late reminder says why it is late, truly: planned after its time, an earlier try that failed, or no daemon.

Found by using it as a new applicant: a rotation entered on its 20th day got three e-mails at once, each
saying "sent only now, because the reminder daemon was not running then", though the daemon had run every
five minutes and the reminders did not exist before that afternoon. Real SQLite/PostgreSQL, a real loopback
SMTP server, time from a FixedClock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation, edit_rotation
from tests.daemon_helpers import add_due_reminders, add_supervised_rotation, send_due_once
from tests.smtp_server import Received, SmtpServer

NO_DAEMON = "because the reminder daemon was not running then"




def _text(received: Received) -> str:
    return received.message.get_body(("plain",)).get_content()


def _html(received: Received) -> str:
    return received.message.get_body(("html",)).get_content()


def test_a_rotation_entered_on_its_20th_day_does_not_blame_the_daemon(ctx: Context, clock: FixedClock) -> None:
    today = clock.now().date()  # 2026-11-25, 09:00 in New York
    add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="St. Luke (synthetic)",
                 start_date=today - timedelta(days=20), end_date=today + timedelta(days=8), hours_per_week=40)
    with SmtpServer() as server:
        sent = send_due_once(ctx, server)
    assert sent == len(server.received) >= 1  # the letter window at least: its time passed
    # Its mid-point had passed too: that reminder is recorded as not planned, not sent (rules.late_plan_reason).
    assert not any("Ask for feedback" in r.message["Subject"] for r in server.received)
    for received in server.received:
        assert received.message["Subject"].startswith("[late] ")
        text = " ".join(_text(received).split())
        assert NO_DAEMON not in text and NO_DAEMON not in _html(received)
        assert "because it was planned only on Wed 25 November 2026, 09:00 EST" in text, text[:400]
        assert "after that time had passed" in text and "after that time had passed" in _html(received)


def test_a_reminder_planned_ahead_and_missed_while_no_daemon_ran_says_so(ctx: Context, clock: FixedClock) -> None:
    start = clock.now().date() + timedelta(days=3)
    add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="St. Luke (synthetic)",
                 start_date=start, end_date=start + timedelta(weeks=4), hours_per_week=40)
    clock.advance(timedelta(days=18))  # past the midpoint; nothing ran meanwhile
    with SmtpServer() as server:
        assert send_due_once(ctx, server) >= 1
    (feedback,) = [r for r in server.received if "Ask for feedback" in r.message["Subject"]]
    assert feedback.message["Subject"].startswith("[late] ")
    assert NO_DAEMON in " ".join(_text(feedback).split())


def test_a_reminder_moved_into_the_past_says_when_it_was_moved(ctx: Context, clock: FixedClock) -> None:
    start = clock.now().date() + timedelta(days=30)
    rotation = add_rotation(ctx, kind="externship", specialty="Internal Medicine",
                            institution="St. Luke (synthetic)", start_date=start,
                            end_date=start + timedelta(weeks=4), hours_per_week=40)
    clock.advance(timedelta(days=2))
    # The hospital's letter says it ended 4 days ago: its thank-you day has passed, though it was ahead when added
    # (still reminded: within rules.LATE_THANK_YOU_DAYS of the end; the feedback's mid-point is not planned again).
    ended = clock.now().date() - timedelta(days=4)
    assert rotation.id is not None
    edit_rotation(ctx, rotation.id, start_date=ended - timedelta(weeks=4), end_date=ended)
    with SmtpServer() as server:
        assert send_due_once(ctx, server) >= 1
    (thanks,) = [r for r in server.received if "thank" in r.message["Subject"].lower()]
    text = " ".join(_text(thanks).split())
    assert NO_DAEMON not in text and "because it was planned only on" in text and "27 November 2026" in text


def test_a_reminder_sent_after_a_failed_try_says_an_attempt_did_not_go_through(ctx: Context,
                                                                              clock: FixedClock) -> None:
    rotation_id = add_supervised_rotation(ctx)
    add_due_reminders(ctx, rotation_id, 1, due=clock.now() + timedelta(minutes=1), prefix="tried")
    clock.advance(timedelta(minutes=2))
    with SmtpServer() as server:
        server.handler.data_replies.append("451 4.3.0 try again later")
        assert send_due_once(ctx, server) == 0
        clock.advance(timedelta(hours=1))
        assert send_due_once(ctx, server) == 1
    (received,) = server.received
    assert received.message["Subject"].startswith("[late] ")
    text = " ".join(_text(received).split())
    assert "because an earlier attempt to send it did not go through" in text and NO_DAEMON not in text


def _digest_text(ctx: Context) -> tuple[str, str]:
    """This week's digest as the daemon makes and sends it on starting (`daemon --once`: the digest task, then
    the outbox): its subject and its text."""
    from imgcoach.reminders.digest import ensure_weekly_digests

    assert ensure_weekly_digests(ctx).created
    with SmtpServer() as server:
        assert send_due_once(ctx, server) >= 1
    (digest,) = [r for r in server.received if "Weekly digest: " in r.message["Subject"]]
    return digest.message["Subject"], " ".join(_text(digest).split())


def test_a_digest_made_late_because_no_daemon_ran_does_not_say_the_plan_was_changed(
        ctx: Context, clock: FixedClock) -> None:
    # The profile exists since Wednesday 25 November, when a daemon ran; none runs for twelve days, then one
    # starts on Monday 7 December at 10:00, an hour after that week's digest was due. The daemon makes the
    # digest's row only when it runs, so the row is younger than its due time: that is no plan entered late.
    with SmtpServer() as server:
        send_due_once(ctx, server)
    clock.set(datetime(2026, 12, 7, 15, 0, tzinfo=UTC))
    subject, text = _digest_text(ctx)
    assert subject.startswith("[late] ")
    assert "because it was planned only on" not in text and "the plan was entered or changed" not in text
    assert NO_DAEMON in text and "due on Mon 7 December 2026, 09:00 EST" in text


def test_a_digest_for_a_profile_made_after_its_time_is_not_late(empty_ctx: Context, clock: FixedClock) -> None:
    # It said "[late]" and "planned only on Mon 7 December 2026, 10:00 EST": nothing could have sent it at 09:00,
    # so it is due when it is made (tests/test_first_digest_not_late43.py).
    from imgcoach.plan.profile import set_profile

    clock.set(datetime(2026, 12, 7, 15, 0, tzinfo=UTC))  # Monday 10:00 EST: the digest was due at 09:00
    set_profile(empty_ctx, name="Test Applicant", email="applicant@example.com", timezone="America/New_York")
    subject, text = _digest_text(empty_ctx)
    assert not subject.startswith("[late]") and "LATE" not in text and "planned only on" not in text, text


def test_a_reminder_held_back_by_paused_delivery_does_not_blame_a_daemon_that_ran(
        ctx: Context, clock: FixedClock) -> None:
    # The daemon ran at the reminder's time; the server refused the mail by policy (554 after DATA), which pauses
    # delivery and keeps every reminder pending without counting a try. Fixed an hour later, it went out saying
    # "because the reminder daemon was not running then".
    rotation_id = add_supervised_rotation(ctx)
    add_due_reminders(ctx, rotation_id, 1, due=clock.now(), prefix="paused")
    with SmtpServer() as server:
        server.handler.data_replies.append("554 5.7.1 message refused by policy")
        assert send_due_once(ctx, server) == 0
        clock.advance(timedelta(hours=1))
        assert send_due_once(ctx, server) == 1
    (received,) = server.received
    assert received.message["Subject"].startswith("[late] ")
    text = " ".join(_text(received).split())
    assert NO_DAEMON not in text and NO_DAEMON not in _html(received), text[:400]
    assert "because an earlier attempt to send it did not go through" in text, text[:400]


def test_a_failed_reminder_sent_again_on_request_does_not_blame_the_daemon(ctx: Context, clock: FixedClock) -> None:
    # The server refused the recipient (550): failed. The applicant fixed it and ran `reminders retry ID` a day
    # later: the reminder went out saying "because the reminder daemon was not running then".
    from imgcoach.reminders.outbox import retry_reminder

    rotation_id = add_supervised_rotation(ctx)
    (rid,) = add_due_reminders(ctx, rotation_id, 1, due=clock.now(), prefix="refused")
    with SmtpServer() as server:
        server.handler.rcpt_replies.append("550 5.1.1 mailbox unavailable")
        assert send_due_once(ctx, server) == 0
        clock.advance(timedelta(days=1))
        retry_reminder(ctx, rid)
        assert send_due_once(ctx, server) == 1
    (received,) = server.received
    assert received.message["Subject"].startswith("[late] ")
    text = " ".join(_text(received).split())
    assert NO_DAEMON not in text and "because an earlier attempt to send it did not go through" in text, text[:400]


def test_a_reminder_already_late_from_downtime_still_says_no_daemon_ran_after_a_pause_or_a_retry(
        ctx: Context, clock: FixedClock) -> None:
    # Due while no daemon ran; the catch-up a week later was paused (one) or refused (the other, then retried
    # on request): what kept each from going at its time was the missing daemon, not the later problem.
    from imgcoach.reminders.outbox import retry_reminder
    from imgcoach.reminders.sync import list_reminders

    rotation_id = add_supervised_rotation(ctx)
    add_due_reminders(ctx, rotation_id, 2, due=clock.now(), prefix="downtime")
    clock.advance(timedelta(days=7))
    with SmtpServer() as server:
        server.handler.rcpt_replies.append("550 5.1.1 mailbox unavailable")  # whichever message comes first
        server.handler.data_replies.append("554 5.7.1 message refused by policy")  # the other: the pause
        assert send_due_once(ctx, server) == 0
        (refused,) = [r.id for r in list_reminders(ctx, "failed")]
        assert refused is not None
        clock.advance(timedelta(hours=1))
        retry_reminder(ctx, refused)
        assert send_due_once(ctx, server) == 2
    for received in server.received:
        text = " ".join(_text(received).split())
        assert NO_DAEMON in text, text[:400]


def test_a_reminder_due_while_a_running_daemon_was_paused_does_not_say_no_daemon_ran(
        ctx: Context, clock: FixedClock) -> None:
    # A daemon runs for days (systemd); the password stops working, so delivery pauses and it retries hourly.
    # A reminder falling due meanwhile waits for the next try, which is late and pauses again: it is never held
    # "at its time". Fixed two hours later, it went out saying "because the reminder daemon was not running then".
    from pathlib import Path
    from tempfile import mkdtemp

    from imgcoach.reminders import outbox
    from imgcoach.reminders.daemon.daemon import ReminderDaemon
    from imgcoach.reminders.daemon.worker import OutboxWorker
    from imgcoach.reminders.mail.settings import MailSettings, SmtpSettings

    rotation_id = add_supervised_rotation(ctx)
    add_due_reminders(ctx, rotation_id, 1, due=clock.now(), prefix="first")
    add_due_reminders(ctx, rotation_id, 1, due=clock.now() + timedelta(minutes=30), prefix="meanwhile")
    with SmtpServer() as server:
        smtp = SmtpSettings(host=server.host, port=server.port, security="none", timeout=5)
        worker = OutboxWorker(ctx, MailSettings(maildir=Path(mkdtemp()) / "Maildir", smtp=smtp,
                                                sender="reminders@example.org"))
        daemon = ReminderDaemon(worker, ctx.clock, tasks=[])
        worker.start(clock.now())
        try:
            server.handler.mail_replies.extend(["550 5.7.1 sender not allowed"] * 3)
            daemon.wake()  # 09:00: the first reminder, refused: delivery paused
            for _ in range(2):  # its hourly tries, each refused again; it beats meanwhile
                clock.advance(timedelta(hours=1))
                outbox.heartbeat(ctx, worker.owner, clock.now())
                daemon.wake()
            server.handler.mail_replies.clear()
            clock.advance(timedelta(hours=1))
            daemon.wake()  # 12:00: fixed
        finally:
            worker.stop(clock.now())
    (meanwhile,) = [r for r in server.received if "meanwhile" in r.message_id]
    text = " ".join(_text(meanwhile).split())
    assert NO_DAEMON not in text and NO_DAEMON not in _html(meanwhile), text[:400]
    assert "because the reminder daemon could not deliver it then" in text, text[:400]
