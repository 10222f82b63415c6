"""Removing a letter request cancels the e-mail it left approved and unsent, says how many, and undo brings it back.

Found on 5 December (day 39): `letters remove` (and the app's delete) left the letter's approved e-mail to its
writer in the outbox, still due: it went to the writer of a letter no longer planned, asking for it. The command
said only "letter 3 removed". The rotation's own
reminders to ask for a letter are the rotation's, not the letter's: they follow its rule (test_undo, test_tui_editing).
Real SQLite/PostgreSQL databases, the CLI in-process on the test's clock.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from imgcoach.core.context import Context
from imgcoach.plan.people import add_contact, add_letter_request
from imgcoach.plan.rotations import edit_rotation
from imgcoach.plan.undo import delete_with_undo, undo_change
from imgcoach.reminders import approve_draft, rederive_rotation_reminders
from imgcoach.reminders.rules import LETTER_KINDS, LETTER_OPEN
from imgcoach.reminders.sync import LETTER_REMOVED
from imgcoach.storage.models import Contact, Reminder
from tests.cli_helpers import run_cli
from tests.daemon_helpers import add_supervised_rotation


def _letter_with_draft(ctx: Context) -> tuple[int, int, int]:
    """A rotation under way on 25 Nov 2026 with one planned letter, and its "window opens" reminder approved (the
    e-mail to the writer queued). Returns (rotation, letter, draft) ids."""
    rotation_id = add_supervised_rotation(ctx, start=date(2026, 11, 2), end=date(2026, 12, 18))
    writer = add_contact(ctx, "Dr. Ana Writer", rotation_id=rotation_id, role="attending", email="ana@hospital.example")
    assert writer.id is not None
    letter = add_letter_request(ctx, writer.id, rotation_id=rotation_id)
    with ctx.db.read() as session:
        opening = session.exec(select(Reminder.id).where(Reminder.rotation_id == rotation_id,
                                                         Reminder.template_key == LETTER_OPEN)).one()
    draft = approve_draft(ctx, opening)
    assert letter.id is not None and draft.id is not None
    return rotation_id, letter.id, draft.id


def _letter_rows(ctx: Context, rotation_id: int) -> dict[int, tuple[str, str]]:
    """The rotation's letter reminders and drafts: id -> (status, note)."""
    with ctx.db.read() as session:
        rows = session.exec(select(Reminder).where(Reminder.rotation_id == rotation_id,
                                                   col(Reminder.kind).in_(LETTER_KINDS))).all()
        return {r.id: (r.status, r.note) for r in rows if r.id is not None}


def _others(ctx: Context, rotation_id: int) -> list[str]:
    """The statuses of the rotation's other reminders (feedback, thank-you): not the letter's."""
    with ctx.db.read() as session:
        return sorted(session.exec(select(Reminder.status).where(
            Reminder.rotation_id == rotation_id, col(Reminder.kind).not_in(LETTER_KINDS))).all())


def test_letters_remove_cancels_the_approved_e_mail_and_says_how_many(
        ctx: Context, cli_clock: object, capsys: pytest.CaptureFixture[str]) -> None:
    rotation_id, letter_id, draft_id = _letter_with_draft(ctx)
    asks = _letter_rows(ctx, rotation_id)
    del asks[draft_id]
    result = run_cli(capsys, "letters", "remove", str(letter_id), "--db", ctx.db.url)
    assert result.code == 0, result.err
    assert result.out == f"letter {letter_id} removed; 1 pending reminder cancelled\n"
    rows = _letter_rows(ctx, rotation_id)
    assert rows.pop(draft_id) == ("cancelled", LETTER_REMOVED)
    assert rows == asks  # the rotation's own reminders to ask: still no letter asked from it
    assert _others(ctx, rotation_id) == ["pending", "pending"]
    listed = run_cli(capsys, "reminders", "list", "--db", ctx.db.url, "--json")
    assert {(r["status"], r["note"]) for r in listed.json() if r["id"] == draft_id} == {("cancelled", LETTER_REMOVED)}
    rederive_rotation_reminders(ctx)  # the daemon's daily pass, an edit of the rotation: it stays cancelled
    edit_rotation(ctx, rotation_id, hours_per_week=30)
    assert _letter_rows(ctx, rotation_id)[draft_id] == ("cancelled", LETTER_REMOVED)


def test_letters_remove_json_names_the_e_mail_it_cancelled(
        ctx: Context, cli_clock: object, capsys: pytest.CaptureFixture[str]) -> None:
    _rotation_id, letter_id, draft_id = _letter_with_draft(ctx)
    result = run_cli(capsys, "letters", "remove", str(letter_id), "--db", ctx.db.url, "--json")
    assert result.code == 0 and result.json()["cancelled_reminders"] == [draft_id], result.out


def test_the_app_s_delete_cancels_it_and_its_undo_brings_it_back_as_it_was(ctx: Context) -> None:
    rotation_id, letter_id, draft_id = _letter_with_draft(ctx)
    before = _letter_rows(ctx, rotation_id)
    record = delete_with_undo(ctx, "letter", letter_id)
    assert record.done == "Deleted the letter request from Dr. Ana Writer; cancelled 1 reminder"
    assert _letter_rows(ctx, rotation_id)[draft_id] == ("cancelled", LETTER_REMOVED)
    undo_change(ctx, record)
    assert _letter_rows(ctx, rotation_id) == before


def test_deleting_the_writer_cancels_it_too(ctx: Context) -> None:
    """The app's delete of a person takes their letter requests: the same rule for what those left unsent."""
    rotation_id, _, draft_id = _letter_with_draft(ctx)
    with ctx.db.read() as session:
        ana = session.exec(select(Contact.id).where(Contact.email == "ana@hospital.example")).one()
    assert ana is not None
    record = delete_with_undo(ctx, "contact", ana)
    assert record.done.endswith("; cancelled 1 reminder"), record.done
    assert _letter_rows(ctx, rotation_id)[draft_id] == ("cancelled", LETTER_REMOVED)


def test_another_letter_from_the_same_writer_keeps_it(
        ctx: Context, cli_clock: object, capsys: pytest.CaptureFixture[str]) -> None:
    rotation_id, letter_id, draft_id = _letter_with_draft(ctx)
    with ctx.db.read() as session:
        ana = session.exec(select(Contact.id).where(Contact.email == "ana@hospital.example")).one()
    assert ana is not None
    add_letter_request(ctx, ana, rotation_id=rotation_id, notes="the second copy, for the research track")
    result = run_cli(capsys, "letters", "remove", str(letter_id), "--db", ctx.db.url)
    assert result.out == f"letter {letter_id} removed; no reminders cancelled\n"
    assert _letter_rows(ctx, rotation_id)[draft_id][0] == "pending"
