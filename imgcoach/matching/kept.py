"""The shortlist's program table kept in the database between looks, for the quick read (matching.quick).

Why: the first `shortlist` after a write to the profile or the plan rebuilt the ranking table from every stored
program (6,000 JSON rows parsed into Programs, then the table's columns worked out): about three quarters of its
time, for a table that depends on the program rows and the applicant's overrides alone (issue 17: at most 5x
`python -c pass`). So the table's columns, exactly as build_table made them, are kept in read_answer (the
database's own store of kept answers, storage.readcache) under a key of the write counters of `program`,
`program_import` and `program_override` (SQLite triggers raise them on every insert, update and delete, whoever
writes: imports, `programs add`, overrides, raw SQL), the schema's heads and this code's files
(storage.readcache.data_key). Any change to the program data, an import or an override, a schema upgrade or
another version of this code changes the key, and the table is built again. The program data's version (its
count, latest update and latest import: part of the shortlist's fingerprint) is kept with it, since it depends on
the same rows and its count and max() read the whole program table (a tenth of a look). Kept in the database file, not beside it: a restored or copied file carries the
table that matches its own rows and counters.

The Program objects are not kept: the ranking reads the columns, and a look shows a few dozen programs, each built
on first use from its stored row (matching.stored's one conversion, with the applicant's overrides laid over it)
inside the read transaction the table was checked in, so the rows are the ones the key was taken from.
"""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import fields
from typing import Any, overload

from imgcoach.matching.anchors import add_openness_values, openness_values
from imgcoach.matching.datafiles import add_parsed_files, parsed_files
from imgcoach.matching.eligibility import requirement_code_values, requirement_codes_from
from imgcoach.matching.params import default_params
from imgcoach.matching.schema import Program, Provenance, with_overrides
from imgcoach.matching.shared import add_shared_values, shared_values
from imgcoach.matching.stored import LOAD_CHUNK, _decoded, program_from_values, programs_from_chunks
from imgcoach.matching.table import ProgramTable, build_table
from imgcoach.plan import add_season_values, season_values
from imgcoach.storage.readcache import data_key

KEPT_TABLE = "kept: shortlist program table"  # read_answer.command of the kept table (its subject: the applicant)
# read_answer.command of the model's values worked out from this code's data alone (subject 0: nobody's)
KEPT_MODEL = "kept: shortlist model values"
TABLES = ("program", "program_import", "program_override")  # the rows the table and the version are read from
# Built again on each restore, not kept: the Programs themselves, the index (from program_ids) and the model's
# parameters (this code's, covered by the key). The requirement codes eligibility works out from the columns on
# first use are kept beside them (eligibility.requirement_code_values).
_NOT_KEPT = ("programs", "index", "params", "requirement_codes")
_KEPT = tuple(f.name for f in fields(ProgramTable) if f.name not in _NOT_KEPT)

Overrides = dict[str, dict[str, tuple[Any, Provenance]]]


Version = tuple[int, str | None, int | None]  # the programs' count, latest updated_at as stored, latest import id


class KeptTable:
    """The applicant's ranking table for one read (None when no program is stored) and the program data's version;
    `key`: the key to keep them under when they were read and built (None when restored from the kept ones, or when
    the counters cannot be trusted and nothing is kept)."""

    def __init__(self, table: ProgramTable | None, version: Version, key: str | None, built: bool) -> None:
        self.table, self.version, self.key, self.built = table, version, key, built


def table_for(conn: sqlite3.Connection, applicant_id: int, overrides: Overrides) -> KeptTable:
    """The ranking table of the stored programs with the applicant's `overrides`, and the program data's version,
    inside the caller's read transaction: the kept ones when their key is current, else read and built
    (build_table, as the full path builds it)."""
    key = data_key(conn, KEPT_TABLE, applicant_id, TABLES)
    if key is not None:
        row = conn.execute('SELECT "key", "output" FROM "read_answer" WHERE "command" = ? AND "subject" = ?',
                           (KEPT_TABLE, applicant_id)).fetchone()
        if row is not None and row[0] == key:
            found = _restored(row[1], conn, overrides)
            if found is not None:
                return KeptTable(found[0], found[1], None, False)
    count, last = conn.execute('SELECT count(*), max("updated_at") FROM "program"').fetchone()
    (imports,) = conn.execute('SELECT max("id") FROM "program_import"').fetchone()
    version: Version = (int(count), last, imports)
    if not count:
        return KeptTable(None, version, None, False)
    cursor = conn.execute('SELECT "id", "facts", "field_sources" FROM "program" ORDER BY "id"')
    programs = programs_from_chunks(iter(lambda: cursor.fetchmany(LOAD_CHUNK), []))
    table = build_table([with_overrides(p, overrides[p.program_id]) if p.program_id in overrides else p
                         for p in programs] if overrides else programs)
    return KeptTable(table, version, key, True)


