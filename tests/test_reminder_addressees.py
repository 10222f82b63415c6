"""A letter request's draft goes to the writer of the rotation's planned letter, as the Letters board's does.

Quirk: with Dr. Jane Okafor as the rotation's supervisor and a letter planned from its attending, Dr. Sam Reyes,
the letter reminder's e-mail said "The window to ask Dr. Jane Okafor for a letter ... is open" with a draft
"Dear Dr. Jane Okafor", and `reminders approve` queued it to her: the board's draft for the same letter was
addressed to Dr. Reyes. The feedback and thank-you drafts still go to the supervisor.
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.plan.people import add_contact, add_letter_request
from imgcoach.reminders import approve_draft, list_reminders, outbox_view, reminder_preview
from tests.daemon_helpers import add_supervised_rotation


def _rotation_with_planned_letter(ctx: Context, *, writer_email: str) -> tuple[int, int]:
    rotation_id = add_supervised_rotation(ctx, start=date(2026, 11, 16), end=date(2026, 12, 11))  # under way
    writer = add_contact(ctx, "Dr. Sam Reyes", rotation_id=rotation_id, role="attending", email=writer_email)
    assert writer.id is not None
    add_letter_request(ctx, writer.id, rotation_id=rotation_id, status="planned")
    return rotation_id, writer.id


def _reminder(ctx: Context, kind: str) -> int:
    return next(r.id for r in list_reminders(ctx) if r.kind == kind and r.status == "pending")


def test_the_letter_request_draft_is_addressed_to_the_planned_letters_writer(ctx: Context) -> None:
    _rotation_with_planned_letter(ctx, writer_email="sam.reyes@hospital.example")
    letter = reminder_preview(ctx, _reminder(ctx, "letter_request_open"))
    assert "The window to ask Dr. Sam Reyes for a letter" in letter.text
    assert "Dear Dr. Sam Reyes," in letter.text and "To:      sam.reyes@hospital.example" in letter.text
    assert "Letter writer: Dr. Sam Reyes <sam.reyes@hospital.example>" in letter.text
    assert "Okafor" not in letter.text
    feedback = reminder_preview(ctx, _reminder(ctx, "mid_rotation_feedback"))
    assert "Supervisor: Dr. Jane Okafor <jane.okafor@hospital.example>" in feedback.text
    assert "Reyes" not in feedback.text

    draft = approve_draft(ctx, _reminder(ctx, "letter_request_last_call"))
    assert draft.recipient == "sam.reyes@hospital.example"
    assert approve_draft(ctx, _reminder(ctx, "thank_you")).recipient == "jane.okafor@hospital.example"


def test_a_writer_without_an_address_is_named_and_not_offered_for_approval(ctx: Context) -> None:
    _rotation_with_planned_letter(ctx, writer_email="")
    letter_id = _reminder(ctx, "letter_request_open")
    assert "Dr. Sam Reyes, the planned letter's writer, has no e-mail address yet" in reminder_preview(
        ctx, letter_id).text
    with pytest.raises(UserError, match="the planned letter's writer, Dr. Sam Reyes, has no e-mail address"):
        approve_draft(ctx, letter_id)
    view = outbox_view(ctx)
    assert letter_id not in view.awaiting and _reminder(ctx, "mid_rotation_feedback") in view.awaiting


def test_a_rotation_with_no_supervisor_says_so_when_asked_to_approve(ctx: Context) -> None:
    """It said "the rotation's supervisor has no e-mail address" of a rotation with no supervisor at all."""
    from imgcoach.plan.rotations import add_rotation

    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Nobody Yet",
                            start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    feedback = next(r.id for r in list_reminders(ctx) if r.rotation_id == rotation.id
                    and r.kind == "mid_rotation_feedback")
    with pytest.raises(UserError, match=f"the rotation has no supervisor or attending to write to; add one with "
                                        f"`imgcoach contacts add --rotation {rotation.id} "):
        approve_draft(ctx, feedback)


async def test_the_outbox_asks_to_send_the_letter_draft_to_its_writer(ctx: Context) -> None:
    """The dialog asked "Send its supervisor draft to the rotation's supervisor?" of every rotation reminder."""
    from imgcoach.tui.screens.outbox_screen import OutboxScreen
    from imgcoach.tui.widgets.dialogs import ConfirmScreen
    from tests.tui_helpers import app_for, press

    _rotation_with_planned_letter(ctx, writer_email="sam.reyes@hospital.example")
    letter = _reminder(ctx, "letter_request_open")
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "o")
        screen = app.screen
        assert isinstance(screen, OutboxScreen)
        order = list(screen.reminders)
        await press(pilot, *["down"] * order.index(letter))
        assert screen.selected_id() == letter
        await press(pilot, "A")
        assert isinstance(app.screen, ConfirmScreen)
        message = " ".join(str(app.screen.message).split())
        assert "Send its draft to Dr. Sam Reyes <sam.reyes@hospital.example>?" in message, message


def test_refusals_name_times_in_the_applicants_zone(ctx: Context) -> None:
    """`reminders retry` and `approve` said "expired on 2026-11-02 05:00 UTC" where every screen says the
    applicant's time (New York here)."""
    from datetime import UTC, datetime

    from sqlmodel import select

    from imgcoach.reminders import retry_reminder
    from imgcoach.storage.models import Reminder

    add_supervised_rotation(ctx, start=date(2026, 11, 16), end=date(2026, 12, 11))
    feedback = _reminder(ctx, "mid_rotation_feedback")
    with ctx.db.transaction() as session:
        row = session.exec(select(Reminder).where(Reminder.id == feedback)).one()
        row.status, row.expires_at = "failed", datetime(2026, 11, 20, 5, 0, tzinfo=UTC)
        session.add(row)
    with pytest.raises(UserError, match=r"expired on 2026-11-20 00:00 EST; it would be missed"):
        retry_reminder(ctx, feedback)


