"""Services over a real SQLite file: rotations keep their reminders in step."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from imgcoach.core.context import Context
from imgcoach.core.errors import NotFound, UserError, ValidationError
from imgcoach.plan import people, profile, rotations
from imgcoach.plan.plan import load_plan
from imgcoach.reminders.rules import LETTER_LAST_CALL, LETTER_OPEN, MID_FEEDBACK, THANK_YOU
from imgcoach.reminders.sync import list_reminders
from imgcoach.storage.models import Reminder

ROT = dict(kind="observership", specialty="Internal Medicine", institution="General Hospital",
           start_date=date(2027, 1, 4), end_date=date(2027, 2, 26), hours_per_week=40)


def reminders_by_kind(ctx: Context) -> dict[str, Reminder]:
    return {r.kind: r for r in list_reminders(ctx)}


def test_adding_a_rotation_derives_its_reminders(ctx: Context) -> None:
    rotations.add_rotation(ctx, **ROT)
    got = reminders_by_kind(ctx)
    assert set(got) == {MID_FEEDBACK, LETTER_OPEN, LETTER_LAST_CALL, THANK_YOU}
    assert all(r.status == "pending" and r.recipient == "applicant@example.com" for r in got.values())
    assert got[LETTER_OPEN].due_at == datetime(2027, 2, 1, 14, 0, tzinfo=UTC)  # after the feedback: Sunday -> Monday


def test_moving_a_rotation_moves_pending_reminders_and_keeps_ids(ctx: Context) -> None:
    rotation = rotations.add_rotation(ctx, **ROT)
    before = reminders_by_kind(ctx)
    rotations.edit_rotation(ctx, rotation.id, start_date=date(2027, 3, 1), end_date=date(2027, 4, 23))
    after = reminders_by_kind(ctx)
    assert {k: r.id for k, r in before.items()} == {k: r.id for k, r in after.items()}
    assert {k: r.message_id for k, r in before.items()} == {k: r.message_id for k, r in after.items()}
    assert after[THANK_YOU].due_at == datetime(2027, 4, 26, 13, 0, tzinfo=UTC)  # EDT by then; Sunday -> Monday


def test_sent_reminder_is_never_rewritten(ctx: Context) -> None:
    rotation = rotations.add_rotation(ctx, **ROT)
    sent_at = datetime(2027, 1, 29, 14, 1, tzinfo=UTC)
    with ctx.db.transaction() as session:
        row = session.exec(select(Reminder).where(Reminder.kind == MID_FEEDBACK)).one()
        row.status, row.sent_at = "sent", sent_at
        original_due = row.due_at
        session.add(row)
    rotations.edit_rotation(ctx, rotation.id, end_date=date(2027, 3, 26))
    got = reminders_by_kind(ctx)
    assert got[MID_FEEDBACK].status == "sent" and got[MID_FEEDBACK].due_at == original_due
    rotations.remove_rotation(ctx, rotation.id)
    assert reminders_by_kind(ctx)[MID_FEEDBACK].status == "sent"


def test_deleting_a_rotation_cancels_pending_reminders(ctx: Context) -> None:
    rotation = rotations.add_rotation(ctx, **ROT)
    assert len(rotations.pending_reminders_of(ctx, rotation.id)) == 4
    cancelled = rotations.remove_rotation(ctx, rotation.id)
    assert len(cancelled) == 4
    assert {r.status for r in list_reminders(ctx)} == {"cancelled"}
    with pytest.raises(NotFound):
        rotations.get_rotation(ctx, rotation.id)


def test_marking_letter_requested_stops_request_reminders(ctx: Context) -> None:
    rotation = rotations.add_rotation(ctx, **ROT)
    writer = people.add_contact(ctx, "Dr. Writer", rotation_id=rotation.id, email="writer@example.com")
    letter = people.add_letter_request(ctx, writer.id, rotation_id=rotation.id)
    assert reminders_by_kind(ctx)[LETTER_OPEN].status == "pending"
    people.set_letter_status(ctx, letter.id, "requested")
    got = reminders_by_kind(ctx)
    assert got[LETTER_OPEN].status == "cancelled" and got[LETTER_LAST_CALL].status == "cancelled"
    assert got[MID_FEEDBACK].status == "pending" and got[THANK_YOU].status == "pending"
    # Back to planned (the request fell through): the reminders come back.
    people.set_letter_status(ctx, letter.id, "planned")
    assert reminders_by_kind(ctx)[LETTER_LAST_CALL].status == "pending"


def test_rotation_that_ended_long_ago_creates_nothing_to_send(ctx: Context) -> None:
    """Nothing pending or missed for last year's rotation; each reminder is recorded not planned, saying why (a
    rotation with no rows at all said nothing: tests/test_rotation_entered_long_after49.py)."""
    rotations.add_rotation(ctx, **{**ROT, "start_date": date(2025, 1, 6), "end_date": date(2025, 2, 28)})
    rows = list_reminders(ctx)
    assert len(rows) == 4 and {r.status for r in rows} == {"cancelled"}
    assert all(r.note.startswith("not planned: the rotation was added") for r in rows), [r.note for r in rows]


def test_changing_time_zone_moves_pending_reminders(ctx: Context) -> None:
    rotations.add_rotation(ctx, **ROT)
    profile.set_profile(ctx, timezone="Asia/Kolkata")
    assert reminders_by_kind(ctx)[THANK_YOU].due_at == datetime(2027, 3, 1, 3, 30, tzinfo=UTC)  # a Monday


def test_invalid_rotation_lists_every_field_and_writes_nothing(ctx: Context) -> None:
    with pytest.raises(ValidationError) as info:
        rotations.add_rotation(ctx, **{**ROT, "end_date": date(2026, 12, 1), "hours_per_week": 90, "institution": ""})
    assert {e.field for e in info.value.errors} == {"end_date", "hours_per_week", "institution"}
    assert rotations.list_rotations(ctx) == []


def test_no_profile_is_a_user_error(empty_ctx: Context) -> None:
    with pytest.raises(UserError, match="no applicant profile"):
        rotations.list_rotations(empty_ctx)


def test_rows_of_another_applicant_are_not_found(ctx: Context) -> None:
    rotation = rotations.add_rotation(ctx, **ROT)
    with ctx.db.transaction() as session:
        from imgcoach.storage.models import Applicant

        other = Applicant(name="Other", email="other@example.com", timezone="UTC")
        session.add(other)
        session.flush()
        other_id = other.id
    other_ctx = Context(db=ctx.db, clock=ctx.clock, settings=ctx.settings, applicant_id=other_id)
    with pytest.raises(NotFound):
        rotations.edit_rotation(other_ctx, rotation.id, hours_per_week=10)
    assert rotations.list_rotations(other_ctx) == []


def test_plan_snapshot_of_demo(demo_ctx: Context) -> None:
    snap = load_plan(demo_ctx)
    assert snap.applicant is not None and snap.applicant.synthetic
    assert 3 <= len(snap.rotations) <= 4
    assert {r.kind for r in snap.rotations} >= {"observership", "externship", "research"}
    assert any(r.end_date < snap.today for r in snap.rotations) and any(r.start_date > snap.today for r in snap.rotations)
    assert snap.study_blocks and snap.letters and snap.exams
    assert any(c.kind == "study_over_full_time" for c in snap.conflicts)
    assert snap.upcoming() and all(r.status in ("pending", "failed") for r in snap.upcoming())
    assert snap.today == date(2026, 11, 25) and snap.load[0].week_start <= snap.today - timedelta(days=150)
