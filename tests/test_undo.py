"""Undo of the app's deletes and letter-card moves (plan.delete_with_undo, move_letter_with_undo, undo_change).

Every test compares whole tables: the database after the undo must equal the database before the action,
row for row (ids, versions, timestamps), except where the test says why not (a reminder whose time passed,
one the daemon sent). Real databases on both engines; the clock is moved by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import SQLModel

from imgcoach import plan
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.plan import Undoable
from imgcoach.reminders import outbox, reminder_label
from imgcoach.storage.db import Database
from imgcoach.storage.models import register_all
from imgcoach.storage.readcache import OWN_TABLES
from tests.clock_helpers import clock_at

Dump = dict[str, list[dict[str, Any]]]


def dump(ctx: Context) -> Dump:
    """Every row of every table, by id: what "put back exactly" is checked against."""
    out: Dump = {}
    with ctx.db.read() as session:
        register_all()  # the models load lazily
        for table in SQLModel.metadata.sorted_tables:
            if table.name in OWN_TABLES:  # write counters: they only go up, by design
                continue
            order = table.c.id if "id" in table.c else list(table.c)[0]
            out[table.name] = [dict(r) for r in session.execute(select(table).order_by(order)).mappings()]
    return out


def differences(a: Dump, b: Dump) -> list[str]:
    return [f"{name}: {[r for r in a[name] if r not in b[name]]} -> {[r for r in b[name] if r not in a[name]]}"
            for name in a if a[name] != b[name]]


def reminders_of(ctx: Context, rotation_id: int) -> list[Any]:
    return [r for r in plan.rotation_detail(ctx, rotation_id).reminders]


def observership(ctx: Context, **values: Any) -> tuple[int, int, int]:
    """A future rotation with a supervisor, a planned letter, a case and its pending reminders; returns the
    rotation, contact and letter ids."""
    fields = dict(kind="observership", specialty="Cardiology", institution="Mercy Hospital",
                  start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    fields.update(values)
    rotation = plan.add_rotation(ctx, **fields)
    assert rotation.id is not None
    contact = plan.add_contact(ctx, "Dr. Ada Obi", rotation_id=rotation.id, email="obi@example.org")
    assert contact.id is not None
    letter = plan.add_letter_request(ctx, contact.id, rotation_id=rotation.id)
    with clock_at(ctx, datetime.combine(fields["start_date"], time(12), UTC)):  # a case is logged once it has begun
        plan.add_case(ctx, rotation.id, "New AF with RVR", tags="teamwork")
    assert letter.id is not None
    return rotation.id, contact.id, letter.id


def pending(ctx: Context, rotation_id: int) -> list[Any]:
    return [r for r in reminders_of(ctx, rotation_id) if r.status == "pending"]


# --- a rotation ----------------------------------------------------------------------------------------------


def test_deleting_a_rotation_and_undoing_puts_every_row_back_exactly(ctx: Context) -> None:
    rotation_id, _, _ = observership(ctx)
    due = pending(ctx, rotation_id)
    assert len(due) >= 3, "the rotation has pending reminders to cancel"
    before = dump(ctx)
    record = plan.delete_with_undo(ctx, "rotation", rotation_id)
    assert record.done == (f"Deleted rotation ‘Internal Medicine observership at Mercy Hospital’ with 1 case and 1 "
                           f"link to a person, and cancelled {len(due)} reminders; 1 letter request is kept, no longer "
                           "linked to a rotation")
    gone = dump(ctx)
    assert not gone["rotation"] and not gone["case_note"] and not gone["rotation_contact"]
    assert all(r["status"] == "cancelled" and r["rotation_id"] is None for r in gone["reminder"])
    assert gone["letter_request"][0]["rotation_id"] is None

    undone = plan.undo_change(ctx, record)
    assert differences(before, dump(ctx)) == []
    assert undone.pending_again == len(due)
    assert undone.message == (f"Rotation ‘Internal Medicine observership at Mercy Hospital’ is back with 1 case, "
                              f"1 link to a person, 1 letter request; {len(due)} reminders are pending again")


def test_undo_twice_says_it_is_already_undone_and_changes_nothing(ctx: Context) -> None:
    rotation_id, _, _ = observership(ctx)
    record = plan.delete_with_undo(ctx, "rotation", rotation_id)
    plan.undo_change(ctx, record)
    after_first = dump(ctx)
    with pytest.raises(UserError, match="already undone; nothing was changed"):
        plan.undo_change(ctx, record)
    assert dump(ctx) == after_first


def test_a_rotation_added_on_the_same_days_meanwhile_is_never_hidden(ctx: Context) -> None:
    """Ids are never handed out twice (SQLite reused the deleted one before migration 0008, and the undo was
    refused): the rotation comes back and the result says it overlaps the new one."""
    rotation_id, _, _ = observership(ctx)
    record = plan.delete_with_undo(ctx, "rotation", rotation_id)
    other = plan.add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="Lakeview Clinic",
                              start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    assert other.id != rotation_id
    undone = plan.undo_change(ctx, record)
    assert len(plan.list_rotations(ctx)) == 2
    assert undone.warnings and "overlaps full-time" in undone.warnings[0] and "Lakeview" in undone.warnings[0]
    assert "note: " in undone.message and "Lakeview" in undone.message


def test_a_reminder_whose_time_passed_while_deleted_stays_cancelled_and_is_said(ctx: Context,
                                                                               clock: FixedClock) -> None:
    rotation_id, _, _ = observership(ctx)
    due = sorted(pending(ctx, rotation_id), key=lambda r: r.due_at)
    record = plan.delete_with_undo(ctx, "rotation", rotation_id)
    clock.set(due[0].due_at + timedelta(hours=1))  # the first one's moment passes while the rotation is gone
    undone = plan.undo_change(ctx, record)
    rows = {r.id: r for r in reminders_of(ctx, rotation_id)}
    first = rows[due[0].id]
    assert first.status == "cancelled" and "not restored by undo" in first.note
    assert all(rows[r.id].status == "pending" and rows[r.id].due_at == r.due_at for r in due[1:])
    assert undone.pending_again == len(due) - 1
    assert undone.kept_cancelled and "stays cancelled because its time has passed" in undone.message
    # named by the Outbox's one label ("Ask for feedback, due ..."), not the stored kind in words
    assert undone.kept_cancelled[0].startswith(f"{reminder_label(due[0].kind)}, due "), undone.kept_cancelled
    assert "nothing is sent late" in undone.message
    # the daemon has nothing to send late for it
    assert due[0].id not in _claimable(ctx)
    # nor after a later edit of the rotation that leaves its moment in the past (a re-derivation used to
    # revive every unexpired cancelled reminder, so this one went out late after all)
    plan.edit_rotation(ctx, rotation_id, hours_per_week=30)
    assert _row(ctx, due[0].id).status == "cancelled" and due[0].id not in _claimable(ctx)
    # moving the rotation so that its moment lies ahead again does bring it back, at the new moment
    rotation = next(r for r in plan.list_rotations(ctx) if r.id == rotation_id)
    plan.edit_rotation(ctx, rotation_id, start_date=rotation.start_date + timedelta(weeks=8),
                       end_date=rotation.end_date + timedelta(weeks=8))
    moved = _row(ctx, due[0].id)
    assert moved.status == "pending" and moved.due_at > ctx.clock.now()


def _row(ctx: Context, reminder_id: int) -> Any:
    from imgcoach.storage.models import Reminder

    with ctx.db.read() as session:
        return session.execute(select(Reminder).where(Reminder.id == reminder_id)).scalar_one()


def _claimable(ctx: Context) -> list[int]:
    ids = outbox.claim_due(ctx, "test-owner", ctx.clock.now())
    outbox.release(ctx, ids, "test-owner", ctx.clock.now())
    return ids


def test_an_edit_by_another_process_meanwhile_refuses_the_undo_and_keeps_that_edit(ctx: Context,
                                                                                   clock: FixedClock) -> None:
    rotation_id, contact_id, letter_id = observership(ctx)
    record = plan.delete_with_undo(ctx, "rotation", rotation_id)
    other_db = Database(ctx.db.url)  # another process's connection to the same database
    try:
        other = Context(db=other_db, clock=FixedClock(clock.now()), settings=ctx.settings)
        plan.edit_letter(other, letter_id, writer_id=contact_id, rotation_id=None, due_on=None,
                         notes="asked by phone instead")
    finally:
        other_db.close()
    before_undo = dump(ctx)
    with pytest.raises(UserError, match="letter request .* was changed since; nothing was changed"):
        plan.undo_change(ctx, record)
    assert dump(ctx) == before_undo
    assert plan.list_letters(ctx)[0][0].notes == "asked by phone instead"


# --- a letter-card move --------------------------------------------------------------------------------------


def test_moving_a_letter_card_and_undoing_restores_its_status_and_reminders(ctx: Context) -> None:
    rotation_id, _, letter_id = observership(ctx)
    asks = [r for r in pending(ctx, rotation_id) if r.kind.startswith("letter_request")]
    assert asks, "a planned letter keeps the 'time to ask' reminders pending"
    before = dump(ctx)
    record = plan.move_letter_with_undo(ctx, letter_id, 1)
    assert record.result.status == "requested"
    assert record.done == f"Moved the letter card of Dr. Ada Obi from planned to requested; cancelled {len(asks)} reminders"
    assert record.pending_delta == -len(asks)
    undone = plan.undo_change(ctx, record)
    assert differences(before, dump(ctx)) == []
    assert undone.message == (f"Undone: the letter card of Dr. Ada Obi is back where it was (planned); {len(asks)} "
                              "reminders are pending again")


def test_undo_of_a_move_after_the_daemon_sent_a_reminder_it_revived(ctx: Context, clock: FixedClock) -> None:
    """Requested -> planned brings the ask reminders back; the daemon sends one; the undo puts the card back,
    withdraws what is still unsent and leaves the sent one as history, saying so."""
    rotation_id, _, letter_id = observership(ctx, start_date=date(2026, 11, 16), end_date=date(2026, 12, 18))
    plan.set_letter_status(ctx, letter_id, "requested")
    record = plan.move_letter_with_undo(ctx, letter_id, -1)
    revived = sorted((r for r in pending(ctx, rotation_id) if r.kind.startswith("letter_request")),
                     key=lambda r: r.due_at)
    assert len(revived) == 2 and record.pending_delta == 2
    clock.set(max(revived[0].due_at, clock.now()) + timedelta(minutes=1))
    claimed = outbox.claim_due(ctx, "daemon-1", clock.now())
    assert revived[0].id in claimed and revived[1].id not in claimed
    assert all(outbox.mark_sent(ctx, rid, "daemon-1", clock.now()) for rid in claimed)
    undone = plan.undo_change(ctx, record)
    rows = {r.id: r for r in reminders_of(ctx, rotation_id)}
    assert rows[revived[0].id].status == "sent", "sent stays sent: it is history"
    assert rows[revived[1].id].status == "cancelled"
    assert plan.list_letters(ctx)[0][0].status == "requested"
    assert "1 reminder was sent or changed meanwhile and stays as it is (Ask for a letter: sent)" in undone.message
    assert undone.left_as_is == ("Ask for a letter: sent",)


# --- the other deletes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["contact", "letter", "case", "exam", "study_block"])
def test_every_other_delete_comes_back_exactly(ctx: Context, kind: str) -> None:
    rotation_id, contact_id, letter_id = observership(ctx)
    plan.add_exam(ctx, "Step 1", date(2025, 3, 1), result="pass")
    plan.add_study_block(ctx, exam="Step 2 CK", start_date=date(2027, 2, 1), end_date=date(2027, 3, 26),
                         hours_per_week=30)
    ids = {"contact": contact_id, "letter": letter_id, "case": plan.rotation_detail(ctx, rotation_id).cases[0].id,
           "exam": plan.list_exams(ctx)[0].id, "study_block": plan.list_study_blocks(ctx)[0].id}
    before = dump(ctx)
    record = plan.delete_with_undo(ctx, kind, ids[kind])
    assert dump(ctx) != before
    plan.undo_change(ctx, record)
    assert differences(before, dump(ctx)) == []


def test_deleting_a_letter_brings_back_the_ask_reminders_and_undo_withdraws_them(ctx: Context) -> None:
    rotation_id, _, letter_id = observership(ctx)
    plan.set_letter_status(ctx, letter_id, "requested")
    before = dump(ctx)
    record = plan.delete_with_undo(ctx, "letter", letter_id)
    assert record.done == "Deleted the letter request from Dr. Ada Obi; 2 reminders are pending again"
    undone = plan.undo_change(ctx, record)
    assert differences(before, dump(ctx)) == []
    assert "2 reminders it had made pending are withdrawn" in undone.message


def test_a_person_whose_rotation_went_meanwhile_cannot_come_back_half(ctx: Context) -> None:
    rotation_id, contact_id, _ = observership(ctx)
    record = plan.delete_with_undo(ctx, "contact", contact_id)
    plan.remove_rotation(ctx, rotation_id)
    before_undo = dump(ctx)
    with pytest.raises(UserError, match="belongs to a rotation deleted since; nothing was changed"):
        plan.undo_change(ctx, record)
    assert dump(ctx) == before_undo


def test_imported_events_deleted_and_undone(ctx: Context) -> None:
    from imgcoach.calendar import remove_events_with_undo
    from imgcoach.storage.models import CalendarEvent, CalendarSource

    observership(ctx)
    with ctx.db.transaction() as session:
        applicant_id = plan.get_profile(ctx).id
        source = CalendarSource(applicant_id=applicant_id, path="courses.ics", name="Courses")
        session.add(source)
        session.flush()
        session.add(CalendarEvent(applicant_id=applicant_id, source_id=source.id, uid="bls@example",
                                  summary="BLS course", all_day=True, start_date=date(2026, 12, 14),
                                  end_date=date(2026, 12, 16), suggested_kind="event"))
    before = dump(ctx)
    event_id = before["calendar_event"][0]["id"]
    record = remove_events_with_undo(ctx, [event_id])
    assert record.done == "Deleted 1 imported event: BLS course"
    undone = plan.undo_change(ctx, record)
    assert differences(before, dump(ctx)) == []
    assert undone.message == "1 imported event is back"


def test_an_undo_for_another_applicant_is_refused(ctx: Context) -> None:
    rotation_id, _, _ = observership(ctx)
    record = plan.delete_with_undo(ctx, "rotation", rotation_id)
    stranger = Undoable(record.applicant_id + 1, record.what, record.done, record.at, record.changes)
    with pytest.raises(UserError, match="another applicant"):
        plan.undo_change(ctx, stranger)


def test_the_clock_is_the_contexts(ctx: Context) -> None:
    rotation_id, _, _ = observership(ctx)
    record = plan.delete_with_undo(ctx, "rotation", rotation_id)
    assert record.at == datetime(2026, 11, 25, 14, 0, tzinfo=UTC)


def test_an_edit_saved_before_the_delete_comes_back_with_the_row(ctx: Context, clock: FixedClock) -> None:
    """Another process edits the rotation while the app shows it; the app then deletes it: the undo brings back
    the row as it was when deleted, the other process's edit included. An edit after the delete finds nothing."""
    rotation_id, _, _ = observership(ctx)
    other_db = Database(ctx.db.url)
    try:
        other = Context(db=other_db, clock=FixedClock(clock.now()), settings=ctx.settings)
        plan.edit_rotation(other, rotation_id, department="Cardiology (echo lab)")
        edited = dump(ctx)
        record = plan.delete_with_undo(ctx, "rotation", rotation_id)
        with pytest.raises(UserError, match="no rotation"):
            plan.edit_rotation(other, rotation_id, department="too late")
    finally:
        other_db.close()
    plan.undo_change(ctx, record)
    assert differences(edited, dump(ctx)) == []
    assert plan.rotation_detail(ctx, rotation_id).rotation.department == "Cardiology (echo lab)"


