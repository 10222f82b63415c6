"""Coach services: readiness from the database, the rotation log, materials (CV, packet, stories).

Rows become the coach's plain dataclasses here, so the rules in imgcoach.coach stay database-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from imgcoach.coach import cv as cv_rules
from imgcoach.coach import models as m
from imgcoach.coach import packet as packet_rules
from imgcoach.coach.errors import CoachInputError
from imgcoach.coach.files import write_atomic
from imgcoach.coach.logbook import (
    check_week_begun,
    check_weekly_entry,
    check_within_rotation,
    parse_project_kind,
)
from imgcoach.coach.readiness import CheckResult, ReadinessReport, Status, evaluate, plan_sitting
from imgcoach.coach.sample import next_match_year
from imgcoach.coach.stories import Story, stories
from imgcoach.coach.thresholds import Thresholds, load_thresholds
from imgcoach.core.clock import local_today as clock_today
from imgcoach.core.context import Context
from imgcoach.core.datewords import ISO, DateWords
from imgcoach.core.errors import FieldError, UserError
from imgcoach.core.ids import saved_id
from imgcoach.core.vocab.exams import parse_exam
from imgcoach.plan import request_window
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

# Only the graduation year is stored; programs count from the diploma, commonly mid-year.
GRADUATION_MONTH_DAY = (6, 30)


def local_today(ctx: Context, applicant: Applicant) -> date:
    return clock_today(ctx.clock, applicant.timezone)


def match_year_for(ctx: Context, today: date, t: Thresholds) -> int:
    """``[coach] match_year`` from the config file, else the next season still open for submission."""
    configured = ctx.settings.extra.get("coach", {}).get("match_year")
    return int(configured) if configured else next_match_year(today, t, lead_days=0)


def _lines(text: str) -> tuple[str, ...]:
    """Responsibilities/learned are free text: one item per line or per semicolon."""
    return tuple(x.strip(" -\t") for x in re.split(r"[\n;]", text or "") if x.strip(" -\t"))


def _supervisors(session: Session, rotation_ids: list[int]) -> dict[int, Contact]:
    if not rotation_ids:
        return {}
    rows = session.exec(
        select(RotationContact, Contact)
        .join(Contact, col(RotationContact.contact_id) == col(Contact.id))
        .where(col(RotationContact.rotation_id).in_(rotation_ids), RotationContact.role == "supervisor")
        .order_by(col(RotationContact.id))
    ).all()
    found: dict[int, Contact] = {}
    for link, contact in rows:
        found.setdefault(link.rotation_id, contact)
    return found


def to_rotation(row: Rotation, supervisor: Contact | None) -> m.Rotation:
    try:
        kind = m.RotationKind(row.kind)
    except ValueError:
        kind = m.RotationKind.OBSERVERSHIP
    assert row.id is not None
    return m.Rotation(
        id=row.id, kind=kind, specialty=row.specialty, institution=row.institution, start=row.start_date,
        end=row.end_date, country=row.country or "US", department=row.department,
        city=", ".join(x for x in (row.city, row.state) if x), setting=row.setting,
        weekly_hours=float(row.hours_per_week or 0), supervisor=supervisor.name if supervisor else "",
        supervisor_email=supervisor.email if supervisor else "", responsibilities=_lines(row.responsibilities),
        learned=_lines(row.learned), feedback_asked_on=row.feedback_requested_on, hands_on_override=row.hands_on,
    )


def _exam_code(name: str) -> str:
    """The milestone key of a stored exam row: the shared vocabulary's code ("Step II CK", "USMLE Step 2" ->
    step2ck) with its underscores dropped; a milestone that is not an exam (ECFMG certification) by its letters.
    Its own spelling rule here missed what the shortlist read, so one row counted in one and not the other."""
    try:
        return parse_exam(name).code.replace("_", "")
    except FieldError:
        return re.sub(r"[^a-z0-9]", "", name.lower()).removeprefix("usmle")


def to_exams(rows: list[ExamResult], t: Thresholds, path: str, today: date) -> tuple[m.ExamRecord, ...]:
    """Best record per milestone: a pass beats a sitting; a future date is a scheduled sitting."""
    codes = {ms.code.replace("_", ""): ms.code for ms in t.exam_path(path).milestones}
    best: dict[str, m.ExamRecord] = {}
    rank = {"passed": 3, "scheduled": 2, "failed": 1}
    for row in sorted(rows, key=lambda r: r.taken_on):
        code = codes.get(_exam_code(row.exam))
        if code is None:
            continue
        if row.result == "fail":
            status = "failed"
        elif row.taken_on > today:
            status = "scheduled"
        elif row.result == "pass" or row.score is not None:
            status = "passed"
        else:
            status = "scheduled"  # taken, result not in yet
        record = m.ExamRecord(code, status, row.taken_on, row.score, row.sub_scores)
        if code not in best or rank[status] >= rank[best[code].status]:
            best[code] = record
    return tuple(best.values())


@dataclass
class CoachData:
    """Everything the coach features read, loaded in one read transaction."""

    plan: m.Plan
    today: date
    cases: list[m.Case]
    projects: list[m.Project]
    entries: list[m.WeeklyEntry]
    applicant_row: Applicant


def load_coach_data(ctx: Context, thresholds: Thresholds | None = None) -> CoachData:
    t = thresholds or load_thresholds()
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        today = local_today(ctx, applicant)
        rows = list(session.exec(select(Rotation).where(Rotation.applicant_id == applicant.id)
                                 .order_by(col(Rotation.start_date))).all())
        sups = _supervisors(session, [r.id for r in rows if r.id is not None])
        all_ids = [r.id for r in rows if r.id is not None]
        feedback = _recorded_feedback(session, all_ids)
        rotations = tuple(
            replace(to_rotation(r, sups.get(r.id)), letter_window=request_window(ctx, r),
                    feedback_recorded_on=feedback[r.id].week_of if r.id in feedback else None,
                    feedback_note=feedback[r.id].feedback if r.id in feedback else "")
            for r in rows if r.id is not None
        )
        by_id = {r.id: r for r in rotations}
        letters = []
        for letter, contact in session.exec(
            select(LetterRequest, Contact).join(Contact, col(LetterRequest.writer_id) == col(Contact.id))
            .where(LetterRequest.applicant_id == applicant.id)
        ).all():
            rot = by_id.get(letter.rotation_id) if letter.rotation_id else None
            letters.append(m.Letter(contact.name, letter.status, letter.rotation_id,
                                    host_country=rot is None or rot.country.upper() == "US",
                                    requested_on=letter.requested_on, status_on=_status_day(letter)))
        exam_rows = list(session.exec(select(ExamResult).where(ExamResult.applicant_id == applicant.id)).all())
        ids = list(by_id)
        cases = [
            m.Case(c.id or 0, c.rotation_id, c.title, c.summary, tuple(c.tags), "", c.occurred_on)
            for c in session.exec(select(CaseNote).where(col(CaseNote.rotation_id).in_(ids)).order_by(col(CaseNote.id)))
        ] if ids else []
        projects = [
            m.Project(p.id or 0, p.kind, p.title, p.rotation_id, p.supervisor, p.status)
            for p in session.exec(select(CoachProject).where(CoachProject.applicant_id == applicant.id)
                                  .order_by(col(CoachProject.id)))
        ]
        entries = [
            m.WeeklyEntry(e.rotation_id, e.week_of, e.hours, e.activities, tuple(e.procedures_observed),
                          tuple(e.procedures_performed), tuple(e.presentations), e.feedback, e.change_after_feedback)
            for e in session.exec(select(WeeklyLogEntry).where(col(WeeklyLogEntry.rotation_id).in_(ids))
                                  .order_by(col(WeeklyLogEntry.week_of)))
        ] if ids else []
        exam_path = str(ctx.settings.extra.get("coach", {}).get("exam_path", "usmle"))
        coach_applicant = m.Applicant(
            name=applicant.name,
            graduation=date(applicant.graduation_year, *GRADUATION_MONTH_DAY) if applicant.graduation_year else None,
            match_year=match_year_for(ctx, today, t),
            target_specialties=tuple(applicant.target_specialties),
            exam_path=exam_path,
            email=applicant.email,
            cv_path=applicant.cv_path,
            personal_statement_path=applicant.personal_statement_path,
        )
        plan = m.Plan(coach_applicant, rotations, tuple(letters), to_exams(exam_rows, t, exam_path, today))
        return CoachData(plan, today, cases, projects, entries, applicant)


def _recorded_feedback(session: Session, rotation_ids: list[int]) -> dict[int, WeeklyLogEntry]:
    """Per rotation, the first log week with feedback written down: the evidence that feedback was received."""
    if not rotation_ids:
        return {}
    rows = session.exec(
        select(WeeklyLogEntry).where(col(WeeklyLogEntry.rotation_id).in_(rotation_ids), WeeklyLogEntry.feedback != "")
        .order_by(col(WeeklyLogEntry.week_of))
    ).all()
    found: dict[int, WeeklyLogEntry] = {}
    for row in rows:
        if row.feedback.strip():
            found.setdefault(row.rotation_id, row)
    return found


def _status_day(letter: LetterRequest) -> date | None:
    """The day the letter reached its current status, as recorded (None for a planned letter)."""
    return {"requested": letter.requested_on, "agreed": letter.agreed_on, "uploaded": letter.uploaded_on,
            "declined": letter.declined_on}.get(letter.status)


def readiness(ctx: Context, thresholds: Thresholds | None = None, words: DateWords = ISO) -> ReadinessReport:
    """Every readiness check; the sentences write their dates with `words` (ISO for the CLI; the app
    passes its own), the dates in the report (actions, season) stay dates."""
    t = thresholds or load_thresholds()
    data = load_coach_data(ctx, t)
    report = evaluate(data.plan, data.today, t, words)
    visa = _visa_check(ctx, data, t, words)
    return report if visa is None else replace(report, checks=(*report.checks, visa))


def _visa_check(ctx: Context, data: CoachData, t: Thresholds, words: DateWords = ISO) -> CheckResult | None:
    """H-1B needs USMLE Step 3 passed before ranking: the shortlist's warning, as a readiness check."""
    from imgcoach.plan import H1B_STEP3_SOURCE, exam_standing, h1b_step3_warning

    visa = data.applicant_row.visa
    if visa not in ("h1b", "j1_or_h1b"):
        return None
    with ctx.db.read() as session:
        rows = session.exec(select(ExamResult).where(ExamResult.applicant_id == data.applicant_row.id)).all()
    exams = exam_standing(rows)
    year = data.plan.applicant.match_year
    warning = h1b_step3_warning(visa, exams.step3_passed, exams.step3_pending_on, year, words)
    title = "H-1B: USMLE Step 3 before ranking"
    if warning is None:
        sat = max((r.taken_on for r in rows if _exam_code(r.exam) == "step3"), default=None)
        passed = f"USMLE Step 3 passed (sat {words.day(sat)})" if sat else "USMLE Step 3 passed"
        return CheckResult("visa:h1b_step3", title, Status.MET, (passed,), None, H1B_STEP3_SOURCE)
    due = date(year, 3, 1)  # [assumption] "early March": the NRMP rank order list deadline falls in early March
    # The exams' own rule (a sitting a planning buffer before the date it must count by, booked a buffer before
    # that): it said "Sit USMLE Step 3 ... (by <today>)" with nothing booked, 15 months ahead of ranking, and
    # "Sit" by a date already past where the exam milestones asked for the result.
    buffer = t.exam_path(data.plan.applicant.exam_path).planning_buffer_days
    sitting = plan_sitting("USMLE Step 3", exams.step3_pending_on, due, "rank order list deadline", buffer,
                           data.today, words, why=", so the result is in before the rank order list deadline")
    evidence = (warning, *((sitting.note,) if sitting.note else ()),
                f"ranking closes in early March {year} (assumed {words.day(due)} here)")
    return CheckResult("visa:h1b_step3", title, sitting.status, evidence, sitting.action, H1B_STEP3_SOURCE)


