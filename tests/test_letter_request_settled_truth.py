"""An approved e-mail asking for a letter is not sent once the letter is asked for by another path.

Found on 5 December (day 39): the rotation's sync cancelled the applicant's own "time to ask for a letter"
reminders once the letter was requested, but not the approved draft to the supervisor (or the letter's writer)
waiting in the outbox: it still went out, asking for a letter already asked for. Approving the reminder again,
and retrying a failed draft, were allowed too. Real SQLite files, the CLI in-process on the test's clock.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from imgcoach.core.context import Context
from imgcoach.plan.letters import edit_letter
from imgcoach.plan.people import add_contact, add_letter_request
from imgcoach.plan.rules.vocab import LETTER_STATUSES
from imgcoach.plan.undo import move_letter_with_undo
from imgcoach.reminders import approve_draft, outbox_view
from imgcoach.reminders.rules import LETTER_OPEN
from imgcoach.reminders.sync import LETTER_REQUESTED
from imgcoach.storage.models import Reminder
from tests.cli_helpers import database_state, run_cli
from tests.daemon_helpers import add_supervised_rotation


def _planned_letter(ctx: Context) -> tuple[int, int, int]:
    """A rotation under way on the tests' day (25 Nov 2026) with a planned letter from an attending; the approved
    draft of its "letter window opens" reminder, addressed to that writer. Returns (letter, reminder, draft) ids."""
    rotation_id = add_supervised_rotation(ctx, start=date(2026, 11, 2), end=date(2026, 12, 18))
    writer = add_contact(ctx, "Dr. Ana Writer", rotation_id=rotation_id, role="attending", email="ana@hospital.example")
    assert writer.id is not None
    letter = add_letter_request(ctx, writer.id, rotation_id=rotation_id)
    with ctx.db.read() as session:
        opening = session.exec(select(Reminder).where(Reminder.rotation_id == rotation_id,
                                                      Reminder.template_key == LETTER_OPEN)).one()
    assert opening.id is not None and letter.id is not None
    draft = approve_draft(ctx, opening.id)
    assert (draft.status, draft.recipient) == ("pending", "ana@hospital.example") and draft.id is not None
    return letter.id, opening.id, draft.id


def _row(ctx: Context, reminder_id: int) -> Reminder:
    with ctx.db.read() as session:
        row = session.get(Reminder, reminder_id)
        assert row is not None
        return row


@pytest.mark.parametrize("status", ["requested", "uploaded"])
def test_letters_set_status_cancels_the_approved_request_and_says_why(
        ctx: Context, cli_clock: object, capsys: pytest.CaptureFixture[str], status: str) -> None:
    letter_id, _, draft_id = _planned_letter(ctx)
    result = run_cli(capsys, "letters", "set-status", str(letter_id), status, "--db", ctx.db.url)
    assert result.code == 0, result.err
    assert (_row(ctx, draft_id).status, _row(ctx, draft_id).note) == ("cancelled", LETTER_REQUESTED)
    listed = run_cli(capsys, "reminders", "list", "--db", ctx.db.url, "--json")
    (shown,) = [r for r in listed.json() if r["id"] == draft_id]
    assert (shown["status"], shown["note"]) == ("cancelled", LETTER_REQUESTED)  # the Outbox's note too
    (row,) = [r for r in outbox_view(ctx).reminders if r.id == draft_id]
    assert row.note == LETTER_REQUESTED


def test_the_app_s_board_move_cancels_it_and_its_undo_brings_it_back(ctx: Context) -> None:
    letter_id, _, draft_id = _planned_letter(ctx)
    record = move_letter_with_undo(ctx, letter_id, +1)  # planned -> requested, as the Letters board's key
    assert (_row(ctx, draft_id).status, _row(ctx, draft_id).note) == ("cancelled", LETTER_REQUESTED)
    from imgcoach.plan.undo import undo_change

    undo_change(ctx, record)  # the card back to planned: the approved request as it was
    assert _row(ctx, draft_id).status == "pending"


def test_letters_edit_moving_a_requested_letter_onto_the_rotation_cancels_it(ctx: Context) -> None:
    letter_id, _, draft_id = _planned_letter(ctx)
    other = add_supervised_rotation(ctx, start=date(2026, 9, 1), end=date(2026, 9, 28))
    writer = add_contact(ctx, "Dr. Lee Other", rotation_id=other, role="attending", email="lee@hospital.example")
    assert writer.id is not None
    asked = add_letter_request(ctx, writer.id, rotation_id=other, status="requested")
    assert asked.id is not None
    with ctx.db.read() as session:
        rotation_id = session.get(Reminder, draft_id).rotation_id  # type: ignore[union-attr]
    edit_letter(ctx, asked.id, rotation_id=rotation_id)  # it was asked for this rotation, entered on the wrong one
    # Dr. Writer's own letter is still planned: asking Dr. Other is not asking her (test_letter_two_writers41).
    assert _row(ctx, draft_id).status == "pending"
    from imgcoach.plan.people import set_letter_status

    set_letter_status(ctx, letter_id, "requested")  # every letter of the rotation asked: nothing left to ask
    assert (_row(ctx, draft_id).status, _row(ctx, draft_id).note) == ("cancelled", LETTER_REQUESTED)
    assert letter_id != asked.id


def test_approve_and_retry_refuse_in_one_line_and_change_nothing(
        ctx: Context, cli_clock: object, capsys: pytest.CaptureFixture[str]) -> None:
    letter_id, opening_id, draft_id = _planned_letter(ctx)
    assert run_cli(capsys, "letters", "set-status", str(letter_id), "requested", "--db", ctx.db.url).code == 0
    assert opening_id not in outbox_view(ctx).awaiting  # no `a` offered on it
    with ctx.db.transaction(ctx.applicant_id) as session:  # a draft an older version left failed
        draft = session.get(Reminder, draft_id)
        assert draft is not None
        draft.status, draft.note, draft.last_error = "failed", "", "550 mailbox unavailable"
        session.add(draft)
    before = database_state(ctx.db.url)
    approved = run_cli(capsys, "reminders", "approve", str(opening_id), "--db", ctx.db.url)
    assert approved.code == 2
    assert approved.err.strip().splitlines() == [
        f"imgcoach: error: reminder {opening_id}: the letter was requested; there is no request left to approve"]
    retried = run_cli(capsys, "reminders", "retry", str(draft_id), "--db", ctx.db.url)
    assert retried.code == 2
    assert retried.err.strip().splitlines() == [
        f"imgcoach: error: reminder {draft_id}: the letter was requested; a retry would ask again"]
    assert database_state(ctx.db.url) == before


def test_one_rule_says_which_statuses_are_asked_for() -> None:
    """rules.letter_asked, the rule the sync, the approval, the retry and the drafts' addressee share."""
    from imgcoach.reminders.rules import letter_asked

    assert [s for s in LETTER_STATUSES if letter_asked(s)] == ["requested", "agreed", "uploaded", "declined"]
