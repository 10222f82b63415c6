"""Plain values a reminder e-mail is rendered from; the outbox service fills them from the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

REMINDER_KINDS: tuple[str, ...] = (
    "mid_rotation_feedback",
    "letter_request_open",
    "letter_request_last_call",
    "thank_you",
    "weekly_digest",
)
ROTATION_KINDS: frozenset[str] = frozenset(REMINDER_KINDS) - {"weekly_digest"}

# What a supervisor usually needs to write a letter; the names are shown, the files stay with the applicant.
DEFAULT_PACKET: tuple[str, ...] = ("CV", "Personal statement draft", "Summary of cases")


@dataclass(frozen=True)
class Person:
    name: str
    email: str = ""


@dataclass(frozen=True)
class RotationInfo:
    institution: str
    specialty: str
    start: date
    end: date
    supervisor: Person
    kind_label: str = "clinical rotation"
    cases: tuple[str, ...] = ()


@dataclass(frozen=True)
class DigestItem:
    when: datetime
    title: str
    detail: str = ""


@dataclass(frozen=True)
class Digest:
    week_start: date
    week_end: date
    items: tuple[DigestItem, ...] = ()


@dataclass(frozen=True)
class ReminderMail:
    """Everything needed to render and send one reminder; ids are fixed when the reminder is derived."""

    reminder_id: int
    kind: str
    applicant: Person
    due: datetime  # aware, normally UTC
    tz: str  # applicant's IANA zone
    message_id: str
    calendar_uid: str
    late: bool = False
    expires: date | None = None
    rotation: RotationInfo | None = None
    digest: Digest | None = None
    packet: tuple[str, ...] = field(default=DEFAULT_PACKET)
    sequence: int = 0
