"""Who a rotation reminder's draft is written to: one rule for the e-mail, the Outbox and the approval.

The feedback and thank-you drafts go to the rotation's supervisor, else its attending (core.rotation_addressee). A letter request goes to the writer of the
rotation's planned letter when there is one: the applicant chose that person (an attending, say) on the Letters
board, whose own draft is addressed to them, while the reminder's draft asked the supervisor, and approved it
would have asked the wrong person for the letter. With no planned letter it goes to the supervisor (else the attending).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from imgcoach.core.addressee import ADDRESSEE_ROLES, rotation_addressee
from imgcoach.core.ids import saved_id
from imgcoach.reminders.rules import LETTER_KINDS, letter_asked
from imgcoach.reminders.sync import (
    Redrafted,
    approve_again,
    approved_supervisor_drafts,
    feedback_settled_of,
    letter_settled_from,
    pending_letter_order,
)
from imgcoach.storage.models import Contact, LetterRequest, RotationContact

LETTER_DRAFT_KINDS = frozenset(LETTER_KINDS)  # the one constant: it spelled the two kinds out


@dataclass(frozen=True)
class Addressees:
    """Per rotation: its supervisor (the first linked in that role: the lowest link id, core.addressee), else its
    attending (the same), and the writer of its planned letter due first (then the lowest letter id)."""

    supervisors: dict[int, Contact] = field(default_factory=dict)
    writers: dict[int, Contact] = field(default_factory=dict)
    # Rotations whose feedback is already asked or received (sync.feedback_settled's reason): a draft asking the
    # supervisor for it has nothing left to ask, and is not offered for approval.
    feedback_done: dict[int, str] = field(default_factory=dict)
    # Rotations with a letter asked for (sync.letter_settled_of's reason): a letter request has nothing left to ask.
    letter_done: dict[int, str] = field(default_factory=dict)
    # What each of `supervisors` is to its rotation: "supervisor", or "attending" where no supervisor is recorded.
    roles: dict[int, str] = field(default_factory=dict)

    def done(self, kind: str, rotation_id: int | None) -> str | None:
        """Why a `kind` draft of rotation `rotation_id` has nothing left to ask, or None while it has."""
        if rotation_id is None:
            return None
        if kind in LETTER_DRAFT_KINDS:
            return self.letter_done.get(rotation_id)
        return self.feedback_done.get(rotation_id) if kind == "mid_rotation_feedback" else None

    def of(self, kind: str, rotation_id: int | None) -> Contact | None:
        """The contact the draft of a `kind` reminder of rotation `rotation_id` is written to, if any."""
        if rotation_id is None:
            return None
        if kind in LETTER_DRAFT_KINDS and rotation_id in self.writers:
            return self.writers[rotation_id]
        return self.supervisors.get(rotation_id)

    def words(self, kind: str, rotation_id: int | None) -> str:
        """The person that draft is written to, as a question names them: "Dr. Sam Reyes <sam@...>"."""
        contact = self.of(kind, rotation_id)
        if contact is None:
            return ""
        return f"{contact.name} <{contact.email}>" if contact.email else contact.name

    def role(self, kind: str, rotation_id: int | None) -> str:
        """What the person that draft is written to is to the rotation, as a sentence names them: "the planned
        letter's writer", "the rotation's supervisor" or "the rotation's attending"."""
        if self.is_writer(kind, rotation_id):
            return "the planned letter's writer"
        return f"the rotation's {self.roles.get(rotation_id, 'supervisor') if rotation_id is not None else 'supervisor'}"

    def is_writer(self, kind: str, rotation_id: int | None) -> bool:
        """Whether that draft goes to a planned letter's writer rather than to the supervisor."""
        return kind in LETTER_DRAFT_KINDS and rotation_id in self.writers


def addressees(session: Any, rotation_ids: Collection[int],
               feedback_asked_on: Mapping[int, date | None] | None = None) -> Addressees:
    """The supervisors and planned letters' writers of `rotation_ids`, and whose feedback or letter request is
    settled, in four queries (three given `feedback_asked_on`, each rotation's feedback_requested_on from rows the
    caller read: sync.feedback_settled_of)."""
    ids = list(rotation_ids)
    if not ids:
        return Addressees()
    # Per rotation and role, its first contact by link id (core.addressee's order: the coach's load, the quick
    # read and the rotation's details read them so; this query took the lowest contact id, and with two
    # supervisors the reminder's draft went to one while the coach named the other); then its supervisor, else its
    # attending (core.rotation_addressee, the coach's rule): with only an attending recorded, every draft went to nobody ("the rotation has no
    # supervisor to write to") while readiness named her.
    linked: dict[tuple[int, str], Contact] = {}
    for rotation_id, role, contact in session.execute(
            select(col(RotationContact.rotation_id), col(RotationContact.role), Contact)
            .join(Contact, col(RotationContact.contact_id) == col(Contact.id))
            .where(col(RotationContact.rotation_id).in_(ids), col(RotationContact.role).in_(ADDRESSEE_ROLES))
            .order_by(col(RotationContact.id))).all():
        linked.setdefault((rotation_id, role), contact)
    supervisors: dict[int, Contact] = {}
    roles: dict[int, str] = {}
    for rotation_id in ids:
        if found := rotation_addressee(linked.get((rotation_id, "supervisor")), linked.get((rotation_id, "attending"))):
            roles[rotation_id], supervisors[rotation_id] = found
    # The planned letter a rotation's reminders are about, chosen by sync's one order (pending_letter_order):
    # this query ordered them by its own copy of that rule in SQL, which could drift from the letter the
    # reminder row names. Its writer is whom the request goes to.
    # Every letter of these rotations, writer or not (an outer join): the settled rule reads their statuses
    # (sync.letter_settled_from), which a second query read again.
    first: dict[int, tuple[LetterRequest, Contact]] = {}
    letters = session.execute(
        select(LetterRequest, Contact)
        .outerjoin(Contact, col(LetterRequest.writer_id) == col(Contact.id))
        .where(col(LetterRequest.rotation_id).in_(ids))).all()
    for letter, contact in letters:
        rotation_id = letter.rotation_id
        if letter_asked(letter.status) or rotation_id is None or contact is None:
            continue
        if rotation_id not in first or pending_letter_order(letter) < pending_letter_order(first[rotation_id][0]):
            first[rotation_id] = (letter, contact)
    writers = {rotation_id: contact for rotation_id, (_, contact) in first.items()}
    return Addressees(supervisors, writers, feedback_settled_of(session, ids, feedback_asked_on),
                      letter_settled_from((letter.rotation_id, letter.status) for letter, _ in letters), roles)


def renamed_in_approved_drafts(session: Any, applicant: Any, change: str, now: Any, *,
                               contact_id: int | None = None) -> Redrafted:
    """A name changed (`change`, in words): the approved supervisor drafts not sent yet that carry it await approval
    again (sync.approve_again), since the daemon writes their text when it sends them and the text approved is no
    longer the one that would go. `contact_id`: the person renamed, whose drafts are those written to them (`of`);
    None: the applicant, who signs every one. In the edit's transaction."""
    rows = approved_supervisor_drafts(session, applicant)
    if contact_id is not None and rows:
        to = addressees(session, {row.rotation_id for row in rows if row.rotation_id is not None})
        rows = [row for row in rows if (person := to.of(row.kind, row.rotation_id)) is not None
                and person.id == contact_id]
    again = []
    for row in rows:
        if approve_again(row, change, now):
            session.add(row)
            again.append(saved_id(row.id))
    return Redrafted(change, tuple(again))
