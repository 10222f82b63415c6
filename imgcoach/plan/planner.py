"""Read models and small actions the planner app needs beyond the core services.

Everything here goes through ctx.db; screens call these from worker threads and render plain
values. Nothing imports Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select

from imgcoach.core.clock import local_today
from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError, NotFound, UserError, ValidationError
from imgcoach.plan.people import letters_with_people
from imgcoach.plan.rules.studyplan import StudyProposal, StudyRequest, parse_rest_days, propose_study_plan
from imgcoach.plan.rules.vocab import LETTER_STATUSES
from imgcoach.reminders import kind_label, letter_window
from imgcoach.storage.applicants import current_applicant, owned
from imgcoach.storage.models import (
    Applicant,
    CalendarEvent,
    CalendarSource,
    CaseNote,
    Contact,
    LetterRequest,
    Reminder,
    Rotation,
    RotationContact,
    StudyBlock,
)

PACKET = ("CV", "Personal statement draft", "Summary of cases")


def change_marker(ctx: Context) -> tuple[Any, ...]:
    """A cheap fingerprint of what other processes (the daemon, the CLI) may change.

    One small query; the app polls it and reloads the screen when it differs.
    """
    with ctx.db.read() as session:
        row = session.exec(
            select(
                select(func.max(Reminder.updated_at)).scalar_subquery(),
                select(func.count(col(Reminder.id))).scalar_subquery(),
                select(func.max(Rotation.updated_at)).scalar_subquery(),
                select(func.max(LetterRequest.updated_at)).scalar_subquery(),
                select(func.max(Applicant.updated_at)).scalar_subquery(),
                select(func.count(col(StudyBlock.id))).scalar_subquery(),
            )
        ).one()
    return tuple(row)


def retry_reminder(ctx: Context, reminder_id: int) -> Reminder:
    """A failed reminder goes back to pending, to be sent at the daemon's next pass.

    Uses the outbox service's version when the mail side provides one (it owns the retry rules);
    otherwise the minimal rule: failed -> pending, attempts kept, next_attempt_at cleared.
    """
    try:
        from imgcoach import reminders as outbox  # the reminders API (retry_reminder lives in its outbox)
    except ImportError:
        outbox = None  # type: ignore[assignment]
    if outbox is not None and hasattr(outbox, "retry_reminder"):
        return outbox.retry_reminder(ctx, reminder_id)
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = owned(session, Reminder, reminder_id, current_applicant(session, ctx), "reminder")
        if row.status != "failed":
            raise UserError(f"reminder {reminder_id} is {row.status}; only failed reminders can be retried")
        row.status, row.next_attempt_at, row.updated_at = "pending", None, now
        row.note = f"retry asked at attempt {row.attempts}"
        session.add(row)
        return row


# --- e-mail previews -------------------------------------------------------------------------


@dataclass(frozen=True)
class MailPreview:
    subject: str
    text: str
    to: str


def _rotation_info(session: Any, rotation: Rotation, writer: Contact | None = None) -> Any:
    from imgcoach.reminders import Person, RotationInfo

    if writer is None:
        writer = session.exec(
            select(Contact).join(RotationContact, col(RotationContact.contact_id) == col(Contact.id))
            .where(RotationContact.rotation_id == rotation.id).order_by(col(RotationContact.id))
        ).first()
    cases = session.exec(select(CaseNote.title).where(CaseNote.rotation_id == rotation.id)).all()
    supervisor = Person(writer.name, writer.email) if writer else Person("your supervisor", "")
    return RotationInfo(rotation.institution, rotation.specialty, rotation.start_date, rotation.end_date,
                        supervisor, kind_label(rotation.kind), tuple(cases))


def reminder_preview(ctx: Context, reminder_id: int) -> MailPreview:
    """The e-mail this reminder sends: the daemon's own loader and renderer (templates/emails/)."""
    from imgcoach.reminders import MailRenderer, load_outgoing

    with ctx.db.read() as session:
        row = owned(session, Reminder, reminder_id, current_applicant(session, ctx), "reminder")
    outgoing = load_outgoing(ctx, [reminder_id])[reminder_id]
    try:
        rendered = MailRenderer().render(outgoing.mail)
    except Exception as exc:  # a kind without a template (another area's reminder): show the fields instead
        text = f"(no template preview: {exc})\n\nkind: {row.kind}\nrecipient: {row.recipient}\nnote: {row.note}"
        return MailPreview(row.kind.replace("_", " "), text, row.recipient)
    return MailPreview(rendered.subject, rendered.text, outgoing.to.email)


