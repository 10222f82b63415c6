"""The applicant's own shortlist (the default view of `imgcoach shortlist`) from rows read and written with the
stdlib sqlite3: no SQLAlchemy, no SQLModel, no table models (issue 17: the first look after a write took 40x
`python -c pass` on the full path, most of it importing those to read the rows).

What runs.current and runs.changes_since_seen do, step for step, through the same conversions (matching.inputs
for the facts, fingerprints, stored rows and changes; matching.stored for the programs and overrides) and the
same ranking (build_table, build_shortlist; the table kept between looks while no program or override was
written, matching.kept): a run is stored, inside BEGIN IMMEDIATE, when any input changed
since the last one (checked again inside that transaction, as `current` does), with its columns encoded as
SQLModel writes them on SQLite; mark_seen_quickly marks the changes seen as runs.mark_seen does. The database's
own triggers (storage.readcache) count these writes as they count the full path's.

Only a SQLite file at this code's schema, with no subscribed calendar feed (the full path rewrites feeds after
every commit), is answered here; anything else, and any doubt (an error, a profile the full path refuses in its
own words, no program data), is None: the full path answers.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any, NamedTuple

from imgcoach.core.clock import local_date
from imgcoach.core.errors import UserError
from imgcoach.matching.inputs import (
    InputRows,
    Inputs,
    changed_parts,
    changes_from_runs,
    data_version_text,
    inputs_from_rows,
    run_rows,
)
from imgcoach.matching.shortlist import Shortlist
from imgcoach.storage.applicant_ref import choose_applicant
from imgcoach.storage.quickconn import BUSY_TIMEOUT_MS, checkpoint_once, sqlite_file
from imgcoach.storage.quicklist import table_rows
from imgcoach.storage.schema_heads import SCHEMA_HEADS

__all__ = ["QuickShortlist", "QuickView", "mark_seen_quickly", "one_checkpoint", "shortlist_quickly", "view_quickly"]

# What a face prints from a worked-out list: (shortlist, program table, inputs, today, the applicant's zone) -> its
# text. Called inside the read transaction: the kept table builds the Programs it shows from their rows on first
# use (matching.kept).
View = Callable[[Shortlist, Any, Inputs, date, str], str]


class QuickShortlist(NamedTuple):
    shortlist: Shortlist
    inputs: Inputs
    changes: list[dict[str, Any]]  # changes_since_seen's, read after the run was stored
    applicant_id: int
    timezone: str  # the applicant's: `--json` writes its moments there
    stored: bool  # a new run was stored
    model: Any  # the model values restored for this look (matching.kept.KeptModel): mark_seen_quickly keeps more
    shown: str | None = None  # the `view` given to shortlist_quickly, worked out before the run was stored


class Worked(NamedTuple):
    shortlist: Shortlist
    inputs: Inputs
    applicant_id: int
    timezone: str
    model: Any
    shown: str | None
    previous: tuple[int, dict[str, str]] | None  # the last run (runs._previous): its id and fingerprints


class QuickView(NamedTuple):
    shown: str  # what the view made of runs.compute's list
    timezone: str  # the applicant's
    model: Any  # as QuickShortlist.model


def shortlist_quickly(url: str, *, applicant: str | None, now: datetime, settings: Any,
                      view: View | None = None) -> QuickShortlist | None:
    """runs.current's shortlist at `now` for the applicant `applicant` names (storage.applicant_ref's rule), its
    run stored when an input changed, and the changes since last seen; None when only the full path can answer
    (`view`, when given, raised a UserError included: the full path says it in its own words)."""
    conn = _connect(url)
    if conn is None:
        return None
    try:
        return _current(conn, applicant, now, settings, view)
    except (UserError, sqlite3.Error, ValueError, KeyError, TypeError):
        return None
    finally:
        conn.close()


def view_quickly(url: str, *, applicant: str | None, now: datetime, settings: Any, view: View,
                 budget_programs: int | None = None, budget_usd: float | None = None,
                 include_planned: bool = True) -> QuickView | None:
    """runs.compute's shortlist for these budgets (nothing stored, nothing marked seen: `shortlist --budget N`,
    `--completed-only`, a what-if) as `view` shows it; None when only the full path can answer (as above)."""
    conn = _connect(url)
    if conn is None:
        return None
    try:
        found = _worked_out(conn, applicant, now, settings, budget_programs, budget_usd, include_planned, view)
        if found is None or found.shown is None:
            return None
        return QuickView(found.shown, found.timezone, found.model)
    except (UserError, sqlite3.Error, ValueError, KeyError, TypeError):
        return None
    finally:
        conn.close()


def one_checkpoint(url: str) -> AbstractContextManager[None]:
    """The look's writes checkpointed once (storage.quickconn.checkpoint_once: a connection held open while they
    open and close their own). Defined here, not re-exported: the matching API's name has one home, which
    tests/test_public_api.py checks."""
    return checkpoint_once(url)


def mark_seen_quickly(url: str, applicant_id: int, now: datetime, model: Any = None) -> int | None:
    """runs.mark_seen: the applicant's unseen runs marked seen at `now`; how many, or None when it failed. Then the
    model values and parsed data files this process worked out (`model`: the look's QuickShortlist.model) are
    kept for the next look, now that the list has been printed: printing reads a data file the ranking does not
    (signals.toml), which a look that kept them before printing left to be parsed by every later one."""
    from imgcoach.matching.kept import keep_model

    conn = _connect(url)
    if conn is None:
        return None
    try:
        conn.execute("BEGIN IMMEDIATE")
        changed = conn.execute('UPDATE "shortlist_run" SET "seen_at" = ? WHERE "applicant_id" = ? AND "seen_at" IS NULL',
                               (_moment(now), applicant_id)).rowcount
        conn.execute("COMMIT")
    except sqlite3.Error:
        conn.close()
        return None
    try:
        if model is not None:
            keep_model(conn, model)
    except sqlite3.Error:
        pass  # the runs are marked: a look that could not keep the values only leaves them to be worked out again
    finally:
        conn.close()
    return int(changed)


def _connect(url: str) -> sqlite3.Connection | None:
    """A writing connection set up as storage.db sets up its own, on a file at this code's schema with no
    calendar feed; None otherwise."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA synchronous=NORMAL")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            raise ValueError("not in WAL mode: storage.db sets it on first use")
        heads = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
        if heads != SCHEMA_HEADS or conn.execute('SELECT 1 FROM "calendar_feed" LIMIT 1').fetchone():
            raise ValueError("a schema to migrate, or feeds to rewrite after a commit: the full path's")
    except (sqlite3.Error, ValueError):
        conn.close()
        return None
    return conn


