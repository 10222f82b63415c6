"""The app's dialog before deleting a person names the approved e-mails asking them for a letter that the delete
cancels: it named their letter requests and rotations only, and the toast after the yes then counted those
e-mails among the cancelled reminders. One count (reminders.removed_letter_drafts) for the dialog and the delete.
Real SQLite/PostgreSQL on the demo data, the app under Pilot, time from the context's FixedClock."""

from __future__ import annotations

from sqlmodel import select

from imgcoach.core.context import Context
from imgcoach.plan.people import contact_use, list_contacts
from imgcoach.plan.rotations import list_rotations
from imgcoach.reminders import SUPERVISOR_DRAFT, approve_draft
from imgcoach.storage.models import Reminder
from tests.tui_helpers import SIZE, app_for, ask_to_delete_person, press


async def test_the_delete_person_dialog_names_the_approved_e_mail_it_cancels(demo_ctx: Context) -> None:
    rotation = list_rotations(demo_ctx)[1]  # Lakeview: Dr. Nair's letter is planned, so its request goes to her
    nair = next(c for c in list_contacts(demo_ctx) if "Nair" in c.name)
    with demo_ctx.db.read() as session:
        opening = session.exec(select(Reminder.id).where(Reminder.rotation_id == rotation.id,
                                                         Reminder.kind == "letter_request_open")).one()
    draft = approve_draft(demo_ctx, opening)
    assert draft.recipient == nair.email and draft.id is not None
    assert contact_use(demo_ctx, nair.id).approved_emails == 1  # type: ignore[arg-type]
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "down", "enter")
        message = await ask_to_delete_person(pilot, nair.id)  # type: ignore[arg-type]
        assert "1 approved e-mail asking them for a letter, not sent yet, is cancelled." in message, message
        await press(pilot, "y")
    with demo_ctx.db.read() as session:
        drafts = session.exec(select(Reminder).where(Reminder.rotation_id == rotation.id,
                                                     Reminder.template_key == SUPERVISOR_DRAFT)).all()
    assert [(d.id, d.status) for d in drafts] == [(draft.id, "cancelled")], "the delete cancelled what it named"