def _zone(applicant: Applicant) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(applicant.timezone)


# --- the letter board ------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterCard:
    letter: LetterRequest
    writer: Contact
    rotation: Rotation | None
    window: tuple[date, date] | None  # when to ask: opens, last call
    pending_reminders: int


@dataclass(frozen=True)
class PacketItem:
    name: str
    ready: bool
    detail: str


@dataclass(frozen=True)
class LetterDraft:
    subject: str
    to: str
    body: str
    packet: tuple[PacketItem, ...]


def request_window(ctx: Context, rotation: Rotation) -> tuple[date, date]:
    """The days to ask for the letter: 4 weeks to 2 weeks before the end, never before the start."""
    return letter_window(rotation.start_date, rotation.end_date, ctx.settings.reminders)


def letter_board(ctx: Context) -> list[LetterCard]:
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        rows = session.exec(
            letters_with_people(applicant.id).order_by(col(Rotation.end_date), col(LetterRequest.id))
        ).all()
        pending = dict(
            session.exec(
                select(Reminder.rotation_id, func.count(col(Reminder.id)))
                .where(Reminder.applicant_id == applicant.id, Reminder.status == "pending")
                .group_by(col(Reminder.rotation_id))
            ).all()
        )
    return [
        LetterCard(letter, writer, rotation, request_window(ctx, rotation) if rotation else None,
                   pending.get(rotation.id, 0) if rotation else 0)
        for letter, writer, rotation in rows
    ]


def letter_draft(ctx: Context, letter_id: int) -> LetterDraft:
    """The request e-mail to the writer (from the templates) and the packet checklist."""
    from imgcoach.reminders import MailRenderer, Person, ReminderMail

    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        letter = owned(session, LetterRequest, letter_id, applicant, "letter request")
        writer = session.get(Contact, letter.writer_id)
        rotation = session.get(Rotation, letter.rotation_id) if letter.rotation_id else None
        info = _rotation_info(session, rotation, writer) if rotation else None
        cases = len(info.cases) if info else 0
    packet = (
        PacketItem("CV", bool(applicant.cv_path), applicant.cv_path or "add its path in Profile"),
        PacketItem("Personal statement draft", bool(applicant.personal_statement_path),
                   applicant.personal_statement_path or "add its path in Profile"),
        PacketItem("Summary of cases", cases > 0,
                   f"{cases} case(s) from this rotation" if cases else "add cases on the Rotations screen"),
    )
    if info is None or writer is None:
        body = "This letter is not tied to a rotation: write to the writer directly."
        return LetterDraft("Letter of recommendation", writer.email if writer else "", body, packet)
    mail = ReminderMail(
        reminder_id=0, kind="letter_request_open", applicant=Person(applicant.name, applicant.email),
        due=ctx.clock.now(), tz=applicant.timezone, message_id="preview@imgcoach", calendar_uid="preview",
        rotation=info, packet=tuple(item.name for item in packet),
    )
    draft = MailRenderer().render_draft(mail)
    assert draft is not None
    return LetterDraft(draft.subject, draft.to, draft.body, packet)


def move_letter(ctx: Context, letter_id: int, step: int) -> tuple[LetterRequest, int]:
    """Move a card one column (step -1 or +1); returns the letter and the change in pending reminders."""
    from imgcoach.plan.people import set_letter_status

    with ctx.db.read() as session:
        letter = owned(session, LetterRequest, letter_id, current_applicant(session, ctx), "letter request")
        before = _pending_count(session, letter.rotation_id)
    index = LETTER_STATUSES.index(letter.status) + step
    if not 0 <= index < len(LETTER_STATUSES):
        raise UserError(f"the letter is already {letter.status}: there is no column further that way")
    moved = set_letter_status(ctx, letter_id, LETTER_STATUSES[index])
    with ctx.db.read() as session:
        after = _pending_count(session, letter.rotation_id)
    return moved, after - before


