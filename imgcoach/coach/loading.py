"""Rows to the coach's plain dataclasses, and the readiness report from them: the one conversion.

Why its own module, without SQLAlchemy or SQLModel: the rows come from two readers, the services' ORM session
(coach.actions, any engine) and the CLI's stdlib sqlite3 read (coach.quick_readiness, issue 17: the first
`readiness` after a write within 5x `python -c pass`). Both hand over rows with the models' attribute names
(storage.models objects, or storage.quicklist rows as namespaces), so a check is computed and worded by this
code alone, whichever reader fetched its rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, NamedTuple

from imgcoach.coach import models as m
from imgcoach.coach.errors import CoachInputError
from imgcoach.coach.readiness import CheckResult, ReadinessReport, Status, evaluate, plan_sitting
from imgcoach.coach.thresholds import Thresholds
from imgcoach.core.clock import local_date
from imgcoach.core.datewords import ISO, DateWords
from imgcoach.core.settings import Settings, in_config_file
from imgcoach.core.vocab.exams import is_pass, known_exam
from imgcoach.plan import MatchYear, aimed_match_year

# A stored row: a storage.models object or a storage.quicklist row with the same attribute names and values.
Row = Any

# Only the graduation year is stored; programs count from the diploma, commonly mid-year.
GRADUATION_MONTH_DAY = (6, 30)


class CoachRows(NamedTuple):
    """What the coach reads for one applicant, in one read transaction, in this order (each reader's queries
    order them so; a tie broken by id, so both readers list the same rows the same way)."""

    applicant: Row
    rotations: Sequence[Row]  # the applicant's, by start date, then id
    supervisors: Sequence[tuple[int, Row]]  # (rotation id, contact) of each supervisor link, by link id
    letters: Sequence[tuple[Row, Row]]  # (letter request, writer contact) of the applicant's letters, by id
    exams: Sequence[Row]  # the applicant's exam results, by id
    cases: Sequence[Row]  # the case notes of their rotations, by id
    projects: Sequence[Row]  # the applicant's projects, by id
    entries: Sequence[Row]  # the weekly log entries of their rotations, by week, then id
    attendings: Sequence[tuple[int, Row]] = ()  # (rotation id, contact) of each attending link, by link id


@dataclass
class CoachData:
    """Everything the coach features read, loaded in one read transaction."""

    plan: m.Plan
    today: date
    cases: list[m.Case]
    projects: list[m.Project]
    entries: list[m.WeeklyEntry]
    applicant_row: Row
    exam_rows: Sequence[Row] = ()  # as stored: the H-1B check counts Step 3 sittings by the exams' own rule


def match_year_for(settings: Settings, today: date, t: Thresholds) -> int:
    """The Match year readiness counts against: the plan's one rule (plan.rules.season.match_year), the
    shortlist's too, on this thresholds file's season dates."""
    return aimed_season(settings, today, t).year


def aimed_season(settings: Settings, today: date, t: Thresholds) -> MatchYear:
    """`match_year_for` with the reason said beside it (the config file, or the submission date)."""
    return aimed_match_year(settings, today, lambda year: t.season(year).submission)


def _exam_path(settings: Settings, t: Thresholds) -> str:
    """`[coach] exam_path`, checked against the thresholds file's paths here, where the setting is known: the
    rule deep in readiness said "unknown exam path '3'" without naming the config file's key."""
    configured = settings.extra.get("coach", {}).get("exam_path")
    if configured is None:
        return "usmle"
    if not isinstance(configured, str) or configured not in t.exam_paths:
        raise CoachInputError(in_config_file(f"[coach] exam_path = {configured!r}: not an exam path readiness knows "
                                             f"(readiness.toml has: {', '.join(sorted(t.exam_paths))})"))
    return configured


def _lines(text: str) -> tuple[str, ...]:
    """Responsibilities/learned are free text: one item per line or per semicolon."""
    if not text:  # most rotations: no split at all (600 calls at 300 rotations, issue 17)
        return ()
    items = (x.strip(" -\t") for x in re.split(r"[\n;]", text))
    return tuple(x for x in items if x)