def test_a_cardiology_observership_is_on_the_cardiology_service_in_every_draft(ctx: Context) -> None:
    """Typed "Cardiology", a rotation is stored as Internal Medicine experience with Cardiology as its department;
    its drafts told the cardiologist "my observership on your Internal Medicine service". A department that names
    no fellowship of the specialty ("4 West") leaves the specialty."""
    from imgcoach.plan import letter_board, letter_draft
    from imgcoach.plan.rotations import add_rotation

    rotation = add_rotation(ctx, kind="observership", specialty="Cardiology", institution="Heart Center (fictional)",
                            start_date=date(2026, 11, 16), end_date=date(2026, 12, 11))
    assert (rotation.specialty, rotation.department) == ("Internal Medicine", "Cardiology")
    writer = add_contact(ctx, "Dr. Ana Ruiz", rotation_id=rotation.id, role="supervisor", email="ana@heart.example")
    assert writer.id is not None
    add_letter_request(ctx, writer.id, rotation_id=rotation.id, status="planned")
    (card,) = letter_board(ctx)
    board = letter_draft(ctx, card.letter.id)
    assert "on your Cardiology service at Heart Center (fictional)" in board.body and "Internal" not in board.body
    reminder = reminder_preview(ctx, _reminder(ctx, "letter_request_open"))
    assert "on your Cardiology service" in reminder.text
    assert reminder_preview(ctx, _reminder(ctx, "mid_rotation_feedback")).subject.endswith(
        "Ask for feedback: Cardiology at Heart Center (fictional)")

    ward = add_rotation(ctx, kind="observership", specialty="Internal Medicine", department="4 West",
                        institution="Ward Hospital (fictional)", start_date=date(2027, 3, 1), end_date=date(2027, 3, 26))
    feedback = next(r.id for r in list_reminders(ctx) if r.rotation_id == ward.id and r.kind == "mid_rotation_feedback")
    assert reminder_preview(ctx, feedback).subject.endswith("Internal Medicine at Ward Hospital (fictional)")


def test_an_approved_draft_is_addressed_to_the_person_whose_address_it_goes_to(ctx: Context) -> None:
    """The name in "Dear ..." is the recipient's: a letter draft approved to the writer greets the writer, and one
    queued to the supervisor before this rule (its stored recipient) still greets the supervisor."""
    from sqlmodel import select

    from imgcoach.storage.models import Reminder

    _rotation_with_planned_letter(ctx, writer_email="sam.reyes@hospital.example")
    draft = approve_draft(ctx, _reminder(ctx, "letter_request_open"))
    sent = reminder_preview(ctx, draft.id)
    assert sent.to == "sam.reyes@hospital.example" and "Dear Dr. Sam Reyes," in sent.text
    with ctx.db.transaction() as session:  # as a draft approved before the rule was queued
        row = session.exec(select(Reminder).where(Reminder.id == draft.id)).one()
        row.recipient = "jane.okafor@hospital.example"
        session.add(row)
    legacy = reminder_preview(ctx, draft.id)
    assert legacy.to == "jane.okafor@hospital.example" and "Dear Dr. Jane Okafor," in legacy.text
