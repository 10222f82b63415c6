"""The applicant's shortlist in the database: facts from the plan, recompute, store the run and its diff.

A run stores fingerprints of its inputs (profile, exams, rotations, letters, program data, overrides);
`refresh_if_stale` recomputes when any of them changed and names what changed as the trigger, so the
shortlist follows the plan without every other service having to call us. The daemon refreshes
every applicant nightly (`nightly_task`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from imgcoach.core.clock import local_today as clock_today
from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError, UserError
from imgcoach.core.ids import saved_id
from imgcoach.core.vocab.exams import BY_CODE, validate_score
from imgcoach.core.vocab.specialties import parse_specialties
from imgcoach.matching.facts import VISA_NEEDS, ApplicantFacts, Preferences, RotationFact
from imgcoach.matching.fees import FeeSchedule, load_schedule
from imgcoach.matching.programs import data_version, db_key, program_table
from imgcoach.matching.shortlist import Shortlist, build_shortlist, diff_shortlists
from imgcoach.matching.table import ProgramTable
from imgcoach.plan import (
    MatchYear,
    aimed_match_year,
    check_budget_programs,
    check_budget_usd,
    exam_standing,
    on_application,
    submission_day,
    weeks_served_by,
)
from imgcoach.storage.applicants import current_applicant
from imgcoach.storage.models import (
    Applicant,
    CoachProject,
    ExamResult,
    LetterRequest,
    ProgramOverride,
    Rotation,
    ShortlistEntry,
    ShortlistRun,
)

USCE_KINDS = ("observership", "externship", "clinical_job")
LETTER_IN_HAND = ("uploaded",)
LETTER_COMING = ("planned", "requested", "agreed")


def target_specialty_codes(stored: list[str]) -> tuple[str, ...]:
    """The profile's target specialties as codes (names, aliases and "IM, FM" lists understood). An unknown
    name is refused with suggestions: read as "no preference" it would widen the search to every specialty."""
    codes: list[str] = []
    for text in stored:
        try:
            found = parse_specialties(text, field="profile target specialties")
        except FieldError as exc:
            raise UserError(f"{exc}; fix it with `imgcoach profile set --specialties`") from None
        codes += [c for c in found if c not in codes]
    return tuple(codes)




def check_budget(programs: int | None, usd: float | None, *, programs_flag: str = "--budget",
                 usd_flag: str = "--budget-usd") -> None:
    """Refuse budgets that would mislead: nan and inf compare false with everything, so `nan <= 0` let
    `--budget-usd nan` through as "no limit"."""
    for error in (check_budget_programs(programs, field=programs_flag), check_budget_usd(usd, field=usd_flag)):
        if error is not None:  # the profile's rule (plan), said by this command's flag
            raise error


def check_step2(score: int, flag: str) -> int:
    """A Step 2 CK score on the exam's scale (the shared exam vocabulary), as `exam add` checks it."""
    exam = BY_CODE["step2ck"]
    value = validate_score(exam, score, field=flag)
    if not isinstance(value, int):
        raise FieldError(flag, score, f"must be a {exam.name} score from {exam.score_min} to {exam.score_max}")
    return value


def local_today(ctx: Context, applicant: Applicant) -> date:
    return clock_today(ctx.clock, applicant.timezone or "UTC")


def match_year(ctx: Context, today: date) -> MatchYear:
    """The Match the list is for: the plan's one rule, readiness's too (it named another year from 1 to 3
    September, and read the two config keys in the other order)."""
    return aimed_match_year(ctx.settings, today)


class NoProgramData(UserError):
    """There are no programs to rank yet (the profile itself may be complete)."""


@dataclass(frozen=True)
class Inputs:
    facts: ApplicantFacts
    fingerprints: dict[str, str]  # part -> hash


