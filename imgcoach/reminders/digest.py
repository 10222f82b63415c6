"""Weekly digest rows in the outbox: one per applicant and week, built from the database.

The daemon runs ``ensure_weekly_digests`` every hour (``digest_task``). It creates the week's
``weekly_digest`` reminder once (key ``digest:{applicant_id}:{monday}``, due Monday at the reminder hour)
and, while the row is still pending, refreshes its list. The hourly pass alone left up to an hour in which a
change (a rotation's end moved, its reminders with it) was not in the list: a digest sent at 09:00 said "Nothing is
scheduled this week" of a week whose feedback and letter reminders an 08:30 edit had moved into it. So the outbox
reads the list again right before it claims a due digest (``refresh_due_digests``), and the e-mail says what is
true when it is sent. What goes in the list is decided by imgcoach.reminders.mail.digest; this module only reads the facts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from imgcoach.core.clock import ensure_utc
from imgcoach.core.context import Context
from imgcoach.core.datewords import WRITTEN, moment_words
from imgcoach.core.ids import saved_id
from imgcoach.core.settings import ReminderTiming
from imgcoach.core.uids import calendar_uid_for
from imgcoach.reminders.addressees import Addressees, addressees
from imgcoach.reminders.daemon_view import last_useful_day
from imgcoach.reminders.kinds import FOLLOW_UP_KIND, SUPERVISOR_DRAFT, rotation_kind_label
from imgcoach.reminders.mail import digest as plan
from imgcoach.reminders.rules import message_id_for
from imgcoach.reminders.sync import salt_for
from imgcoach.storage.models import (
    Applicant,
    DaemonState,
    ExamResult,
    OutreachEntry,
    Reminder,
    Rotation,
    StudyBlock,
)

log = logging.getLogger(__name__)

TASK_NAME = "weekly-digest"
TASK_INTERVAL = timedelta(hours=1)

ShortlistChanges = Callable[[Context], list[dict[str, Any]]]
"""What the matching feature provides: the applicant's (ctx.applicant_id) unseen shortlist changes.