# --- rotation log ----------------------------------------------------------------------------------


def add_log_entry(ctx: Context, rotation_id: int, week_of: date, hours: float, *, activities: str = "",
                  procedures_observed: list[str] | None = None, procedures_performed: list[str] | None = None,
                  presentations: list[str] | None = None, feedback: str = "",
                  change_after_feedback: str = "") -> WeeklyLogEntry:
    """One week of the log; refused (nothing written) when the week is outside the rotation."""
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        row = owned(session, Rotation, rotation_id, applicant, "rotation")
        check_weekly_entry(to_rotation(row, None), week_of, hours, tuple(procedures_performed or ()),
                           today=local_today(ctx, applicant))
        existing = session.exec(select(WeeklyLogEntry).where(WeeklyLogEntry.rotation_id == rotation_id,
                                                             WeeklyLogEntry.week_of == week_of)).first()
        entry = existing or WeeklyLogEntry(rotation_id=rotation_id, week_of=week_of)
        entry.hours, entry.activities, entry.feedback = hours, activities, feedback
        entry.procedures_observed = list(procedures_observed or [])
        entry.procedures_performed = list(procedures_performed or [])
        entry.presentations = list(presentations or [])
        entry.change_after_feedback = change_after_feedback
        session.add(entry)
        session.flush()
        return entry


