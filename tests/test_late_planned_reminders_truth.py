"""A reminder whose day had passed when it was planned is not sent as if on time; one planned on time is never lost.

Found on 5 December (day 39): a rotation entered after its mid-point made "Ask for mid-rotation feedback" due at
once, and one entered weeks after its end a thank-you "Your rotation has ended" on the next daemon tick. Now such a
reminder is recorded as not planned, its reason in words (`reminders list`, the Outbox), and re-derivation keeps it
so until new dates put its day ahead (rules.late_plan_reason). Still useful late: the letter request (before the
end or soon after) and a thank-you within 14 days of the end. A reminder planned on time whose day passed while no
daemon ran is sent once when one starts. Real SQLite/PostgreSQL, a loopback SMTP server, time from a FixedClock
(2026-11-25, 09:00 in New York).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.plan.people import add_contact
from imgcoach.plan.rotations import add_rotation, edit_rotation
from imgcoach.reminders import approve_draft, list_reminders, outbox_view, rederive_rotation_reminders
from imgcoach.storage.models import Reminder
from tests.cli_helpers import run_cli
from tests.daemon_helpers import send_due_once
from tests.smtp_server import SmtpServer

MID_POINT = "not planned: the rotation was added after its mid-point (18 Nov 2026)"
THANKS = ("not planned: the rotation was added 20 days after it ended (05 Nov 2026); a late thank-you is reminded "
          "only within 14 days of the end")


def _rotation(ctx: Context, start: date, end: date) -> int:
    rotation = add_rotation(ctx, kind="externship", specialty="Internal Medicine",
                            institution="Mercy Hospital (synthetic)", start_date=start, end_date=end)
    add_contact(ctx, "Dr. Maria Lopez", rotation_id=rotation.id, role="supervisor", email="mlopez@mercy.example")
    assert rotation.id is not None
    return rotation.id


def _rows(ctx: Context, rotation_id: int) -> dict[str, Reminder]:
    return {r.kind: r for r in list_reminders(ctx) if r.rotation_id == rotation_id}


def _subjects(ctx: Context) -> list[str]:
    with SmtpServer() as server:
        send_due_once(ctx, server)
    return [str(r.message["Subject"]) for r in server.received]


def test_a_rotation_added_after_its_mid_point_sends_no_mid_rotation_feedback(
        ctx: Context, cli_clock: object, capsys: pytest.CaptureFixture[str]) -> None:
    rotation_id = _rotation(ctx, date(2026, 11, 5), date(2026, 12, 2))  # entered on its 20th day
    feedback = _rows(ctx, rotation_id)["mid_rotation_feedback"]
    assert (feedback.status, feedback.note) == ("cancelled", MID_POINT)
    subjects = _subjects(ctx)
    assert not any("Ask for feedback" in s for s in subjects), subjects
    assert any("letter" in s.lower() for s in subjects), subjects  # the letter request is still of use: sent
    listed = run_cli(capsys, "reminders", "list", "--db", ctx.db.url)
    assert MID_POINT in listed.out, listed.out
    (shown,) = [r for r in outbox_view(ctx).reminders if r.id == feedback.id]
    assert shown.note == MID_POINT  # the Outbox's detail reads the note
    assert feedback.id not in outbox_view(ctx).awaiting  # no `a`: no request to approve
    assert feedback.id is not None
    with pytest.raises(UserError, match=re.escape(f"reminder {feedback.id} was {MID_POINT}; there is no request to "
                                                  "approve")):
        approve_draft(ctx, feedback.id)
    # The daemon's re-derivation at its start, an edit that keeps the dates: still not planned, same words.
    rederive_rotation_reminders(ctx)
    edit_rotation(ctx, rotation_id, hours_per_week=30)
    assert (_rows(ctx, rotation_id)["mid_rotation_feedback"].status,
            _rows(ctx, rotation_id)["mid_rotation_feedback"].note) == ("cancelled", MID_POINT)
    # New dates that put its day ahead plan it again.
    edit_rotation(ctx, rotation_id, start_date=date(2026, 12, 7), end_date=date(2027, 1, 3))
    again = _rows(ctx, rotation_id)["mid_rotation_feedback"]
    assert again.status == "pending" and again.note == "" and "not_planned_late" not in again.payload


def test_a_rotation_added_weeks_after_its_end_sends_nothing(ctx: Context) -> None:
    rotation_id = _rotation(ctx, date(2026, 10, 9), date(2026, 11, 5))  # ended 20 days ago
    rows = _rows(ctx, rotation_id)
    # The thank-you says why it is not sent; so do the feedback and the letter request, whose last days had passed
    # (they were not made at all, so nothing said why none would come: tests/test_rotation_entered_long_after49.py).
    assert sorted(rows) == ["letter_request_last_call", "letter_request_open", "mid_rotation_feedback", "thank_you"]
    assert (rows["thank_you"].status, rows["thank_you"].note) == ("cancelled", THANKS)
    assert {rows[k].status for k in rows} == {"cancelled"}
    assert rows["letter_request_last_call"].note == ("not planned: the rotation was added 20 days after it ended "
                                                     "(05 Nov 2026); it is reminded only until 19 Nov 2026")
    assert _subjects(ctx) == []


def test_a_rotation_moved_past_its_mid_point_says_when_it_was_planned(ctx: Context, clock: FixedClock) -> None:
    rotation_id = _rotation(ctx, date(2026, 12, 7), date(2027, 1, 3))
    assert _rows(ctx, rotation_id)["mid_rotation_feedback"].status == "pending"
    edit_rotation(ctx, rotation_id, start_date=date(2026, 11, 5), end_date=date(2026, 12, 2))
    feedback = _rows(ctx, rotation_id)["mid_rotation_feedback"]
    assert (feedback.status, feedback.note) == (
        "cancelled", "not planned: planned only on 25 Nov 2026, after the rotation's mid-point (18 Nov 2026)")


def test_planned_on_time_and_missed_while_the_daemon_was_down_is_sent_once(ctx: Context, clock: FixedClock) -> None:
    """The other sequence: the daemon never loses a reminder. Planned ahead, its day passes with no daemon; the
    daemon starts (its re-derivation first, as ReminderDaemon's start does) and sends it, once."""
    start = clock.now().date() + timedelta(days=3)
    rotation_id = _rotation(ctx, start, start + timedelta(days=27))
    clock.advance(timedelta(days=3 + 20))  # past the mid-point (day 13); nothing ran meanwhile
    assert rederive_rotation_reminders(ctx) == 0  # nothing moved: it is owed, not planned late
    assert _rows(ctx, rotation_id)["mid_rotation_feedback"].status == "pending"
    subjects = _subjects(ctx)
    assert [s for s in subjects if "Ask for feedback" in s] == [
        "[late] Ask for feedback: Internal Medicine at Mercy Hospital (synthetic)"], subjects
    assert _rows(ctx, rotation_id)["mid_rotation_feedback"].status == "sent"
    clock.advance(timedelta(minutes=10))
    rederive_rotation_reminders(ctx)
    assert not any("Ask for feedback" in s for s in _subjects(ctx))
