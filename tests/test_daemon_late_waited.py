"""A reminder planned after its time and then left unsent for days says both, not only the first.

Found walking the daemon's catch-up as a new applicant: a rotation entered on 25 November with reminders already
past their times, the daemon started only on 28 November. Each e-mail said "sent only now, because it was planned
only on Wed 25 November 2026, 09:00 EST, after that time had passed", as if that were why it came three days
later; nothing sent it on the 25th because no daemon ran. Real SQLite/PostgreSQL, a real loopback SMTP server
and a daemon's own state rows, time from a FixedClock.
"""

from __future__ import annotations

from datetime import timedelta

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation
from imgcoach.reminders import outbox
from tests.daemon_helpers import send_due_once
from tests.smtp_server import Received, SmtpServer

PLANNED = "because it was planned only on Wed 25 November 2026, 09:00 EST, after that time had passed"


def _both(received: Received) -> tuple[str, str]:
    text = received.message.get_body(("plain",)).get_content()
    html = received.message.get_body(("html",)).get_content()
    return " ".join(text.split()), " ".join(html.split())


def _late_rotation(ctx: Context, clock: FixedClock) -> None:
    today = clock.now().date()  # 2026-11-25, 09:00 in New York: the rotation's feedback day has passed
    add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="St. Luke (synthetic)",
                 start_date=today - timedelta(days=20), end_date=today + timedelta(days=8), hours_per_week=40)


def test_planned_late_then_no_daemon_for_days_says_no_daemon_ran_since(ctx: Context, clock: FixedClock) -> None:
    # Ended 4 days ago: its thank-you and letter request, planned after their days, are still sent (its feedback
    # would not be: rules.late_plan_reason); the last call alone of the two letter reminders.
    today = clock.now().date()
    add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="St. Luke (synthetic)",
                 start_date=today - timedelta(days=32), end_date=today - timedelta(days=4), hours_per_week=40)
    clock.advance(timedelta(days=3))
    with SmtpServer() as server:
        assert send_due_once(ctx, server) >= 1
    planned_late = [r for r in server.received if PLANNED in _both(r)[0]]
    assert len(planned_late) >= 1, [r.message["Subject"] for r in server.received]
    for received in planned_late:
        for words in _both(received):
            assert (f"{PLANNED} (the plan was entered or changed then), and the reminder daemon was not running "
                    "from then until now.") in words, words[:500]


def test_planned_late_while_a_daemon_ran_and_could_not_deliver_says_so(ctx: Context, clock: FixedClock) -> None:
    _late_rotation(ctx, clock)
    owner = outbox.new_owner()  # a daemon running from before the plan until now, its delivery held meanwhile
    outbox.register_daemon(ctx, owner, clock.now() - timedelta(hours=1), 5.0)
    clock.advance(timedelta(hours=5))
    outbox.heartbeat(ctx, owner, clock.now())
    with SmtpServer() as server:
        assert send_due_once(ctx, server) >= 1
    for received in server.received:
        text, _ = _both(received)
        assert f"{PLANNED} (the plan was entered or changed then), and the reminder daemon could not deliver it " \
               "since." in text, text[:500]


def test_planned_late_and_sent_at_once_gives_that_reason_alone(ctx: Context, clock: FixedClock) -> None:
    _late_rotation(ctx, clock)
    clock.advance(timedelta(minutes=2))
    with SmtpServer() as server:
        assert send_due_once(ctx, server) >= 1
    for received in server.received:
        text, html = _both(received)
        assert f"{PLANNED} (the plan was entered or changed then). " in text and "daemon" not in text, text[:500]
        assert "daemon" not in html