def record_feedback(ctx: Context, rotation_id: int, week_of: date, feedback: str,
                    change_after_feedback: str = "") -> WeeklyLogEntry:
    """The feedback received, written on the log week it came in: what readiness counts as feedback "met".

    Only the feedback fields change: a week already logged keeps its hours and activities (`log add` would
    replace the whole week). A week not logged yet is started with 0 hours, which the log shows as such.
    """
    if not feedback.strip():
        raise CoachInputError("feedback: write down what you were told (an empty note records nothing)")
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        row = owned(session, Rotation, rotation_id, applicant, "rotation")
        check_within_rotation(to_rotation(row, None), week_of, "week")
        check_week_begun(week_of, local_today(ctx, applicant))
        entry = session.exec(select(WeeklyLogEntry).where(WeeklyLogEntry.rotation_id == rotation_id,
                                                          WeeklyLogEntry.week_of == week_of)).first()
        entry = entry or WeeklyLogEntry(rotation_id=rotation_id, week_of=week_of, hours=0)
        entry.feedback = feedback.strip()
        if change_after_feedback.strip():
            entry.change_after_feedback = change_after_feedback.strip()
        session.add(entry)
        session.flush()
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
        raise UserError(f"status: unknown project status {status!r} (allowed: {', '.join(m.PROJECT_STATUSES)})")
    if not title.strip():
        raise UserError("title: a project needs a title")
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        if rotation_id is not None:
            owned(session, Rotation, rotation_id, applicant, "rotation")
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
    return packet_rules.build_packet(writer, data.plan.applicant, list(data.plan.rotations), data.cases,
                                     data.projects, data.entries, linked), data.today


def export_packet(ctx: Context, writer: str, out_dir: Path) -> packet_rules.PacketFiles:
    packet, today = build_packet(ctx, writer)
    return packet_rules.write_packet(packet, out_dir, today)


def interview_stories(ctx: Context, tag: str | None = None) -> dict[str, list[Story]]:
    data = load_coach_data(ctx)
    if tag and tag.strip().lower() != "feedback":
        from imgcoach.plan import parse_case_tags

        tag = parse_case_tags(tag)[0]
    return stories(data.cases, data.entries, list(data.plan.rotations), tag=tag)
