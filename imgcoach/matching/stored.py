"""Stored programs and overrides as the domain's Programs, from row values read by either reader.

One conversion for both: matching.programs reads the rows through SQLAlchemy (the full path, the app), and
matching.quick with the stdlib sqlite3 (issue 17: the first `shortlist` after a write imported SQLAlchemy and
SQLModel only to read them). The ranking table and the shortlist are built from what this returns, so the two
readers rank the same programs in the same order. No SQLAlchemy here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from imgcoach.core.errors import UserError, shown
from imgcoach.core.words import counted
from imgcoach.matching.schema import COLUMNS, Program, Provenance, parse_cell

FACT_COLUMNS = [c.name for c in COLUMNS if c.name not in ("program_id",)]


class StoredProgramError(UserError):
    """A stored program holds a value this code cannot read: a row kept from before program facts were stored
    (matching_0001 gave existing rows empty facts, so name, specialty, state, source and checked_on read as
    unknown) or one written outside imgcoach. Every reader of the programs (the shortlist, the app's screen,
    `programs list`) says which program and field, and how to replace it, instead of an internal error."""

    def __init__(self, program_id: str, field_name: str, raw: str, reason: str, others: int = 0) -> None:
        self.program_id, self.field_name, self.raw, self.reason = program_id, field_name, raw, reason
        more = f" (and {counted(others, 'more program')} like it)" if others else ""
        super().__init__(
            f"program {program_id}: the stored {field_name} {shown(raw)} {reason}{more}; import the programs' "
            "file again (imgcoach programs import FILE) to replace the stored rows")

    def with_others(self, others: int) -> StoredProgramError:
        return StoredProgramError(self.program_id, self.field_name, self.raw, self.reason, others)


def program_from_values(program_id: str, facts: dict[str, str], field_sources: dict[str, Any] | None,
                         parsed: dict[str, dict[str, Any]] | None = None) -> Program:
    """`parsed`: cells already parsed in this load, by column, then by text. Every parse is pure and its value
    immutable, and thousands of programs repeat a few hundred distinct cells (states, yes/no, unknown, the
    specialty's name), so a load parses each distinct cell once: the Shortlist's first visit spent most of
    its time here (issues 15 and 17). A dict per column: no (column, text) key built per cell."""
    if parsed is None:
        parsed = {}
    values: dict[str, Any] = {"program_id": program_id}
    for name in FACT_COLUMNS:
        # a fact added after the row was stored (matching_0003 backfills them) is unknown
        raw = facts.get(name, "unknown")
        column = parsed.get(name)
        if column is None:
            column = parsed[name] = {}
        elif raw in column:
            values[name] = column[raw]
            continue
        try:
            values[name] = column[raw] = parse_cell(name, raw)
        except ValueError as exc:
            raise StoredProgramError(program_id, name, raw, str(exc)) from None
    sources = {k: Provenance(v[0], date.fromisoformat(v[1]) if v[1] else None)
               for k, v in field_sources.items()} if field_sources else {}
    return Program(**values, field_sources=sources)


def overrides_from_rows(rows: Iterable[Any]) -> dict[str, dict[str, tuple[Any, Provenance]]]:
    """The applicant's overrides (rows with program_id, field, value, note and created_at as the model holds
    them, in the order read) by program and field: each parsed value with its provenance."""
    out: dict[str, dict[str, tuple[Any, Provenance]]] = {}
    for o in rows:
        note = f"your override{': ' + o.note if o.note else ''}"
        out.setdefault(o.program_id, {})[o.field] = (
            parse_cell(o.field, o.value), Provenance(note, o.created_at.date() if o.created_at else None))
    return out


LOAD_CHUNK = 2_000  # programs fetched and decoded together: bounded memory, one JSON decode per chunk


def _decoded(values: list[Any]) -> list[Any]:
    """The stored JSON texts of a chunk, decoded in one call: decoding the 5,000 programs' facts one by one
    (SQLAlchemy's JSON type) cost twice as much, a sixth of the Shortlist's first visit (issues 15 and 17).
    A value the driver decoded already (PostgreSQL's json) is kept; `{}` (most field_sources) needs no decode."""
    texts = [v for v in values if isinstance(v, str) and v != "{}"]
    if not texts:
        return [{} if v == "{}" else v for v in values]
    try:
        decoded = json.loads("[" + ",".join(texts) + "]")
    except ValueError:
        decoded = []
    if len(decoded) != len(texts):  # a text that is no single JSON value: decoded alone, it raises as before
        decoded = [json.loads(t) for t in texts]
    found = iter(decoded)
    return [({} if v == "{}" else next(found)) if isinstance(v, str) else v for v in values]


def programs_from_chunks(chunks: Iterable[Sequence[Sequence[Any]]]) -> list[Program]:
    """Programs from (id, facts, field_sources) rows, a chunk at a time (the JSON columns as stored text, or
    as the driver decoded them), sorted by id. Raises StoredProgramError naming the first unreadable one and
    counting the others: ranking the rest would leave them out unsaid."""
    programs: list[Program] = []
    unreadable: list[StoredProgramError] = []
    parsed: dict[str, dict[str, Any]] = {}
    for chunk in chunks:
        values = _decoded([v for row in chunk for v in row[1:]])
        for n, row in enumerate(chunk):
            try:
                programs.append(program_from_values(row[0], values[2 * n], values[2 * n + 1], parsed))
            except StoredProgramError as exc:
                unreadable.append(exc)
    if unreadable:
        raise unreadable[0].with_others(len(unreadable) - 1)
    # The table's row order is the tie-break between programs of equal chance (optimiser.choose): Python's order
    # of the ids, whatever the database's collation (PostgreSQL's locale may put "P-2" after "P10"; SQLite's is
    # already this one, so the sort only checks it), and the same order the first import's cache is primed in.
    programs.sort(key=_program_id)
    return programs


def _program_id(program: Program) -> str:
    return program.program_id