def keep_table(conn: sqlite3.Connection, applicant_id: int, kept: KeptTable) -> bool:
    """Keep a table built by table_for under its key, when that key is still current (checked inside the write
    transaction: a table built from rows a writer has changed since is not kept). True when kept."""
    if not kept.built or kept.key is None or kept.table is None:
        return False
    # marshal: the columns are lists of str, int, float and tuples, which it writes and reads back exactly (nan
    # included) several times faster than json or pickle; stored as a BLOB (SQLite keeps a value's own type in
    # any column of a table that is not STRICT), so no text encoding is paid on each look. Equal values share
    # one object (_shared), which marshal then writes once and refers back to.
    codes = requirement_code_values(kept.table)
    blob = marshal.dumps((kept.version, codes if codes is None else tuple(_shared(column) for column in codes),
                          *(_shared(getattr(kept.table, name)) for name in _KEPT)))
    conn.execute("BEGIN IMMEDIATE")
    try:
        if data_key(conn, KEPT_TABLE, applicant_id, TABLES) != kept.key:
            conn.execute("ROLLBACK")
            return False
        conn.execute('INSERT OR REPLACE INTO "read_answer" ("command", "subject", "key", "output", "stored_at") '
                     "VALUES (?, ?, ?, ?, NULL)", (KEPT_TABLE, applicant_id, kept.key, blob))
        conn.execute("COMMIT")
        return True
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _shared(column: Any) -> Any:
    """A column (a list) with each run of equal values made one object: restoring the table built an object for
    every cell (6,000 tuples of unknown field names, 30,000 floats), about half of unmarshalling it at each
    first look after a write, where a few hundred distinct values were needed. Equal means the same type and
    the same value, floats to the bit (float.hex: -0.0 stays -0.0); the values are immutable, so sharing one
    object changes nothing the ranking reads."""
    if not isinstance(column, list):
        return column
    seen: dict[tuple[type, Any], Any] = {}
    out = []
    for value in column:
        try:
            key = (value.__class__, value.hex() if isinstance(value, float) else value)
            out.append(seen.setdefault(key, value))
        except TypeError:  # unhashable: kept as it is
            out.append(value)
    return out


def _restored(blob: Any, conn: sqlite3.Connection, overrides: Overrides) -> tuple[ProgramTable, Version] | None:
    """The kept columns as a ProgramTable, its Programs read on first use, and the kept version; None when the
    value is not one this code kept (then the table is built)."""
    try:
        version, codes, *values = marshal.loads(blob)
    except (ValueError, TypeError, EOFError):
        return None
    if len(values) != len(_KEPT) or not isinstance(version, tuple) or len(version) != 3:
        return None
    columns = dict(zip(_KEPT, values, strict=True))
    ids = columns["program_ids"]
    found = requirement_codes_from(codes) if isinstance(codes, tuple) and len(codes) == 6 else None
    return (ProgramTable(programs=_StoredPrograms(conn, ids, overrides), index={pid: i for i, pid in enumerate(ids)},
                         params=default_params(), requirement_codes=found, **columns), version)


class KeptModel:
    """The model's worked-out values restored for one look: their key (None: nothing can be kept) and how many
    of each the kept row holds (a look whose process holds more keeps them all)."""

    def __init__(self, key: str | None, counts: tuple[int, int, int, int]) -> None:
        self.key, self.counts = key, counts