def to_rotation(row: Row, supervisor: Row | None, attending: Row | None = None, **derived: Any) -> m.Rotation:
    """The coach's rotation from a stored row; `derived`: the fields the builder computes from other rows
    (letter window, feedback), given here so each rotation is made once, not made and then replaced."""
    try:
        kind = m.RotationKind(row.kind)
    except ValueError:
        kind = m.RotationKind.OBSERVERSHIP
    assert row.id is not None
    return m.Rotation(
        id=row.id, kind=kind, specialty=row.specialty, institution=row.institution, start=row.start_date,
        end=row.end_date, country=row.country or "US", department=row.department,
        city=", ".join(x for x in (row.city, row.state) if x), setting=row.setting,
        # An assumed 40 is nobody's figure: 0 (not known), so the CV and the letter packet leave it out.
        weekly_hours=0.0 if row.hours_assumed else float(row.hours_per_week or 0), supervisor=supervisor.name if supervisor else "",
        supervisor_email=supervisor.email if supervisor else "", attending=attending.name if attending else "",
        attending_email=attending.email if attending else "",
        responsibilities=_lines(row.responsibilities),
        learned=_lines(row.learned), feedback_asked_on=row.feedback_requested_on, hands_on_override=row.hands_on,
        **derived,
    )


def exam_code(name: str) -> str:
    """The milestone key of a stored exam row: the shared vocabulary's code ("Step II CK", "USMLE Step 2" ->
    step2ck) with its underscores dropped; a milestone that is not an exam (ECFMG certification) by its letters.
    Its own spelling rule here missed what the shortlist read, so one row counted in one and not the other."""
    exam = known_exam(name)  # not parse_exam: its refusal's suggestions (difflib) are not needed here
    if exam is not None:
        return exam.code.replace("_", "")
    return re.sub(r"[^a-z0-9]", "", name.lower()).removeprefix("usmle")


def to_exams(rows: Sequence[Row], t: Thresholds, path: str, today: date) -> tuple[m.ExamRecord, ...]:
    """Best record per milestone: a pass beats a sitting; a future date is a scheduled sitting."""
    codes = {ms.code.replace("_", ""): ms.code for ms in t.exam_path(path).milestones}
    best: dict[str, m.ExamRecord] = {}
    rank = {"passed": 4, "scored": 3, "scheduled": 2, "failed": 1}
    for row in sorted(rows, key=lambda r: r.taken_on):
        code = codes.get(exam_code(row.exam))
        if code is None:
            continue
        if row.result == "fail":
            status = "failed"
        elif row.taken_on > today:
            status = "scheduled"
        elif row.result == "pass":
            status = "passed"
        elif row.score is not None:
            # No result stored: the exams' rule found no standard for the date, or a score inside a range where
            # the sources disagree (Step 2 CK 214-218). Called "passed" here, readiness said so of a 216.
            exam = known_exam(row.exam)
            outcome = is_pass(exam, row.score, row.taken_on) if exam is not None else None
            status = "scored" if outcome is None else ("passed" if outcome else "failed")
        else:
            status = "scheduled"  # taken, result not in yet
        record = m.ExamRecord(code, status, row.taken_on, row.score, row.sub_scores, row.attempt or 1, row.id)
        if code not in best or rank[status] >= rank[best[code].status]:
            best[code] = record
    return tuple(best.values())


def _status_day(letter: Row) -> date | None:
    """The day the letter reached its current status, as recorded (None for a planned letter)."""
    return {"requested": letter.requested_on, "agreed": letter.agreed_on, "uploaded": letter.uploaded_on,
            "declined": letter.declined_on}.get(letter.status)


def _first_per_rotation(links: Sequence[tuple[int, Row]]) -> dict[int, Row]:
    """The first person linked to each rotation in a role (the links come by link id)."""
    first: dict[int, Row] = {}
    for rotation_id, contact in links:
        first.setdefault(rotation_id, contact)
    return first