def _hash(value: Any) -> str:
    return hashlib.sha1(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def gather(session: Session, ctx: Context, applicant: Applicant, today: date) -> Inputs:
    """ApplicantFacts from the database, with a fingerprint of each part for change detection."""
    exams = session.exec(select(ExamResult).where(ExamResult.applicant_id == applicant.id)
                         .order_by(col(ExamResult.taken_on), col(ExamResult.id))).all()
    rotations = session.exec(select(Rotation).where(Rotation.applicant_id == applicant.id)
                             .order_by(col(Rotation.start_date), col(Rotation.id))).all()
    letters = session.exec(select(LetterRequest).where(LetterRequest.applicant_id == applicant.id)
                           .order_by(col(LetterRequest.id))).all()
    projects = session.exec(select(CoachProject.kind, CoachProject.title)
                            .where(CoachProject.applicant_id == applicant.id).order_by(col(CoachProject.id))).all()
    overrides = session.exec(select(ProgramOverride.program_id, ProgramOverride.field, ProgramOverride.value)
                             .where(ProgramOverride.applicant_id == applicant.id)
                             .order_by(ProgramOverride.program_id, ProgramOverride.field)).all()

    exam_facts = exam_standing(exams)

    by_id = {r.id: r for r in rotations}
    aimed = match_year(ctx, today)
    submission = submission_day(aimed.year)
    facts_rotations: list[RotationFact] = []
    # Not on the application programs read (plan.rules.season.on_application): said in a warning, not counted.
    after_submission: list[RotationFact] = []
    # Research: research rotations and the coach's projects (case reports, QI, research pieces) alike.
    research = len(projects)
    for r in rotations:
        if r.kind == "research":
            research += 1
        if r.kind not in USCE_KINDS or (r.country or "US").upper() not in ("US", "USA"):
            continue
        # The stored flag, as readiness and `rotations list` read it: it is set by kind when a rotation is added
        # (plan.fill_rotation_defaults), and an externship the applicant marked observing stays observing here.
        kind = "externship" if r.hands_on else "observership"
        label = f"{r.specialty.lower()} {r.kind.replace('_', ' ')}"
        fact = RotationFact(label, kind, r.start_date, r.end_date, r.end_date < today, (r.state or "").upper() or None)
        if on_application(r.end_date, submission):
            facts_rotations.append(fact)
        elif weeks_served_by(r.start_date, submission):  # under way on the submission date: readiness's rule
            facts_rotations.append(dc_replace(fact, counted_until=submission))
        else:
            after_submission.append(fact)
    received = planned = 0
    for letter in letters:
        rotation = by_id.get(letter.rotation_id) if letter.rotation_id else None
        if rotation is None or (rotation.country or "US").upper() not in ("US", "USA"):
            continue  # host-country (US) letters only
        if letter.status in LETTER_IN_HAND:
            received += 1
        elif letter.status in LETTER_COMING:
            planned += 1

    specialties = target_specialty_codes(applicant.target_specialties)
    check_budget(applicant.application_budget_programs, applicant.application_budget_usd,
                 programs_flag="profile application budget (programs)", usd_flag="profile application budget (USD)")
    prefs = Preferences(
        specialties=specialties,
        states=tuple(s.upper() for s in applicant.target_states),
        budget_programs=applicant.application_budget_programs,
        budget_usd=applicant.application_budget_usd,
    )
    if applicant.visa not in VISA_NEEDS:
        raise UserError(f"profile visa: unknown value {applicant.visa!r} (allowed: {', '.join(VISA_NEEDS)}); "
                        "fix it with `imgcoach profile set --visa`")
    visa = applicant.visa
    facts = ApplicantFacts(
        match_year=aimed.year,
        match_year_reason=aimed.why,
        submission_on=submission,
        rotations_after_submission=tuple(after_submission),
        as_of=today,
        img_group="us_img" if applicant.us_citizen else "non_us_img",
        step2_score=exam_facts.step2_score,
        max_attempts_any_step=exam_facts.max_attempts_any_step,
        failed_attempts=exam_facts.failed_attempts,
        step3_passed=exam_facts.step3_passed,
        step3_booked_on=exam_facts.step3_pending_on,
        graduation_year=applicant.graduation_year,
        visa_need=visa,
        rotations=tuple(facts_rotations),
        us_letters_received=received,
        us_letters_planned=planned,
        research_items=research,
        home_states=frozenset(s.strip().upper() for s in applicant.home_states),
        preferences=prefs,
        applicant_id=applicant.id,
    )
    fingerprints = {
        "profile": _hash([applicant.graduation_year, applicant.visa, applicant.us_citizen, applicant.target_specialties,
                          applicant.target_states, applicant.home_states, applicant.application_budget_programs,
                          applicant.application_budget_usd, facts.match_year]),
        "exams": _hash([(e.exam, e.score, e.result, e.attempt, e.taken_on) for e in exams]),
        "rotations": _hash([(r.kind, r.specialty, r.state, r.country, r.start_date, r.end_date, r.hands_on,
                             r.end_date < today) for r in rotations]),
        "letters": _hash([(x.rotation_id, x.status) for x in letters]),
        "research": _hash([list(p) for p in projects]),
        "programs": data_version(session) + ":" + _hash(list(overrides)),
    }
    return Inputs(facts, fingerprints)


@dataclass
class RunResult:
    run: ShortlistRun
    shortlist: Shortlist
    changes: list[dict[str, Any]]


def _previous(session: Session, applicant_id: int) -> tuple[ShortlistRun | None, dict[str, str]]:
    run = session.exec(select(ShortlistRun).where(ShortlistRun.applicant_id == applicant_id)
                       .order_by(col(ShortlistRun.id).desc()).limit(1)).first()
    if run is None:
        return None, {}
    rows = session.exec(select(ShortlistEntry.program_id, ShortlistEntry.tier)
                        .where(ShortlistEntry.run_id == run.id)).all()
    return run, dict(rows)


def _previous_chances(session: Session, applicant_id: int) -> dict[str, float]:
    """The last stored run's interview chance per listed program: what a change's reason compares with."""
    run, _ = _previous(session, applicant_id)
    if run is None:
        return {}
    rows = session.exec(select(ShortlistEntry.program_id, ShortlistEntry.probability)
                        .where(ShortlistEntry.run_id == run.id)).all()
    return {pid: p for pid, p in rows if p is not None}


def _store(session: Session, ctx: Context, applicant_id: int, shortlist: Shortlist, trigger: str,
           inputs: Inputs, previous: dict[str, str] | None) -> RunResult:
    # The first run has nothing to compare with: its list is shown as the list, not as 60 "entered".
    changes = [] if previous is None else [c.to_dict() for c in diff_shortlists(previous, shortlist,
                                                                                 _previous_chances(session, applicant_id))]
    now = ctx.clock.now()
    run = ShortlistRun(
        applicant_id=applicant_id, computed_at=now, trigger=trigger, budget_programs=shortlist.budget_programs,
        budget_usd=shortlist.budget_usd, chance=shortlist.chance, total_fee_usd=shortlist.total_fee_usd,
        eligible_count=shortlist.eligible_count, excluded_count=shortlist.excluded_count,
        model_version=shortlist.model_version, changes=changes, inputs=inputs.fingerprints,
    )
    session.add(run)
    session.flush()
    rows = [{"run_id": run.id, "applicant_id": applicant_id, "program_id": e.program_id, "position": n,
             "tier": e.tier, "probability": e.probability, "status": e.status, "fee_usd": e.fee_usd,
             "gain": e.gain, "reasons": [r.text for r in e.reasons], "unknown_fields": list(e.unknown_fields),
             "computed_at": now} for n, e in enumerate(shortlist.entries, start=1)]
    if rows:
        session.execute(insert(ShortlistEntry), rows)
    return RunResult(run, shortlist, changes)


def compute(ctx: Context, *, budget_programs: int | None = None, budget_usd: float | None = None,
            include_planned: bool = True, step2_score: int | None = None,
            fees: FeeSchedule | None = None) -> tuple[Shortlist, ProgramTable, Inputs, date]:
    """The shortlist as it stands now (nothing stored): for `shortlist` output and what-ifs. Its reasons write
    days in ISO; a face writes them in its own words with `Reason.worded`."""
    check_budget(budget_programs, budget_usd)
    if step2_score is not None:
        check_step2(step2_score, "--what-if-step2")
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        today = local_today(ctx, applicant)
        inputs = gather(session, ctx, applicant, today)
        table = program_table(session, db_key(ctx), saved_id(applicant.id))
    if len(table) == 0:
        # Not "or `imgcoach demo`": in a database with a real applicant that refuses, and its --reset would
        # replace the applicant's own data. The demo goes into a database of its own.
        raise NoProgramData("no program data yet: run `imgcoach programs import FILE.csv` (`imgcoach programs "
                            "template` lists the columns; `--mapping freida` reads a FREIDA-style export); to try "
                            "the shortlist on synthetic programs, `imgcoach demo --db demo.sqlite` makes a separate "
                            "demo database")
    facts = inputs.facts
    if step2_score is not None:
        from dataclasses import replace

        facts = replace(facts, step2_score=step2_score)
    shortlist = build_shortlist(table, facts, today, fees or load_schedule(), budget_programs=budget_programs,
                                budget_usd=budget_usd, include_planned=include_planned)
    return shortlist, table, Inputs(facts, inputs.fingerprints), today


def recompute(ctx: Context, *, trigger: str = "manual", fees: FeeSchedule | None = None) -> RunResult:
    """Recompute with the applicant's own budget and store the run with what changed."""
    shortlist, _, inputs, _ = compute(ctx, fees=fees)
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        run, previous = _previous(session, saved_id(applicant.id))
        return _store(session, ctx, saved_id(applicant.id), shortlist, trigger, inputs,
                      None if run is None else previous)


def _changed_parts(run: ShortlistRun | None, fingerprints: dict[str, str]) -> list[str]:
    """Which inputs changed since `run` (all of them, as "first run", if there is none)."""
    if run is None:
        return ["first run"]
    return [part for part, value in fingerprints.items() if (run.inputs or {}).get(part) != value]


def stale_parts(ctx: Context) -> list[str]:
    """Which inputs changed since the last stored run (all of them if there is none)."""
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        run, _ = _previous(session, saved_id(applicant.id))
        inputs = gather(session, ctx, applicant, local_today(ctx, applicant))
    return _changed_parts(run, inputs.fingerprints)


@dataclass
class Current:
    """The applicant's own shortlist as it stands (their budget, planned rotations counted), with what it was
    ranked from, and the run stored for it when an input had changed since the last one."""

    shortlist: Shortlist
    table: ProgramTable
    inputs: Inputs
    today: date
    stored: RunResult | None  # None: the last stored run was ranked from these same inputs


def current(ctx: Context, *, fees: FeeSchedule | None = None) -> Current:
    """The applicant's own shortlist, ranked once, for the CLI's `shortlist` and the app's Shortlist alike:
    stored as a new run (what changed as its trigger) when any input changed since the last run, and returned
    for the face to show. Storing one ranking and showing another ranked every stale first look twice
    (issues 15 and 17); the stored run and the rows shown are now one computation."""
    shortlist, table, inputs, today = compute(ctx, fees=fees)
    with ctx.db.read() as session:  # a look that finds the run current writes nothing
        applicant = current_applicant(session, ctx)
        run, _ = _previous(session, saved_id(applicant.id))
    stored = None
    if _changed_parts(run, inputs.fingerprints):
        with ctx.db.transaction(ctx.applicant_id) as session:
            applicant = current_applicant(session, ctx)
            # Again inside the transaction: another process may have stored this very run meanwhile.
            run, previous = _previous(session, saved_id(applicant.id))
            parts = _changed_parts(run, inputs.fingerprints)
            if parts:
                stored = _store(session, ctx, saved_id(applicant.id), shortlist, ",".join(parts), inputs,
                                None if run is None else previous)
    return Current(shortlist, table, inputs, today, stored)


def refresh_if_stale(ctx: Context) -> RunResult | None:
    """Store a new run when any input changed since the last one (`current`, for callers that show nothing)."""
    return current(ctx).stored


def refresh_all(ctx: Context, *, trigger: str = "nightly") -> int:
    """Recompute every applicant's shortlist (the nightly job). Returns how many were refreshed."""
    with ctx.db.read() as session:
        ids = list(session.exec(select(Applicant.id).order_by(col(Applicant.id))).all())
    fees = load_schedule()
    done = 0
    for applicant_id in ids:
        try:
            recompute(dc_replace(ctx, applicant_id=applicant_id), trigger=trigger, fees=fees)
            done += 1
        except UserError:
            continue  # e.g. no program data: nothing to refresh
    return done


def nightly_task(ctx: Context):
    """A daemon MaintenanceTask refreshing every shortlist once a day."""
    from imgcoach.reminders import MaintenanceTask

    return MaintenanceTask("shortlist-nightly", timedelta(hours=24), lambda now: refresh_all(ctx))


# --- reading runs and changes (CLI, TUI, digest) ---------------------------------------------------

def latest_run(ctx: Context) -> tuple[ShortlistRun, list[ShortlistEntry]] | None:
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        run, _ = _previous(session, saved_id(applicant.id))
        if run is None:
            return None
        entries = list(session.exec(select(ShortlistEntry).where(ShortlistEntry.run_id == run.id)
                                    .order_by(col(ShortlistEntry.position))).all())
        return run, entries


def changes_since_seen(ctx: Context) -> list[dict[str, Any]]:
    """What differs from the list the applicant last saw, one change per program, with the latest run's reason
    and time. Each unseen run's changes were listed in turn, so an edit the nightly refresh saw and a revert it
    saw next said "4 changes since you last looked" (X left, Y entered, X entered, Y left) of the very list they
    had seen, with the first run's stale reasons. A program's first change says where it was when last seen,
    its last change where it is now; equal, it did not change."""
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        runs = session.exec(select(ShortlistRun).where(ShortlistRun.applicant_id == applicant.id,
                                                       col(ShortlistRun.seen_at).is_(None))
                            .order_by(col(ShortlistRun.id))).all()
        each = [{**c, "computed_at": r.computed_at, "trigger": r.trigger} for r in runs for c in (r.changes or [])]
    seen_tier: dict[str, str | None] = {}
    latest: dict[str, dict[str, Any]] = {}
    for c in each:
        seen_tier.setdefault(c["program_id"], c.get("old_tier"))
        latest.pop(c["program_id"], None)  # re-inserted: the order is that of each program's latest change
        latest[c["program_id"]] = c
    out = []
    for pid, c in latest.items():
        old, new = seen_tier[pid], c.get("new_tier")
        if old == new:
            continue
        kind = "entered" if old is None else "left" if new is None else "moved"
        out.append({**c, "kind": kind, "old_tier": old})
    return out


def mark_seen(ctx: Context) -> int:
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        runs = session.exec(select(ShortlistRun).where(ShortlistRun.applicant_id == applicant.id,
                                                       col(ShortlistRun.seen_at).is_(None))).all()
        now = ctx.clock.now()
        for run in runs:
            run.seen_at = now
            session.add(run)
        return len(runs)


def digest_lines(ctx: Context, *, limit: int = 10) -> list[str]:
    """Plain lines for the weekly digest e-mail: shortlist changes since the applicant last looked."""
    changes = changes_since_seen(ctx)
    lines = []
    for c in changes[:limit]:
        if c["kind"] == "entered":
            lines.append(f"{c['program_id']} entered your shortlist ({c['new_tier']}): {c['why']}")
        elif c["kind"] == "left":
            lines.append(f"{c['program_id']} left your shortlist: {c['why']}")
        else:
            lines.append(f"{c['program_id']} moved from {c['old_tier']} to {c['new_tier']}: {c['why']}")
    if len(changes) > limit:
        lines.append(f"... and {len(changes) - limit} more changes: run `imgcoach shortlist`")
    return lines
