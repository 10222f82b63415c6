"""Program data in the database: import a CSV (one transaction), local overrides, listing, loading.

Re-import updates programs by id and records each changed field; the applicant's overrides live in
their own table, so an import never touches them and they are laid over the data when loaded.
"""

from __future__ import annotations

import collections.abc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import String, bindparam, func, insert, type_coerce, update
from sqlmodel import Session, col, select

from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError, NotFound, ValidationError
from imgcoach.core.ids import saved_id
from imgcoach.core.words import counted
from imgcoach.matching.csv_reader import (
    ProgramCsvError,
    ReadResult,
    RowError,
    read_programs,
    read_programs_file,
)
from imgcoach.matching.inputs import data_version_text
from imgcoach.matching.mapping import Mapping
from imgcoach.matching.schema import (
    FACT_FIELDS,
    UNKNOWN,
    Program,
    Provenance,
    format_value,
    parse_override,
    with_overrides,
)
from imgcoach.matching.stored import (
    FACT_COLUMNS,
    LOAD_CHUNK,
    StoredProgramError,
    overrides_from_rows,
    program_from_values,
    programs_from_chunks,
)
from imgcoach.matching.table import ProgramTable, build_table
from imgcoach.storage.applicants import current_applicant, find_applicant
from imgcoach.storage.models import Program as ProgramRow
from imgcoach.storage.models import ProgramChange, ProgramImport, ProgramOverride

INSERT_CHUNK = 2_000  # rows per executemany: bounded statement memory, few round trips


@dataclass
class ImportReport:
    source: str
    import_id: int | None  # None: nothing changed, so no import was recorded (`unchanged`)
    added: list[str] = field(default_factory=list)
    updated: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)  # id -> field -> (old, new)
    unchanged: int = 0
    skipped: list[RowError] = field(default_factory=list)
    # id -> field -> the acting applicant's override of a changed field: the stored value changed, but the
    # value the shortlist uses is still the override, so "5 -> 7" alone said a change that did not reach it.
    overridden: dict[str, dict[str, str]] = field(default_factory=dict)
    # Facts the file has no column for, whose stored values (and their own source and date) the updated programs
    # kept: the FREIDA-style layout's re-import set them to unknown, said only among "step2_min 230 -> unknown".
    kept: list[str] = field(default_factory=list)
    # id -> the stated facts kept because this file's cell for them was empty (no new fact: ReadResult.blank)
    kept_blank: dict[str, list[str]] = field(default_factory=dict)

    @property
    def status(self) -> str:
        """"unchanged" when every program was stored as the file has it already (nothing written, no import
        recorded: the calendar import's rule), else "imported"."""
        return "imported" if self.added or self.updated else "unchanged"

    def kept_words(self) -> str | None:
        """What a re-import of a partial layout left alone, as the CLI says it; None when it left nothing."""
        parts = []
        if self.kept:
            parts.append(f"kept the stored values of the facts this file has no column for, each with its own "
                         f"source and date: {', '.join(self.kept)}")
        if self.kept_blank:
            shown = "; ".join(f"{pid} {', '.join(names)}" for pid, names in list(self.kept_blank.items())[:10])
            more = f"; and {counted(len(self.kept_blank) - 10, 'more program')}" if len(self.kept_blank) > 10 else ""
            parts.append(f"kept the stored values where this file's cell is empty (an empty cell states no fact): "
                         f"{shown}{more}")
        return "\n".join(parts) or None

    def change_words(self, program_id: str) -> str:
        """One program's changed fields as the CLI and the app say them, each override still in force named."""
        kept = self.overridden.get(program_id, {})
        return "; ".join(f"{f} {o} -> {n}" + (f" (your override {kept[f]} still applies)" if f in kept else "")
                         for f, (o, n) in self.updated.get(program_id, {}).items()) or "no change"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "import_id": self.import_id,
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "skipped": [str(e) for e in self.skipped],
            "changes": {pid: {f: {"old": o, "new": n} for f, (o, n) in fields.items()}
                        for pid, fields in self.updated.items()},
            "overridden": self.overridden,
            "kept_facts": self.kept,
            "kept_where_empty": self.kept_blank,
        }


