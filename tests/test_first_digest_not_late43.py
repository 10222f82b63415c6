"""A new applicant's first weekly digest is not "[late]" (found walking the daemon with a new profile).

A digest is due on Monday at 09:00; its row is made by the daemon's digest task. A profile made on Monday at 10:00,
or a daemon started for the first time then, had that week's digest go out as "[late] Weekly digest: ..." saying
"LATE: this reminder was due on Mon 7 December 2026, 09:00 EST but is sent only now": nothing could have sent it
at 09:00, so nothing was missed. Such a digest is due when it is made (reminders.digest.first_due_at); one a daemon
that had run before could have sent on time still says it is late and why. The words checked are those of the
e-mail a loopback SMTP server receives. Real SQLite/PostgreSQL, the injected clock.
"""

from __future__ import annotations

from datetime import UTC, datetime

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.profile import set_profile
from imgcoach.reminders.digest import ensure_weekly_digests
from tests.daemon_helpers import send_due_once
from tests.smtp_server import Received, SmtpServer

MONDAY_10_EST = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # an hour after the week's digest time
SUBJECT = "Weekly digest: 7 December 2026 to 13 December 2026"


def _digest_sent(ctx: Context) -> Received:
    """This week's digest as a starting daemon makes and sends it (`daemon --once`: the digest task, the outbox)."""
    assert ensure_weekly_digests(ctx).created == ["digest:1:2026-12-07"]
    with SmtpServer() as server:
        assert send_due_once(ctx, server) >= 1
    (digest,) = [r for r in server.received if "Weekly digest: " in r.message["Subject"]]
    return digest


def _words(received: Received) -> str:
    return " ".join(received.message.get_body(("plain",)).get_content().split())


def test_the_digest_of_a_profile_made_after_its_time_is_not_late(empty_ctx: Context, clock: FixedClock) -> None:
    clock.set(MONDAY_10_EST)
    set_profile(empty_ctx, name="Test Applicant", email="applicant@example.com", timezone="America/New_York")
    digest = _digest_sent(empty_ctx)
    assert digest.message["Subject"] == SUBJECT, digest.message["Subject"]
    assert "LATE" not in _words(digest) and "sent only now" not in _words(digest), _words(digest)


def test_the_digest_a_first_daemon_makes_after_its_time_is_not_late(ctx: Context, clock: FixedClock) -> None:
    # The profile exists since Wednesday 25 November; the first daemon ever starts on Monday 7 December at 10:00.
    clock.set(MONDAY_10_EST)
    digest = _digest_sent(ctx)
    assert digest.message["Subject"] == SUBJECT, digest.message["Subject"]
    assert "LATE" not in _words(digest), _words(digest)


def test_a_digest_a_daemon_missed_on_time_still_says_it_is_late(ctx: Context, clock: FixedClock) -> None:
    # A daemon ran on Wednesday 25 November, then stopped; it starts again on Monday 7 December at 10:00.
    with SmtpServer() as server:
        send_due_once(ctx, server)
    clock.set(MONDAY_10_EST)
    digest = _digest_sent(ctx)
    assert digest.message["Subject"] == f"[late] {SUBJECT}", digest.message["Subject"]
    assert ("LATE: this reminder was due on Mon 7 December 2026, 09:00 EST but is sent only now, because the "
            "reminder daemon was not running then") in _words(digest), _words(digest)
