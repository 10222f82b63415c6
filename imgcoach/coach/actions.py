"""Coach services: readiness from the database, the rotation log, materials (CV, packet, stories).

The rows are fetched here (the ORM, any engine) and become the coach's plain dataclasses in coach.loading, the
one conversion (the CLI's sqlite3 read feeds it too), so the rules in imgcoach.coach stay database-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from imgcoach.coach import cv as cv_rules
from imgcoach.coach import models as m
from imgcoach.coach import packet as packet_rules
from imgcoach.coach.errors import CoachFieldError
from imgcoach.coach.files import write_atomic
from imgcoach.coach.loading import (
    CoachData,
    CoachRows,
    build_coach_data,
    readiness_report,
    to_rotation,
)
from imgcoach.coach.logbook import (
    check_week_begun,
    check_weekly_entry,
    check_within_rotation,
    parse_project_kind,
)
from imgcoach.coach.readiness import ReadinessReport
from imgcoach.coach.stories import Story, render_stories, stories
from imgcoach.coach.thresholds import Thresholds, load_thresholds
from imgcoach.core.clock import local_today as clock_today
from imgcoach.core.context import Context
from imgcoach.core.datewords import ISO, DateWords
from imgcoach.core.ids import saved_id
from imgcoach.core.oneline import NOT_ONE_LINE, is_one_line
from imgcoach.plan import week_days
from imgcoach.reminders import sync_rotation_reminders
from imgcoach.storage.applicants import current_applicant, owned
from imgcoach.storage.models import (
    Applicant,
    CaseNote,
    CoachProject,
    Contact,
    ExamResult,
    LetterRequest,
    Rotation,
    RotationContact,
    WeeklyLogEntry,
)


def local_today(ctx: Context, applicant: Applicant) -> date:
    return clock_today(ctx.clock, applicant.timezone)


def fetch_coach_rows(session: Session, ctx: Context) -> CoachRows:
    """The rows coach.loading turns into CoachData, read through the ORM (any engine), in its stated order:
    coach.quick_readiness reads the same rows with sqlite3, in the same order."""
    applicant = current_applicant(session, ctx)
    rotations = list(session.exec(select(Rotation).where(Rotation.applicant_id == applicant.id)
                                  .order_by(col(Rotation.start_date), col(Rotation.id))).all())
    ids = [r.id for r in rotations if r.id is not None]
    def linked(role: str) -> list[tuple[int, Contact]]:
        return [(link.rotation_id, contact) for link, contact in session.exec(
            select(RotationContact, Contact).join(Contact, col(RotationContact.contact_id) == col(Contact.id))
            .where(col(RotationContact.rotation_id).in_(ids), RotationContact.role == role)
            .order_by(col(RotationContact.id))
        ).all()] if ids else []

    supervisors, attendings = linked("supervisor"), linked("attending")
    letters = [(letter, contact) for letter, contact in session.exec(
        select(LetterRequest, Contact).join(Contact, col(LetterRequest.writer_id) == col(Contact.id))
        .where(LetterRequest.applicant_id == applicant.id).order_by(col(LetterRequest.id))
    ).all()]
    exams = list(session.exec(select(ExamResult).where(ExamResult.applicant_id == applicant.id)
                              .order_by(col(ExamResult.id))).all())
    cases = list(session.exec(select(CaseNote).where(col(CaseNote.rotation_id).in_(ids))
                              .order_by(col(CaseNote.id))).all()) if ids else []
    projects = list(session.exec(select(CoachProject).where(CoachProject.applicant_id == applicant.id)
                                 .order_by(col(CoachProject.id))).all())
    entries = list(session.exec(select(WeeklyLogEntry).where(col(WeeklyLogEntry.rotation_id).in_(ids))
                                .order_by(col(WeeklyLogEntry.week_of), col(WeeklyLogEntry.id))).all()) if ids else []
    return CoachRows(applicant, rotations, supervisors, letters, exams, cases, projects, entries, attendings)


def load_coach_data(ctx: Context, thresholds: Thresholds | None = None) -> CoachData:
    t = thresholds or load_thresholds()
    with ctx.db.read() as session:
        rows = fetch_coach_rows(session, ctx)
    return build_coach_data(rows, ctx.clock.now(), ctx.settings, t)


def readiness(ctx: Context, thresholds: Thresholds | None = None, words: DateWords = ISO) -> ReadinessReport:
    """Every readiness check; the sentences write their dates with `words` (ISO for the CLI; the app
    passes its own), the dates in the report (actions, season) stay dates."""
    t = thresholds or load_thresholds()
    return readiness_report(load_coach_data(ctx, t), t, words)


def readiness_and_rotations(ctx: Context, words: DateWords = ISO) -> tuple[ReadinessReport, list[Rotation]]:
    """`readiness`, and the rotations it read (by start date), from the same read: the app's Readiness screen
    offers them in its feedback form, and read them again in a second transaction (200 rows on the 5-year plan)."""
    t = load_thresholds()
    with ctx.db.read() as session:
        rows = fetch_coach_rows(session, ctx)
    return readiness_report(build_coach_data(rows, ctx.clock.now(), ctx.settings, t), t, words), list(rows.rotations)


# --- rotation log ----------------------------------------------------------------------------------


def _logged_week(session: Session, rotation: Rotation, week_of: date) -> WeeklyLogEntry | None:
    """The row already logged for the rotation week ``week_of`` falls in, whichever of its days it was logged on.

    A week written is stored as its first day (the rotation's weeks, week_days), whatever day was typed: the
    day typed was kept, so `--week 2026-11-11` said "week of 2026-11-11" beside weeks labelled by their first
    day. Rows written before keep their day and are still found here by the week's days."""
    first, last = week_days(rotation.start_date, week_of)
    return session.exec(select(WeeklyLogEntry).where(WeeklyLogEntry.rotation_id == rotation.id,
                                                     col(WeeklyLogEntry.week_of) >= first,
                                                     col(WeeklyLogEntry.week_of) <= last)
                        .order_by(col(WeeklyLogEntry.week_of), col(WeeklyLogEntry.id))).first()


# What a logged week holds besides its hours, named as `log add` names its options.
_WEEK_PARTS = (("activities", "--did"), ("procedures_observed", "--observed"),
               ("procedures_performed", "--performed"), ("presentations", "--presented"),
               ("feedback", "--feedback"), ("change_after_feedback", "--changed"))


@dataclass(frozen=True, slots=True)
class LoggedWeek:
    """A week written by `log add`, and what it replaced: the command replaces a week already logged whole, and
    said only "log entry 7: rotation 2, week of 2026-11-29, 40 h" while the week's activities and feedback (which
    readiness counts) were gone."""

    entry: WeeklyLogEntry
    replaced_hours: float | None = None  # the hours the week held before; None when it was not logged yet
    dropped: tuple[str, ...] = ()  # the options the week held a value for and this command left empty

    def words(self) -> str:
        text = f"log entry {self.entry.id}: rotation {self.entry.rotation_id}, week of {self.entry.week_of}, " \
               f"{self.entry.hours:g} h"
        if self.replaced_hours is None:
            return text
        text += f" (replaced the week logged before, {self.replaced_hours:g} h"
        if self.dropped:
            text += f"; not given again, so no longer logged: {', '.join(self.dropped)}"
        return text + ")"


def log_week(ctx: Context, rotation_id: int, week_of: date, hours: float, *, activities: str = "",
             procedures_observed: list[str] | None = None, procedures_performed: list[str] | None = None,
             presentations: list[str] | None = None, feedback: str = "",
             change_after_feedback: str = "") -> LoggedWeek:
    """One week of the log, replacing the week if it was logged; refused (nothing written) when the week is
    outside the rotation or has not begun."""
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        row = owned(session, Rotation, rotation_id, applicant, "rotation")
        check_weekly_entry(to_rotation(row, None), week_of, hours, tuple(procedures_performed or ()),
                           today=local_today(ctx, applicant))
        existing = _logged_week(session, row, week_of)
        before = None if existing is None else {name: getattr(existing, name) for name, _ in _WEEK_PARTS}
        replaced_hours = None if existing is None else existing.hours
        entry = existing or WeeklyLogEntry(rotation_id=rotation_id, week_of=week_of)
        entry.week_of = week_days(row.start_date, week_of)[0]  # the week's label: its first day (_logged_week)
        entry.hours, entry.activities, entry.feedback = hours, activities, feedback
        entry.procedures_observed = list(procedures_observed or [])
        entry.procedures_performed = list(procedures_performed or [])
        entry.presentations = list(presentations or [])
        entry.change_after_feedback = change_after_feedback
        session.add(entry)
        session.flush()
        # Feedback written (or cleared) on the week settles the mid-rotation feedback reminder (reminders.sync).
        sync_rotation_reminders(session, ctx, applicant, row, ctx.clock.now())
        dropped = tuple(option for name, option in _WEEK_PARTS
                        if before is not None and before[name] and not getattr(entry, name))
        return LoggedWeek(entry, replaced_hours, dropped)


def add_log_entry(ctx: Context, rotation_id: int, week_of: date, hours: float, *, activities: str = "",
                  procedures_observed: list[str] | None = None, procedures_performed: list[str] | None = None,
                  presentations: list[str] | None = None, feedback: str = "",
                  change_after_feedback: str = "") -> WeeklyLogEntry:
    """One week of the log: `log_week`'s entry, for callers that need not say what it replaced (the demo)."""
    return log_week(ctx, rotation_id, week_of, hours, activities=activities, procedures_observed=procedures_observed,
                    procedures_performed=procedures_performed, presentations=presentations, feedback=feedback,
                    change_after_feedback=change_after_feedback).entry


def record_feedback(ctx: Context, rotation_id: int, week_of: date, feedback: str,
                    change_after_feedback: str = "") -> WeeklyLogEntry:
    """The feedback received, written on the log week it came in: what readiness counts as feedback "met".

    Only the feedback fields change: a week already logged keeps its hours and activities (`log add` would
    replace the whole week). A week not logged yet is started with 0 hours, which the log shows as such.
    """
    if not feedback.strip():
        raise CoachFieldError("feedback", feedback, "write down what you were told (an empty note records nothing)")
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        row = owned(session, Rotation, rotation_id, applicant, "rotation")
        check_within_rotation(to_rotation(row, None), week_of)
        check_week_begun(week_of, local_today(ctx, applicant), row.start_date)
        entry = _logged_week(session, row, week_of) or WeeklyLogEntry(rotation_id=rotation_id,
                                                                              week_of=week_of, hours=0)
        entry.week_of = week_days(row.start_date, week_of)[0]  # the week's label: its first day (_logged_week)
        entry.feedback = feedback.strip()
        if change_after_feedback.strip():
            entry.change_after_feedback = change_after_feedback.strip()
        session.add(entry)
        session.flush()
        # In the same transaction: the reminder to ask for this feedback is not sent now (reminders.sync).
        sync_rotation_reminders(session, ctx, applicant, row, ctx.clock.now())
        return entry


def list_log(ctx: Context, rotation_id: int | None = None) -> list[WeeklyLogEntry]:
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        query = (select(WeeklyLogEntry).join(Rotation, col(WeeklyLogEntry.rotation_id) == col(Rotation.id))
                 .where(Rotation.applicant_id == applicant.id))
        if rotation_id is not None:
            owned(session, Rotation, rotation_id, applicant, "rotation")  # another's rotation: not found, not []
            query = query.where(WeeklyLogEntry.rotation_id == rotation_id)
        return list(session.exec(query.order_by(col(WeeklyLogEntry.rotation_id), col(WeeklyLogEntry.week_of))).all())


def add_project(ctx: Context, kind: str, title: str, *, rotation_id: int | None = None, supervisor: str = "",
                status: str = "in_progress") -> CoachProject:
    kind = parse_project_kind(kind)
    if status not in m.PROJECT_STATUSES:
        raise CoachFieldError("status", status, f"unknown project status (allowed: {', '.join(m.PROJECT_STATUSES)})")
    if not title.strip():
        raise CoachFieldError("title", title, "a project needs a title")
    for name, value in (("title", title), ("supervisor", supervisor)):  # the CV lists each on one line
        if not is_one_line(value):
            raise CoachFieldError(name, value, NOT_ONE_LINE)
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        if rotation_id is not None:
            rotation = owned(session, Rotation, rotation_id, applicant, "rotation")
            today = local_today(ctx, applicant)
            if rotation.start_date > today and status not in ("planned", "in_progress"):
                # The packet would tell the writer a project "(published)" from a rotation still to come.
                raise CoachFieldError("status", status, f"rotation {rotation_id} starts on {rotation.start_date}: a "
                                      f"project from it cannot be {status.replace('_', ' ')} yet (planned or in_progress)")
        project = CoachProject(applicant_id=saved_id(applicant.id), rotation_id=rotation_id, kind=kind, title=title,
                               supervisor=supervisor, status=status)
        session.add(project)
        session.flush()
        return project


def list_projects(ctx: Context) -> list[CoachProject]:
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        query = select(CoachProject).where(CoachProject.applicant_id == applicant.id).order_by(col(CoachProject.id))
        return list(session.exec(query).all())


# --- materials ---------------------------------------------------------------------------------------


def render_cv(ctx: Context, fmt: str, *, include_planned: bool = False) -> str | bytes:
    data = load_coach_data(ctx)
    return cv_rules.render_cv(list(data.plan.rotations), fmt, data.today, name=data.applicant_row.name,
                              include_planned=include_planned)


def export_cv(ctx: Context, fmt: str, out: Path, *, include_planned: bool = False) -> Path:
    """Render, then write atomically; an unwritable folder fails before anything is written."""
    from imgcoach.coach.files import check_writable_dir
    from imgcoach.core.locations import refuse_missing_folder

    refuse_missing_folder(out)
    check_writable_dir(out.parent if str(out.parent) else Path("."))
    return write_atomic(out, render_cv(ctx, fmt, include_planned=include_planned))


def build_packet(ctx: Context, writer: str) -> tuple[packet_rules.Packet, date]:
    """`writer` is the writer's name or their contact id (as `imgcoach contacts list` shows it)."""
    if writer.strip().isdigit():
        with ctx.db.read() as session:
            writer = owned(session, Contact, int(writer), current_applicant(session, ctx), "contact").name
    data = load_coach_data(ctx)
    linked: dict[int, set[str]] = {}
    for letter in data.plan.letters:
        if letter.rotation_id is not None:
            linked.setdefault(letter.rotation_id, set()).add(letter.writer)
    with ctx.db.read() as session:
        for link, contact in session.exec(
            select(RotationContact, Contact).join(Contact, col(RotationContact.contact_id) == col(Contact.id))
            .where(col(RotationContact.rotation_id).in_([r.id for r in data.plan.rotations]))
        ).all():
            linked.setdefault(link.rotation_id, set()).add(contact.name)
        applicant = current_applicant(session, ctx)
        names: dict[str, list[int]] = {}
        for contact in session.exec(select(Contact).where(Contact.applicant_id == applicant.id)).all():
            names.setdefault(contact.name.strip().casefold(), []).append(saved_id(contact.id))
    contact_ids = {name: found[0] for name, found in names.items() if len(found) == 1}  # two of one name: no id
    return packet_rules.build_packet(writer, data.plan.applicant, list(data.plan.rotations), data.cases,
                                     data.projects, data.entries, linked, today=data.today,
                                     contact_ids=contact_ids), data.today


def export_packet(ctx: Context, writer: str, out_dir: Path) -> packet_rules.PacketFiles:
    packet, today = build_packet(ctx, writer)
    return packet_rules.write_packet(packet, out_dir, today)


def story_tag(tag: str | None) -> str | None:
    """The one tag `stories --tag` filters on: a case tag as `cases add` reads it, or 'feedback' (the log's
    feedback weeks). " Feedback" matched nothing, so every question said "no story yet"; "teamwork,ethical dilemma"
    kept the first tag without a word; and "," ended in an internal error."""
    if tag is None or not tag.strip():
        return None
    if " ".join(tag.lower().split()) == "feedback":
        return "feedback"
    from imgcoach.core.errors import FieldError
    from imgcoach.plan import CASE_TAGS, parse_case_tags

    allowed = f"one of: {', '.join(CASE_TAGS)}, or feedback"
    try:
        tags = parse_case_tags(tag)
    except FieldError:
        raise FieldError("--tag", tag, f"unknown tag ({allowed})") from None
    if len(tags) != 1:
        raise FieldError("--tag", tag, f"give one tag ({allowed})")
    return tags[0]


def interview_stories(ctx: Context, tag: str | None = None) -> dict[str, list[Story]]:
    data = load_coach_data(ctx)
    return stories(data.cases, data.entries, list(data.plan.rotations), tag=story_tag(tag))


def stories_text(ctx: Context, tag: str | None = None) -> str:
    """`imgcoach stories` as text: with --tag, a question whose stories the tag leaves out says so and how many
    there are; it said "no story yet: note a case tagged ..." beside stories recorded for it."""
    data = load_coach_data(ctx)
    chosen = story_tag(tag)
    rotations = list(data.plan.rotations)
    grouped = stories(data.cases, data.entries, rotations, tag=chosen)
    every = stories(data.cases, data.entries, rotations) if chosen else None
    return render_stories(grouped, tag=chosen, every=every)