def model_values(conn: sqlite3.Connection) -> KeptModel:
    """The model's values another look kept (each specialty's openness for a group, the shared factor's table, the
    parsed data files, the plan's season table: plan.rules.season's season.toml, which the Match year is read
    from), restored into this process's caches when this code and schema kept them: they depend on nothing else
    (no row: the key holds no counters), and every look asks for them again. Called before anything reads a data
    file (the table's parameters read calibration.toml), so that none is parsed again."""
    key = data_key(conn, KEPT_MODEL, 0, ())
    if key is None:
        return KeptModel(None, (0, 0, 0, 0))
    row = conn.execute('SELECT "key", "output" FROM "read_answer" WHERE "command" = ? AND "subject" = 0',
                       (KEPT_MODEL,)).fetchone()
    if row is not None and row[0] == key:
        try:
            openness, shared, files, season = marshal.loads(row[1])
            add_openness_values(openness)
            add_shared_values(shared)
            add_parsed_files(files)
            if season is not None:
                add_season_values(season)
            return KeptModel(key, (len(openness), len(shared), len(files), int(season is not None)))
        except (ValueError, TypeError, EOFError):
            pass  # not what this code keeps: worked out again, and kept anew
    return KeptModel(key, (0, 0, 0, 0))


def keep_model(conn: sqlite3.Connection, kept: KeptModel) -> bool:
    """Keep the model's values this process holds when it worked out more than it restored, under the key they
    were restored under (still current: checked inside the write transaction). True when kept."""
    openness, shared, files = openness_values(), shared_values(), parsed_files()
    try:
        season = season_values()
    except ValueError:  # a value marshal cannot write (a TOML time, should season.toml gain one): parsed each time
        season = None
    if kept.key is None or (len(openness) <= kept.counts[0] and len(shared) <= kept.counts[1]
                            and len(files) <= kept.counts[2] and int(season is not None) <= kept.counts[3]):
        return False
    try:
        blob = marshal.dumps((openness, shared, files, season))
    except ValueError:  # a value marshal cannot write (a TOML date, should a data file gain one): nothing kept
        return False
    conn.execute("BEGIN IMMEDIATE")
    try:
        if data_key(conn, KEPT_MODEL, 0, ()) != kept.key:
            conn.execute("ROLLBACK")
            return False
        conn.execute('INSERT OR REPLACE INTO "read_answer" ("command", "subject", "key", "output", "stored_at") '
                     "VALUES (?, 0, ?, ?, NULL)", (KEPT_MODEL, kept.key, blob))
        conn.execute("COMMIT")
        return True
    except BaseException:
        conn.execute("ROLLBACK")
        raise


class _StoredPrograms(Sequence[Program]):
    """The table's Programs, each read from its stored row and built when first asked for (matching.stored's
    conversion, the overrides laid over it as build_table's caller does), through the connection of the read
    transaction the table's key was checked in."""

    def __init__(self, conn: sqlite3.Connection, ids: list[str], overrides: Overrides) -> None:
        self._conn, self._ids, self._overrides = conn, ids, overrides
        self._built: dict[int, Program] = {}
        self._parsed: dict[str, dict[str, Any]] = {}  # each distinct cell parsed once, as programs_from_chunks does

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, i: int) -> Program: ...

    @overload
    def __getitem__(self, i: slice) -> list[Program]: ...

    def __getitem__(self, i: int | slice) -> Program | list[Program]:
        if isinstance(i, slice):
            return [self[k] for k in range(len(self._ids))[i]]
        k = range(len(self._ids))[i]  # an index out of range raises IndexError, as a list's does
        program = self._built.get(k)
        if program is None:
            program = self._built[k] = self._read(self._ids[k])
        return program

    def __iter__(self) -> Iterator[Program]:
        return (self[k] for k in range(len(self._ids)))

    def _read(self, program_id: str) -> Program:
        if not self._conn.in_transaction:
            raise RuntimeError("a kept table's program read after its read transaction ended")
        row = self._conn.execute('SELECT "facts", "field_sources" FROM "program" WHERE "id" = ?',
                                 (program_id,)).fetchone()
        if row is None:
            raise LookupError(f"program {program_id!r} of the kept table is not stored")
        facts, sources = _decoded(list(row))
        program = program_from_values(program_id, facts, sources, self._parsed)
        found = self._overrides.get(program_id)
        return with_overrides(program, found) if found else program