def _texts(program: Program) -> dict[str, str]:
    return {name: format_value(getattr(program, name)) for name in FACT_COLUMNS}


def _row_values(program: Program, now: Any) -> dict[str, Any]:
    """The stored row of one program, without its import id (set once the import record exists)."""
    def plain(value: object, default: Any = "") -> Any:
        return default if value is UNKNOWN else value

    return {
        "id": program.program_id,
        "name": program.name,
        "specialty": program.specialty,
        "institution": plain(program.institution),
        "city": plain(program.city),
        "state": program.state,
        "program_type": plain(program.program_type),
        "positions": plain(program.positions, None),
        "source": program.source,
        "checked_on": program.checked_on,
        "facts": _texts(program),
        "field_sources": {k: [p.source, p.checked_on.isoformat() if p.checked_on else None]
                          for k, p in program.field_sources.items()},
        "updated_at": now,
    }


def import_programs(ctx: Context, path: Path, *, skip_invalid: bool = False,
                    mapping: Mapping | None = None) -> ImportReport:
    """Validate the whole file first (nothing written on error), then upsert by id in one transaction."""
    today = ctx.clock.now().date()
    result = read_programs_file(path, skip_invalid=skip_invalid, mapping=mapping, today=today, checked_by=today)
    return store_programs(ctx, result, str(path))


def store_programs(ctx: Context, result: ReadResult, source: str) -> ImportReport:
    """Upsert parsed programs by id in one transaction, recording the run and every changed field."""
    now = ctx.clock.now()
    # Everything that does not need the database is done before the write lock is taken.
    prepared = [_row_values(program, now) for program in result.programs]
    with ctx.db.transaction() as session:  # the shared programs table: the whole database
        existing: dict[str, tuple[collections.abc.Mapping[str, str], collections.abc.Mapping[str, Any]]] = {
            pid: (facts, sources)
            for pid, facts, sources in session.exec(
                select(ProgramRow.id, ProgramRow.facts, ProgramRow.field_sources)
            ).all()
        }
        record = ProgramImport(source=source, imported_at=now, skipped=len(result.invalid_lines))
        session.add(record)
        session.flush()
        assert record.id is not None
        report = ImportReport(source, record.id, skipped=list(result.errors))
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        kept = [n for n in FACT_FIELDS if n not in result.carried] if result.carried is not None else []
        for program, values in zip(result.programs, prepared, strict=True):
            values["last_import_id"] = record.id
            old = existing.get(program.program_id)
            if old is None:
                inserts.append(values)
                report.added.append(program.program_id)
                continue
            old_facts, old_sources = old
            empty = [n for n in FACT_FIELDS if n in result.blank.get(program.program_id, ())
                     and old_facts.get(n, "unknown") != "unknown"]
            if kept or empty:
                program = _with_kept_facts(program, old_facts, old_sources, kept + empty)
                values = {**_row_values(program, now), "last_import_id": record.id}
                report.kept = kept
                if empty:
                    report.kept_blank[program.program_id] = empty
            diff = {k: (old_facts.get(k, ""), v) for k, v in values["facts"].items() if old_facts.get(k, "") != v}
            if not diff and old_sources == values["field_sources"]:
                report.unchanged += 1
                continue
            report.updated[program.program_id] = diff
            pid = values.pop("id")
            updates.append({"b_id": pid, **{f"v_{k}": v for k, v in values.items()}})
            changes += [{"import_id": record.id, "program_id": program.program_id, "field": k, "old": o, "new": n}
                        for k, (o, n) in diff.items()]
        # Core executemany in chunks: the ORM bulk path compiled one statement per group of rows whose
        # None-columns differ (9,000 executes for 50,000 programs, half the import's time).
        _insert_chunks(session, ProgramRow.__table__, inserts)  # type: ignore[attr-defined]
        if updates:
            # SQLModel sets __table__ at run time but does not declare it for type checkers.
            stmt = (update(ProgramRow.__table__)  # type: ignore[attr-defined]
                    .where(ProgramRow.__table__.c.id == bindparam("b_id"))  # type: ignore[attr-defined]
                    .values({k[2:]: bindparam(k) for k in updates[0] if k != "b_id"}))
            session.connection().execute(stmt, updates)
        _insert_chunks(session, ProgramChange.__table__, changes)  # type: ignore[attr-defined]
        record.added, record.updated, record.unchanged = len(report.added), len(report.updated), report.unchanged
        session.add(record)
        report.overridden = _overrides_of_changes(session, ctx, report.updated)
        if report.status == "unchanged":
            # A second import of the same data recorded a run that changed nothing; its id was part of the data
            # version, so every shortlist read it as new program data. Not recorded, as the calendar does.
            session.delete(record)
            report.import_id = None
    if not existing and result.programs:
        # A first import: the stored data is exactly what we parsed, so prime the cache (no re-parse).
        programs = sorted(result.programs, key=lambda p: p.program_id)
        with ctx.db.read() as session:
            _CACHE.clear()
            _CACHE[(db_key(ctx), data_version(session))] = (programs, build_table(programs))
    return report


