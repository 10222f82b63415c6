"""Supervisors, letters of recommendation and cases worth remembering."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import col, select

from imgcoach.core.context import Context
from imgcoach.plan.rules import validation as v
from imgcoach.plan.rules.vocab import CONTACT_ROLES, LETTER_STATUSES
from imgcoach.reminders import sync_rotation_reminders
from imgcoach.storage.applicants import current_applicant, owned
from imgcoach.storage.models import CaseNote, Contact, LetterRequest, Rotation, RotationContact

# The date field each letter status stamps when the letter moves into it.
STATUS_DATE_FIELD = {
    "requested": "requested_on", "agreed": "agreed_on", "uploaded": "uploaded_on", "declined": "declined_on",
}


def add_contact(ctx: Context, name: str, *, rotation_id: int | None = None, role: str = "supervisor",
                **values: Any) -> Contact:
    v.raise_if_any(
        v.check_required(name, field="name"),
        v.check_email(values["email"]) if values.get("email") else None,
        v.check_choice(role, CONTACT_ROLES, field="role"),
    )
    with ctx.db.transaction() as session:
        applicant = current_applicant(session, ctx)
        contact = Contact(applicant_id=applicant.id, name=name, **values)
        session.add(contact)
        session.flush()
        if rotation_id is not None:
            owned(session, Rotation, rotation_id, applicant, "rotation")
            session.add(RotationContact(rotation_id=rotation_id, contact_id=contact.id, role=role))
        return contact


def list_contacts(ctx: Context) -> list[Contact]:
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        return list(session.exec(select(Contact).where(Contact.applicant_id == applicant.id).order_by(Contact.name)).all())


def add_letter_request(ctx: Context, writer_id: int, *, rotation_id: int | None = None, status: str = "planned",
                       due_on: date | None = None, notes: str = "") -> LetterRequest:
    v.raise_if_any(v.check_choice(status, LETTER_STATUSES, field="status"))
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        applicant = current_applicant(session, ctx)
        owned(session, Contact, writer_id, applicant, "contact")
        if rotation_id is not None:
            owned(session, Rotation, rotation_id, applicant, "rotation")
        letter = LetterRequest(applicant_id=applicant.id, writer_id=writer_id, rotation_id=rotation_id, status=status,
                               due_on=due_on, notes=notes, updated_at=now)
        _stamp(letter, status, now.date())
        session.add(letter)
        session.flush()
        _resync(session, ctx, applicant, rotation_id, now)
        return letter


def set_letter_status(ctx: Context, letter_id: int, status: str, *, on: date | None = None,
                      eras_letter_id: str | None = None) -> LetterRequest:
    """Move a letter card. Once requested, the rotation's remaining request reminders stop."""
    v.raise_if_any(v.check_choice(status, LETTER_STATUSES, field="status"))
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        applicant = current_applicant(session, ctx)
        letter = owned(session, LetterRequest, letter_id, applicant, "letter request")
        letter.status, letter.updated_at = status, now
        _stamp(letter, status, on or now.date())
        if eras_letter_id is not None:
            letter.eras_letter_id = eras_letter_id
        session.add(letter)
        session.flush()
        _resync(session, ctx, applicant, letter.rotation_id, now)
        return letter


def letters_with_people(applicant_id: int):  # type: ignore[no-untyped-def]
    """The applicant's letter requests, each with its writer and (if any) its rotation."""
    return (
        select(LetterRequest, Contact, Rotation)
        .join(Contact, col(LetterRequest.writer_id) == col(Contact.id))
        .join(Rotation, col(LetterRequest.rotation_id) == col(Rotation.id), isouter=True)
        .where(LetterRequest.applicant_id == applicant_id)
    )


def list_letters(ctx: Context) -> list[tuple[LetterRequest, Contact, Rotation | None]]:
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        rows = session.exec(letters_with_people(applicant.id).order_by(col(LetterRequest.id))).all()
        return [tuple(r) for r in rows]  # type: ignore[misc]


def add_case(ctx: Context, rotation_id: int, title: str, *, summary: str = "", tags: list[str] | None = None,
             occurred_on: date | None = None) -> CaseNote:
    v.raise_if_any(v.check_required(title, field="title"))
    with ctx.db.transaction() as session:
        rotation = owned(session, Rotation, rotation_id, current_applicant(session, ctx), "rotation")
        if occurred_on is not None and not rotation.start_date <= occurred_on <= rotation.end_date:
            raise v.ValidationError([v.FieldError("occurred_on", occurred_on.isoformat(),
                                                  f"outside the rotation ({rotation.start_date} to {rotation.end_date})")])
        case = CaseNote(rotation_id=rotation_id, title=title, summary=summary, tags=tags or [], occurred_on=occurred_on)
        session.add(case)
        session.flush()
        return case


def _stamp(letter: LetterRequest, status: str, day: date) -> None:
    field = STATUS_DATE_FIELD.get(status)
    if field and getattr(letter, field) is None:
        setattr(letter, field, day)


def _resync(session, ctx: Context, applicant, rotation_id: int | None, now) -> None:  # type: ignore[no-untyped-def]
    if rotation_id is not None:
        rotation = session.get(Rotation, rotation_id)
        if rotation is not None:
            sync_rotation_reminders(session, ctx, applicant, rotation, now)