Passed in by imgcoach.composition, so reminders never names the matching feature (it sits below it)."""


@dataclass(frozen=True)
class DigestRun:
    created: list[str]  # keys of new rows
    refreshed: list[str]  # keys of pending rows whose list changed


def enabled(ctx: Context) -> bool:
    """``[digest] enabled = false`` in the config file turns the weekly digest off."""
    section = ctx.settings.extra.get("digest") or {}
    return bool(section.get("enabled", True)) if isinstance(section, dict) else True


def ensure_weekly_digests(ctx: Context, shortlist_changes: ShortlistChanges | None = None) -> DigestRun:
    """Make sure every applicant with an e-mail address has this week's digest row (idempotent).

    Without ``shortlist_changes`` (matching not wired in) the digest simply has no shortlist lines."""
    created: list[str] = []
    refreshed: list[str] = []
    if not enabled(ctx):
        return DigestRun(created, refreshed)
    with ctx.db.read() as session:
        applicants = list(session.execute(select(Applicant).order_by(col(Applicant.id))).scalars())
    for applicant in applicants:
        if not applicant.email:
            continue
        week = plan.current_digest_week(ctx.clock, applicant.id, applicant.timezone, ctx.settings.reminders)
        outcome = _ensure_one(ctx, applicant, week, shortlist_changes)
        if outcome == "created":
            created.append(week.key)
        elif outcome == "refreshed":
            refreshed.append(week.key)
    return DigestRun(created, refreshed)


def _ensure_one(
    ctx: Context, applicant: Applicant, week: plan.DigestWeek, shortlist_changes: ShortlistChanges | None
) -> str:
    """``created``, ``refreshed`` (pending row, new list) or ``kept``."""
    now = ctx.clock.now()
    with ctx.db.read() as session:
        existing = session.execute(select(Reminder).where(col(Reminder.key) == week.key)).scalars().first()
        if existing is not None and existing.status != "pending":
            return "kept"  # sent, sending, missed or cancelled: never touched again
        since = _previous_digest_time(session, saved_id(applicant.id), week)
        items = plan.digest_items(week, **_facts(session, saved_id(applicant.id), week, now))
    shortlist = shortlist_changes_for_digest(ctx, saved_id(applicant.id), since, shortlist_changes)
    payload = plan.digest_payload(week, items, shortlist, now, since)
    if existing is not None and plan.same_content(existing.payload, payload):
        return "kept"
    try:
        with ctx.db.transaction(saved_id(applicant.id)) as session:
            row = session.execute(select(Reminder).where(col(Reminder.key) == week.key)).scalars().first()
            if row is None:
                salt = salt_for(applicant)
                session.add(Reminder(
                    applicant_id=saved_id(applicant.id), key=week.key, kind=plan.DIGEST_KIND, template_key=plan.DIGEST_KIND,
                    recipient=applicant.email, due_at=first_due_at(session, applicant, week, now),
                    expires_at=week.expires_at,
                    message_id=message_id_for(week.key, salt), calendar_uid=calendar_uid_for(week.key, salt),
                    note=f"Your week ahead, {WRITTEN.span(week.week_start, week.week_end)}", payload=payload,
                    created_at=now, updated_at=now,
                ))
                for unmade in _unmade_weeks(session, applicant, week, now, ctx.settings.reminders):
                    session.add(unmade)
                return "created"
            if row.status != "pending":
                return "kept"
            row.payload, row.updated_at = payload, now
            return "refreshed"
    except IntegrityError:  # another daemon created it between our read and our write
        return "kept"


def refresh_due_digests(ctx: Context, now: datetime) -> int:
    """Read again the list of every pending digest due at ``now`` (the worker calls this before it claims), so the
    e-mail lists the week as it is when it goes out; returns how many lists changed. Its shortlist lines, and the
    moment they were computed (the next digest's lines start there), stay those of the last hourly pass: the
    shortlist's changes come from the matching feature, which the daemon's maintenance task wires in."""
    if not enabled(ctx):
        return 0
    with ctx.db.read() as session:
        due = list(session.execute(select(Reminder, Applicant).join(
            Applicant, col(Applicant.id) == col(Reminder.applicant_id)).where(
            col(Reminder.kind) == plan.DIGEST_KIND, col(Reminder.status) == "pending", col(Reminder.due_at) <= now,
            or_(col(Reminder.expires_at).is_(None), col(Reminder.expires_at) > now),
        )).all())
        fresh: dict[int, tuple[int, dict[str, Any]]] = {}
        for row, applicant in due:
            stored = row.payload if isinstance(row.payload, dict) else {}
            listed = stored.get("digest") if isinstance(stored.get("digest"), dict) else None
            if listed is None or not listed.get("week_start"):
                continue
            week = plan.digest_week(saved_id(applicant.id), date.fromisoformat(str(listed["week_start"])),
                                    applicant.timezone, ctx.settings.reminders)
            items = plan.digest_items(week, **_facts(session, saved_id(applicant.id), week, now))
            again = plan.digest_payload(week, items, [], now, None)["digest"]["items"]
            if again != listed.get("items"):
                fresh[saved_id(row.id)] = (saved_id(applicant.id), {**stored, "digest": {**listed, "items": again}})
    changed = 0
    for rid, (applicant_id, payload) in fresh.items():
        with ctx.db.transaction(applicant_id) as session:
            row = session.get(Reminder, rid)
            if row is not None and row.status == "pending":  # another daemon may have claimed it meanwhile
                row.payload, row.updated_at = payload, now
                changed += 1
    return changed


def first_due_at(session: Any, applicant: Applicant, week: plan.DigestWeek, now: datetime) -> datetime:
    """When a new digest row is due: its Monday 09:00, or `now` when it is made after that moment and nothing could
    have sent it then (`could_have_gone`). Such a digest was never missed; due at its Monday, it went out "[late]",
    saying "was due on Monday 09:00 but is sent only now" to an applicant made on Tuesday or whose first daemon
    started then. One a daemon could have sent keeps its time and says it is late."""
    if now <= week.due_at or could_have_gone(session, applicant, week):
        return week.due_at
    return now


def could_have_gone(session: Any, applicant: Applicant, week: plan.DigestWeek) -> bool:
    """Whether anything could have sent `week`'s digest at its time: the applicant existed then, and a daemon had
    started on this database before it (or an earlier digest of theirs exists)."""
    created = ensure_utc(applicant.created_at) if applicant.created_at else None
    if created is not None and created > week.due_at:
        return False
    ran_before = session.execute(select(col(DaemonState.owner)).where(
        col(DaemonState.started_at) <= week.due_at).limit(1)).first()
    earlier = session.execute(select(col(Reminder.id)).where(
        col(Reminder.applicant_id) == applicant.id, col(Reminder.kind) == plan.DIGEST_KIND,
        col(Reminder.due_at) < week.due_at).limit(1)).first()
    return ran_before is not None or earlier is not None


# At most this many weeks back are recorded missed at once: a machine off for months would fill the Outbox with a
# row per week; the oldest row listed then says that the weeks before it are not.
MISSED_WEEKS_LISTED = 8


def _unmade_weeks(session: Any, applicant: Applicant, week: plan.DigestWeek, now: datetime,
                  timing: ReminderTiming) -> list[Reminder]:
    """The weeks before `week` whose digest was never made though it could have gone, each as a *missed* row,
    newest first, back to the last week that has a digest row (or nothing could have sent one), at most
    MISSED_WEEKS_LISTED. The machine asleep from Monday to Thursday: from Thursday the next week's is prepared,
    and nothing said that this week's never existed. Only the one week before was recorded: a daemon down for
    five weeks left four Mondays with no digest and no word. `reminders list`, the Outbox and `daemon status` show
    each missed, saying why."""
    rows: list[Reminder] = []
    before = week
    while True:
        before = plan.digest_week(saved_id(applicant.id), before.week_start - timedelta(days=7), week.tz, timing)
        if not _unmade(session, applicant, before, now):
            return rows
        if len(rows) == MISSED_WEEKS_LISTED:
            rows[-1].note += (f"; the weeks before it were not made either and are not listed (at most "
                              f"{MISSED_WEEKS_LISTED} are)")
            return rows
        rows.append(_missed_row(session, applicant, before, now))


def _unmade(session: Any, applicant: Applicant, week: plan.DigestWeek, now: datetime) -> bool:
    """Whether `week`'s digest is over (expired), was never made (no row of its key) and could have gone."""
    if now < week.expires_at:
        return False
    if session.execute(select(col(Reminder.id)).where(col(Reminder.key) == week.key)).first() is not None:
        return False
    return could_have_gone(session, applicant, week)


def _missed_row(session: Any, applicant: Applicant, before: plan.DigestWeek, now: datetime) -> Reminder:
    """`before`'s digest as a *missed* row, saying why it was not made."""
    tz = ZoneInfo(before.tz)
    salt = salt_for(applicant)
    return Reminder(
        applicant_id=saved_id(applicant.id), key=before.key, kind=plan.DIGEST_KIND, template_key=plan.DIGEST_KIND,
        recipient=applicant.email, due_at=before.due_at, expires_at=before.expires_at, status="missed",
        message_id=message_id_for(before.key, salt), calendar_uid=calendar_uid_for(before.key, salt),
        note=(f"not made: nothing made it between {moment_words(before.due_at, tz)} and the end of "
              f"{WRITTEN.day(last_useful_day(before.expires_at, tz))} (no daemon ran then, or the profile had no "
              "e-mail address)"),
        # its week as it stands now, so the Outbox's preview of it renders (and says what it would have listed)
        payload=plan.digest_payload(before, plan.digest_items(before, **_facts(session, saved_id(applicant.id), before,
                                                                               now)), [], now, None),
        created_at=now, updated_at=now,
    )


def _previous_digest_time(session: Any, applicant_id: int, week: plan.DigestWeek) -> datetime | None:
    """When the previous digest's list was computed (its shortlist lines cover changes up to then)."""
    rows = session.execute(
        select(col(Reminder.payload), col(Reminder.updated_at)).where(
            col(Reminder.applicant_id) == applicant_id, col(Reminder.kind) == plan.DIGEST_KIND, col(Reminder.key) != week.key,
            col(Reminder.due_at) < week.due_at,
        ).order_by(col(Reminder.due_at).desc()).limit(1)
    ).first()
    if rows is None:
        return None
    payload, updated_at = rows
    stamp = (payload or {}).get("computed_at") if isinstance(payload, dict) else None
    if stamp:
        return ensure_utc(datetime.fromisoformat(stamp))
    return ensure_utc(updated_at) if updated_at else None


def _facts(session: Any, applicant_id: int, week: plan.DigestWeek, now: datetime) -> dict[str, list[Any]]:
    """Everything that may fall in the week, read in a few queries (filtering by the week is pure). A reminder
    the outbox will not send is not one of them: expired at `now` (missed), or a letter opening whose last call
    is due too (cancelled). A catch-up digest is made before the outbox runs and listed both."""
    from imgcoach.reminders.outbox import approval_refusal, superseded_opening  # heavy: the daemon's
    first, last = week.week_start - timedelta(days=1), week.week_end + timedelta(days=1)
    rotations = list(session.execute(select(Rotation).where(
        col(Rotation.applicant_id) == applicant_id,
        ((col(Rotation.start_date) >= first) & (col(Rotation.start_date) <= last))
        | ((Rotation.end_date >= first) & (Rotation.end_date <= last)),
    )).scalars())
    reminders = list(session.execute(select(Reminder).where(
        col(Reminder.applicant_id) == applicant_id, col(Reminder.status) == "pending",
        col(Reminder.due_at) >= week.starts_at, col(Reminder.due_at) < week.ends_at, ~superseded_opening(now),
        or_(col(Reminder.expires_at).is_(None), col(Reminder.expires_at) > now),  # else missed, never sent
    ).order_by(col(Reminder.due_at), col(Reminder.id))).scalars())
    rotation_ids = {r.rotation_id for r in reminders if r.rotation_id is not None}
    about_rotation = {r.id: f"{r.specialty}, {r.institution}" for r in session.execute(
        select(Rotation).where(col(Rotation.id).in_(rotation_ids))).scalars()} if rotation_ids else {}
    # Whom each reminder's draft asks, by the e-mail's own rule (addressees): a letter request names the planned
    # letter's writer. The digest named the supervisor, while the e-mail asked the attending writing the letter.
    drafts_to = addressees(session, rotation_ids)
    outreach_ids = {int(r.payload["outreach_id"]) for r in reminders
                    if r.kind == FOLLOW_UP_KIND and str((r.payload or {}).get("outreach_id", "")).isdigit()}
    outreach = {o.id: o for o in session.execute(
        select(OutreachEntry).where(col(OutreachEntry.id).in_(outreach_ids))).scalars()} if outreach_ids else {}

    reminder_facts: list[plan.ReminderFact] = []
    follow_ups: list[plan.FollowUpFact] = []
    for r in reminders:
        if r.kind == FOLLOW_UP_KIND:
            entry = outreach.get(int((r.payload or {}).get("outreach_id", 0) or 0))
            follow_ups.append(plan.FollowUpFact(
                r.due_at, entry.institution if entry else str((r.payload or {}).get("draft_to_name") or "a program"),
                (entry.coordinator or entry.contact_email) if entry else str((r.payload or {}).get("draft_to") or ""),
            ))
            continue
        if r.kind == "progress_update":
            to = (r.payload or {}).get("draft_to_name") or r.recipient
            about = f"to {to}" if to else ""  # "to None" of a draft with no addressee: the refusal below says so
        else:
            about = about_rotation.get(r.rotation_id, "") if r.rotation_id is not None else ""
            person = _asked(drafts_to, r) if r.kind != "mid_rotation_feedback" else None
            if person:
                about = f"{person} ({about})" if about else person
        awaiting = r.requires_approval and r.approved_at is None
        # Approve's own rule (outbox.approval_refusal), as the daemon's e-mail asks it: the digest said "approve it
        # with ..." of a draft with no address, which approve refuses. A message that is itself the draft (a
        # progress update) needs no addressee or queued-draft lookup: empty ones are the rule's input for it.
        refusal = approval_refusal(r, now, Addressees(), {}, tz=week.tz) if awaiting else None
        reminder_facts.append(plan.ReminderFact(
            r.id, r.due_at, r.kind, about, awaiting_approval=awaiting, template_key=r.template_key,
            refusal=refusal or ""))
    study = session.execute(select(StudyBlock).where(
        col(StudyBlock.applicant_id) == applicant_id, col(StudyBlock.start_date) >= first, col(StudyBlock.start_date) <= last,
    )).scalars()
    exams = session.execute(select(ExamResult).where(
        col(ExamResult.applicant_id) == applicant_id, col(ExamResult.taken_on) >= first, col(ExamResult.taken_on) <= last,
    )).scalars()
    return {
        "reminders": reminder_facts,
        "rotations": [plan.RotationFact(r.start_date, r.end_date,
                                        f"{r.specialty} {rotation_kind_label(r.kind)}, {r.institution}") for r in rotations],
        "study": [plan.StudyFact(b.start_date, b.exam, b.hours_per_week, b.weekly_goal) for b in study],
        "exams": [plan.ExamFact(e.taken_on, e.exam) for e in exams],
        "follow_ups": follow_ups,
    }


def _asked(to: Addressees, row: Reminder) -> str | None:
    """The name of the person a rotation reminder's draft asks (`Addressees.of`); an approved draft names whom it
    is stored to go to (one queued to the supervisor before the letter was planned keeps the supervisor)."""
    contact = to.of(row.kind, row.rotation_id)
    if row.template_key == SUPERVISOR_DRAFT and row.rotation_id is not None and (
            contact is None or contact.email.casefold() != row.recipient.casefold()):
        stored = [c for c in (to.supervisors.get(row.rotation_id), to.writers.get(row.rotation_id))
                  if c is not None and c.email.casefold() == row.recipient.casefold()]
        return stored[0].name if stored else (row.recipient or None)
    return contact.name if contact is not None else None


# --- shortlist changes (the matching feature) -----------------------------------------------------
def _change_line(change: dict[str, Any]) -> str:
    program = change.get("program_name") or change.get("program_id", "a program")
    why = f": {change['why']}" if change.get("why") else ""
    kind = change.get("kind")
    if kind == "entered":
        return f"{program} entered your shortlist ({change.get('new_tier', '')}){why}"
    if kind == "left":
        return f"{program} left your shortlist{why}"
    return f"{program} moved from {change.get('old_tier', '?')} to {change.get('new_tier', '?')}{why}"


def shortlist_changes_for_digest(
    ctx: Context, applicant_id: int, since: datetime | None, changes_since_seen: ShortlistChanges | None
) -> list[str]:
    """Shortlist changes the applicant has not seen yet, made after ``since`` (the previous digest), one line each.

    ``changes_since_seen`` is the matching feature's provider (imgcoach.composition passes
    ``imgcoach.matching.changes_since_seen``); without one, or when it fails, the digest goes out without
    shortlist lines (the digest never fails for it).
    """
    if changes_since_seen is None:
        return []
    try:
        changes = changes_since_seen(replace(ctx, applicant_id=applicant_id))
    except Exception:
        log.warning("shortlist changes for applicant %s unavailable; digest sent without them", applicant_id,
                    exc_info=True)
        return []
    lines = []
    for change in changes:
        made = change.get("computed_at")
        if since is not None and isinstance(made, datetime) and ensure_utc(made) <= since:
            continue
        lines.append(_change_line(change))
    return lines


# --- daemon hook ----------------------------------------------------------------------------------
def digest_task(ctx: Context, shortlist_changes: ShortlistChanges | None = None):
    """The daemon's MaintenanceTask (built in imgcoach.composition._task_factories, which wires in the shortlist)."""
    from imgcoach.reminders.daemon.daemon import MaintenanceTask

    def run(now: datetime) -> DigestRun:
        result = ensure_weekly_digests(ctx, shortlist_changes)
        if result.created:
            log.info("weekly digest rows created: %s", ", ".join(result.created))
        return result

    return MaintenanceTask(TASK_NAME, TASK_INTERVAL, run, run_at_start=True)
