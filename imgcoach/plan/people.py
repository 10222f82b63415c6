"""Supervisors and other contacts, and the letter requests they write: add, edit, delete, status.

The letter board (windows, drafts, moving cards) is letters.py; cases are cases.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select

from imgcoach.core.clock import local_date, local_today
from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError, NotFound
from imgcoach.core.ids import saved_id
from imgcoach.plan.edits import Loaded, check_loaded
from imgcoach.plan.rules import validation as v
from imgcoach.plan.rules.vocab import CONTACT_ROLES, LETTER_STATUSES
from imgcoach.reminders import (
    Readdressed,
    Redrafted,
    cancel_for_removed_letter,
    cancel_mail_to_removed_contact,
    mail_to_removed_contact,
    readdress_mail_to_contact,
    removed_letter_drafts,
    sync_rotation_reminders,
)
from imgcoach.storage.applicants import current_applicant, owned
from imgcoach.storage.models import Applicant, Contact, LetterRequest, Reminder, Rotation, RotationContact

CONTACT_FIELDS = ("name", "title", "email", "phone", "institution", "notes")  # what a person's form can change

# The date field each letter status stamps when the letter moves into it.
STATUS_DATE_FIELD = {
    "requested": "requested_on", "agreed": "agreed_on", "uploaded": "uploaded_on", "declined": "declined_on",
}


ONE_LINE_CONTACT_FIELDS = ("title", "institution", "phone")  # the name is checked as required


def add_contact(ctx: Context, name: str, *, rotation_id: int | None = None, role: str = "supervisor",
                **values: Any) -> Contact:
    v.raise_if_any(
        v.check_required(name, field="name"),
        v.check_email(values["email"]) if values.get("email") else None,
        v.check_choice(role, CONTACT_ROLES, field="role"),
        *v.check_one_line_fields(values, ONE_LINE_CONTACT_FIELDS),
    )
    if values.get("email"):
        values["email"] = v.stored_email(values["email"])
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        contact = Contact(applicant_id=saved_id(applicant.id), name=name, **values)
        session.add(contact)
        session.flush()
        if rotation_id is not None:
            owned(session, Rotation, rotation_id, applicant, "rotation")
            session.add(RotationContact(rotation_id=rotation_id, contact_id=saved_id(contact.id), role=role))
        return contact


def list_contacts(ctx: Context) -> list[Contact]:
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        return list(session.exec(select(Contact).where(Contact.applicant_id == applicant.id).order_by(Contact.name)).all())


# The statuses of a letter not in hand yet (nor declined): one whose due date has passed is late, or mistyped.
LETTER_TO_COME = ("planned", "requested", "agreed")


def due_passed(due_on: date | None, status: str, today: date) -> bool:
    """Whether a due date given to a letter still to come has already passed: `letters add --due 1999-01-01` was
    stored without a word. Accepted (a letter asked for long ago may be late), but said, as a rotation's odd dates
    are: the one rule `letters add/edit` and the app's letter forms say (LetterSaved.due_warning)."""
    return due_on is not None and due_on < today and status in LETTER_TO_COME


@dataclass(frozen=True)
class LetterSaved:
    """A letter request added or edited, and `passed` (the due date given, today) when that date had already
    passed for a letter still to come; the words are composed here once for every face."""

    letter: LetterRequest
    passed: tuple[date, date] | None = None

    def due_warning(self, name: str, fix: str) -> str:
        """"--due: 1999-01-01 has already passed (today is 2026-12-06); kept as given: ..." ("" when it has not),
        the field called `name` as the face calls it, `fix` saying how to change it there."""
        if self.passed is None:
            return ""
        due, today = self.passed
        return f"{name}: {due.isoformat()} has already passed (today is {today.isoformat()}); kept as given: {fix}"


