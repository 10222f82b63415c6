"""Turn claimed outbox rows into the plain values the mail package renders (bulk reads, no writes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, Row, bindparam, select
from sqlmodel import col

from imgcoach.core.clock import ensure_utc
from imgcoach.core.context import Context
from imgcoach.core.vocab.specialties import service_name
from imgcoach.reminders.addressees import Addressees, addressees
from imgcoach.reminders.daemon_view import last_useful_day
from imgcoach.reminders.kinds import SUPERVISOR_DRAFT, rotation_kind_label
from imgcoach.reminders.mail.context import (
    APPROVAL_KINDS,
    LATE_HELD,
    LATE_NO_DAEMON,
    LATE_PLANNED,
    LATE_RETRIED,
    NO_SUPERVISOR,
    Digest,
    DigestItem,
    DraftText,
    OutreachInfo,
    Person,
    ReminderMail,
    RotationInfo,
)
from imgcoach.reminders.mail.digest import DIGEST_KIND
from imgcoach.reminders.outbox import approval_offer, draft_key
from imgcoach.reminders.packet import packet_checklist
from imgcoach.reminders.rules import LATE_AFTER, PLANNED_AT, RETRIED_AT, letter_deadline
from imgcoach.storage.models import (
    Applicant,
    CaseNote,
    DaemonState,
    OutreachEntry,
    Reminder,
    Rotation,
)


@dataclass(frozen=True)
class Outgoing:
    """One message to send: to the applicant, or (approved drafts only) to the supervisor.

    ``is_draft`` is True only for a row that requires approval and has been approved: the one case where
    ``to`` is not the applicant. ``refused`` names why a row must not be sent at all (defence in depth:
    the claim query already skips unapproved rows).
    """

    mail: ReminderMail
    to: Person
    is_draft: bool
    template_key: str = ""
    refused: str = ""
    # A row waiting for approval: whom approving it sends it to. The Outbox previews that message, so the
    # applicant reads what they approve (its own `to` stays the applicant and `refused` says why it waits).
    approval_to: Person | None = None


def _digest(payload: dict) -> Digest | None:
    data = payload.get("digest")
    if not data:
        return None
    return Digest(
        week_start=date.fromisoformat(data["week_start"]),
        week_end=date.fromisoformat(data["week_end"]),
        items=tuple(DigestItem(datetime.fromisoformat(i["when"]), i["title"], i.get("detail", ""),
                               bool(i.get("all_day", False)))
                    for i in data.get("items", [])),
        shortlist=tuple(str(line) for line in data.get("shortlist", [])),
    )


def _draft(payload: dict) -> DraftText | None:
    """The draft stored with an outreach follow-up or a progress update (None for other kinds)."""
    if "draft_body" not in payload and "draft_subject" not in payload:
        return None
    return DraftText(to=str(payload.get("draft_to") or ""), to_name=str(payload.get("draft_to_name") or ""),
                     subject=str(payload.get("draft_subject") or ""), body=str(payload.get("draft_body") or ""))


def _outreach_ids(rows: Sequence[Row[Any]]) -> set[int]:
    return {int(r.payload["outreach_id"]) for r in rows
            if isinstance(r.payload, dict) and str(r.payload.get("outreach_id", "")).isdigit()}


# The daemon loads every batch it claims with these, so they are built once: the ids come as one expanding
# parameter, and SQLAlchemy finds the compiled SQL in its cache without building and hashing a new statement.
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
# The claimed rows' columns that a message is made of, not whole ORM objects: building and tracking an instance
# per row was about a quarter of loading a batch (bench/bench_daemon.py, cProfile).
_R = Reminder.__table__.c  # type: ignore[attr-defined]
_REMINDERS = select(_R.id, _R.applicant_id, _R.rotation_id, _R.kind, _R.template_key, _R.recipient, _R.due_at,
                    _R.expires_at, _R.attempts, _R.message_id, _R.calendar_uid, _R.late, _R.payload,
                    _R.requires_approval, _R.approved_at, _R.created_at, _R.last_error, _R.key).where(_R.id.in_(_IDS))
# The supervisor drafts already queued for the batch's rotation reminders (keys: outbox.draft_key).
_DRAFTS = select(Reminder).where(col(Reminder.key).in_(_IDS))
_APPLICANTS = select(Applicant).where(col(Applicant.id).in_(_IDS))
_ROTATIONS = select(Rotation).where(col(Rotation.id).in_(_IDS))
_CASES = (
    select(col(CaseNote.rotation_id), col(CaseNote.title)).where(col(CaseNote.rotation_id).in_(_IDS))
    .order_by(col(CaseNote.occurred_on), col(CaseNote.id))
)
_OUTREACH = select(OutreachEntry).where(col(OutreachEntry.id).in_(_IDS))
_D = DaemonState.__table__.c  # type: ignore[attr-defined]
# The daemons that ran at some moment between the late rows' earliest and latest due times (each row's own
# time is checked in Python): only read when a batch has late rows.
_RAN = select(_D.started_at, _D.heartbeat_at).where(_D.started_at <= bindparam("last"),
                                                    _D.heartbeat_at >= bindparam("first"))


@dataclass(frozen=True)
class OutgoingBatch:
    """What rendering a batch of reminder rows reads (`read_outgoing`), in one read transaction."""

    rows: Sequence[Any]  # the reminder rows: _REMINDERS's columns, or whole Reminder rows (the preview's)
    applicants: dict[int, Applicant]
    rotations: dict[int, Any]  # id -> its Rotation row
    to: Addressees
    cases: dict[int, list[str]]
    outreach: dict[int, Any]  # id -> its OutreachEntry row
    ran: list[tuple[datetime, datetime]]
    # Each supervisor-draft key looked for (outbox.draft_key of the rows that offer one): its row, or None.
    drafts: dict[str, Reminder | None]


def load_outgoing(ctx: Context, ids: list[int], *, where: str) -> dict[int, Outgoing]:
    """Everything needed to render the given reminders, read in a handful of queries. `where`: where this process
    runs, as the packet's words say it (packet.WHERE_DAEMON_RUNS, WHERE_THIS_MACHINE): the files are looked for here."""
    with ctx.db.read() as session:
        batch = read_outgoing(session, session.execute(_REMINDERS, {"ids": ids}).all())
    return outgoing_of(ctx, batch, where=where)


