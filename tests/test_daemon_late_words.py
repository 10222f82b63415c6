"""A late e-mail is read on the day it goes out: its words follow that day, not the day it was due.

Found by using it as a new applicant: a 4-week externship entered on its 27th day got "You are halfway through
your rotation" with a draft for the supervisor starting "We are halfway through my externship", and "The last
day to ask is 30 November 2026: ask now" five days after that day. A letter request entered after the rotation
drafted "I have been working with you since ..., which ends on" a day already past. Real SQLite/PostgreSQL, a
real loopback SMTP server, time from a FixedClock (2026-11-25, 09:00 in New York).
"""

from __future__ import annotations

from datetime import date, timedelta

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.people import add_contact
from imgcoach.plan.rotations import add_rotation
from tests.daemon_helpers import send_due_once
from tests.smtp_server import Received, SmtpServer


def _rotation(ctx: Context, start: date, end: date) -> None:
    rotation = add_rotation(ctx, kind="externship", specialty="Internal Medicine",
                            institution="Mercy Hospital (synthetic)", start_date=start, end_date=end)
    add_contact(ctx, "Dr. Maria Lopez", rotation_id=rotation.id, role="supervisor", email="mlopez@mercy.example")


def _sent(ctx: Context) -> dict[str, str]:
    """Subject start -> the plain text (the applicant's note and the supervisor draft), flattened."""
    with SmtpServer() as server:
        send_due_once(ctx, server)
    return {str(r.message["Subject"]).removeprefix("[late] ").split(":")[0]: _flat(r) for r in server.received}


def _flat(received: Received) -> str:
    text = received.message.get_body(("plain",)).get_content()
    html = received.message.get_body(("html",)).get_content()
    return " ".join(text.split()) + "\n" + " ".join(html.split())


def test_feedback_sent_near_the_end_does_not_say_halfway(ctx: Context, clock: FixedClock) -> None:
    now = clock.now()
    today = now.date()
    clock.set(now - timedelta(days=26))  # entered on its first day
    _rotation(ctx, today - timedelta(days=26), today + timedelta(days=1))
    clock.set(now)  # no daemon ran since
    mails = _sent(ctx)
    feedback = mails["Ask for feedback"]
    assert "halfway" not in feedback, feedback[:600]
    assert "Your rotation ends on 26 November 2026. Feedback asked before it ends" in feedback
    assert ("Before my externship in Internal Medicine at Mercy Hospital (synthetic) ends on 26 November 2026, "
            "could we find ten minutes for feedback") in feedback


def test_a_last_call_after_its_day_says_the_day_was_and_how_long_is_left(ctx: Context, clock: FixedClock) -> None:
    today = clock.now().date()
    _rotation(ctx, today - timedelta(days=26), today + timedelta(days=1))
    last_call = _sent(ctx)["Letter"]
    assert "The last day to ask is" not in last_call, last_call[:600]
    assert "The usual last day to ask was" in last_call
    assert "ask now, before the rotation ends on 26 November 2026" in last_call


def test_a_letter_request_after_the_rotation_is_drafted_in_the_past_tense(ctx: Context, clock: FixedClock) -> None:
    today = clock.now().date()
    _rotation(ctx, today - timedelta(days=33), today - timedelta(days=5))  # ended 5 days ago; letters expire at 14
    last_call = _sent(ctx)["Letter"]
    assert "which ends on" not in last_call and "I have been working with you" not in last_call, last_call[:900]
    assert "I worked with you during my externship" in last_call
    assert "while your work is still fresh in their mind" in last_call


def test_on_time_reminders_keep_their_words(ctx: Context, clock: FixedClock) -> None:
    """The control: sent on their days, the feedback says halfway and the last call gives the day ahead."""
    start = clock.now().date() + timedelta(days=2)
    _rotation(ctx, start, start + timedelta(days=27))
    clock.advance(timedelta(days=2 + 13, minutes=5))  # the feedback day (day 13), just after 09:00
    feedback = _sent(ctx)["Ask for feedback"]
    assert "You are halfway through your rotation" in feedback and "We are halfway through my externship" in feedback
    clock.advance(timedelta(days=7))  # day 20: the last call (end - 14 days = day 13, kept after the opening)
    mails = _sent(ctx)
    last_call = mails.get("Letter") or ""
    assert "The last day to ask is" in last_call and "was" not in last_call.split("The last day to ask is")[1][:40]
    assert "I have been working with you since" in last_call


def test_sent_on_the_rotations_last_day_it_says_today(ctx: Context, clock: FixedClock) -> None:
    """Sent on the last day, "ask now, before the rotation ends on 25 November 2026" read as days still to come
    (found on PostgreSQL with an observership entered in its fourth week): it says today is the last day."""
    today = clock.now().date()
    _rotation(ctx, today - timedelta(days=27), today)
    last_call = _sent(ctx)["Letter"]
    assert "ask now, today, the rotation's last day." in last_call, last_call[:600]
    assert "before the rotation ends on" not in last_call


def test_feedback_sent_on_the_last_day_says_it_ends_today(ctx: Context, clock: FixedClock) -> None:
    now = clock.now()
    today = now.date()
    clock.set(now - timedelta(days=27))  # entered on its first day; no daemon ran since
    _rotation(ctx, today - timedelta(days=27), today)
    clock.set(now)
    feedback = _sent(ctx)["Ask for feedback"]
    assert "Your rotation ends today, 25 November 2026. Feedback asked before it ends" in feedback, feedback[:600]