def add_letter_request(ctx: Context, writer_id: int, *, rotation_id: int | None = None, status: str = "planned",
                       due_on: date | None = None, notes: str = "") -> LetterRequest:
    """`plan_letter_request`'s letter, for callers with nothing to say of its due date (the demo, a rotation's
    first letter)."""
    return plan_letter_request(ctx, writer_id, rotation_id=rotation_id, status=status, due_on=due_on,
                               notes=notes).letter


def plan_letter_request(ctx: Context, writer_id: int, *, rotation_id: int | None = None, status: str = "planned",
                        due_on: date | None = None, notes: str = "") -> LetterSaved:
    """A new letter request; its due date said when it has already passed (`due_passed`)."""
    v.raise_if_any(v.check_choice(status, LETTER_STATUSES, field="status"))
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        owned(session, Contact, writer_id, applicant, "contact")
        rotation = owned(session, Rotation, rotation_id, applicant, "rotation") if rotation_id is not None else None
        today = local_today(ctx.clock, applicant.timezone)  # the applicant's day, as cases and log weeks use
        _check_written_after_start(status, today, rotation)
        letter = LetterRequest(applicant_id=saved_id(applicant.id), writer_id=writer_id, rotation_id=rotation_id, status=status,
                               due_on=due_on, notes=notes, updated_at=now)
        _stamp(letter, status, today)
        session.add(letter)
        session.flush()
        _resync(session, ctx, applicant, rotation_id, now)
        return LetterSaved(letter, (due_on, today) if due_on is not None and due_passed(due_on, status, today)
                           else None)


def set_letter_status(ctx: Context, letter_id: int, status: str, *, on: date | None = None,
                      eras_letter_id: str | None = None) -> LetterRequest:
    """Move a letter card. Once requested, the rotation's remaining request reminders stop."""
    v.raise_if_any(v.check_choice(status, LETTER_STATUSES, field="status"))
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        return set_letter_status_in(session, ctx, current_applicant(session, ctx), letter_id, status, now, on=on,
                                    eras_letter_id=eras_letter_id)


def set_letter_status_in(session: Any, ctx: Context, applicant: Applicant, letter_id: int, status: str,
                         now: datetime, *, on: date | None = None, eras_letter_id: str | None = None) -> LetterRequest:
    """`set_letter_status` inside the caller's transaction (undo records around a card move)."""
    letter = owned(session, LetterRequest, letter_id, applicant, "letter request")
    today = local_date(now, applicant.timezone)  # the applicant's day, not UTC's
    # The day a letter was asked for, agreed or uploaded has happened: a later one was stored and shown as
    # "uploaded on 2030-01-01", counted as in hand today (outreach's --on and exam results refuse it too).
    v.raise_if_any(v.check_not_after(on, today, field="on", then="give the day it happened"))
    day = on or today
    v.raise_if_any(_check_after_earlier_steps(letter, status, day, given=on is not None))
    if status != letter.status or on is not None:  # one recorded before this rule stays movable back and forth
        _check_written_after_start(status, day, session.get(Rotation, letter.rotation_id)
                                   if letter.rotation_id is not None else None, today)
    letter.status, letter.updated_at = status, now
    _stamp(letter, status, day, given=on is not None)
    if eras_letter_id is not None:
        letter.eras_letter_id = eras_letter_id
    session.add(letter)
    session.flush()
    _resync(session, ctx, applicant, letter.rotation_id, now)
    session.flush()
    return letter


def letters_with_people(applicant_id: int):
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
        rows = session.exec(letters_with_people(saved_id(applicant.id)).order_by(col(LetterRequest.id))).all()
        return [tuple(r) for r in rows]