def test_a_letter_comes_back_without_a_rotation_deleted_meanwhile(ctx: Context) -> None:
    """A link the database empties on delete (a letter's rotation) comes back empty, not refused."""
    rotation_id, _, letter_id = observership(ctx)
    other_id = plan.add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="Lakeview",
                                 start_date=date(2027, 3, 1), end_date=date(2027, 3, 26)).id
    assert other_id is not None
    contact = plan.add_contact(ctx, "Dr. Lee", rotation_id=other_id)
    assert contact.id is not None
    letter = plan.add_letter_request(ctx, contact.id, rotation_id=other_id)
    assert letter.id is not None
    record = plan.delete_with_undo(ctx, "letter", letter.id)
    plan.remove_rotation(ctx, other_id)
    plan.undo_change(ctx, record)
    back = next(lt for lt, _, _ in plan.list_letters(ctx) if lt.id == letter.id)
    assert back.rotation_id is None and back.writer_id == contact.id
    assert letter_id != letter.id and rotation_id != other_id


def test_a_card_moved_again_elsewhere_refuses_the_undo_and_the_board_end_is_a_plain_error(ctx: Context) -> None:
    _, _, letter_id = observership(ctx)
    with pytest.raises(UserError, match="already planned: there is no column further that way"):
        plan.move_letter_with_undo(ctx, letter_id, -1)
    record = plan.move_letter_with_undo(ctx, letter_id, 1)
    plan.set_letter_status(ctx, letter_id, "agreed")  # the CLI, meanwhile
    meanwhile = dump(ctx)
    with pytest.raises(UserError, match=r"letter request \d+ \(agreed\) was changed since; nothing was changed"):
        plan.undo_change(ctx, record)
    assert dump(ctx) == meanwhile