def _with_kept_facts(program: Program, old_facts: collections.abc.Mapping[str, str],
                     old_sources: collections.abc.Mapping[str, Any], kept: list[str]) -> Program:
    """The imported program with the stored values of the facts its file does not carry, each keeping the
    source and date it was read from: the import's own source and day would claim a check of them that did
    not happen. A stored row this code cannot read is replaced whole (what StoredProgramError advises)."""
    try:
        old = program_from_values(program.program_id, dict(old_facts), dict(old_sources))
    except StoredProgramError:
        return program
    own = Provenance(program.source, program.checked_on)
    sources = {k: v for k, v in program.field_sources.items() if k not in kept}
    for name in kept:
        if old.provenance(name) != own:
            sources[name] = old.provenance(name)
    return replace(program, **{name: getattr(old, name) for name in kept}, field_sources=sources)


def _overrides_of_changes(session: Session, ctx: Context,
                          updated: dict[str, dict[str, tuple[str, str]]]) -> dict[str, dict[str, str]]:
    """The acting applicant's overrides of the fields this import changed (none without an applicant)."""
    applicant = find_applicant(session, ctx) if updated else None
    if applicant is None:
        return {}
    out: dict[str, dict[str, str]] = {}
    for o in session.exec(select(ProgramOverride).where(ProgramOverride.applicant_id == applicant.id,
                                                        col(ProgramOverride.program_id).in_(list(updated)))):
        if o.field in updated[o.program_id]:
            out.setdefault(o.program_id, {})[o.field] = o.value
    return out