def read_outgoing(session: Any, rows: Sequence[Any], applicants: dict[int, Applicant] | None = None) -> OutgoingBatch:
    """What `outgoing_of` renders `rows` from, read in `session`. `applicants`: theirs, if the caller read them
    already (the Outbox's preview, in its own transaction). A query whose ids are none is not sent."""
    wanted = sorted({r.applicant_id for r in rows})
    if applicants is None or any(a not in applicants for a in wanted):
        applicants = {a.id: a for a in session.execute(_APPLICANTS, {"ids": wanted}).scalars()}
    rotation_ids = sorted({r.rotation_id for r in rows if r.rotation_id is not None})
    rotations: dict[int, Any] = {r.id: r for r in session.execute(
        _ROTATIONS, {"ids": rotation_ids}).scalars()} if rotation_ids else {}
    # Their feedback_requested_on as read just now (addressees would read it again).
    to = addressees(session, rotation_ids, {i: r.feedback_requested_on for i, r in rotations.items()})
    cases: dict[int, list[str]] = {}
    for rotation_id, title in session.execute(_CASES, {"ids": rotation_ids}).all() if rotation_ids else ():
        cases.setdefault(rotation_id, []).append(title)
    outreach_ids = _outreach_ids(rows)
    outreach = {o.id: o for o in session.execute(
        _OUTREACH, {"ids": sorted(outreach_ids)}).scalars()} if outreach_ids else {}
    # The moments a daemon's run is looked for: a late row's due time, and its planning when that came after
    late_moments = [m for r in rows if r.late for m in (r.due_at, _planned_of(r, applicants)) if m is not None]
    ran = [(ensure_utc(a), ensure_utc(b)) for a, b in session.execute(
        _RAN, {"first": min(late_moments), "last": max(late_moments)}).all()] if late_moments else []
    keys = [draft_key(r) for r in rows if _offers_draft(r)]
    found = {d.key: d for d in session.execute(_DRAFTS, {"ids": keys}).scalars()} if keys else {}
    return OutgoingBatch(rows, applicants, rotations, to, cases, outreach, ran,
                         {key: found.get(key) for key in keys})


def _planned_of(row: Any, applicants: dict[int, Applicant]) -> datetime | None:
    """When the row was planned: the daemon makes a digest's row only when it runs, so its age says when a
    daemon ran, not when anything was planned; a digest is planned from the moment its applicant exists."""
    if row.kind == DIGEST_KIND:
        return applicants[row.applicant_id].created_at
    return planned_at(row.payload if isinstance(row.payload, dict) else {}, row.created_at)