def build_coach_data(rows: CoachRows, now: datetime, settings: Settings, t: Thresholds) -> CoachData:
    """The coach's view of the rows; "today" is `now`'s date in the applicant's own time zone."""
    from imgcoach.reminders import letter_window  # plan.request_window's rule

    applicant = rows.applicant
    today = local_date(now, applicant.timezone)
    supervisors, attendings = _first_per_rotation(rows.supervisors), _first_per_rotation(rows.attendings)
    feedback: dict[int, Row] = {}  # per rotation, the first week with feedback written down: the evidence
    for entry in rows.entries:
        if entry.feedback.strip():
            feedback.setdefault(entry.rotation_id, entry)
    rotations = tuple(
        to_rotation(r, supervisors.get(r.id), attendings.get(r.id), letter_window=letter_window(r.start_date, r.end_date, settings.reminders),
                    feedback_recorded_on=feedback[r.id].week_of if r.id in feedback else None,
                    feedback_note=feedback[r.id].feedback if r.id in feedback else "")
        for r in rows.rotations if r.id is not None
    )
    by_id = {r.id: r for r in rotations}
    letters = []
    for letter, contact in rows.letters:
        rot = by_id.get(letter.rotation_id) if letter.rotation_id else None
        letters.append(m.Letter(contact.name, letter.status, letter.rotation_id,
                                # Only its rotation says where a letter comes from, as the shortlist counts
                                # it: untied letters (home-country writers too) read as 3 host-country
                                # letters, "met", with no host-country rotation at all.
                                host_country=rot is not None and rot.country.upper() == "US",
                                requested_on=letter.requested_on, status_on=_status_day(letter)))
    cases = [m.Case(c.id or 0, c.rotation_id, c.title, c.summary, tuple(c.tags), "", c.occurred_on)
             for c in rows.cases]
    projects = [m.Project(p.id or 0, p.kind, p.title, p.rotation_id, p.supervisor, p.status) for p in rows.projects]
    entries = [m.WeeklyEntry(e.rotation_id, e.week_of, e.hours, e.activities, tuple(e.procedures_observed),
                             tuple(e.procedures_performed), tuple(e.presentations), e.feedback,
                             e.change_after_feedback)
               for e in rows.entries]
    exam_path = _exam_path(settings, t)
    aimed = aimed_season(settings, today, t)
    coach_applicant = m.Applicant(
        name=applicant.name,
        graduation=date(applicant.graduation_year, *GRADUATION_MONTH_DAY) if applicant.graduation_year else None,
        match_year=aimed.year,
        match_year_reason=aimed.why,
        target_specialties=tuple(applicant.target_specialties),
        exam_path=exam_path,
        email=applicant.email,
        cv_path=applicant.cv_path,
        personal_statement_path=applicant.personal_statement_path,
    )
    plan = m.Plan(coach_applicant, rotations, tuple(letters), to_exams(rows.exams, t, exam_path, today))
    return CoachData(plan, today, cases, projects, entries, applicant, rows.exams)


def readiness_report(data: CoachData, t: Thresholds, words: DateWords = ISO) -> ReadinessReport:
    """Every readiness check; the sentences write their dates with `words`, the report's dates stay dates."""
    report = evaluate(data.plan, data.today, t, words)
    visa = visa_check(data, t, words)
    return report if visa is None else replace(report, checks=(*report.checks, visa))


def visa_check(data: CoachData, t: Thresholds, words: DateWords = ISO) -> CheckResult | None:
    """H-1B needs USMLE Step 3 passed before ranking: the shortlist's warning, as a readiness check."""
    visa = data.applicant_row.visa
    if visa not in ("h1b", "j1_or_h1b"):
        return None
    # Here, past the visa test: the plan's exam rules load modules no other applicant's report needs (issue 17).
    from imgcoach.plan import H1B_STEP3_SOURCE, exam_standing, h1b_step3_warning

    rows = data.exam_rows
    exams = exam_standing(rows)
    year = data.plan.applicant.match_year
    warning = h1b_step3_warning(visa, exams.step3_passed, exams.step3_pending_on, year, words, today=data.today)
    title = "H-1B: USMLE Step 3 before ranking"
    if warning is None:
        sat = max((r.taken_on for r in rows if exam_code(r.exam) == "step3"), default=None)
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