def _check_written_after_start(status: str, day: date, rotation: Rotation | None, today: date | None = None) -> None:
    """An uploaded letter about a rotation that has not begun is not a letter yet: readiness would count it
    among the recent host-country letters. Refused, naming the rotation; requested and agreed stay possible
    (a writer may promise a letter in advance). `today`: a rotation begun by then is not "not started yet"
    when an earlier `day` is given (--on): the refusal names the day it began."""
    if status == "uploaded" and rotation is not None and day < rotation.start_date:
        if today is not None and rotation.start_date <= today:  # begun by now: the day given is the error
            raise FieldError("status", status, f"the rotation at {rotation.institution} began on "
                             f"{rotation.start_date}, after {day}, so its letter cannot have been uploaded by then; "
                             "give the day it was uploaded")
        raise FieldError("status", status, f"the rotation at {rotation.institution} has not started yet, so its "
                         "letter cannot have been uploaded; mark it requested or agreed until the writer has "
                         "supervised you and uploaded it")


def check_uploaded_before(session: Any, rotation_id: int, start: date) -> None:
    """A rotation's start moved after the day its letter was uploaded would make that letter one written before the
    writer had supervised the applicant, counted by readiness as recent (what `_check_written_after_start` refuses
    when the status is set): refused, naming the letter and its day."""
    row = session.exec(
        select(LetterRequest, Contact).join(Contact, col(LetterRequest.writer_id) == col(Contact.id))
        .where(LetterRequest.rotation_id == rotation_id, LetterRequest.status == "uploaded",
               col(LetterRequest.uploaded_on) < start)
        .order_by(col(LetterRequest.uploaded_on))
    ).first()
    if row is not None:
        letter, writer = row
        raise FieldError("start_date", start.isoformat(), f"the letter from {writer.name} for this rotation was "
                         f"uploaded on {letter.uploaded_on}, before {start}: a rotation that starts then cannot "
                         f"have given it (tie letter {letter.id} to its own rotation first: `imgcoach letters edit "
                         f"{letter.id} --rotation N`, or Letters, e in the app)")


# The steps a status follows: a letter is agreed, uploaded or declined after it was asked for.
_EARLIER_STEPS = {"agreed": ("requested",), "uploaded": ("requested", "agreed"), "declined": ("requested", "agreed")}


def _check_after_earlier_steps(letter: LetterRequest, status: str, day: date, *, given: bool = False) -> FieldError | None:
    """The day a status is stamped with comes on or after the days of the steps before it: `--on` stored
    "agreed on 2026-11-01" beside "requested 2026-11-25", the writer agreeing before being asked."""
    field = STATUS_DATE_FIELD.get(status)
    if field is None or (getattr(letter, field) is not None and not given):  # _stamp keeps a day already recorded
        return None
    for earlier in _EARLIER_STEPS.get(status, ()):
        then = getattr(letter, STATUS_DATE_FIELD[earlier])
        if then is not None and day < then:
            return FieldError("on", day.isoformat(), f"before the letter was {earlier} ({then}): give the day it "
                              "happened")
    return None


def _stamp(letter: LetterRequest, status: str, day: date, *, given: bool = False) -> None:
    """The day the letter reached `status`: kept once recorded (a card moved back and forth keeps it), replaced
    when `given` (--on): the day typed was ignored, and "now agreed" said nothing of it. A recorded day now
    before a step it follows is replaced too: asked again on 20 November after an agreement on 5 November fell
    through, the letter moved on to agreed kept "agreed 2026-11-05" beside "requested 2026-11-20"."""
    field = STATUS_DATE_FIELD.get(status)
    if field is None:
        return
    kept = getattr(letter, field)
    before = [then for earlier in _EARLIER_STEPS.get(status, ())
              if (then := getattr(letter, STATUS_DATE_FIELD[earlier])) is not None]
    if given or kept is None or any(kept < then for then in before):
        setattr(letter, field, day)


def _resync(session, ctx: Context, applicant, rotation_id: int | None, now) -> None:
    if rotation_id is not None:
        rotation = session.get(Rotation, rotation_id)
        if rotation is not None:
            sync_rotation_reminders(session, ctx, applicant, rotation, now)


