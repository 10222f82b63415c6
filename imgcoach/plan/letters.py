"""The letter board: when to ask, what to send, moving a card; editing and deleting a letter request.

Adding a letter request and changing its status stay in people.py (with the writer they belong to).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from types import EllipsisType
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select

from imgcoach.core.clock import local_date
from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError, UserError
from imgcoach.core.ids import saved_id
from imgcoach.core.vocab.specialties import service_name
from imgcoach.core.words import counted
from imgcoach.plan.people import (
    STATUS_DATE_FIELD,
    LetterSaved,
    _check_written_after_start,
    due_passed,
    letters_with_people,
    resync_rotations,
    set_letter_status,
)
from imgcoach.plan.profile import document_problem
from imgcoach.plan.rules.vocab import LETTER_STATUSES
from imgcoach.reminders import (
    LETTER_MOVED,
    LETTER_REWRITTEN,
    PACKET_CASES,
    PACKET_CV,
    PACKET_STATEMENT,
    cancel_for_removed_letter,
    letter_window,
    packet_items,
    rotation_kind_label,
)
from imgcoach.storage.applicants import current_applicant, owned
from imgcoach.storage.models import CaseNote, Contact, LetterRequest, Reminder, Rotation, RotationContact


def _rotation_info(session: Any, rotation: Rotation, writer: Contact | None = None) -> Any:
    from imgcoach.reminders import NO_SUPERVISOR, Person, RotationInfo

    if writer is None:
        writer = session.exec(
            select(Contact).join(RotationContact, col(RotationContact.contact_id) == col(Contact.id))
            .where(RotationContact.rotation_id == rotation.id).order_by(col(RotationContact.id))
        ).first()
    cases = session.exec(select(CaseNote.title).where(CaseNote.rotation_id == rotation.id)).all()
    supervisor = Person(writer.name, writer.email) if writer else Person(NO_SUPERVISOR, "")
    return RotationInfo(rotation.institution, service_name(rotation.specialty, rotation.department),
                        rotation.start_date, rotation.end_date,
                        supervisor, rotation_kind_label(rotation.kind), tuple(cases), id=rotation.id)


@dataclass(frozen=True)
class LetterCard:
    letter: LetterRequest
    writer: Contact
    rotation: Rotation | None
    window: tuple[date, date] | None  # when to ask: opens, last call
    pending_reminders: int
    last_call_passed: bool = False  # the window's last call is before today (the applicant's day)

    @property
    def status_day(self) -> date | None:
        """The day the letter reached its status (requested, agreed, uploaded, declined); None when planned or
        not recorded. Past planned, the window to ask is history: this day is what a card's detail gives."""
        field = STATUS_DATE_FIELD.get(self.letter.status)
        return getattr(self.letter, field) if field else None


@dataclass(frozen=True)
class PacketItem:
    name: str
    ready: bool
    detail: str
    # Why the packet would leave the named file out (plan.profile.document_problem: what `profile set` warns):
    # the checklist ticked a CV whose path names no file, which `coach packet` then left out.
    problem: str = ""


@dataclass(frozen=True)
class LetterDraft:
    subject: str
    to: str
    body: str
    packet: tuple[PacketItem, ...]
    dated: date | None = None  # the day it is written for: today, or the day the window opens (None: no rotation)
    note: str = ""  # why it is written for a later day than today ("" when it is today's)


def request_window(ctx: Context, rotation: Rotation) -> tuple[date, date]:
    """The days to ask for the letter: 4 weeks to 2 weeks before the end, never before the start."""
    return letter_window(rotation.start_date, rotation.end_date, ctx.settings.reminders)


def letter_board(ctx: Context) -> list[LetterCard]:
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        rows = session.exec(
            letters_with_people(saved_id(applicant.id)).order_by(col(Rotation.end_date), col(LetterRequest.id))
        ).all()
        pending = dict(
            session.exec(
                select(Reminder.rotation_id, func.count(col(Reminder.id)))
                .where(Reminder.applicant_id == applicant.id, Reminder.status == "pending")
                .group_by(col(Reminder.rotation_id))
            ).all()
        )
    today = local_date(ctx.clock.now(), applicant.timezone)
    cards = []
    for letter, writer, rotation in rows:
        window = request_window(ctx, rotation) if rotation else None
        cards.append(LetterCard(letter, writer, rotation, window, pending.get(rotation.id, 0) if rotation else 0,
                                last_call_passed=window is not None and window[1] < today))
    return cards


