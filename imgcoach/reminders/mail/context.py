"""Plain values a reminder e-mail is rendered from; the outbox service fills them from the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from imgcoach.reminders.kinds import FOLLOW_UP_KIND

REMINDER_KINDS: tuple[str, ...] = (
    "mid_rotation_feedback",
    "letter_request_open",
    "letter_request_last_call",
    "thank_you",
    "weekly_digest",
    FOLLOW_UP_KIND,
    "progress_update",
)
# Kinds whose e-mail to the applicant embeds a supervisor draft rendered from the rotation.
ROTATION_KINDS: frozenset[str] = frozenset(
    {"mid_rotation_feedback", "letter_request_open", "letter_request_last_call", "thank_you"}
)
# Kinds whose draft was written when the reminder was made (payload draft_to, draft_subject, draft_body...).
PAYLOAD_DRAFT_KINDS: frozenset[str] = frozenset({FOLLOW_UP_KIND, "progress_update"})
# Kinds that are themselves a message to someone else: sent to that person only once approved, never
# to the applicant (the app and `imgcoach reminders approve ID` show and approve them).
APPROVAL_KINDS: frozenset[str] = frozenset({"progress_update"})

# What a supervisor usually needs to write a letter; the names are shown, the files stay with the applicant.


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
    supervisor: Person  # whom the draft is written to: the supervisor, or a planned letter's writer (`addressee`)
    kind_label: str = "clinical rotation"
    cases: tuple[str, ...] = ()
    id: int | None = None  # the rotation's id, for the commands the e-mail offers
    # What `supervisor` is to the rotation: "Supervisor", "Attending" (no supervisor recorded) or "Letter writer".
    addressee: str = "Supervisor"


# The name shown when a rotation has no supervisor yet; never used as a salutation.
NO_SUPERVISOR = "your supervisor"

# Why a late reminder is late (ReminderMail.late_reason): each said differently in the e-mail's notice.
LATE_PLANNED = "planned"  # its due time had already passed when it was planned (added or moved there)
LATE_RETRIED = "retried"  # an earlier attempt to send it did not go through
LATE_NO_DAEMON = "no_daemon"  # nothing sent it at its time: no daemon was running
LATE_HELD = "held"  # a daemon was running at its time but could not deliver it (delivery paused, say)


@dataclass(frozen=True)
class DigestItem:
    when: datetime  # aware; for an all-day item, midnight of that day in the applicant's zone
    title: str
    detail: str = ""
    all_day: bool = False


@dataclass(frozen=True)
class Digest:
    week_start: date
    week_end: date
    items: tuple[DigestItem, ...] = ()
    shortlist: tuple[str, ...] = ()  # shortlist changes since the previous digest, one line each


@dataclass(frozen=True)
class DraftText:
    """A message drafted for someone else when the reminder was made (outreach follow-up, progress update)."""

    to: str
    to_name: str
    subject: str
    body: str


@dataclass(frozen=True)
class OutreachInfo:
    """The pipeline entry an outreach follow-up is about."""

    id: int
    institution: str
    coordinator: str = ""
    last_sent_on: date | None = None
    follow_ups_sent: int = 0


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
    # Why a late one is late, said in its notice: LATE_PLANNED (its time had passed when it was planned:
    # a rotation entered or changed after it), LATE_RETRIED (an earlier attempt did not go through) or
    # LATE_NO_DAEMON (nothing was sending at its time). `planned`: when its due time was set.
    late_reason: str = LATE_NO_DAEMON
    planned: datetime | None = None
    # A LATE_PLANNED one that then waited too (sent well after it was planned): why it did not go out when it was
    # planned, as `late_reason` says it of a due time; "" when it went out then. "Planned only on 25 November"
    # alone read as the whole reason for an e-mail that then waited days for a daemon.
    waited: str = ""
    expires: date | None = None
    rotation: RotationInfo | None = None
    digest: Digest | None = None
    draft: DraftText | None = None
    outreach: OutreachInfo | None = None
    # What the supervisor draft may say is attached: only what the packet checklist has ready.
    packet: tuple[str, ...] = ()
    packet_missing: tuple[str, ...] = ()  # said to the applicant, never claimed to the supervisor
    # Files the profile names that are not there (reminders.packet.document_line): said to the applicant, not claimed.
    packet_unfound: tuple[str, ...] = ()
    letter_deadline: date | None = None  # reminders.rules.letter_deadline: the one "ask by" day
    # The applicant's local day the e-mail goes out (None: its due day). A late one is read on that day, so its
    # words follow it: "halfway through" a rotation that ends tomorrow, or "the last day to ask is" a day
    # that has passed, would be false.
    sent_on: date | None = None
    # Whether `imgcoach reminders approve` would approve its supervisor draft (outbox.approval_refusal): the draft
    # section said "approve it with ..." on a cancelled reminder too, and on one whose draft was approved already.
    approvable: bool = True
    # The supervisor draft the applicant approved already, in words ("reminder 12 in your outbox (pending)"; "":
    # none): the e-mail says so instead of asking them to send it from their own mail program a second time.
    approved_draft: str = ""
