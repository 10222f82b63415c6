"""The applicant's shortlist in the database: facts from the plan, recompute, store the run and its diff.

A run stores fingerprints of its inputs (profile, exams, rotations, letters, program data, overrides);
`refresh_if_stale` recomputes when any of them changed and names what changed as the trigger, so the
shortlist follows the plan without every other service having to call us. The daemon refreshes
every applicant nightly (`nightly_task`).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace as dc_replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from imgcoach.core.clock import local_today as clock_today
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.core.ids import saved_id
from imgcoach.matching.fees import FeeSchedule, load_schedule
from imgcoach.matching.inputs import (
    InputRows,
    Inputs,
    changed_parts,
    changes_from_runs,
    check_budget,
    check_step2,
    inputs_from_rows,
    run_rows,
)
from imgcoach.matching.programs import data_version, db_key, program_table
from imgcoach.matching.shortlist import Shortlist, build_shortlist
from imgcoach.matching.table import ProgramTable
from imgcoach.plan import MatchYear, aimed_match_year
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


def local_today(ctx: Context, applicant: Applicant) -> date:
    return clock_today(ctx.clock, applicant.timezone or "UTC")


def match_year(ctx: Context, today: date) -> MatchYear:
    """The Match the list is for: the plan's one rule, readiness's too (it named another year from 1 to 3
    September, and read the two config keys in the other order)."""
    return aimed_match_year(ctx.settings, today)


class NoProgramData(UserError):
    """There are no programs to rank yet (the profile itself may be complete)."""


def gather(session: Session, ctx: Context, applicant: Applicant, today: date) -> Inputs:
    """ApplicantFacts from the database, with a fingerprint of each part for change detection: the rows read
    here, converted by matching.inputs (the one conversion the quick read's rows go through too)."""
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
    rows = InputRows(applicant, exams, rotations, letters, [(k, t) for k, t in projects],
                     [(p, f, v) for p, f, v in overrides], data_version(session))
    return inputs_from_rows(rows, ctx.settings, today)


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
    rows = run_rows(applicant_id, shortlist, trigger, inputs, ctx.clock.now(), previous,
                    {} if previous is None else _previous_chances(session, applicant_id))
    run = ShortlistRun(**rows.run)
    session.add(run)
    session.flush()
    entries = [{"run_id": run.id, **entry} for entry in rows.entries]
    if entries:
        session.execute(insert(ShortlistEntry), entries)
    return RunResult(run, shortlist, rows.changes)


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
    return changed_parts(None if run is None else run.inputs, fingerprints, first=run is None)


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
    """What differs from the list the applicant last saw (matching.inputs.changes_from_runs)."""
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        runs = session.exec(select(ShortlistRun).where(ShortlistRun.applicant_id == applicant.id,
                                                       col(ShortlistRun.seen_at).is_(None))
                            .order_by(col(ShortlistRun.id))).all()
        return changes_from_runs(runs)


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