def _pending_count(session: Any, rotation_id: int | None) -> int:
    if rotation_id is None:
        return 0
    return session.exec(
        select(func.count(col(Reminder.id))).where(Reminder.rotation_id == rotation_id, Reminder.status == "pending")
    ).one()


# --- the study-plan generator ----------------------------------------------------------------


def propose_plan(ctx: Context, *, exam: str, exam_date: date | None, hours_per_day: int | None,
                 rest_days: str = "") -> StudyProposal:
    """Blocks around the rotations and study blocks already planned, from today (local) on."""
    errors = []
    if exam_date is None:
        errors.append(FieldError("exam_date", exam_date, "is required (YYYY-MM-DD)"))
    if hours_per_day is None:
        errors.append(FieldError("hours_per_day", hours_per_day, "is required"))
    try:
        rest = parse_rest_days(rest_days)
    except FieldError as exc:
        errors.append(exc)
        rest = frozenset()
    if errors:
        raise ValidationError(errors)
    assert exam_date is not None and hours_per_day is not None
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        rotations = session.exec(select(Rotation).where(Rotation.applicant_id == applicant.id)).all()
        blocks = session.exec(select(StudyBlock).where(StudyBlock.applicant_id == applicant.id)).all()
        today = local_today(ctx.clock, applicant.timezone)
    request = StudyRequest(exam, exam_date, hours_per_day, rest, today)
    return propose_study_plan(request, list(rotations), list(blocks))


def accept_plan(ctx: Context, proposal: StudyProposal) -> list[StudyBlock]:
    from imgcoach.plan.study import add_study_blocks

    if not proposal.blocks:
        raise UserError("the proposal has no blocks to add")
    return add_study_blocks(ctx, [b.as_values() for b in proposal.blocks])


def now_local(ctx: Context, applicant: Applicant) -> datetime:
    return ctx.clock.now().astimezone(_zone(applicant))


# --- timeline details ------------------------------------------------------------------------


def study_block_detail(ctx: Context, block_id: int) -> tuple[StudyBlock, list[Any]]:
    """A study block and the weekly load (clinical + study) of the weeks it covers."""
    from imgcoach.plan.rules.load import weekly_load

    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        block = owned(session, StudyBlock, block_id, applicant, "study block")
        rotations = list(session.exec(select(Rotation).where(Rotation.applicant_id == applicant.id)).all())
        blocks = list(session.exec(select(StudyBlock).where(StudyBlock.applicant_id == applicant.id)).all())
    return block, weekly_load(rotations, blocks, block.start_date, block.end_date)


def calendar_event(ctx: Context, event_id: int) -> CalendarEvent:
    """One imported calendar event of the applicant."""
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        row = session.exec(
            select(CalendarEvent).join(CalendarSource, col(CalendarSource.id) == col(CalendarEvent.source_id))
            .where(CalendarEvent.id == event_id, CalendarSource.applicant_id == applicant.id)
        ).first()
    if row is None:
        raise NotFound(f"no calendar event with id {event_id}")
    return row


# --- supervisors, letters and cases: edit and delete (one transaction each) -------------------


@dataclass(frozen=True)
class ContactUse:
    """What deleting a person takes with them, for the confirmation dialog."""

    contact: Contact
    rotations: tuple[str, ...]  # "Specialty, Institution" of each rotation they are on
    letters: int
    pending_letter_reminders: int


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
    return ContactUse(contact, tuple(f"{r.specialty}, {r.institution}" for r in rotations), len(letters), pending)


