"""A feedback reminder whose feedback is asked or received is not sent by any path: not retried, not offered for
approval, and an approved request to the supervisor not yet sent is not sent either.

Found on 5 December: the rule (reminders.sync.feedback_settled) cancelled the reminder only while it was pending.
One that had failed (or was unconfirmed) stayed so after the feedback was logged, and `reminders retry` put it back
in the outbox; the Outbox offered `a` on it and approving e-mailed the supervisor to ask for feedback already given.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from imgcoach.coach import record_feedback
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.plan import edit_rotation
from imgcoach.reminders import approve_draft, outbox_view, retry_all_failed, retry_reminder
from imgcoach.reminders.rules import MID_FEEDBACK
from imgcoach.storage.models import Contact, LetterRequest, Reminder, WeeklyLogEntry
from tests.clock_helpers import clock_at
from tests.daemon_helpers import add_supervised_rotation

RECEIVED = "not sent: feedback already received (in the log, week of 16 Nov 2026)"


def _rotation(ctx: Context) -> tuple[int, int]:
    """A rotation under way on the tests' day (25 Nov 2026), with a supervisor; its feedback reminder's id."""
    with clock_at(ctx, datetime(2026, 11, 2, 14, 0, tzinfo=UTC)):  # entered on its first day: its mid-point ahead
        rotation_id = add_supervised_rotation(ctx, start=date(2026, 11, 2), end=date(2026, 11, 30))
    with ctx.db.read() as session:
        row = session.exec(select(Reminder).where(Reminder.rotation_id == rotation_id,
                                                  Reminder.kind == MID_FEEDBACK)).one()
    assert row.status == "pending" and row.id is not None
    return rotation_id, row.id


def _set(ctx: Context, reminder_id: int, **values: object) -> None:
    """What the daemon leaves behind (a refusal, a reply that never came): set as it writes it."""
    with ctx.db.transaction(ctx.applicant_id) as session:
        row = session.get(Reminder, reminder_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)


def _row(ctx: Context, reminder_id: int) -> Reminder:
    with ctx.db.read() as session:
        row = session.get(Reminder, reminder_id)
        assert row is not None
        return row


@pytest.mark.parametrize("status", ["failed", "unconfirmed"])
def test_a_failed_or_unconfirmed_one_is_cancelled_once_the_feedback_is_logged(ctx: Context, status: str) -> None:
    rotation_id, reminder_id = _rotation(ctx)
    _set(ctx, reminder_id, status=status, attempts=3, last_error="550 mailbox unavailable")
    record_feedback(ctx, rotation_id, date(2026, 11, 18), "Lead with the assessment")
    row = _row(ctx, reminder_id)
    assert (row.status, row.note, row.payload.get("cancelled_from")) == ("cancelled", RECEIVED, status)
    with pytest.raises(UserError, match="only failed or unconfirmed reminders can be retried"):
        retry_reminder(ctx, reminder_id)
    # recorded on the wrong rotation: cleared, the reminder is due again, with no tries at it yet
    edit_rotation(ctx, rotation_id, feedback_requested_on=None)
    with ctx.db.transaction(ctx.applicant_id) as session:  # the log week too: the feedback was not given
        for entry in session.exec(select(WeeklyLogEntry).where(WeeklyLogEntry.rotation_id == rotation_id)).all():
            entry.feedback = ""
            session.add(entry)
    edit_rotation(ctx, rotation_id, hours_per_week=30)
    row = _row(ctx, reminder_id)
    assert (row.status, row.attempts, row.last_error) == ("pending", 0, "")
    assert "cancelled_from" not in row.payload


def test_one_left_failed_by_an_older_version_is_not_retried(ctx: Context) -> None:
    rotation_id, reminder_id = _rotation(ctx)
    record_feedback(ctx, rotation_id, date(2026, 11, 18), "Lead with the assessment")
    _set(ctx, reminder_id, status="failed", note="", last_error="550 mailbox unavailable")  # as before the fix
    with pytest.raises(UserError, match=r"feedback already received \(in the log, week of 16 Nov 2026\); a retry "
                                        "would ask again"):
        retry_reminder(ctx, reminder_id)
    assert _row(ctx, reminder_id).status == "failed"  # a refusal changes nothing
    done = retry_all_failed(ctx)
    assert (done.requeued, done.expired, done.cancelled) == ([], [], {reminder_id: RECEIVED})
    assert (_row(ctx, reminder_id).status, _row(ctx, reminder_id).note) == ("cancelled", RECEIVED)


def test_its_supervisor_draft_is_not_offered_once_the_feedback_was_asked(ctx: Context) -> None:
    rotation_id, reminder_id = _rotation(ctx)
    _set(ctx, reminder_id, status="sent")  # the reminder went out; the applicant then asked in person
    assert reminder_id in outbox_view(ctx).awaiting
    edit_rotation(ctx, rotation_id, feedback_requested_on=date(2026, 11, 20))
    assert reminder_id not in outbox_view(ctx).awaiting
    with pytest.raises(UserError, match=f"reminder {reminder_id}: feedback already asked on 20 Nov 2026; there is "
                                        "no request left to approve"):
        approve_draft(ctx, reminder_id)


def test_an_approved_request_not_sent_yet_is_cancelled_when_the_feedback_comes(ctx: Context) -> None:
    rotation_id, reminder_id = _rotation(ctx)
    draft = approve_draft(ctx, reminder_id)
    assert (draft.status, draft.recipient) == ("pending", "jane.okafor@hospital.example")
    record_feedback(ctx, rotation_id, date(2026, 11, 18), "Lead with the assessment")
    assert draft.id is not None
    assert (_row(ctx, draft.id).status, _row(ctx, draft.id).note) == ("cancelled", RECEIVED)


@pytest.mark.parametrize("as_json", [False, True])
def test_retry_all_failed_says_what_it_retried_and_what_it_cancelled_and_why(
        ctx: Context, cli_clock: object, capsys: pytest.CaptureFixture[str], as_json: bool) -> None:
    """`reminders retry --all-failed` cancelled a failed feedback reminder whose feedback was logged and said only
    "1 failed reminder pending again": the cancelled one vanished from "failed" without a word."""
    from imgcoach.reminders.rules import THANK_YOU
    from tests.cli_helpers import run_cli

    rotation_id, reminder_id = _rotation(ctx)
    record_feedback(ctx, rotation_id, date(2026, 11, 18), "Lead with the assessment")
    _set(ctx, reminder_id, status="failed", note="", last_error="550 mailbox unavailable")  # as an older version left it
    with ctx.db.read() as session:
        thanks = session.exec(select(Reminder).where(Reminder.rotation_id == rotation_id,
                                                     Reminder.kind == THANK_YOU)).one().id
    assert thanks is not None
    _set(ctx, thanks, status="failed", last_error="550 mailbox unavailable")
    result = run_cli(capsys, "reminders", "retry", "--all-failed", "--db", ctx.db.url, *(["--json"] if as_json else []))
    assert result.code == 0, result.err
    if as_json:
        assert result.json() == {"retried": [thanks], "expired": [],
                                 "cancelled": [{"id": reminder_id, "reason": RECEIVED}], "superseded": [],
                                 "after_last_call": []}
    else:
        assert result.out.splitlines() == [
            f"1 failed reminder pending again: {thanks}",
            "1 failed reminder cancelled instead, with nothing left to ask:",
            f"  reminder {reminder_id}: {RECEIVED}",
        ]
    assert (_row(ctx, reminder_id).status, _row(ctx, thanks).status) == ("cancelled", "pending")


def test_a_failed_letter_reminder_is_cancelled_not_retried_once_the_letter_is_requested(ctx: Context) -> None:
    """The same for a letter reminder an older version left failed after the letter was requested."""
    from imgcoach.reminders.rules import LETTER_LAST_CALL
    from imgcoach.reminders.sync import LETTER_REQUESTED

    rotation_id, _ = _rotation(ctx)
    with ctx.db.read() as session:
        last_call = session.exec(select(Reminder).where(Reminder.rotation_id == rotation_id,
                                                        Reminder.kind == LETTER_LAST_CALL)).one().id
        writer = session.exec(select(Contact.id).where(Contact.name == "Dr. Jane Okafor")).one()
    assert last_call is not None and writer is not None
    _set(ctx, last_call, status="failed", last_error="550 mailbox unavailable")
    with ctx.db.transaction(ctx.applicant_id) as session:  # requested, as an older version left it: no re-derivation
        session.add(LetterRequest(applicant_id=1, writer_id=writer, rotation_id=rotation_id, status="requested"))
    with pytest.raises(UserError, match="the letter was requested; a retry would ask again"):
        retry_reminder(ctx, last_call)
    done = retry_all_failed(ctx)
    assert (done.requeued, done.cancelled) == ([], {last_call: LETTER_REQUESTED})
    assert _row(ctx, last_call).status == "cancelled"