def letter_draft(ctx: Context, letter_id: int) -> LetterDraft:
    """The request e-mail to the writer (from the templates) and the packet checklist."""
    from imgcoach.reminders import MailRenderer, Person, ReminderMail, local_moment

    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        letter = owned(session, LetterRequest, letter_id, applicant, "letter request")
        writer = session.get(Contact, letter.writer_id)
        rotation = session.get(Rotation, letter.rotation_id) if letter.rotation_id else None
        info = _rotation_info(session, rotation, writer) if rotation else None
        cases = len(info.cases) if info else 0
    detail = {  # the items and their labels are reminders.packet_items' (the e-mail names the same ones)
        PACKET_CV: applicant.cv_path or "add its path in Profile",
        PACKET_STATEMENT: applicant.personal_statement_path or "add its path in Profile",
        PACKET_CASES: f"{counted(cases, 'case')} from this rotation" if cases else "add cases on the Rotations screen",
    }
    paths = {PACKET_CV: applicant.cv_path, PACKET_STATEMENT: applicant.personal_statement_path}
    packet = tuple(PacketItem(label, ready, detail[label], document_problem(paths.get(label))) for label, ready in
                   packet_items(applicant.cv_path, applicant.personal_statement_path, cases))
    if info is None or writer is None:
        body = "This letter is not tied to a rotation: write to the writer directly."
        return LetterDraft("Letter of recommendation", writer.email if writer else "", body, packet)
    assert rotation is not None  # info is None without a rotation (handled above)
    opens, last_call = request_window(ctx, rotation)
    today = local_date(ctx.clock.now(), applicant.timezone)
    # Written for the day it is meant to go out: before a rotation has begun, "I have been working with you
    # since <its start>" read as done, a day still to come. From the window's opening it is true, and the
    # reminder that opens the window sends these same words.
    dated = max(today, opens) if today < rotation.start_date else today
    due = local_moment(dated, applicant.timezone, ctx.settings.reminders) if dated > today else ctx.clock.now()
    note = (f"Written for {dated.day} {dated:%B %Y}, when the window to ask opens: the rotation begins "
            f"{rotation.start_date.day} {rotation.start_date:%B %Y}, so it would not be true today."
            if dated > today else "")
    mail = ReminderMail(
        reminder_id=0, kind="letter_request_open", applicant=Person(applicant.name, applicant.email),
        due=due, tz=applicant.timezone, message_id="preview@imgcoach", calendar_uid="preview",
        # The draft claims attached only a file that is there (reminders.packet_checklist, as the daemon's e-mail):
        # it said "I have attached: CV" under the checklist's "[!] CV" of a path naming no file.
        rotation=info, packet=tuple(item.name for item in packet if item.ready and not item.problem),
        packet_missing=tuple(item.name for item in packet if not item.ready),
        letter_deadline=last_call,
    )
    draft = MailRenderer().render_draft(mail)
    assert draft is not None
    return LetterDraft(draft.subject, draft.to, draft.body, packet, dated, note)


def move_letter(ctx: Context, letter_id: int, step: int) -> tuple[LetterRequest, int]:
    """Move a card one column (step -1 or +1); returns the letter and the change in pending reminders."""
    with ctx.db.read() as session:
        letter = owned(session, LetterRequest, letter_id, current_applicant(session, ctx), "letter request")
        before = _pending_count(session, letter.rotation_id)
    moved = set_letter_status(ctx, letter_id, next_status(letter.status, step))
    with ctx.db.read() as session:
        after = _pending_count(session, letter.rotation_id)
    return moved, after - before


def next_status(status: str, step: int) -> str:
    """The board column `step` (-1 or +1) away from `status`; a UserError past either end."""
    index = LETTER_STATUSES.index(status) + step
    if not 0 <= index < len(LETTER_STATUSES):
        raise UserError(f"the letter is already {status}: there is no column further that way")
    return LETTER_STATUSES[index]


def _pending_count(session: Any, rotation_id: int | None) -> int:
    if rotation_id is None:
        return 0
    return session.exec(
        select(func.count(col(Reminder.id))).where(Reminder.rotation_id == rotation_id, Reminder.status == "pending")
    ).one()