def outgoing_of(ctx: Context, batch: OutgoingBatch, *, where: str) -> dict[int, Outgoing]:
    """The batch's messages, made from what `read_outgoing` read (no query)."""
    rows, applicants, rotations, to, cases = batch.rows, batch.applicants, batch.rotations, batch.to, batch.cases
    outreach, ran, drafts = batch.outreach, batch.ran, batch.drafts
    planned_of = {r.id: _planned_of(r, applicants) for r in rows}
    # What depends only on the applicant or the rotation is made once per batch (a batch is usually many
    # reminders of a few rotations), and the rows' columns are read once each (ORM attributes cost).
    now = ctx.clock.now()  # loaded just before sending (the daemon) or to preview it (the app): its send day
    people: dict[int, tuple[Person, ZoneInfo]] = {}
    infos: dict[int, tuple[RotationInfo, date]] = {}
    packets: dict[tuple[int, int | None], tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}
    out: dict[int, Outgoing] = {}
    for row in rows:
        applicant_id, rotation_id = row.applicant_id, row.rotation_id
        applicant = applicants[applicant_id]
        if applicant_id not in people:
            people[applicant_id] = (Person(applicant.name, applicant.email), ZoneInfo(applicant.timezone))
        person, zone = people[applicant_id]
        rotation = rotations.get(rotation_id) if rotation_id is not None else None
        info = deadline = None
        if rotation is not None:
            if rotation.id not in infos:
                contact = to.supervisors.get(rotation.id)
                infos[rotation.id] = (RotationInfo(
                    institution=rotation.institution, specialty=service_name(rotation.specialty, rotation.department),
                    start=rotation.start_date, end=rotation.end_date,
                    supervisor=Person(contact.name, contact.email) if contact else Person(NO_SUPERVISOR, ""),
                    kind_label=rotation_kind_label(rotation.kind), cases=tuple(cases.get(rotation.id, ())),
                    id=rotation.id, addressee=to.roles.get(rotation.id, "supervisor").capitalize(),
                ), letter_deadline(rotation.start_date, rotation.end_date, ctx.settings.reminders))
            info, deadline = infos[rotation.id]
            if to.is_writer(row.kind, rotation.id):  # a letter request: drafted to the planned letter's writer
                writer = to.writers[rotation.id]
                # A draft already approved goes to its stored recipient: one queued to the supervisor before this
                # rule (or before the letter was planned) keeps the supervisor's name with the supervisor's address.
                if row.template_key != SUPERVISOR_DRAFT or writer.email == row.recipient:
                    info = replace(info, supervisor=Person(writer.name, writer.email), addressee="Letter writer")
        packet_key = (applicant_id, rotation.id if rotation is not None else None)
        if packet_key not in packets:
            # Looked for where this process runs (the daemon: perhaps not the applicant's machine), and the words
            # say so: it said "Attach your CV" of a path that named no file, which `profile set` and the app warn of.
            packets[packet_key] = packet_checklist(applicant.cv_path, applicant.personal_statement_path,
                                                   len(cases.get(rotation.id, ())) if rotation is not None else 0,
                                                   where=where)
        ready, missing, unfound = packets[packet_key]
        expires_at = row.expires_at
        expires = last_useful_day(expires_at, zone) if expires_at else None
        payload = row.payload if isinstance(row.payload, dict) else {}
        draft = _draft(payload)
        outreach_id = str(payload.get("outreach_id", ""))
        entry = outreach.get(int(outreach_id)) if outreach_id.isdigit() else None
        planned = planned_of[row.id]
        held = bool(row.last_error or payload.get(RETRIED_AT))
        reason = late_reason(row.due_at, planned, row.attempts, held,
                             ran=row.late and any(a <= ensure_utc(row.due_at) <= b for a, b in ran))
        # Planned after its time, then not sent when planned either: why not, by the same rule at that moment.
        waited = late_reason(planned, None, row.attempts, held,
                             ran=any(a <= ensure_utc(planned) <= b for a, b in ran)) if (
            reason == LATE_PLANNED and planned is not None and now - ensure_utc(planned) > LATE_AFTER) else ""
        mail = ReminderMail(
            reminder_id=row.id, kind=row.kind, applicant=person, due=row.due_at,
            tz=applicant.timezone, message_id=row.message_id, calendar_uid=row.calendar_uid, late=row.late,
            late_reason=reason, planned=planned, waited=waited,
            expires=expires, rotation=info, digest=_digest(payload), draft=draft,
            outreach=OutreachInfo(entry.id, entry.institution, entry.coordinator, entry.last_sent_on,
                                  entry.follow_ups_sent) if entry is not None else None,
            packet=ready, packet_missing=missing, packet_unfound=unfound, letter_deadline=deadline,
            sent_on=max(row.due_at, now).astimezone(zone).date(),
        )
        if _offers_draft(row):
            approvable, approved = draft_offer(row, drafts.get(draft_key(row)), now, to, applicant.timezone)
            mail = replace(mail, approvable=approvable, approved_draft=approved)
        out[row.id] = _outgoing(row, mail, info, draft)
    return out