def resync_rotations(session: Any, ctx: Context, applicant: Applicant, rotation_ids: set[int], now: datetime) -> None:
    """Re-derive the reminders of rotations whose people or letters changed, in the caller's transaction
    (a rotation that loses its letter request gets its ask-for-a-letter reminders back)."""
    for rotation_id in sorted(rotation_ids):
        rotation = session.get(Rotation, rotation_id)
        if rotation is not None:
            sync_rotation_reminders(session, ctx, applicant, rotation, now)


@dataclass(frozen=True)
class ContactUse:
    """What deleting a person takes with them, for the confirmation dialog."""

    contact: Contact
    rotations: tuple[str, ...]  # "Specialty, Institution" of each rotation they are on
    letters: int
    pending_letter_reminders: int
    # Approved e-mails asking them for a letter, not sent yet, that deleting them cancels (removed_letter_drafts,
    # the rule the delete applies; its toast counts them among the cancelled reminders). The dialog left them out.
    approved_emails: int = 0
    # Other e-mails to them not sent yet (a progress update, an approved feedback request) that deleting them cancels
    # (reminders.mail_to_removed_contact, the rule the delete applies): left pending, they still went to them.
    other_emails: int = 0


def contact_use(ctx: Context, contact_id: int) -> ContactUse:
    with ctx.db.read() as session:
        contact = owned(session, Contact, contact_id, current_applicant(session, ctx), "contact")
        rotations = session.exec(
            select(Rotation).join(RotationContact, col(RotationContact.rotation_id) == col(Rotation.id))
            .where(RotationContact.contact_id == contact_id).order_by(col(Rotation.start_date))
        ).all()
        letters = session.exec(select(LetterRequest).where(LetterRequest.writer_id == contact_id)).all()
        rotation_ids = {lt.rotation_id for lt in letters if lt.rotation_id is not None}
        pending = session.exec(
            select(func.count(col(Reminder.id))).where(
                col(Reminder.rotation_id).in_(rotation_ids), Reminder.status == "pending",
                col(Reminder.kind).in_(("letter_request_open", "letter_request_last_call")))
        ).one() if rotation_ids else 0
        letter_drafts = {row.id for rid in sorted(rotation_ids)
                         for row in removed_letter_drafts(session, rid, contact.email, leaving_writer=contact_id)}
        others = {row.id for row in mail_to_removed_contact(session, current_applicant(session, ctx), contact.email,
                                                            leaving_contact=contact_id)} - letter_drafts
    return ContactUse(contact, tuple(f"{r.specialty}, {r.institution}" for r in rotations), len(letters), pending,
                      len(letter_drafts), len(others))


@dataclass(frozen=True)
class ContactEdited:
    """A person edited, and what a changed e-mail address did to the e-mails to them not sent yet (None when the
    address did not change): reminders.readdress_mail_to_contact, the rule; `words` the faces print."""

    contact: Contact
    readdressed: Readdressed | None = None
    # A new name: what it did to the e-mails not sent yet that name them (coach.edit_contact_and_drafts); None
    # when the name did not change, or the edit was plan.edit_contact's alone.
    redrafted: Redrafted | None = None
    old_name: str = ""

    def words(self) -> str:
        """What the edit did besides saving the person ("" when nothing): the CLI's line and the app's toast."""
        said = [edit.words() for edit in (self.readdressed, self.redrafted) if edit is not None]
        return "; ".join(w for w in said if w)


def edit_contact(ctx: Context, contact_id: int, *, rotation_id: int | None = None, role: str | None = None,
                 loaded: Loaded | None = None, **values: Any) -> ContactEdited:
    """Name, title, e-mail... of a person; with rotation_id, also their role on that rotation. A new e-mail
    address takes the e-mails to them not sent yet with it, those approved for the old one back to awaiting
    approval (reminders.readdress_mail_to_contact).

    `loaded`: the contact as a form loaded it; EditConflict when another process changed it since."""
    with ctx.db.transaction(ctx.applicant_id) as session:
        return edit_contact_in(session, ctx, contact_id, rotation_id=rotation_id, role=role, loaded=loaded, **values)


