"""Turn claimed outbox rows into the plain values the mail package renders (bulk reads, no writes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from imgcoach.context import Context
from imgcoach.mail.context import Digest, DigestItem, Person, ReminderMail, RotationInfo
from imgcoach.rules.vocab import kind_label
from imgcoach.storage.models import Applicant, CaseNote, Contact, Reminder, Rotation, RotationContact

SUPERVISOR_DRAFT = "supervisor_draft"


@dataclass(frozen=True)
class Outgoing:
    """One message to send: to the applicant, or (approved drafts only) to the supervisor."""

    mail: ReminderMail
    to: Person
    is_draft: bool


def _digest(payload: dict) -> Digest | None:
    data = payload.get("digest")
    if not data:
        return None
    return Digest(
        week_start=date.fromisoformat(data["week_start"]),
        week_end=date.fromisoformat(data["week_end"]),
        items=tuple(DigestItem(datetime.fromisoformat(i["when"]), i["title"], i.get("detail", ""))
                    for i in data.get("items", [])),
    )


def load_outgoing(ctx: Context, ids: list[int]) -> dict[int, Outgoing]:
    """Everything needed to render the given reminders, read in a handful of queries."""
    with ctx.db.read() as session:
        rows = session.execute(select(Reminder).where(Reminder.id.in_(ids))).scalars().all()  # type: ignore[union-attr]
        applicants = {a.id: a for a in session.execute(
            select(Applicant).where(Applicant.id.in_({r.applicant_id for r in rows}))).scalars()}  # type: ignore[union-attr]
        rotation_ids = {r.rotation_id for r in rows if r.rotation_id is not None}
        rotations = {r.id: r for r in session.execute(
            select(Rotation).where(Rotation.id.in_(rotation_ids))).scalars()}  # type: ignore[union-attr]
        supervisors: dict[int, Contact] = {}
        for rotation_id, contact in session.execute(
            select(RotationContact.rotation_id, Contact).join(Contact, Contact.id == RotationContact.contact_id)
            .where(RotationContact.rotation_id.in_(rotation_ids), RotationContact.role == "supervisor")  # type: ignore[attr-defined]
            .order_by(Contact.id)
        ).all():
            supervisors.setdefault(rotation_id, contact)
        cases: dict[int, list[str]] = {}
        for rotation_id, title in session.execute(
            select(CaseNote.rotation_id, CaseNote.title).where(CaseNote.rotation_id.in_(rotation_ids))  # type: ignore[attr-defined]
            .order_by(CaseNote.occurred_on, CaseNote.id)
        ).all():
            cases.setdefault(rotation_id, []).append(title)
    out: dict[int, Outgoing] = {}
    for row in rows:
        applicant = applicants[row.applicant_id]
        zone = ZoneInfo(applicant.timezone)
        rotation = rotations.get(row.rotation_id) if row.rotation_id is not None else None
        info = None
        if rotation is not None:
            contact = supervisors.get(rotation.id)  # type: ignore[arg-type]
            info = RotationInfo(
                institution=rotation.institution, specialty=rotation.specialty,
                start=rotation.start_date, end=rotation.end_date,
                supervisor=Person(contact.name, contact.email) if contact else Person("your supervisor", ""),
                kind_label=kind_label(rotation.kind), cases=tuple(cases.get(rotation.id, ())),  # type: ignore[arg-type]
            )
        expires = (row.expires_at - timedelta(seconds=1)).astimezone(zone).date() if row.expires_at else None
        mail = ReminderMail(
            reminder_id=row.id, kind=row.kind, applicant=Person(applicant.name, applicant.email), due=row.due_at,  # type: ignore[arg-type]
            tz=applicant.timezone, message_id=row.message_id, calendar_uid=row.calendar_uid, late=row.late,
            expires=expires, rotation=info, digest=_digest(row.payload), sequence=row.attempts,
        )
        is_draft = row.template_key == SUPERVISOR_DRAFT and row.requires_approval and row.approved_at is not None
        to = Person(info.supervisor.name if info else "", row.recipient) if is_draft else mail.applicant
        out[row.id] = Outgoing(mail=mail, to=to, is_draft=is_draft)  # type: ignore[index]
    return out