def _offers_draft(row: Row[Any]) -> bool:
    """A reminder to the applicant about a rotation: its e-mail may carry a supervisor draft to approve."""
    return row.rotation_id is not None and not row.requires_approval and row.template_key != SUPERVISOR_DRAFT


def draft_offer(row: Row[Any], existing: Reminder | None, now: datetime, to: Addressees,
                tz: str) -> tuple[bool, str]:
    """`outbox.approval_offer` for a claimed row as it will be once sent: the applicant reads the e-mail, and runs
    `reminders approve`, after it went out (the draft section said "approve it with ..." whatever approve would
    then do)."""
    after = SentRow(row.id, row.key, row.kind, row.template_key, row.rotation_id, row.recipient, "sent", "",
                    row.expires_at, False, row.approved_at, row.payload if isinstance(row.payload, dict) else {})
    return approval_offer(after, existing, now, to, tz)


@dataclass(frozen=True)
class SentRow:
    """A claimed row as it will be once sent, the fields `outbox.approval_refusal` reads (outbox.ApprovalRow)."""

    id: int
    key: str
    kind: str
    template_key: str
    rotation_id: int | None
    recipient: str
    status: str
    note: str
    expires_at: datetime | None
    requires_approval: bool
    approved_at: datetime | None
    payload: dict[str, Any]


def planned_at(payload: dict, created_at: datetime | None) -> datetime | None:
    """When the reminder's due time was last set: `PLANNED_AT` in its payload (written when a rule moved it),
    else when the row was made."""
    stamp = payload.get(PLANNED_AT)
    if isinstance(stamp, str):
        try:
            moved = datetime.fromisoformat(stamp)
        except ValueError:
            moved = None
        if moved is not None and moved.tzinfo is not None:
            return moved
    return created_at


def late_reason(due: datetime, planned: datetime | None, attempts: int, held: bool = False, *,
                ran: bool = False) -> str:
    """Why a reminder sent after its time is late, for its notice: the truth, not one reason for all.

    A reminder planned after its time (a rotation entered on its 20th day) was never missed by a daemon;
    one claimed before (`attempts` counts claims, this one included) had a try that did not go through, and so
    did one `held` back: by paused delivery (its last error says why; a pause counts no try), or failed and put
    back with `reminders retry` (which resets its tries). Else, when a daemon was running at its time (`ran`:
    its heartbeats span it), that daemon could not deliver it (paused, say): "no daemon was running" was false
    for a reminder that fell due while a running daemon's delivery was paused and waited for its next try."""
    if planned is not None and planned > due:
        return LATE_PLANNED
    if attempts > 1 or held:
        return LATE_RETRIED
    if ran:
        return LATE_HELD
    return LATE_NO_DAEMON


def _outgoing(row: Row[Any], mail: ReminderMail, info: RotationInfo | None, draft: DraftText | None) -> Outgoing:
    """Who receives the row: the applicant, except an approved draft, which goes to ``row.recipient``."""
    approved = row.requires_approval and row.approved_at is not None
    name = draft.to_name if draft is not None and draft.to_name else (info.supervisor.name if info else "")
    if row.requires_approval and not approved:
        return Outgoing(mail, mail.applicant, False, row.template_key, "waits for the applicant's approval",
                        approval_to=Person(name, row.recipient))
    if row.kind in APPROVAL_KINDS and not approved:
        # A message meant for someone else that was never gated: send it to nobody rather than guess.
        return Outgoing(mail, mail.applicant, False, row.template_key, f"{row.kind} without approval")
    if not approved:
        return Outgoing(mail, mail.applicant, False, row.template_key)
    return Outgoing(mail, Person(name, row.recipient), True, row.template_key)