def edit_contact_in(session: Any, ctx: Context, contact_id: int, *, rotation_id: int | None = None,
                    role: str | None = None, loaded: Loaded | None = None, **values: Any) -> ContactEdited:
    """`edit_contact` in the caller's transaction, its values checked (coach.edit_contact_and_drafts redrafts what
    names the person)."""
    v.raise_if_any(
        v.check_required(values["name"], field="name") if "name" in values else None,
        v.check_email(values["email"]) if values.get("email") else None,
        v.check_choice(role, CONTACT_ROLES, field="role") if role is not None else None,
        *v.check_one_line_fields(values, ONE_LINE_CONTACT_FIELDS),
    )
    if values.get("email"):
        values["email"] = v.stored_email(values["email"])
    applicant = current_applicant(session, ctx)
    contact = owned(session, Contact, contact_id, applicant, "contact")
    check_loaded(contact, loaded, CONTACT_FIELDS, "contact", str((loaded or {}).get("name") or contact.name))
    old_email, old_name = contact.email or "", contact.name
    if rotation_id is not None:
        owned(session, Rotation, rotation_id, applicant, "rotation")  # never link another applicant's row
    for key, value in values.items():
        if key not in Contact.model_fields or key in ("id", "applicant_id"):
            raise FieldError(key, value, "is not a contact field")
        setattr(contact, key, value)
    session.add(contact)
    if rotation_id is not None and role is not None:
        link = session.exec(select(RotationContact).where(
            RotationContact.rotation_id == rotation_id, RotationContact.contact_id == contact_id)).first()
        if link is None:
            raise NotFound(f"contact {contact_id} is not on rotation {rotation_id}")
        link.role = role
        session.add(link)
    session.flush()
    readdressed = None
    if "email" in values and (contact.email or "") != old_email:
        readdressed = readdress_mail_to_contact(session, applicant, contact_id, old_email, contact.email or "",
                                                ctx.clock.now())
        session.flush()
    return ContactEdited(contact, readdressed, old_name=old_name)


def remove_contact(ctx: Context, contact_id: int) -> ContactUse:
    """Delete a person with their rotation roles and their letter requests; what those letters left unsent is
    cancelled (reminders.cancel_for_removed_letter) and the rotations' reminders are derived again; any other
    e-mail to them not sent yet is cancelled too (reminders.cancel_mail_to_removed_contact)."""
    use = contact_use(ctx, contact_id)
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        delete_contact_in(session, ctx, current_applicant(session, ctx), contact_id, now)
    return use


def delete_contact_in(session: Any, ctx: Context, applicant: Applicant, contact_id: int, now: datetime) -> Contact:
    """`remove_contact` inside the caller's transaction (undo records around it)."""
    contact = owned(session, Contact, contact_id, applicant, "contact")
    letters = session.exec(select(LetterRequest).where(LetterRequest.writer_id == contact_id)).all()
    touched = {lt.rotation_id for lt in letters if lt.rotation_id is not None}
    for letter in letters:
        session.execute(update(Reminder).where(col(Reminder.letter_id) == letter.id).values(letter_id=None))
        session.delete(letter)
    for link in session.exec(select(RotationContact).where(RotationContact.contact_id == contact_id)).all():
        session.delete(link)
    session.flush()
    session.delete(contact)
    session.flush()
    for rotation_id in sorted(touched):  # what their letters left unsent, as `letters remove` cancels it
        cancel_for_removed_letter(session, rotation_id, contact.email, now)
    resync_rotations(session, ctx, applicant, touched, now)
    cancel_mail_to_removed_contact(session, applicant, contact.email, now, leaving_contact=contact_id)
    session.flush()
    return contact
