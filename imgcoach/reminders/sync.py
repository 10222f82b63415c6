"""Keeping a rotation's reminders in step with the rotation, and reading the outbox."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from imgcoach.core.clock import ensure_utc, local_date
from imgcoach.core.context import Context
from imgcoach.core.datewords import WRITTEN
from imgcoach.core.ids import saved_id
from imgcoach.core.same_rotation import RotationKey, place_key, same_rotation_key, same_stay
from imgcoach.core.uids import applicant_salt, calendar_uid_for
from imgcoach.core.words import counted
from imgcoach.reminders.kinds import APPROVE_AGAIN, SUPERVISOR_DRAFT
from imgcoach.reminders.rules import (
    LETTER_KINDS,
    LETTER_LAST_CALL,
    LETTER_OPEN,
    MID_FEEDBACK,
    PLANNED_AT,
    ROTATION_KINDS,
    derive_rotation_reminders,
    late_plan_reason,
    letter_asked,
    message_id_for,
    unique_key,
)
from imgcoach.storage.applicants import current_applicant, owned
from imgcoach.storage.models import Applicant, Contact, LetterRequest, Reminder, Rotation, WeeklyLogEntry

if TYPE_CHECKING:
    from imgcoach.reminders.daemon.daemon import MaintenanceTask

MOVABLE = ("pending", "cancelled")
# What `cancel_reminder` accepts; the Outbox and Next up offer x on these only (reminders.offered_actions). Deleting
# a rotation cancels its rows in these too.
CANCELLABLE = ("pending", "failed", "unconfirmed")
# Set by an undo on a reminder whose moment passed while its rotation was deleted (plan.undo): it stays
# cancelled, and a later re-derivation revives it only if the rotation's new dates put its moment ahead.
KEPT_BY_UNDO = "kept_cancelled_by_undo"
# Set by the daemon on a "letter window opens" not sent because its last call was due too (outbox.
# supersede_letter_openings): like KEPT_BY_UNDO, only new dates that put its moment ahead revive it.
SUPERSEDED = "superseded_by_last_call"
# Set on a reminder recorded as not planned because its moment had passed when it was planned (rules.
# late_plan_reason), with that reason: re-derivation keeps it so until new dates put its day ahead, and gives the
# note back after a reason of its own (the feedback asked) no longer holds.
PLANNED_LATE = "not_planned_late"
# Beside it, the day (the applicant's, ISO) it was not planned for: a row moved to another clock time of that same
# day (the profile's zone changed, or the reminders' hour) is not planned for the reason it had, which a reason
# worked out again called "planned only on <the day of the move>", counted from then.
PLANNED_LATE_DAY = "not_planned_late_day"
# The status a row had when its rotation's deletion cancelled it (`cancel_pending_for_rotation`).
CANCELLED_FROM = "cancelled_from"
# Set on a deleted rotation's sent reminders (`cancel_pending_for_rotation`): the rotation as a person knows it (its
# id, kind, place and days), since the row loses its link. The same rotation added again finds what went for it.
DELETED_ROTATION = "deleted_rotation"
# Set on a reminder of a re-added rotation not sent because the deleted one's went (the sent row's id): the
# applicant would get the same e-mail twice for the same rotation. Other dates make it another rotation: revived.
SENT_FOR_DELETED = "sent_for_deleted_rotation"
RETRIED_FROM = ("failed", "unconfirmed")  # statuses a retry takes back to pending (outbox.RETRYABLE)


LETTER_REQUESTED = "no longer needed: the letter was requested"
# A letter window whose opening falls on its last call (a rotation of a few days): only the last call is planned.
# Its "window opens" reminder (planned when the rotation was longer) was cancelled "the letter was requested".
ONE_DAY_WINDOW = "no longer needed: the letter window is one day, so only the last call reminds you"
LETTER_REMOVED = "not sent: the letter request was removed"
# The same for a letter whose writer or rotation changed (`letters edit`): the request asked the old writer for it.
LETTER_REWRITTEN = "not sent: the letter request was given to another writer"
LETTER_MOVED = "not sent: the letter request was moved to another rotation"
# An e-mail to a person the applicant deleted from their contacts (a progress update, an approved feedback request).
CONTACT_REMOVED = "not sent: the person it is addressed to was removed from your contacts"
NOT_PLANNED = "no longer planned for the rotation's dates"  # a kind no rule above explains (none today)
FEEDBACK_NOTE = "not sent: feedback already"  # how `feedback_settled`'s reasons begin
# How the note of a reminder cancelled for a reason that stopped holding after its last day begins
# (`_reason_gone_note`): the letter un-requested, the feedback un-asked, too late for it to go.
REASON_GONE = "not sent: cancelled because "


def feedback_settled(session: Session, rotation: Rotation) -> str | None:
    """Why the rotation's mid-rotation feedback reminder is not sent, or None while it is still needed.

    The same facts readiness's "Mid-rotation feedback" check reads (coach.loading): the feedback written on a
    log week, else the day it was asked (`feedback_requested_on`). The reminder was planned regardless, so the
    Outbox had "Ask for feedback" overdue beside a Readiness line saying it was asked, and the daemon would
    have e-mailed the applicant to ask again."""
    assert rotation.id is not None
    return feedback_settled_of(session, [rotation.id]).get(rotation.id)


def feedback_settled_of(session: Session, rotation_ids: Collection[int],
                        requested_on: Mapping[int, date | None] | None = None) -> dict[int, str]:
    """`feedback_settled` for several rotations in two queries (the Outbox's approval offers read every
    rotation's): rotation id -> the reason, for the settled ones only. `requested_on`: each rotation's
    feedback_requested_on as the caller read its rows already (the Outbox's load), so it is not read again."""
    ids = sorted(set(rotation_ids))
    if not ids:
        return {}
    received: dict[int, date] = {}
    for rotation_id, week, text in session.exec(
            select(col(WeeklyLogEntry.rotation_id), col(WeeklyLogEntry.week_of), col(WeeklyLogEntry.feedback))
            .where(col(WeeklyLogEntry.rotation_id).in_(ids))
            .order_by(col(WeeklyLogEntry.rotation_id), col(WeeklyLogEntry.week_of), col(WeeklyLogEntry.id))).all():
        if text.strip():
            received.setdefault(rotation_id, week)
    asked = dict(session.exec(select(col(Rotation.id), col(Rotation.feedback_requested_on)).where(
        col(Rotation.id).in_(ids), col(Rotation.feedback_requested_on).is_not(None))).all()) if requested_on is None \
        else {rotation_id: requested_on.get(rotation_id) for rotation_id in ids}
    reasons: dict[int, str] = {}
    for rotation_id in ids:
        if rotation_id in received:
            reasons[rotation_id] = f"{FEEDBACK_NOTE} received (in the log, week of {WRITTEN.day(received[rotation_id])})"
        elif (asked_on := asked.get(rotation_id)) is not None:
            reasons[rotation_id] = f"{FEEDBACK_NOTE} asked on {WRITTEN.day(asked_on)}"
    return reasons


def letter_settled_of(session: Session, rotation_ids: Collection[int]) -> dict[int, str]:
    """Why each rotation's letter-request reminders (and their approved drafts) are not sent: rotation id ->
    LETTER_REQUESTED, for the rotations whose letters are all asked for (`rules.letter_asked`); the others are
    left out. A rotation with two writers (two supervisors) and one letter asked still has the other to ask,
    and its reminders name that writer (addressees): any letter asked cancelled them as "the letter was
    requested", so the second writer was never asked."""
    ids = sorted(set(rotation_ids))
    if not ids:
        return {}
    return letter_settled_from(session.exec(select(col(LetterRequest.rotation_id), col(LetterRequest.status))
                                            .where(col(LetterRequest.rotation_id).in_(ids))).all())


def letter_settled_from(statuses: Iterable[tuple[int | None, str]]) -> dict[int, str]:
    """`letter_settled_of`'s rule over (rotation id, status) pairs already read: every letter request of the
    rotations asked about (addressees reads them with their writers, and the Outbox read them twice)."""
    pairs = list(statuses)
    asked = {rotation_id for rotation_id, status in pairs if rotation_id is not None and letter_asked(status)}
    planned = {rotation_id for rotation_id, status in pairs if not letter_asked(status)}
    return dict.fromkeys(sorted(asked - planned), LETTER_REQUESTED)


def pending_letter_order(letter: LetterRequest) -> tuple[bool, date, int]:
    """The order a rotation's planned letters are asked in: due first, undated last, then the lowest id. Its
    first is the letter a rotation's reminders are about, and its writer the one their drafts are written to
    (addressees picks by this key too: one rule)."""
    return (letter.due_on is None, letter.due_on or date.min, letter.id or 0)


def asked_writer_emails(session: Session, rotation_id: int) -> set[str]:
    """The (casefolded) addresses of the rotation's writers whose letters are all asked for: an approved draft
    asking one of them for the letter has nothing left to ask, while another writer's letter is still to ask."""
    asked: set[str] = set()
    planned: set[str] = set()
    for status, email in session.exec(
            select(col(LetterRequest.status), col(Contact.email))
            .join(Contact, col(LetterRequest.writer_id) == col(Contact.id))
            .where(LetterRequest.rotation_id == rotation_id)).all():
        (asked if letter_asked(status) else planned).add((email or "").casefold())
    return asked - planned - {""}


def salt_for(applicant: Applicant) -> str:
    """Per-applicant salt so two databases never mint the same Message-ID."""
    return applicant_salt(applicant.id, applicant.created_at)


def sync_rotation_reminders(
    session: Session, ctx: Context, applicant: Applicant, rotation: Rotation, now: datetime
) -> list[Reminder]:
    """Create, move or cancel the rotation's pending reminders (and move a failed one whose moment moved);
    sent ones are history and stay.

    A reminder whose day had passed when planned and that is of no use late (rules.late_plan_reason) is recorded
    cancelled, saying why, also when its last day had passed too (a rotation entered months after it ended): never
    pending, so never "missed", yet listed, so a past rotation says why nothing will come. A kind a rotation with
    rows never had, planned only after its last day, is left out.
    """
    assert rotation.id is not None
    letters = session.exec(select(LetterRequest).where(LetterRequest.rotation_id == rotation.id)).all()
    letter_settled = letter_settled_of(session, [rotation.id]).get(rotation.id)
    requested = letter_settled is not None
    planned = {
        p.kind: p
        for p in derive_rotation_reminders(
            rotation.id, rotation.start_date, rotation.end_date, applicant.timezone, ctx.settings.reminders,
            letter_requested=requested,
        )
    }
    # Why a kind is no longer planned: the note its pending row is cancelled with, naming its real reason.
    dropped = {kind: _why_not_planned(kind, requested) for kind in ROTATION_KINDS if kind not in planned}
    settled = feedback_settled(session, rotation)
    if settled is not None:
        del planned[MID_FEEDBACK]
        dropped[MID_FEEDBACK] = settled
    # Only the rotation's own reminders: a progress update or a draft also carries rotation_id but is
    # not derived from the rotation's dates, so it is neither moved nor cancelled here.
    # Derived rows carry the rotation's key (rotation:{id}:{kind}[:random], `rotation_key`); a row of the same
    # kind made another way (an import, a script) is not this rule's to move.
    own = session.exec(
        select(Reminder)
        .where(Reminder.rotation_id == rotation.id, col(Reminder.kind).in_(ROTATION_KINDS),
               col(Reminder.template_key).in_(ROTATION_KINDS),
               col(Reminder.key).startswith(f"rotation:{rotation.id}:", autoescape=True))
        .order_by(col(Reminder.id))
    ).all()
    existing = {r.kind: r for r in own}  # the newest row of each kind
    changed: list[Reminder] = []
    salt = salt_for(applicant)
    # The letter its reminders are about: the planned one they name the writer of (addressees), else the first.
    still_to_ask = sorted((lt for lt in letters if not letter_asked(lt.status)), key=pending_letter_order)
    about = still_to_ask or sorted(letters, key=lambda lt: lt.id or 0)
    letter_id = about[0].id if about else None
    today = local_date(now, applicant.timezone)
    # The day a rotation with no reminder row yet was entered: today when it is being added; an older one (entered
    # when every reminder's last day had passed, before such rows were recorded) is judged by its own day.
    added_on = local_date(ensure_utc(rotation.created_at), applicant.timezone) if rotation.created_at else today

    twins: dict[str, Reminder] | None = None

    def sent_before(kind: str) -> Reminder | None:
        """The reminder of `kind` sent for this same rotation before the applicant deleted it (read once per sync,
        when first asked: every sync of a rotation with a planned kind asks, so this is one more query each time).
        For "Ask for a letter", its last call: once that went, an opening would say the window opens after the last
        call said it closes."""
        nonlocal twins
        if twins is None:
            twins = sent_for_deleted_twin(session, saved_id(applicant.id), rotation)
        return twins.get(kind) or (twins.get(LETTER_LAST_CALL) if kind == LETTER_OPEN else None)

    def late(kind: str, due_at: datetime, expires_at: datetime | None = None) -> str | None:
        """rules.late_plan_reason for this rotation, planned now: the rotation is "added" while it has no row yet.
        `expires_at`: the plan's expiry, when that too had passed."""
        last_day = local_date(expires_at - timedelta(microseconds=1), applicant.timezone) if expires_at else None
        return late_plan_reason(kind, local_date(due_at, applicant.timezone), rotation.end_date,
                                added_on if not own else today, added=not own, last_day=last_day)

    for kind, plan in planned.items():
        row = existing.get(kind)
        if row is None:
            expired = plan.expires_at <= now
            key = unique_key(plan.key)
            # Its day passed before it was planned and it is of no use late: recorded, with why, never sent. One
            # whose last day had passed too (a rotation entered months after it ended) is recorded so, not left out:
            # with no row, nothing said why no reminder would come.
            not_planned = late(kind, plan.due_at, plan.expires_at if expired else None)
            if expired and (own or not_planned is None):  # a kind an edited rotation never had: still left out
                continue
            twin = sent_before(kind)
            row = Reminder(
                applicant_id=saved_id(applicant.id), key=key, kind=plan.kind, template_key=plan.kind,
                rotation_id=rotation.id, letter_id=letter_id, recipient=applicant.email,
                due_at=plan.due_at, expires_at=plan.expires_at, note=not_planned or plan.note,
                message_id=message_id_for(key, salt), calendar_uid=calendar_uid_for(key, salt),
                created_at=now, updated_at=now,
            )
            if twin is not None:
                row.status, row.note, row.payload = "cancelled", _sent_before_note(kind, twin, applicant.timezone), {
                    SENT_FOR_DELETED: twin.id}
            elif not_planned is not None:
                row.status = "cancelled"
                row.payload = {PLANNED_LATE: not_planned,
                               PLANNED_LATE_DAY: local_date(plan.due_at, applicant.timezone).isoformat()}
            session.add(row)
            changed.append(row)
            continue
        # A failed row was never delivered: once its rotation's dates move its moment, it stands for a moment
        # the rotation no longer has, and kept failed it left the moved rotation without that reminder at all.
        refused_then = row.status == "failed" and row.due_at != plan.due_at and plan.expires_at > now
        if (row.status not in MOVABLE and not refused_then) or row.payload.get("cancelled_by_user"):
            continue
        if kind in LETTER_KINDS and row.letter_id != letter_id:  # a letter added, asked or removed: the one it is about
            row.letter_id, row.updated_at = letter_id, now
            session.add(row)
        if (twin := sent_before(kind)) is not None:  # the same rotation, deleted after this went: not again
            note = _sent_before_note(kind, twin, applicant.timezone)
            if (row.status, row.note) != ("cancelled", note):
                payload = row.payload if isinstance(row.payload, dict) else {}
                row.payload = {**payload, SENT_FOR_DELETED: twin.id} | (
                    {CANCELLED_FROM: row.status} if row.status in RETRIED_FROM else {})
                row.status, row.note, row.updated_at = "cancelled", note, now
                session.add(row)
                changed.append(row)
            continue
        if row.status == "cancelled" and plan.expires_at <= now and not (
                row.payload.get(PLANNED_LATE) and row.due_at != plan.due_at
                and late(kind, plan.due_at, plan.expires_at) is not None):
            # Past its last day it stays as it is; one not planned for lateness whose rotation's dates changed goes
            # on to say so of the new dates (kept, it named a mid-point or an end the rotation no longer has).
            # Its reason may have stopped holding (the letter un-requested): the note says so, not the reason.
            last_day = local_date(plan.expires_at - timedelta(microseconds=1), applicant.timezone)
            gone = _reason_gone_note(row.note, last_day)
            if gone is not None and row.payload.get(PLANNED_LATE):  # never planned in time: that reason again
                gone = str(row.payload[PLANNED_LATE])
            if gone is not None and row.note != gone:
                row.note, row.updated_at = gone, now
                session.add(row)
                changed.append(row)
            continue
        if (row.status == "cancelled" and (row.payload.get(KEPT_BY_UNDO) or row.payload.get(SUPERSEDED))
                and plan.due_at <= now):
            continue  # kept cancelled so that nothing is sent late (an undo, a last call): only a new moment ahead
        if row.status == "cancelled" and row.payload.get(PLANNED_LATE) and row.due_at == plan.due_at:
            if row.note != row.payload[PLANNED_LATE]:  # the feedback asked, then un-asked: why it is not sent
                row.note, row.updated_at = row.payload[PLANNED_LATE], now
                session.add(row)
                changed.append(row)
            continue  # not planned when its day had passed: the same day is no more use now
        # Moved (from a moment still ahead, or while cancelled) to a day already past: a plan made late, not sent as
        # if on time. A row whose moment stays keeps its plan: one planned on time whose moment passed unsent (no
        # daemon), or that comes back at it (the feedback un-asked), is owed and sent once: no reminder is lost.
        due_day = local_date(plan.due_at, applicant.timezone).isoformat()
        not_planned = None
        if row.due_at != plan.due_at and (row.status == "cancelled" or (row.status == "pending" and row.due_at > now)):
            same_day = row.status == "cancelled" and row.payload.get(PLANNED_LATE_DAY) == due_day
            # A pending reminder moved past its last day too (a rotation's dates corrected to months back) is not
            # planned, saying so: left pending, the daemon marked it missed and blamed a daemon not running.
            not_planned = row.payload[PLANNED_LATE] if same_day and row.payload.get(PLANNED_LATE) else late(
                kind, plan.due_at, plan.expires_at if plan.expires_at <= now else None)
        if not_planned is not None:
            if (row.status, row.note, row.due_at) != ("cancelled", not_planned, plan.due_at):
                payload = row.payload if isinstance(row.payload, dict) else {}
                row.payload = {**payload, PLANNED_LATE: not_planned, PLANNED_LATE_DAY: due_day}
                row.status, row.note, row.due_at, row.expires_at = "cancelled", not_planned, plan.due_at, plan.expires_at
                row.updated_at = now
                session.add(row)
                changed.append(row)
            continue
        if (row.status, row.due_at, row.expires_at, row.note, row.recipient) != (
            "pending", plan.due_at, plan.expires_at, plan.note, applicant.email
        ):
            if row.due_at != plan.due_at or row.status != "pending":  # moved or revived: a late e-mail says why
                payload = row.payload if isinstance(row.payload, dict) else {}
                if payload.get(CANCELLED_FROM) in RETRIED_FROM:  # cancelled failing: no tries at its new moment yet
                    row.attempts, row.last_error, row.unknown_outcomes = 0, "", 0
                kept = {k: v for k, v in payload.items()  # revived at a new moment: no last call or late day covers it
                        if k not in (SUPERSEDED, CANCELLED_FROM, PLANNED_LATE, PLANNED_LATE_DAY, SENT_FOR_DELETED)}
                row.payload = {**kept, PLANNED_AT: now.isoformat()}
            row.status, row.due_at, row.expires_at, row.note = "pending", plan.due_at, plan.expires_at, plan.note
            row.recipient, row.letter_id, row.next_attempt_at, row.updated_at = applicant.email, letter_id, None, now
            if refused_then:  # a new moment, not a retry: no tries at it yet, and the old refusal is history
                row.attempts, row.last_error = 0, ""
            session.add(row)
            changed.append(row)
    for kind, row in existing.items():
        # Its purpose done (the feedback asked or received, the letter requested): not sent, and not left failed
        # or unconfirmed either, where a retry (or the Outbox's offer of one) would send it after all. One
        # already sent is history and stays.
        if kind not in planned and row.status in CANCELLABLE:
            if row.status != "pending":  # what it was stays readable, as a deleted rotation's rows keep it
                row.payload = {**(row.payload if isinstance(row.payload, dict) else {}), CANCELLED_FROM: row.status}
            row.status, row.note, row.updated_at = "cancelled", dropped[kind], now
            session.add(row)
            changed.append(row)
        elif (kind not in planned and row.status == "cancelled"
              and (_dropped_note(row.note) or row.payload.get(PLANNED_LATE))
              and row.note != dropped[kind]):  # asked on another day, a letter un-requested: the reason follows
            row.note, row.updated_at = dropped[kind], now
            session.add(row)
            changed.append(row)
    # An approved request to the supervisor (or the letter's writer) not sent yet is not sent once its purpose is
    # done: the feedback asked or received, a letter asked for by any path (`letters set-status`, `letters edit`,
    # a board move), else it went out asking for what was already asked.
    done_by_kind = {MID_FEEDBACK: settled} if settled is not None else {}
    if letter_settled is not None:
        done_by_kind.update(dict.fromkeys(LETTER_KINDS, letter_settled))
    # With another writer's letter still to ask, an approved draft to a writer whose letter is asked is done too.
    asked_emails = asked_writer_emails(session, rotation.id) if letter_settled is None else set()
    if done_by_kind or asked_emails:
        drafts = session.exec(select(Reminder).where(
            Reminder.rotation_id == rotation.id, col(Reminder.kind).in_(sorted(set(done_by_kind) | set(LETTER_KINDS))),
            Reminder.template_key == SUPERVISOR_DRAFT, col(Reminder.status).in_(CANCELLABLE))
            .order_by(col(Reminder.id))).all()
        for draft in drafts:
            done = done_by_kind.get(draft.kind) or (
                LETTER_REQUESTED if draft.kind in LETTER_KINDS and draft.recipient.casefold() in asked_emails else None)
            if done is None:
                continue
            draft.payload = {**(draft.payload if isinstance(draft.payload, dict) else {}), CANCELLED_FROM: draft.status}
            draft.status, draft.note, draft.updated_at = "cancelled", done, now
            session.add(draft)
            changed.append(draft)
    return changed


def _why_not_planned(kind: str, letter_requested: bool) -> str:
    """The note a rotation reminder no longer planned is cancelled with (the feedback's own reason is
    `feedback_settled`'s): every kind not planned was once noted "the letter was requested", whatever the reason."""
    if kind in LETTER_KINDS and letter_requested:
        return LETTER_REQUESTED
    if kind == LETTER_OPEN:
        return ONE_DAY_WINDOW
    return NOT_PLANNED


def _dropped_note(note: str) -> bool:
    """Whether ``note`` is one this module cancels a no-longer-planned reminder with (so it follows the reason)."""
    return note.startswith((FEEDBACK_NOTE, REASON_GONE)) or note in (LETTER_REQUESTED, ONE_DAY_WINDOW, NOT_PLANNED)


def _reason_gone_note(note: str, last_day: date) -> str | None:
    """The note of a reminder cancelled because its purpose was done (the letter requested, the feedback asked or
    received) once that stopped being so after its last day: it is not sent now either, but "the letter was
    requested" went on saying what the plan no longer says. None for any other note (kept as it is)."""
    if note == LETTER_REQUESTED:
        reason = "the letter was marked requested"
    elif note.startswith(FEEDBACK_NOTE):  # "... asked on 20 Nov 2026", "... received (in the log, week of ...)"
        reason = "feedback was" + note.removeprefix(FEEDBACK_NOTE)
    else:
        return None
    return f"{REASON_GONE}{reason}; no longer so, but its last day, {WRITTEN.day(last_day)}, has passed"


def cancel_pending_for_rotation(session: Session, rotation: Rotation, reason: str, now: datetime) -> list[Reminder]:
    """Cancel what the rotation still had to send (its rotation is going): pending rows, and failed or
    unconfirmed ones too. Left failed, a row stayed in every "failed" count for a rotation that no longer
    existed, and a retry only had the daemon fail it again ("has no rotation").

    Its sent reminders stay as history, each noting the rotation it went for (DELETED_ROTATION): the same
    rotation added again does not send them a second time (`sent_for_deleted_twin`)."""
    assert rotation.id is not None
    for sent in session.exec(select(Reminder).where(Reminder.rotation_id == rotation.id, Reminder.status == "sent",
                                                    col(Reminder.kind).in_(ROTATION_KINDS),
                                                    col(Reminder.template_key).in_(ROTATION_KINDS))).all():
        sent.payload = {**(sent.payload if isinstance(sent.payload, dict) else {}),
                        DELETED_ROTATION: _rotation_identity(rotation)}
        session.add(sent)
    rows = session.exec(
        select(Reminder).where(Reminder.rotation_id == rotation.id, col(Reminder.status).in_(CANCELLABLE))
        .order_by(col(Reminder.due_at), col(Reminder.id))
    ).all()
    for row in rows:
        _cancel_saying_what_it_was(session, row, reason, now)
    return list(rows)


def _cancel_saying_what_it_was(session: Session, row: Reminder, note: str, now: datetime) -> None:
    """Cancel `row` with `note`, keeping its status in the payload: what it was stays readable ("3 pending and 1
    failed reminder(s) cancelled", not all called pending)."""
    row.payload = {**(row.payload if isinstance(row.payload, dict) else {}), CANCELLED_FROM: row.status}
    row.status, row.note, row.updated_at = "cancelled", note, now
    session.add(row)


def _rotation_identity(rotation: Rotation) -> dict[str, object]:
    """The rotation as a person knows it, kept in its sent reminders when it is deleted (DELETED_ROTATION): its id
    and what makes it the one it is (core.same_rotation: kind, place, days)."""
    return {"id": rotation.id, "kind": rotation.kind, "institution": place_key(rotation.institution),
            "start": rotation.start_date.isoformat(), "end": rotation.end_date.isoformat()}


def _deleted_rotation_key(deleted: Mapping[str, object]) -> RotationKey | None:
    """core.same_rotation's key of a DELETED_ROTATION payload (its place as kept then, keyed again: one kept before
    the key collapsed spaces still matches), or None when it lacks a field."""
    try:
        return same_rotation_key(str(deleted["kind"]), str(deleted["institution"]),
                                 date.fromisoformat(str(deleted["start"])), date.fromisoformat(str(deleted["end"])))
    except (KeyError, ValueError):
        return None


def sent_for_deleted_twin(session: Session, applicant_id: int, rotation: Rotation) -> dict[str, Reminder]:
    """Kind -> the first reminder of that kind the applicant's deleted rotation at the same place on the same days
    as `rotation` was sent (core.same_rotation.same_stay: a kind corrected on re-entry is the same stay), its own
    reminders to the applicant, not drafts to a supervisor. Only this applicant's rows: two applicants at the same
    hospital on the same days each get their own."""
    wanted = same_rotation_key(rotation.kind, rotation.institution, rotation.start_date, rotation.end_date)
    found: dict[str, Reminder] = {}
    for row in session.exec(select(Reminder).where(
            Reminder.applicant_id == applicant_id, col(Reminder.rotation_id).is_(None), Reminder.status == "sent",
            col(Reminder.kind).in_(ROTATION_KINDS), col(Reminder.template_key).in_(ROTATION_KINDS))
            .order_by(col(Reminder.sent_at), col(Reminder.id))).all():
        deleted = row.payload.get(DELETED_ROTATION) if isinstance(row.payload, dict) else None
        if isinstance(deleted, dict) and (key := _deleted_rotation_key(deleted)) is not None and same_stay(key, wanted):
            found.setdefault(row.kind, row)
    return found


def _sent_before_note(kind: str, sent: Reminder, zone: str) -> str:
    """Why a re-added rotation's reminder of `kind` is not sent: when `sent` went, and for which deleted rotation."""
    deleted = sent.payload.get(DELETED_ROTATION, {})
    when = f" on {WRITTEN.day(local_date(ensure_utc(sent.sent_at), zone))}" if sent.sent_at is not None else ""
    what = "already sent" if kind == sent.kind else "its last call was sent"
    return f"not sent: {what}{when} for rotation {deleted.get('id')} (the same place and days), which you deleted"


def removed_letter_drafts(session: Session, rotation_id: int, writer_email: str, *,
                          leaving_writer: int | None = None) -> list[Reminder]:
    """The approved e-mails asking `writer_email` for a letter of `rotation_id`, not sent yet (pending, failed or
    unconfirmed), that removing their letter cancels: none while another of the rotation's letters has the same
    writer. The one count the cancelling, and the app's dialog before deleting a person, read.
    `leaving_writer`: a contact whose letters are about to go (the dialog asks before they are deleted)."""
    query = select(Contact.email).join(LetterRequest, col(LetterRequest.writer_id) == col(Contact.id)).where(
        LetterRequest.rotation_id == rotation_id)
    if leaving_writer is not None:
        query = query.where(LetterRequest.writer_id != leaving_writer)
    others = {(email or "").casefold() for email in session.exec(query).all()}  # the rotation's other letters' writers
    if not writer_email or writer_email.casefold() in others:
        return []
    rows = session.exec(select(Reminder).where(
        Reminder.rotation_id == rotation_id, col(Reminder.kind).in_(LETTER_KINDS),
        Reminder.template_key == SUPERVISOR_DRAFT, col(Reminder.status).in_(CANCELLABLE))
        .order_by(col(Reminder.id))).all()
    return [row for row in rows if row.recipient.casefold() == writer_email.casefold()]


def cancel_for_removed_letter(session: Session, rotation_id: int, writer_email: str, now: datetime, *,
                              note: str = LETTER_REMOVED) -> list[Reminder]:
    """A removed letter request's own messages are not sent: the approved e-mails asking its writer for it
    (`removed_letter_drafts`) are cancelled with LETTER_REMOVED; returns them. Call after the letter is deleted,
    in its transaction. The rotation's own reminders to ask for a letter are not the letter's: they follow the
    rotation's rule (its sync), as when a letter is moved to another rotation.

    Left pending, such an e-mail still went to the writer of a letter no longer planned, asking for it. `note`:
    LETTER_REWRITTEN or LETTER_MOVED when the letter stays but no longer has that writer on that rotation."""
    cancelled = removed_letter_drafts(session, rotation_id, writer_email)
    for row in cancelled:
        _cancel_saying_what_it_was(session, row, note, now)
    return cancelled


def mail_to_removed_contact(session: Session, applicant: Applicant, email: str, *,
                            leaving_contact: int) -> list[Reminder]:
    """The e-mails to `email` not sent yet (pending, failed or unconfirmed: an approved draft, a progress update
    awaiting approval) that deleting contact `leaving_contact` cancels: none while another of the applicant's
    contacts has that address, none to the applicant's own. The count the app's dialog reads and the delete applies.

    Only the letter drafts were cancelled with the person (cancel_for_removed_letter): a progress update to them
    stayed, awaiting approval, and approved it went to someone the applicant had deleted."""
    wanted = email.casefold()
    if not wanted or wanted == (applicant.email or "").casefold():
        return []
    others = session.exec(select(Contact.email).where(Contact.applicant_id == applicant.id,
                                                      Contact.id != leaving_contact)).all()
    if wanted in {(other or "").casefold() for other in others}:
        return []
    rows = session.exec(select(Reminder).where(Reminder.applicant_id == applicant.id,
                                               col(Reminder.status).in_(CANCELLABLE))
                        .order_by(col(Reminder.id))).all()
    return [row for row in rows if row.recipient.casefold() == wanted]


def cancel_mail_to_removed_contact(session: Session, applicant: Applicant, email: str, now: datetime, *,
                                   leaving_contact: int) -> list[Reminder]:
    """`mail_to_removed_contact`'s rows, cancelled with CONTACT_REMOVED (in the delete's transaction)."""
    cancelled = mail_to_removed_contact(session, applicant, email, leaving_contact=leaving_contact)
    for row in cancelled:
        _cancel_saying_what_it_was(session, row, CONTACT_REMOVED, now)
    return cancelled


# A contact's address edited (plan.edit_contact): an e-mail approved for the old address went there all the same (the
# daemon sends to the address stored at approval). It now goes to nobody until the applicant approves it again for
# the new one; its note begins so (the Outbox and `reminders list` show it).
# In the payload of an e-mail whose contact's address was removed: that contact's id, so the address they are given
# next is the one it goes to (its recipient is empty, and nothing else says whose it was).
ADDRESS_REMOVED_FROM = "address_removed_from_contact"
# In the payload of an e-mail a daemon was sending when its contact's address changed: the change (contact, old,
# new). It is left to that try, as approved; if the try does not deliver it (a retry, a failure, an unconfirmed
# send, a release: `follow_address_change`), it follows the change then, where a retry went to the old address.
ADDRESS_CHANGED_WHILE_SENDING = "address_changed_while_sending"


def address_change_words(old: str, new: str) -> str:
    """"the address changed from a@x to b@y", or with no new address, that it was removed."""
    if not new:
        return f"the address {old} was removed; add one, then approve it"
    return f"the address changed from {old} to {new}" if old else f"the address {new} was added"


@dataclass(frozen=True)
class Readdressed:
    """What a contact's new address did to the e-mails to them not sent yet (`readdress_mail_to_contact`): the ids
    approved for the old address, now awaiting approval again; those awaiting approval, now addressed to the new
    one; and those a daemon is sending right now (claimed before the edit), not changed under it."""

    old: str
    new: str
    approved_again: tuple[int, ...] = ()
    awaiting: tuple[int, ...] = ()
    being_sent: tuple[int, ...] = ()

    def words(self) -> str:
        """What the edit did to them, the CLI's line and the app's toast alike ("" when nothing)."""
        change = address_change_words(self.old, self.new)
        parts = []
        if self.approved_again:
            one = len(self.approved_again) == 1
            parts.append(f"{counted(len(self.approved_again), 'approved e-mail')} to them "
                         f"{'needs' if one else 'need'} your approval again: {change}")
        if self.awaiting:
            one = len(self.awaiting) == 1
            where = (f"now {'goes' if one else 'go'} to {self.new}" if self.new
                     else f"{'has' if one else 'have'} no address until you add one")
            parts.append(f"{counted(len(self.awaiting), 'e-mail')} to them awaiting your approval {where}")
        if self.being_sent:
            one = len(self.being_sent) == 1
            then = (f"awaits your approval again, to {self.new}" if self.new
                    else "awaits an address and your approval again")
            parts.append(f"{counted(len(self.being_sent), 'e-mail')} to them {'is' if one else 'are'} being sent to "
                         f"{self.old} right now, as you approved {'it' if one else 'them'} before the change; "
                         f"if that try does not deliver {'it' if one else 'them'}, {'it' if one else 'each'} {then}")
        return "; ".join(parts)

    def as_json(self) -> dict[str, object]:
        return {"old": self.old, "new": self.new, "approval_again": list(self.approved_again),
                "awaiting_approval": list(self.awaiting), "being_sent": list(self.being_sent), "words": self.words()}


def mail_to_readdressed_contact(session: Session, applicant: Applicant, contact_id: int, old: str,
                                new: str) -> list[Reminder]:
    """The e-mails to contact `contact_id` at `old` not sent yet (pending, failed, unconfirmed, or being sent) that
    their new address `new` concerns: messages to someone else only (never the applicant's own reminders, nor mail
    to an address that is the applicant's), none while another of the applicant's contacts still has `old` (the
    mail may be theirs, as `mail_to_removed_contact` has it), none when only the case changed. With no `old`, the
    ones left without an address when theirs was removed (ADDRESS_REMOVED_FROM)."""
    wanted = old.casefold()
    if wanted == new.casefold() or (wanted and wanted == (applicant.email or "").casefold()):
        return []
    if wanted:
        others = session.exec(select(Contact.email).where(Contact.applicant_id == applicant.id,
                                                          Contact.id != contact_id)).all()
        if wanted in {(other or "").casefold() for other in others}:
            return []
    rows = session.exec(select(Reminder).where(
        Reminder.applicant_id == applicant.id, col(Reminder.requires_approval).is_(True),
        col(Reminder.status).in_((*CANCELLABLE, "sending"))).order_by(col(Reminder.id))).all()
    if wanted:
        return [row for row in rows if row.recipient.casefold() == wanted]
    return [row for row in rows if not row.recipient and isinstance(row.payload, dict)
            and row.payload.get(ADDRESS_REMOVED_FROM) == contact_id]


def readdress_mail_to_contact(session: Session, applicant: Applicant, contact_id: int, old: str, new: str,
                              now: datetime) -> Readdressed:
    """`mail_to_readdressed_contact`'s rows follow the contact to `new` (in the edit's transaction): one approved
    for `old` goes back to awaiting approval with a note saying why (an approval is of a message to an address:
    neither the old address nor the new one receives it until the applicant approves it again); one awaiting
    approval simply takes the new address. One a daemon claimed (sending) is left as it is: it is being sent, as
    approved, and the daemon records what it did. The applicant's own mail is not concerned.

    Before this the daemon sent an approved e-mail to the address stored at its approval, after the applicant had
    corrected it (a writer's old hospital address, say)."""
    again: list[int] = []
    awaiting: list[int] = []
    sending: list[int] = []
    for row in mail_to_readdressed_contact(session, applicant, contact_id, old, new):
        lease = row.lease_until
        if row.status == "sending" and (lease is None or ensure_utc(lease) > now):  # a daemon is at it: its try
            payload = row.payload if isinstance(row.payload, dict) else {}
            row.payload = {**payload, ADDRESS_CHANGED_WHILE_SENDING: {"contact": contact_id, "old": old, "new": new}}
            session.add(row)
            sending.append(saved_id(row.id))
            continue
        (again if _readdress(row, contact_id, old, new, now) else awaiting).append(saved_id(row.id))
    return Readdressed(old, new, tuple(again), tuple(awaiting), tuple(sending))


def _readdress(row: Reminder, contact_id: int, old: str, new: str, now: datetime) -> bool:
    """`row` (not being sent) goes to `new`: approved, it awaits approval again (True); awaiting approval, it just
    takes the address (False). A claim whose lease ran out (its daemon died) is given back too: not sent."""
    change = address_change_words(old, new)
    payload = {key: value for key, value in (row.payload if isinstance(row.payload, dict) else {}).items()
               if key not in (ADDRESS_REMOVED_FROM, ADDRESS_CHANGED_WHILE_SENDING)}
    if str(payload.get("draft_to") or "").casefold() == old.casefold():  # a progress update's own draft's To
        payload["draft_to"] = new
    if not new:
        payload[ADDRESS_REMOVED_FROM] = contact_id
    row.payload, row.recipient, row.updated_at = payload, new, now
    if row.status == "sending":
        row.status, row.claimed_by, row.lease_until = "pending", "", None
    return approve_again(row, change, now)


def approve_again(row: Reminder, change: str, now: datetime, *, awaiting_note: str = "") -> bool:
    """`row`, a message to someone else whose address or words just changed (`change`, in words), awaits the
    applicant's approval again: an approval is of one message, to one address, in one text. Approved, it loses
    the approval, its note saying why (True); awaiting approval already, a note of an earlier change follows this
    one, any other note becomes `awaiting_note` when given (False). A failed or unconfirmed one keeps its status:
    a retry makes it await approval."""
    note = f"{APPROVE_AGAIN}{change}"[:500]
    row.updated_at = now
    if row.approved_at is not None:
        row.approved_at, row.note = None, note
        return True
    if row.note.startswith(APPROVE_AGAIN):  # changed again before it was approved: the note follows
        row.note = note
    elif awaiting_note:
        row.note = awaiting_note[:500]
    return False


def name_change_words(old: str, new: str, *, whose: str = "the") -> str:
    """"the name changed from Dr. A to Dr. B" (`whose`: "your" for the applicant's own)."""
    return f"{whose} name changed from {old} to {new}"


@dataclass(frozen=True)
class Redrafted:
    """What a changed name (a person's or the applicant's own) did to the e-mails not sent yet that carry it: ids
    of those approved before, now awaiting approval again (their text is no longer the one approved); and of those
    awaiting approval whose stored text was drafted again. `change` says what changed, in words."""

    change: str
    approved_again: tuple[int, ...] = ()
    redrafted: tuple[int, ...] = ()

    def __or__(self, other: Redrafted) -> Redrafted:
        again = tuple(sorted({*self.approved_again, *other.approved_again}))
        return Redrafted(self.change or other.change, again,
                         tuple(sorted({*self.redrafted, *other.redrafted} - set(again))))

    def words(self) -> str:
        """The CLI's line and the app's toast ("" when nothing was concerned)."""
        parts = []
        if self.approved_again:
            one = len(self.approved_again) == 1
            parts.append(f"{counted(len(self.approved_again), 'approved e-mail')} not sent yet "
                         f"{'needs' if one else 'need'} your approval again: {self.change}")
        if self.redrafted:
            one = len(self.redrafted) == 1
            parts.append(f"{counted(len(self.redrafted), 'e-mail')} awaiting your approval "
                         f"{'was' if one else 'were'} drafted again with it")
        return "; ".join(parts)

    def as_json(self) -> dict[str, object]:
        return {"change": self.change, "approval_again": list(self.approved_again),
                "redrafted": list(self.redrafted), "words": self.words()}


def approved_supervisor_drafts(session: Session, applicant: Applicant) -> list[Reminder]:
    """The applicant's approved supervisor drafts not sent yet (outbox.approve_draft queues them): their text is
    written when the daemon sends them, from the rotation's person and the applicant's name as they are then. One
    a daemon is sending is left to its try."""
    return list(session.exec(select(Reminder).where(
        Reminder.applicant_id == applicant.id, Reminder.template_key == SUPERVISOR_DRAFT,
        col(Reminder.requires_approval).is_(True), col(Reminder.approved_at).is_not(None),
        col(Reminder.status).in_(CANCELLABLE)).order_by(col(Reminder.id))).all())


def follow_address_change(session: Session, reminder_ids: Collection[int], now: datetime) -> list[int]:
    """After a try that did not deliver them (outbox.mark_retry, mark_failed, mark_unknown, release), the rows among
    `reminder_ids` whose contact's address changed while a daemon was sending them (ADDRESS_CHANGED_WHILE_SENDING)
    follow the change as `readdress_mail_to_contact` would have: awaiting approval again, to the new address.
    Left as they were, the retry went to the old address. Returns their ids; in the caller's transaction."""
    if not reminder_ids:
        return []
    moved: list[int] = []
    for row in session.exec(select(Reminder).where(col(Reminder.id).in_(sorted(set(reminder_ids))),
                                                   col(Reminder.status).in_(CANCELLABLE))).all():
        change = row.payload.get(ADDRESS_CHANGED_WHILE_SENDING) if isinstance(row.payload, dict) else None
        if not isinstance(change, dict):
            continue
        _readdress(row, int(change.get("contact") or 0), str(change.get("old") or ""), str(change.get("new") or ""),
                   now)
        session.add(row)
        moved.append(saved_id(row.id))
    return moved


def resync_all(session: Session, ctx: Context, applicant: Applicant, now: datetime, *, old_zone: str | None = None) -> None:
    """After a profile change (time zone, e-mail) every pending reminder follows.

    A rotation's reminders are re-derived from its dates. Every other pending reminder (an outreach
    follow-up, a progress update, a digest) keeps its local wall-clock time: 09:00 in the old zone
    becomes 09:00 in the new one. Nothing is cancelled here.
    """
    derived: set[int] = set()
    for rotation in session.exec(select(Rotation).where(Rotation.applicant_id == applicant.id)).all():
        sync_rotation_reminders(session, ctx, applicant, rotation, now)
        derived |= {r.id for r in session.exec(
            select(Reminder).where(Reminder.rotation_id == rotation.id, col(Reminder.kind).in_(ROTATION_KINDS),
                                   col(Reminder.template_key).in_(ROTATION_KINDS))).all() if r.id is not None}
    if old_zone is None or old_zone == applicant.timezone:
        return
    others = session.exec(
        select(Reminder).where(Reminder.applicant_id == applicant.id, Reminder.status == "pending")
    ).all()
    for row in others:
        if row.id in derived:
            continue
        row.due_at = same_wall_time(row.due_at, old_zone, applicant.timezone)
        if row.expires_at is not None:
            row.expires_at = same_wall_time(row.expires_at, old_zone, applicant.timezone)
        if row.next_attempt_at is not None:
            row.next_attempt_at = None  # due again at its new moment
        row.updated_at = now
        session.add(row)


@dataclass(frozen=True)
class RemindersMoved:
    """What an edit did to pending reminders (`pending_moments` before and after it): `moved` pending ones now due
    at another moment, `new` ones, `cancelled` ones no longer pending. `profile set --timezone` said "profile
    saved" and `rotations edit` "rotation 3 updated" while reminders moved; the faces say these words instead."""

    moved: int = 0
    new: int = 0
    cancelled: int = 0

    @staticmethod
    def between(before: Mapping[int, datetime], after: Mapping[int, datetime]) -> RemindersMoved:
        return RemindersMoved(
            moved=sum(1 for rid, due in after.items() if rid in before and before[rid] != due),
            new=sum(1 for rid in after if rid not in before),
            cancelled=sum(1 for rid in before if rid not in after))

    def _rest(self) -> list[str]:
        return ([f"{counted(self.new, 'new pending reminder')}"] if self.new else []) + (
            [f"{counted(self.cancelled, 'pending reminder')} cancelled (the outbox says why)"] if self.cancelled else [])

    def zone_words(self, zone: str) -> str:
        """After a change of time zone: every pending reminder keeps its clock time (09:00 stays 09:00)."""
        said = ([f"{counted(self.moved, 'pending reminder')} now {'falls' if self.moved == 1 else 'fall'} due at "
                 f"the same clock time in {zone}"] if self.moved else []) + self._rest()
        return "; ".join(said)

    def rotation_words(self) -> str:
        """After a rotation's edit: its reminders follow its dates."""
        said = ([f"its {counted(self.moved, 'pending reminder')} moved with its dates"] if self.moved else []
                + self._rest())
        return "; ".join(said)


def pending_moments(session: Session, applicant_id: int, rotation_id: int | None = None) -> dict[int, datetime]:
    """The applicant's (or one rotation's) pending reminders and their due moments (UTC), for `RemindersMoved`."""
    query = select(Reminder.id, Reminder.due_at).where(Reminder.applicant_id == applicant_id,
                                                        Reminder.status == "pending")
    if rotation_id is not None:
        query = query.where(Reminder.rotation_id == rotation_id)
    session.flush()
    return {int(rid): ensure_utc(due) for rid, due in session.exec(query).all() if rid is not None}


def same_wall_time(moment: datetime, old_zone: str, new_zone: str) -> datetime:
    """The UTC instant showing the same local date and time in `new_zone` as `moment` did in `old_zone`."""
    local = moment.astimezone(ZoneInfo(old_zone)).replace(tzinfo=None)
    return local.replace(tzinfo=ZoneInfo(new_zone)).astimezone(UTC)


def list_reminders(ctx: Context, status: str | None = None) -> list[Reminder]:
    with ctx.db.read() as session:
        return reminders_of(session, saved_id(current_applicant(session, ctx).id), status)


def reminders_of(session: Session, applicant_id: int, status: str | None = None) -> list[Reminder]:
    """The applicant's reminders of `status` (all when None), by due time."""
    query = select(Reminder).where(Reminder.applicant_id == applicant_id)
    if status:
        query = query.where(Reminder.status == status)
    return list(session.exec(query.order_by(col(Reminder.due_at), col(Reminder.id))).all())


def count_reminders(ctx: Context) -> dict[str, int]:
    """How many of the applicant's reminders are in each status: one grouped query, for a screen that shows the
    counts of every status but the rows of one (the Outbox read all 2,000 rows of a five-year plan to count)."""
    with ctx.db.read() as session:
        return status_counts(session, saved_id(current_applicant(session, ctx).id))


def status_counts(session: Session, applicant_id: int) -> dict[str, int]:
    from sqlalchemy import func

    rows = session.exec(select(Reminder.status, func.count()).where(Reminder.applicant_id == applicant_id)
                        .group_by(col(Reminder.status))).all()
    return {status: count for status, count in rows}




def cancel_reminder(ctx: Context, reminder_id: int) -> Reminder:
    """The applicant cancels one pending reminder; editing the rotation will not bring it back."""
    from imgcoach.core.errors import UserError

    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        row = owned(session, Reminder, reminder_id, applicant, "reminder")
        if row.status not in CANCELLABLE:
            raise UserError(f"reminder {reminder_id} is {row.status}; only pending, failed or unconfirmed reminders "
                            "can be cancelled")
        row.status, row.note, row.updated_at = "cancelled", "cancelled by you", now
        row.payload = {**row.payload, "cancelled_by_user": True}
        session.add(row)
        return row


REDERIVE_TASK = "rotation-reminders"


def rederive_rotation_reminders(ctx: Context) -> int:
    """Every applicant's pending rotation reminders re-derived from their rotations and today's rules and
    settings; returns how many rows changed.

    A reminder is derived when its rotation is saved, so a new rule (no reminder on a weekend) or a changed
    `[reminders] hour` in config.toml reached only rotations saved afterwards: an upgraded user's daemon
    went on sending Saturday reminders. One transaction per applicant; a row already in sending, sent or
    missed is never touched (sync_rotation_reminders), so it is safe beside the worker and other daemons."""
    with ctx.db.read() as session:
        ids = [a for a in session.exec(select(Applicant.id).order_by(col(Applicant.id))).all() if a is not None]
    if ctx.applicant_id is not None:
        ids = [a for a in ids if a == ctx.applicant_id]
    changed = 0
    for applicant_id in ids:
        with ctx.db.transaction(applicant_id) as session:
            applicant = session.get(Applicant, applicant_id)
            if applicant is None:
                continue
            now = ctx.clock.now()
            for rotation in session.exec(select(Rotation).where(Rotation.applicant_id == applicant_id)
                                         .order_by(col(Rotation.id))).all():
                changed += len(sync_rotation_reminders(session, ctx, applicant, rotation, now))
    return changed


def rederive_task(ctx: Context) -> MaintenanceTask:
    """The daemon's MaintenanceTask for `rederive_rotation_reminders`: at start (after an upgrade or a settings
    change) and daily."""
    import logging
    from datetime import timedelta

    from imgcoach.reminders.daemon.daemon import MaintenanceTask

    def run(now: datetime) -> int:
        changed = rederive_rotation_reminders(ctx)
        if changed:
            logging.getLogger(__name__).info("rotation reminders re-derived under today's rules: %d changed", changed)
        return changed

    return MaintenanceTask(REDERIVE_TASK, timedelta(hours=24), run, run_at_start=True)