def edit_letter(ctx: Context, letter_id: int, *, writer_id: int | EllipsisType = ...,
                rotation_id: int | None | EllipsisType = ..., due_on: date | None | EllipsisType = ...,
                notes: str | EllipsisType = ...) -> LetterRequest:
    """`save_letter_edit`'s letter."""
    return save_letter_edit(ctx, letter_id, writer_id=writer_id, rotation_id=rotation_id, due_on=due_on,
                            notes=notes).letter


def save_letter_edit(ctx: Context, letter_id: int, *, writer_id: int | EllipsisType = ...,
                     rotation_id: int | None | EllipsisType = ..., due_on: date | None | EllipsisType = ...,
                     notes: str | EllipsisType = ...) -> LetterSaved:
    """Writer, rotation, due date and notes of a letter request; both rotations' reminders follow. A field left
    out (``...``) keeps its value: the app's form gives them all, `letters edit` only those typed. A due date
    changed to one already passed is said (people.due_passed); one kept as it was is not (the form gives it back
    on every save)."""
    if writer_id is None:
        raise FieldError("writer_id", writer_id, "choose who writes the letter")
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        letter = owned(session, LetterRequest, letter_id, applicant, "letter request")
        writer_id = letter.writer_id if writer_id is ... else writer_id
        rotation_id = letter.rotation_id if rotation_id is ... else rotation_id
        due_on = letter.due_on if due_on is ... else due_on
        notes = letter.notes if notes is ... else notes
        owned(session, Contact, writer_id, applicant, "contact")
        if rotation_id is not None:
            rotation = owned(session, Rotation, rotation_id, applicant, "rotation")
            if rotation_id != letter.rotation_id:  # an uploaded letter moved to a rotation not begun by its day
                today = local_date(now, applicant.timezone)
                _check_written_after_start(letter.status, letter.uploaded_on or today, rotation, today)
        today = local_date(now, applicant.timezone)
        passed = (due_on, today) if due_on is not None and due_on != letter.due_on and due_passed(
            due_on, letter.status, today) else None
        touched = {letter.rotation_id, rotation_id} - {None}
        was = (letter.writer_id, letter.rotation_id, session.get(Contact, letter.writer_id))
        letter.writer_id, letter.rotation_id, letter.due_on, letter.notes = writer_id, rotation_id, due_on, notes
        letter.updated_at = now
        session.add(letter)
        session.flush()
        if was[1] is not None and was[2] is not None and (was[0], was[1]) != (writer_id, rotation_id):
            # The approved e-mail asking the old writer for it on the old rotation is not sent, as when the letter
            # is removed: it stayed pending and went out asking someone the board no longer names for this letter.
            cancel_for_removed_letter(session, was[1], was[2].email, now,
                                      note=LETTER_REWRITTEN if was[0] != writer_id else LETTER_MOVED)
        resync_rotations(session, ctx, applicant, touched, now)
        return LetterSaved(letter, passed)


@dataclass(frozen=True)
class RemovedLetter:
    """A removed letter request and the reminders its removal cancelled (`reminders.cancel_for_removed_letter`)."""

    letter: LetterRequest
    cancelled: list[Reminder]


def remove_letter(ctx: Context, letter_id: int) -> RemovedLetter:
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        return delete_letter_in(session, ctx, current_applicant(session, ctx), letter_id, now)


def delete_letter_in(session: Any, ctx: Context, applicant: Any, letter_id: int, now: datetime) -> RemovedLetter:
    """`remove_letter` inside the caller's transaction (undo records around it): what the letter left unsent is
    cancelled in the same transaction, then its rotation's reminders follow."""
    letter = owned(session, LetterRequest, letter_id, applicant, "letter request")
    writer = session.get(Contact, letter.writer_id)
    session.execute(update(Reminder).where(col(Reminder.letter_id) == letter_id).values(letter_id=None))
    session.delete(letter)
    session.flush()
    cancelled = (cancel_for_removed_letter(session, letter.rotation_id, writer.email if writer else "", now)
                 if letter.rotation_id is not None else [])
    resync_rotations(session, ctx, applicant, {letter.rotation_id} - {None}, now)
    session.flush()
    return RemovedLetter(letter, cancelled)