def _insert_chunks(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT rows (all with the same keys) as one executemany per INSERT_CHUNK rows."""
    connection = session.connection()
    statement = insert(table)
    for start in range(0, len(rows), INSERT_CHUNK):
        connection.execute(statement, rows[start:start + INSERT_CHUNK])


def db_key(ctx: Context) -> str:
    """Identifies the database for the in-process program cache."""
    return str(getattr(ctx.db, "path", None) or id(ctx.db))


def program_from_row(row: ProgramRow) -> Program:
    """Rebuild the domain Program from its stored CSV texts (so unknown and none stay what they were)."""
    return program_from_values(row.id, row.facts, row.field_sources)


def _overrides(session: Session, applicant_id: int) -> dict[str, dict[str, tuple[Any, Provenance]]]:
    return overrides_from_rows(session.exec(select(ProgramOverride)
                                            .where(ProgramOverride.applicant_id == applicant_id)).all())


def load_programs(session: Session, applicant_id: int | None) -> list[Program]:
    # Only the three columns a Program is rebuilt from, streamed: no ORM row or identity-map entry per program
    # (at 50,000 programs those held most of shortlist's 380 MiB peak while the Programs were built). The JSON
    # columns come as text and are decoded a chunk at a time (stored._decoded).
    rows = session.execute(select(ProgramRow.id, type_coerce(ProgramRow.facts, String),
                                  type_coerce(ProgramRow.field_sources, String))
                           .order_by(col(ProgramRow.id)).execution_options(yield_per=LOAD_CHUNK))
    programs = programs_from_chunks(rows.partitions())
    if applicant_id is None:
        return programs
    overrides = _overrides(session, applicant_id)
    return [with_overrides(p, overrides[p.program_id]) if p.program_id in overrides else p for p in programs]


def data_version(session: Session) -> str:
    """Changes whenever program data changes (imports) — part of the shortlist's input fingerprint."""
    count, last = session.exec(select(func.count(), func.max(ProgramRow.updated_at))).one()
    imports = session.exec(select(func.max(ProgramImport.id))).one()
    return data_version_text(count, last, imports)


_CACHE: dict[tuple[str, str], tuple[list[Program], ProgramTable]] = {}
# One load at a time: a ranking asked for while the app's warm-up (warm_program_cache) loads the same programs
# waits for that load and uses it, instead of loading them a second time beside it.
_CACHE_LOCK = threading.Lock()


def _base(session: Session, db_key: str) -> tuple[list[Program], ProgramTable]:
    """Stored programs (no overrides) and their table, cached per database and data version."""
    key = (db_key, data_version(session))
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is None:
            _CACHE.clear()
            programs = load_programs(session, None)
            cached = _CACHE[key] = (programs, build_table(programs))
    return cached


def warm_program_cache(ctx: Context) -> None:
    """Load the stored programs and their ranking table into this process's cache, which the first ranking
    (the app's Shortlist, `current`) otherwise loads: 5,000 programs took 0.3-0.5 s of the Shortlist's first
    visit on the loaded machine. The cache is checked against the programs' data version at each use, so a
    warm-up read before an import is never what a later ranking uses."""
    with ctx.db.read() as session:
        _base(session, db_key(ctx))


def program_table(session: Session, db_key: str, applicant_id: int) -> ProgramTable:
    """The ranking table for one applicant: the shared cached one unless they have overrides."""
    programs, table = _base(session, db_key)
    overrides = _overrides(session, applicant_id)
    if not overrides:
        return table
    return build_table([with_overrides(p, overrides[p.program_id]) if p.program_id in overrides else p
                        for p in programs])


def _known_field(field_name: str) -> None:
    """An override's FIELD is a fact field, named as the command's usage names the argument: an unknown one was
    called by its own name and the VALUE quoted (`override ID visa_xx yes`: "visa_xx: unknown field 'visa_xx' ...
    (got 'yes')"; an empty one ": unknown field ''"), and `--clear` of one said "override was not set", exit 0."""
    if field_name not in FACT_FIELDS:
        raise FieldError("FIELD", field_name, f"not a program fact field (fields: {', '.join(FACT_FIELDS)})")


def set_override(ctx: Context, program_id: str, field_name: str, raw: str, *, note: str = "") -> ProgramOverride:
    _known_field(field_name)
    try:
        value = parse_override(field_name, raw)
    except ValueError as exc:
        raise FieldError(field_name, raw, str(exc)) from None
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        if session.get(ProgramRow, program_id) is None:
            raise NotFound(f"no program with id {program_id!r}")
        row = session.exec(select(ProgramOverride).where(
            ProgramOverride.applicant_id == applicant.id, ProgramOverride.program_id == program_id,
            ProgramOverride.field == field_name)).first()
        if row is None:
            row = ProgramOverride(applicant_id=saved_id(applicant.id), program_id=program_id, field=field_name, value="")
        row.value = format_value(value)
        row.note = note
        row.created_at = ctx.clock.now()
        session.add(row)
        session.flush()
        return row


def clear_override(ctx: Context, program_id: str, field_name: str) -> bool:
    _known_field(field_name)
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        row = session.exec(select(ProgramOverride).where(
            ProgramOverride.applicant_id == applicant.id, ProgramOverride.program_id == program_id,
            ProgramOverride.field == field_name)).first()
        if row is None:
            return False
        session.delete(row)
        return True


def parse_state(text: str, field: str = "--state") -> str:
    """The two-letter code of the state ``text`` names (code or name, any case), as the program file reads it, or
    a FieldError: `programs list --state ZZ` listed nothing and said nothing, as if no program were in ZZ."""
    from imgcoach.core.vocab.us_states import state_code

    code = state_code(text)
    if code is None:
        raise FieldError(field, text, "unknown state: a two-letter code such as NY, or the state's name")
    return code


@dataclass(frozen=True, slots=True)
class ProgramListing:
    """Programs as `programs list` shows them, with how many the filters match and how many are stored: a filter
    that matched nothing printed a bare header, and the default limit cut 6,000 programs to 50 without a word."""

    programs: list[Program]
    matching: int  # programs the filters match, before the limit
    stored: int  # programs in the database
    filters: str  # "specialty Internal Medicine, state NY", or "" when none was given

    def note(self) -> str | None:
        """The line under the table when it does not show every program asked for; None when it does."""
        if not self.programs and self.filters:
            held = (f"{counted(self.stored, 'program')} stored" if self.stored else
                    "no program data yet: `imgcoach programs import FILE.csv`")
            return f"no program matches {self.filters} ({held})"
        if len(self.programs) < self.matching:
            which = f" matching {self.filters}" if self.filters else ""
            return (f"showing the first {len(self.programs)} of {counted(self.matching, 'program')}{which}; "
                    "`--limit N` shows more")
        return None


def program_listing(ctx: Context, *, specialty: str | None = None, state: str | None = None,
                    limit: int | None = None) -> ProgramListing:
    """The programs the filters match (the applicant's overrides laid over them), at most ``limit``."""
    from imgcoach.matching.vocab import specialty_name

    if limit is not None and limit < 1:
        raise FieldError("--limit", limit, "must be a whole number of programs, 1 or more")
    code = None
    if specialty:
        from imgcoach.core.vocab.specialties import parse_specialty

        code = parse_specialty(specialty, "--specialty")
    where = parse_state(state) if state else None
    filters = ", ".join(x for x in (f"specialty {specialty_name(code)}" if code else "",
                                    f"state {where}" if where else "") if x)
    with ctx.db.read() as session:
        query = select(ProgramRow).order_by(col(ProgramRow.id))
        counting = select(func.count()).select_from(ProgramRow)
        stored = session.exec(counting).one()
        if code:
            query = query.where(ProgramRow.specialty == code)
            counting = counting.where(ProgramRow.specialty == code)
        if where:
            query = query.where(ProgramRow.state == where)
            counting = counting.where(ProgramRow.state == where)
        matching = session.exec(counting).one() if filters else stored
        if limit:
            query = query.limit(limit)
        rows = session.exec(query).all()
        programs = [program_from_row(r) for r in rows]
        applicant_id = None
        try:
            applicant_id = current_applicant(session, ctx).id
        except Exception:  # no profile yet: show the data as imported
            applicant_id = None
        if applicant_id is not None:
            overrides = _overrides(session, applicant_id)
            programs = [with_overrides(p, overrides[p.program_id]) if p.program_id in overrides else p
                        for p in programs]
    return ProgramListing(programs, int(matching), int(stored), filters)


def get_program(ctx: Context, program_id: str) -> Program:
    """One program as `programs list` shows it (the applicant's overrides laid over): what a command that
    changed it prints with --json."""
    with ctx.db.read() as session:
        row = session.get(ProgramRow, program_id)
        if row is None:
            raise NotFound(f"no program with id {program_id!r}")
        program = program_from_row(row)
        try:
            applicant_id = current_applicant(session, ctx).id
        except Exception:  # no profile yet: as imported (program_listing's rule)
            applicant_id = None
        if applicant_id is not None:
            overrides = _overrides(session, applicant_id)
            if program_id in overrides:
                program = with_overrides(program, overrides[program_id])
    return program


def list_programs(ctx: Context, *, specialty: str | None = None, state: str | None = None,
                  limit: int | None = None) -> list[Program]:
    return program_listing(ctx, specialty=specialty, state=state, limit=limit).programs


def program_history(ctx: Context, program_id: str) -> list[ProgramChange]:
    with ctx.db.read() as session:
        return list(session.exec(select(ProgramChange).where(ProgramChange.program_id == program_id)
                                 .order_by(col(ProgramChange.id))).all())


def _one_row_csv(values: dict[str, str]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(values), lineterminator="\n")
    writer.writeheader()
    writer.writerow(values)
    return out.getvalue()


def add_program(ctx: Context, values: dict[str, str]) -> ImportReport:
    """One program typed by hand: the same columns and checks as a file (`programs template`); a new id only."""
    pid = values.get("program_id", "")
    with ctx.db.read() as session:
        if pid and session.get(ProgramRow, pid) is not None:
            raise FieldError("program_id", pid, "a program with this id exists; change it with `programs edit`")
    today = ctx.clock.now().date().isoformat()
    row = {"source": "entered by hand", "checked_on": today, **values}
    with _fields_named(row):
        result = read_programs(_one_row_csv(row), source="programs add", checked_by=ctx.clock.now().date())
    return store_programs(ctx, result, "programs add")


def program_values(ctx: Context, program_id: str) -> dict[str, str]:
    """One stored program's facts as the program file writes them (`unknown` where not stated): what an edit
    form starts from."""
    with ctx.db.read() as session:
        row = session.get(ProgramRow, program_id)
        if row is None:
            raise NotFound(f"no program with id {program_id!r}")
        return program_from_row(row).to_row()


@contextmanager
def _fields_named(values: dict[str, str]) -> Iterator[None]:
    """One program typed by hand has no file and no line: its problems are said per field ("positions: 'many' is
    not a whole number"), which the app's form also shows beside the field, rather than "line 2, column 7"."""
    try:
        yield
    except ProgramCsvError as exc:
        if not exc.errors or any(e.column is None for e in exc.errors):
            raise
        raise ValidationError([FieldError(e.column, values.get(e.column, ""), e.message)
                               for e in exc.errors if e.column is not None]) from None


def edit_program(ctx: Context, program_id: str, changes: dict[str, str]) -> ImportReport:
    """Change stated facts of one stored program (recorded as changes, like a re-import)."""
    with ctx.db.read() as session:
        row = session.get(ProgramRow, program_id)
        if row is None:
            raise NotFound(f"no program with id {program_id!r}")
        current = program_from_row(row).to_row()
    if "program_id" in changes:
        raise FieldError("program_id", changes["program_id"], "the id cannot be edited; add a new program instead")
    merged = {**current, **changes}
    today = ctx.clock.now().date().isoformat()
    for name in changes:  # the edited facts carry their own provenance; the rest keep the row's
        if name in FACT_FIELDS:
            merged[f"{name}_source"] = changes.get(f"{name}_source", "edited by hand")
            merged[f"{name}_checked_on"] = today
    with _fields_named(merged):
        result = read_programs(_one_row_csv(merged), source="programs edit")
    return store_programs(ctx, result, "programs edit")
