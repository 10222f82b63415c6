"""Export the plan as one calendar, and keep subscribed feed files up to date.

UIDs are derived from row ids with the applicant's salt (the same scheme as reminder e-mails; a row
moved from another database keeps the UID it was published under there: core.uids.plan_row_uid),
so a calendar app that imports the file again, or reloads the feed, updates its entries. Each
item also carries X-IMGCOACH-* properties, so importing the file into imgcoach gives the same plan.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from imgcoach.calendar.series import UNSPECIFIED
from imgcoach.calendar.writer import ExportItem, to_ics_bytes, write_atomic
from imgcoach.core.clock import Clock, ensure_utc, local_date
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.core.ical_versions import stamp_sequence
from imgcoach.core.ids import saved_id
from imgcoach.core.locations import refuse_missing_folder
from imgcoach.core.settings import Settings
from imgcoach.core.uids import plan_row_uid
from imgcoach.core.vocab.specialties import service_name
from imgcoach.reminders import (
    awaits_approval,
    reminder_heading,
    reminder_label,
    rotation_kind_label,
    salt_for,
)
from imgcoach.storage.applicants import current_applicant
from imgcoach.storage.db import Database
from imgcoach.storage.models import (
    Applicant,
    CalendarFeed,
    Contact,
    ExamResult,
    LetterRequest,
    Reminder,
    Rotation,
    StudyBlock,
)

ROTATION_ALARM = timedelta(days=7)
EXAM_ALARMS = (timedelta(days=7), timedelta(days=1))
LETTER_ALARM = timedelta(days=3)
OPEN_LETTERS = ("planned", "requested", "agreed")


def coming_alarms(start: date, alarms: tuple[timedelta, ...], today: date) -> tuple[timedelta, ...]:
    """The alarms of an all-day item that still lie ahead: each fires at local midnight of start - before.

    One whose day is today or earlier has fired or never will: a calendar app given it shows it as a missed
    reminder (Thunderbird lists every one on import or subscription), so a plan with a passed Step 1 brought up
    "Reminder: Exam: Step 1" alarms for an exam sat a year before. By the day, in the applicant's zone: the same
    all day long, as the kept answers of `export` are (their key holds the local day)."""
    return tuple(before for before in alarms if start - before > today)


def _x(kind: str, detail: str, fields: dict[str, Any]) -> dict[str, str]:
    return {"X-IMGCOACH-KIND": kind, "X-IMGCOACH-DETAIL": detail,
            "X-IMGCOACH-FIELDS": json.dumps(fields, sort_keys=True, ensure_ascii=False)}




def own_uids(session: Session, applicant: Applicant) -> dict[str, tuple[str, int]]:
    """UID -> (kind, row id) for every plan row this database's export writes.

    Importing our own export back (or a calendar that contains it) then links each event to
    the row it came from instead of making a second rotation, study block or exam.
    """
    salt = salt_for(applicant)
    found: dict[str, tuple[str, int]] = {}
    plan: tuple[tuple[str, str, type[Rotation | StudyBlock | ExamResult]], ...] = (
        ("rotation", "rotation", Rotation), ("study_block", "study_block", StudyBlock), ("exam", "exam_result", ExamResult))
    for kind, table, model in plan:
        for row_id, stored in session.execute(sa_select(col(model.id), col(model.calendar_uid))
                                              .where(col(model.applicant_id) == applicant.id)):
            found[plan_row_uid(table, row_id, salt, stored)] = (kind, row_id)
    return found


def own_copies(session: Session, applicant: Applicant) -> dict[str, str]:
    """UID -> what it is ("reminder 7 (Thank-you note)": its one label) for every reminder and letter deadline of
    this applicant, whatever its state: our own export (or the calendar event a reminder e-mail carries) brought back.

    Such an event is a copy of a row the plan keeps and moves itself; imported as a calendar event it
    would stay where it was when a rotation moved, and be drawn beside the reminder it copies."""
    salt = salt_for(applicant)
    found = {uid: f"reminder {rid} ({reminder_label(kind, key)})" for rid, uid, kind, key in session.execute(
        sa_select(col(Reminder.id), col(Reminder.calendar_uid), col(Reminder.kind), col(Reminder.template_key))
        .where(col(Reminder.applicant_id) == applicant.id))}
    for letter_id, stored in session.execute(sa_select(col(LetterRequest.id), col(LetterRequest.calendar_uid))
                                             .where(col(LetterRequest.applicant_id) == applicant.id)):
        found[plan_row_uid("letter_request", letter_id, salt, stored)] = f"letter {letter_id}'s deadline"
    return found


def _versioned(stamp: datetime | None, version: int | None) -> int:
    """SEQUENCE for rows without their own change time (study blocks, exams): the applicant's creation
    (`stamp_sequence`, what earlier exports sent) plus the edits since, so it only grows (RFC 5546 2.1.4)."""
    return (stamp_sequence(stamp) if stamp else 0) + max((version or 1) - 1, 0)


# The rotation columns X-IMGCOACH-FIELDS carries, so that importing the file gives the same rotation back.
_ROTATION_FIELDS = ("kind", "specialty", "institution", "department", "city", "state", "country", "setting",
                    "hours_per_week", "hands_on")


def plan_items(session: Session, applicant: Applicant, today: date) -> list[ExportItem]:
    """Rotations, study blocks, exams, open letter deadlines and pending reminders, as export items; `today`
    (the applicant's local date) leaves out the alarms already past (`coming_alarms`).

    Only the columns the items are made of are read, as rows (no model objects): a reminder row alone has 30
    columns, a JSON payload among them, and building the objects was most of the export's reading time."""
    salt = salt_for(applicant)
    stamp = applicant.created_at
    aid = applicant.id
    items: list[ExportItem] = []
    rotation_fields = [col(getattr(Rotation, k)) for k in _ROTATION_FIELDS]
    for r in session.execute(sa_select(col(Rotation.id), col(Rotation.start_date), col(Rotation.end_date),
                                       col(Rotation.updated_at), col(Rotation.hours_assumed), col(Rotation.calendar_uid),
                                       *rotation_fields)
                             .where(col(Rotation.applicant_id) == aid).order_by(col(Rotation.id))):
        # An assumed 40 is left out: the rotation imported from this file has its hours assumed again, not given.
        fields = {k: getattr(r, k) for k in _ROTATION_FIELDS if not (k == "hours_per_week" and r.hours_assumed)}
        # A rotation made from an event with no LOCATION has the institution "unspecified": not a place to
        # write where a calendar app shows (and maps) the location
        where = ", ".join(p for p in (r.institution if r.institution != UNSPECIFIED else "", r.city, r.state) if p)
        items.append(ExportItem(
            plan_row_uid("rotation", r.id, salt, r.calendar_uid), f"{rotation_kind_label(r.kind).capitalize()}: {r.specialty} at "
            f"{r.institution}", r.start_date, r.end_date + timedelta(days=1), all_day=True, location=where,
            categories=("Rotation",), alarms_before=coming_alarms(r.start_date, (ROTATION_ALARM,), today),
            stamp=r.updated_at or stamp,
            extra=_x("rotation", r.kind, fields)))
    for b in session.execute(sa_select(col(StudyBlock.id), col(StudyBlock.exam), col(StudyBlock.hours_per_week),
                                       col(StudyBlock.weekly_goal), col(StudyBlock.start_date), col(StudyBlock.end_date),
                                       col(StudyBlock.version), col(StudyBlock.calendar_uid))
                             .where(col(StudyBlock.applicant_id) == aid).order_by(col(StudyBlock.id))):
        fields = {"exam": b.exam, "hours_per_week": b.hours_per_week, "weekly_goal": b.weekly_goal}
        items.append(ExportItem(
            plan_row_uid("study_block", b.id, salt, b.calendar_uid), f"Study block: {b.exam} ({b.hours_per_week} h/week)",
            b.start_date, b.end_date + timedelta(days=1), all_day=True, description=b.weekly_goal,
            categories=("Study block",), stamp=stamp, sequence=_versioned(stamp, b.version),
            extra=_x("study_block", "", fields)))
    for e in session.execute(sa_select(col(ExamResult.id), col(ExamResult.exam), col(ExamResult.taken_on),
                                       col(ExamResult.version), col(ExamResult.calendar_uid))
                             .where(col(ExamResult.applicant_id) == aid).order_by(col(ExamResult.id))):
        items.append(ExportItem(
            plan_row_uid("exam_result", e.id, salt, e.calendar_uid), f"Exam: {e.exam}", e.taken_on, e.taken_on + timedelta(days=1),
            all_day=True, categories=("Exam",), alarms_before=coming_alarms(e.taken_on, EXAM_ALARMS, today),
            stamp=stamp,
            sequence=_versioned(stamp, e.version),
            extra=_x("exam", e.exam, {"exam": e.exam})))
    # The writer's name joined in: only this applicant's contacts, as the letter's own writer may be gone
    writer = sa_select(col(Contact.id), col(Contact.name), col(Contact.version)).where(
        col(Contact.applicant_id) == aid).subquery()
    for letter in session.execute(
            sa_select(col(LetterRequest.id), col(LetterRequest.due_on), col(LetterRequest.notes),
                      col(LetterRequest.calendar_uid),
                      col(LetterRequest.updated_at), writer.c.name.label("writer_name"),
                      writer.c.version.label("writer_version"))
            .outerjoin(writer, writer.c.id == col(LetterRequest.writer_id))
            .where(col(LetterRequest.applicant_id) == aid, col(LetterRequest.due_on).is_not(None),
                   col(LetterRequest.status).in_(OPEN_LETTERS)).order_by(col(LetterRequest.id))):
        assert letter.due_on is not None
        items.append(ExportItem(
            plan_row_uid("letter_request", letter.id, salt, letter.calendar_uid), f"Letter deadline: {letter.writer_name or 'writer'}",
            letter.due_on, letter.due_on + timedelta(days=1), all_day=True, description=letter.notes,
            categories=("Letter",), alarms_before=coming_alarms(letter.due_on, (LETTER_ALARM,), today),
            stamp=letter.updated_at or stamp,
            # The title names the writer: renaming them is a new version of the deadline too (the contact row
            # has no change time, only its version), or a calendar app keeps the old name as up to date.
            sequence=_versioned(letter.updated_at or stamp, letter.writer_version),
            extra={"X-IMGCOACH-KIND": "letter_deadline"}))
    # The rotation joined in: its reminders' titles name it ("Reminder: thank you" three times, for three
    # rotations, said which to nobody), and renaming it is a new version of each (its change time counts).
    rotation = sa_select(col(Rotation.id), col(Rotation.specialty), col(Rotation.department),
                         col(Rotation.institution), col(Rotation.updated_at)).where(
        col(Rotation.applicant_id) == aid).subquery()
    for rem in session.execute(sa_select(col(Reminder.calendar_uid), col(Reminder.kind), col(Reminder.due_at),
                                         col(Reminder.note), col(Reminder.updated_at), col(Reminder.created_at),
                                         col(Reminder.template_key), col(Reminder.requires_approval),
                                         col(Reminder.approved_at), rotation.c.specialty, rotation.c.department,
                                         rotation.c.institution, rotation.c.updated_at.label("rotation_changed"))
                               .outerjoin(rotation, rotation.c.id == col(Reminder.rotation_id))
                               .where(col(Reminder.applicant_id) == aid, col(Reminder.status) == "pending")
                               .order_by(col(Reminder.due_at), col(Reminder.id))):  # id: reminders due together, in one order
        changed = max((ensure_utc(t) for t in (rem.updated_at or rem.created_at, rem.rotation_changed)
                       if t is not None), default=stamp)
        items.append(ExportItem(
            rem.calendar_uid, reminder_title(rem), rem.due_at, rem.due_at + timedelta(minutes=15),
            tzid=applicant.timezone, description=rem.note, categories=("Reminder",),
            stamp=changed, extra={"X-IMGCOACH-KIND": "reminder"}))
    return items


def reminder_title(rem: Any) -> str:
    """"Reminder: Thank-you note · Cardiology, Mount Sinai": the reminder's one label (reminders.reminder_heading:
    "Approved: …" for an approved e-mail to a supervisor, "…: to approve" for a message that waits for the
    applicant's approval, as the Outbox and Next up name them) and its rotation. It spelled the stored kind ("Reminder: mid
    rotation feedback") where the Outbox said "Ask for feedback"."""
    title = reminder_heading(rem.kind, rem.template_key, plain="Reminder: ",
                             awaiting=awaits_approval("pending", rem.requires_approval, rem.approved_at))
    if rem.institution:
        title += f" · {service_name(rem.specialty or '', rem.department or '')}, {rem.institution}"
    return title


def export_bytes(ctx: Context) -> bytes:
    return export_answer(ctx)[0]


def export_answer(ctx: Context) -> tuple[bytes, bool]:
    """The plan as `imgcoach export` prints it, and whether those bytes follow from the stored rows alone.

    Every DTSTAMP is the source row's last change (or the applicant's creation), never the moment of export,
    so an unchanged plan exports byte-identical (RFC 5546 orders versions by SEQUENCE, then DTSTAMP: both
    move only with a change). Only an item with no such time (an applicant row without created_at) takes
    the export's moment; then the bytes depend on the clock and must not be kept (False)."""
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        now = ctx.clock.now()
        items = plan_items(session, applicant, local_date(now, applicant.timezone))
        name = f"imgcoach plan: {applicant.name}"
    return to_ics_bytes(items, now=now, name=name), all(item.stamp is not None for item in items)


def export_to(ctx: Context, path: Path) -> int:
    """Write the plan to `path` atomically; returns the number of bytes written. A missing folder is refused."""
    refuse_missing_folder(Path(path))
    data = export_bytes(ctx)
    _write(Path(path), data)
    return len(data)


def _write(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except (OSError, ValueError) as exc:
        # A file standing where a folder of the path is needed makes mkdir say "File exists", which read as the
        # calendar file itself being in the way: the file that is in the way is named instead.
        blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        reason = f"{blocker} is a file, not a folder" if blocker else getattr(exc, "strerror", None) or exc
        raise UserError(f"{path}: cannot write the calendar file: {reason}") from None


def add_feed(ctx: Context, path: Path) -> Path:
    """Remember `path` as a feed (the daemon keeps it current) and write it now. A missing folder is refused
    (the daemon's later rewrites make it again if it goes: the feed was asked for there)."""
    refuse_missing_folder(Path(path).expanduser())
    target = Path(path).expanduser().resolve()
    data = export_bytes(ctx)
    _write(target, data)
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        feed = session.scalars(select(CalendarFeed).where(
            col(CalendarFeed.applicant_id) == applicant.id, col(CalendarFeed.path) == str(target))).first()
        feed = feed or CalendarFeed(applicant_id=saved_id(applicant.id), path=str(target))
        feed.sha256, feed.written_at = hashlib.sha256(data).hexdigest(), now
        session.add(feed)
    return target


def list_feeds(ctx: Context) -> list[CalendarFeed]:
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        return list(session.scalars(select(CalendarFeed).where(col(CalendarFeed.applicant_id) == applicant.id)))


def empty_feeds(paths: list[Path], *, name: str, now: datetime) -> dict[Path, str]:
    """Write a calendar with no event to each of `paths`; returns what went wrong, by file, for those that failed.

    For an applicant being removed: their feed rows go with them, so nothing rewrote the files, and a calendar
    app subscribed to one kept showing the whole deleted plan. A calendar with no event is what a subscriber
    can read as "all gone" (a missing file reads as a server failure, and apps keep their last copy)."""
    data = to_ics_bytes([], now=now, name=f"imgcoach plan: {name}")
    failed: dict[Path, str] = {}
    for path in paths:
        try:
            _write(path, data)
        except UserError as exc:
            failed[path] = str(exc)
    return failed


def _file_digest(path: Path) -> str | None:
    """The SHA-256 of the file's bytes, None when there is no file to read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def refresh_feed(db: Database, settings: Settings, clock: Clock) -> list[str]:
    """Rewrite every feed whose file does not hold the plan as it is now; the daemon calls this periodically.

    Judged by the file's own bytes, not by the digest recorded when it was last written: after `db restore`
    the restored rows and their recorded digest agree with each other, not with the file, so a file written
    since the backup kept the rotations the restore had taken away (and every refresh skipped it).

    A feed that cannot be written (its folder gone read-only) is skipped and named in the UserError raised once
    the others are written: it stopped the loop, so every feed after it, another applicant's too, kept showing
    a plan that had changed (a deleted rotation lingered) for as long as that one file failed."""
    written: list[str] = []
    failed: list[str] = []
    ctx = Context(db=db, clock=clock, settings=settings)
    with db.read() as session:
        feeds = list(session.scalars(select(CalendarFeed)))
    for feed in feeds:
        ctx.applicant_id = feed.applicant_id
        data = export_bytes(ctx)
        digest = hashlib.sha256(data).hexdigest()
        path = Path(feed.path)
        if _file_digest(path) == digest:
            continue
        try:
            _write(path, data)
        except UserError as exc:
            failed.append(str(exc))
            continue
        with db.transaction(feed.applicant_id) as session:
            row = session.get(CalendarFeed, feed.id)
            if row is not None:
                row.sha256, row.written_at = digest, clock.now()
                session.add(row)
        written.append(str(path))
    if failed:
        raise UserError("; ".join(failed))
    return written