def edit_contact(ctx: Context, contact_id: int, *, rotation_id: int | None = None, role: str | None = None,
                 **values: Any) -> Contact:
    """Name, title, e-mail... of a person; with rotation_id, also their role on that rotation."""
    from imgcoach.plan.rules import validation as v
    from imgcoach.plan.rules.vocab import CONTACT_ROLES

    v.raise_if_any(
        v.check_required(values["name"], field="name") if "name" in values else None,
        v.check_email(values["email"]) if values.get("email") else None,
        v.check_choice(role, CONTACT_ROLES, field="role") if role is not None else None,
    )
    with ctx.db.transaction() as session:
        applicant = current_applicant(session, ctx)
        contact = owned(session, Contact, contact_id, applicant, "contact")
        if rotation_id is not None:
            owned(session, Rotation, rotation_id, applicant, "rotation")
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
        return contact


def remove_contact(ctx: Context, contact_id: int) -> ContactUse:
    """Delete a person with their rotation roles and their letter requests; the reminders of the
    rotations whose letters go are derived again (a rotation with no letter asked gets its ask reminders)."""
    use = contact_use(ctx, contact_id)
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        applicant = current_applicant(session, ctx)
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
        _resync_rotations(session, ctx, applicant, touched, now)
    return use


def edit_letter(ctx: Context, letter_id: int, *, writer_id: int, rotation_id: int | None, due_on: date | None,
                notes: str = "") -> LetterRequest:
    """Writer, rotation, due date and notes of a letter request; both rotations' reminders follow."""
    if writer_id is None:
        raise FieldError("writer_id", writer_id, "choose who writes the letter")
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        applicant = current_applicant(session, ctx)
        letter = owned(session, LetterRequest, letter_id, applicant, "letter request")
        owned(session, Contact, writer_id, applicant, "contact")
        if rotation_id is not None:
            owned(session, Rotation, rotation_id, applicant, "rotation")
        touched = {letter.rotation_id, rotation_id} - {None}
        letter.writer_id, letter.rotation_id, letter.due_on, letter.notes = writer_id, rotation_id, due_on, notes
        letter.updated_at = now
        session.add(letter)
        session.flush()
        _resync_rotations(session, ctx, applicant, touched, now)  # type: ignore[arg-type]
        return letter


def remove_letter(ctx: Context, letter_id: int) -> LetterRequest:
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        applicant = current_applicant(session, ctx)
        letter = owned(session, LetterRequest, letter_id, applicant, "letter request")
        session.execute(update(Reminder).where(col(Reminder.letter_id) == letter_id).values(letter_id=None))
        session.delete(letter)
        session.flush()
        _resync_rotations(session, ctx, applicant, {letter.rotation_id} - {None}, now)  # type: ignore[arg-type]
        return letter


def _owned_case(session: Any, ctx: Context, case_id: int) -> tuple[CaseNote, Rotation]:
    case = session.get(CaseNote, case_id)
    rotation = session.get(Rotation, case.rotation_id) if case is not None else None
    if case is None or rotation is None or rotation.applicant_id != current_applicant(session, ctx).id:
        raise NotFound(f"no case with id {case_id}")
    return case, rotation


def edit_case(ctx: Context, case_id: int, *, title: str, summary: str = "", tags: list[str] | None = None,
              occurred_on: date | None = None) -> CaseNote:
    from imgcoach.plan.rules import validation as v

    v.raise_if_any(v.check_required(title, field="title"))
    with ctx.db.transaction() as session:
        case, rotation = _owned_case(session, ctx, case_id)
        if occurred_on is not None and not rotation.start_date <= occurred_on <= rotation.end_date:
            raise ValidationError([FieldError("occurred_on", occurred_on.isoformat(),
                                              f"outside the rotation ({rotation.start_date} to {rotation.end_date})")])
        case.title, case.summary, case.tags, case.occurred_on = title, summary, list(tags or []), occurred_on
        session.add(case)
        session.flush()
        return case


def remove_case(ctx: Context, case_id: int) -> CaseNote:
    with ctx.db.transaction() as session:
        case, _ = _owned_case(session, ctx, case_id)
        session.delete(case)
        return case


def _resync_rotations(session: Any, ctx: Context, applicant: Applicant, rotation_ids: set[int], now: datetime) -> None:
    from imgcoach.reminders import sync_rotation_reminders

    for rotation_id in sorted(rotation_ids):
        rotation = session.get(Rotation, rotation_id)
        if rotation is not None:
            sync_rotation_reminders(session, ctx, applicant, rotation, now)