def _row(values: dict[str, Any]) -> SimpleNamespace:
    return SimpleNamespace(**values)


def _last_run(conn: sqlite3.Connection, applicant_id: int) -> tuple[int, dict[str, str]] | None:
    """runs._previous's run: its id and stored fingerprints."""
    row = conn.execute('SELECT "id", "inputs" FROM "shortlist_run" WHERE "applicant_id" = ? ORDER BY "id" DESC '
                       "LIMIT 1", (applicant_id,)).fetchone()
    return None if row is None else (int(row[0]), json.loads(row[1]))


def _worked_out(conn: sqlite3.Connection, ref: str | None, now: datetime, settings: Any,
                budget_programs: int | None, budget_usd: float | None, include_planned: bool,
                view: View | None) -> Worked | None:
    """runs.compute in one read transaction: the list, its inputs, the applicant's id and zone, the model values
    restored, what `view` shows of it and the last run (read in the same snapshot as the inputs, as runs.current
    compares them); None for no program data (runs.NoProgramData: the full path says what to do). The kept table
    is kept for the next look."""
    from imgcoach.matching.fees import load_schedule
    from imgcoach.matching.kept import keep_table, model_values, table_for
    from imgcoach.matching.shortlist import build_shortlist
    from imgcoach.matching.stored import overrides_from_rows

    conn.execute("BEGIN")  # runs.compute's one read snapshot, held until the ranking has read its programs
    applicant_id, timezone = choose_applicant(conn, ref)
    mine = (applicant_id,)
    (applicant,) = table_rows(conn, "applicant", 't."id" = ?', mine, 't."id"', text=True)
    today = local_date(now, applicant["timezone"] or "UTC")
    overrides = overrides_from_rows(
        _row(r) for r in table_rows(conn, "program_override", 't."applicant_id" = ?', mine, 't."id"', text=True))
    # the specialties' openness, the shared factor and the parsed data files another look worked out: first, since
    # the table's parameters read calibration.toml
    model = model_values(conn)
    # The program part of the ranking and the program data's version, kept between looks while no program, import
    # or override was written (matching.kept)
    kept = table_for(conn, applicant_id, overrides)
    count, last, imports = kept.version
    last_updated = None if last is None else datetime.fromisoformat(last).replace(tzinfo=UTC)
    rows = InputRows(
        _row(applicant),
        [_row(r) for r in table_rows(conn, "exam_result", 't."applicant_id" = ?', mine, 't."taken_on", t."id"',
                                     text=True)],
        [_row(r) for r in table_rows(conn, "rotation", 't."applicant_id" = ?', mine, 't."start_date", t."id"',
                                     text=True)],
        [_row(r) for r in table_rows(conn, "letter_request", 't."applicant_id" = ?', mine, 't."id"', text=True)],
        conn.execute('SELECT "kind", "title" FROM "coach_project" WHERE "applicant_id" = ? ORDER BY "id"',
                     mine).fetchall(),
        conn.execute('SELECT "program_id", "field", "value" FROM "program_override" WHERE "applicant_id" = ? '
                     'ORDER BY "program_id", "field"', mine).fetchall(),
        data_version_text(count, last_updated, imports))
    inputs = inputs_from_rows(rows, settings, today)
    if kept.table is None:
        conn.execute("COMMIT")
        return None
    previous = _last_run(conn, applicant_id)
    shortlist = build_shortlist(kept.table, inputs.facts, today, load_schedule(), budget_programs=budget_programs,
                                budget_usd=budget_usd, include_planned=include_planned)
    shown = None if view is None else view(shortlist, kept.table, inputs, today, timezone)
    conn.execute("COMMIT")
    keep_table(conn, applicant_id, kept)
    return Worked(shortlist, inputs, applicant_id, timezone, model, shown, previous)


