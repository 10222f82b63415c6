"""A rotation with two letter writers (two supervisors): asking one of them is not asking the other.

Found by checking what `Reminder.letter_id` (the rotation's first letter) led to: with Dr. Able's letter
requested and Dr. Baker's still planned, the rotation's "ask for a letter" reminders were cancelled "no longer
needed: the letter was requested", so nothing ever reminded the applicant to ask Dr. Baker; and a draft to
Dr. Able approved before went out asking her for a letter already requested. Real SQLite, a real loopback SMTP
server, `daemon --once`'s round, time from a FixedClock.
"""

from __future__ import annotations

from datetime import timedelta

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.people import add_contact, add_letter_request, set_letter_status
from imgcoach.plan.rotations import add_rotation
from imgcoach.reminders import list_reminders
from imgcoach.reminders.outbox import approve_draft
from imgcoach.reminders.rules import LETTER_LAST_CALL, LETTER_OPEN
from tests.daemon_helpers import send_due_once
from tests.smtp_server import SmtpServer


def _two_writers(ctx: Context, clock: FixedClock) -> tuple[int, int, int]:
    """A 4-week observership starting in 3 days with two supervisors, a letter planned from each (Able's first)."""
    start = clock.now().date() + timedelta(days=3)
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Lakeside General (synthetic)", start_date=start,
                            end_date=start + timedelta(days=27))
    able = add_contact(ctx, "Dr. Ann Able", rotation_id=rotation.id, role="supervisor", email="ann@hospital.example")
    baker = add_contact(ctx, "Dr. Bo Baker", rotation_id=rotation.id, role="supervisor", email="bo@hospital.example")
    first = add_letter_request(ctx, able.id, rotation_id=rotation.id)
    second = add_letter_request(ctx, baker.id, rotation_id=rotation.id)
    assert rotation.id is not None and first.id is not None and second.id is not None
    return rotation.id, first.id, second.id


def _row(ctx: Context, kind: str):  # type: ignore[no-untyped-def]
    (row,) = [r for r in list_reminders(ctx) if r.kind == kind and r.template_key == kind]
    return row


def test_one_writer_asked_the_other_is_still_reminded_by_name(ctx: Context, clock: FixedClock) -> None:
    _rotation, able_letter, baker_letter = _two_writers(ctx, clock)
    letter_of = _row(ctx, LETTER_OPEN).letter_id
    set_letter_status(ctx, able_letter, "requested")
    for kind in (LETTER_OPEN, LETTER_LAST_CALL):
        row = _row(ctx, kind)
        assert row.status == "pending", (kind, row.status, row.note)
        assert row.letter_id == baker_letter, kind  # the letter still to ask, whose writer the e-mail names
    assert letter_of == able_letter  # before: the first planned letter
    clock.set(_row(ctx, LETTER_OPEN).due_at + timedelta(minutes=1))
    with SmtpServer() as server:
        send_due_once(ctx, server)
    letters = [r.message for r in server.received if "letter" in str(r.message["Subject"]).lower()]
    assert len(letters) == 1, [str(r.message["Subject"]) for r in server.received]
    text = letters[0].get_body(("plain",)).get_content()
    assert "Ask for a letter from Dr. Bo Baker" in str(letters[0]["Subject"])
    assert "To:      bo@hospital.example" in text and "Dr. Ann Able" not in text, text

    # Both asked: nothing left to ask, and the last call is not sent.
    set_letter_status(ctx, baker_letter, "requested")
    last_call = _row(ctx, LETTER_LAST_CALL)
    assert (last_call.status, last_call.note) == ("cancelled", "no longer needed: the letter was requested")


def test_an_approved_draft_to_a_writer_already_asked_is_not_sent(ctx: Context, clock: FixedClock) -> None:
    _rotation, able_letter, _baker_letter = _two_writers(ctx, clock)
    opening = _row(ctx, LETTER_OPEN)
    clock.set(opening.due_at + timedelta(minutes=1))
    with SmtpServer() as server:
        send_due_once(ctx, server)
    draft = approve_draft(ctx, opening.id)  # to Dr. Able, the first planned letter's writer
    assert draft.recipient == "ann@hospital.example"
    set_letter_status(ctx, able_letter, "requested")  # asked in person before the daemon sent the draft
    (kept,) = [r for r in list_reminders(ctx) if r.id == draft.id]
    assert (kept.status, kept.note) == ("cancelled", "no longer needed: the letter was requested")
    clock.advance(timedelta(minutes=5))
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert not [r for r in server.received if "ann@hospital.example" in r.rcpt_tos], \
        [str(r.message["Subject"]) for r in server.received]