def _current(conn: sqlite3.Connection, ref: str | None, now: datetime, settings: Any,
             view: View | None = None) -> QuickShortlist | None:
    found = _worked_out(conn, ref, now, settings, None, None, True, view)
    if found is None:
        return None
    shortlist, inputs, applicant_id, timezone, model, shown, previous = found
    mine = (applicant_id,)
    stored = False
    if changed_parts(None if previous is None else previous[1], inputs.fingerprints, first=previous is None):
        stored = _store(conn, applicant_id, shortlist, inputs, now)
    conn.execute("BEGIN")
    unseen = conn.execute('SELECT "changes", "computed_at", "trigger" FROM "shortlist_run" WHERE "applicant_id" = ? '
                          'AND "seen_at" IS NULL ORDER BY "id"', mine).fetchall()
    conn.execute("COMMIT")
    runs = [SimpleNamespace(changes=json.loads(c), trigger=trigger,
                            computed_at=None if at is None else datetime.fromisoformat(at).replace(tzinfo=UTC))
            for c, at, trigger in unseen]
    return QuickShortlist(shortlist, inputs, changes_from_runs(runs), applicant_id, timezone, stored, model, shown)


def _store(conn: sqlite3.Connection, applicant_id: int, shortlist: Shortlist, inputs: Inputs, now: datetime) -> bool:
    """runs.current's write: the run and its entries, when an input changed since the last run (again inside
    the transaction: another process may have stored this very run meanwhile). True when stored."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute('SELECT 1 FROM "applicant" WHERE "id" = ?', (applicant_id,)).fetchone() is None:
            raise UserError("the applicant was removed meanwhile")  # runs.current_applicant's refusal
        previous = _last_run(conn, applicant_id)
        parts = changed_parts(None if previous is None else previous[1], inputs.fingerprints,
                              first=previous is None)
        if not parts:
            conn.execute("COMMIT")
            return False
        tiers: dict[str, str] | None = None
        chances: dict[str, float] = {}
        if previous is not None:  # runs._previous and _previous_chances: the same statements, the same order
            tiers = dict(conn.execute('SELECT "program_id", "tier" FROM "shortlist_entry" WHERE "run_id" = ?',
                                      (previous[0],)).fetchall())
            chances = {pid: p for pid, p in conn.execute(
                'SELECT "program_id", "probability" FROM "shortlist_entry" WHERE "run_id" = ?',
                (previous[0],)).fetchall() if p is not None}
        rows = run_rows(applicant_id, shortlist, ",".join(parts), inputs, now, tiers, chances)
        run = {**_encoded(rows.run), "seen_at": None}
        names = ", ".join(f'"{name}"' for name in run)
        run_id = conn.execute(f'INSERT INTO "shortlist_run" ({names}) VALUES ({", ".join("?" * len(run))})',
                              tuple(run.values())).lastrowid
        if rows.entries:
            entries = [{"run_id": run_id, **_encoded(entry)} for entry in rows.entries]
            names = ", ".join(f'"{name}"' for name in entries[0])
            conn.executemany(f'INSERT INTO "shortlist_entry" ({names}) VALUES ({", ".join("?" * len(entries[0]))})',
                             [tuple(e.values()) for e in entries])
        conn.execute("COMMIT")
        return True
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _moment(value: datetime) -> str:
    """A moment as storage.types.UTCDateTime stores it on SQLite: naive UTC in SQLAlchemy's DATETIME text."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _encoded(values: dict[str, Any]) -> dict[str, Any]:
    """A row's values as SQLModel binds them on SQLite: moments as _moment, lists and dicts (its JSON columns)
    as json.dumps writes them (SQLAlchemy's default serializer), the rest as given."""
    return {name: _moment(v) if isinstance(v, datetime) else json.dumps(v) if isinstance(v, list | dict) else v
            for name, v in values.items()}
