"""Read and validate a program CSV: every problem named by line and column, all-or-nothing by default.

Leading lines starting with '#' are comments (the sample dataset states there that it is synthetic).
Line numbers are physical lines of the file, so they match what an editor shows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from imgcoach.core.errors import UserError
from imgcoach.core.textfile import decoded_text, file_bytes
from imgcoach.core.words import counted
from imgcoach.matching.mapping import VISAS_COLUMN, Mapping, parse_visas
from imgcoach.matching.schema import (
    COLUMN_BY_NAME,
    COLUMNS,
    FACT_FIELDS,
    MANDATORY_COLUMNS,
    UNKNOWN,
    Program,
    Provenance,
    parse_cell,
    parse_date,
)

MAX_ERRORS_SHOWN = 10
# The problems said fit in this many characters: the CLI prints an error as one line of at most 1,000
# (cli.quick.one_line) and elides the middle of a longer one, which cut problems in half and hid some of
# those the "and N more" count claimed were shown.
MAX_PROBLEMS_CHARS = 700


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    column: str | None  # None: the whole row (e.g. wrong number of cells)
    column_number: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.column is not None and self.column_number is not None:
            where += f", column {self.column_number} ({self.column})"
        elif self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


@dataclass
class ReadResult:
    programs: list[Program]
    errors: list[RowError] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    # The facts the file's layout states (a column, the mapping's visa list or default); None: every fact. A
    # re-import keeps the stored value of the others: a FREIDA-style export has no step2_min column, and
    # importing it set every program's step2_min to unknown, erasing what a full file or an edit had stated.
    carried: frozenset[str] | None = None
    # Per program id, the facts whose cell was empty and read as unknown by the mapping (an export leaves a cell
    # empty where the program did not answer): no new fact, so a re-import keeps a value stored before.
    blank: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def invalid_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})


class ProgramCsvError(UserError):
    """The CSV has problems; nothing was imported. Carries every problem found."""

    def __init__(self, source: str, errors: list[RowError]) -> None:
        self.source = source
        self.errors = errors
        super().__init__(f"{source}: {counted(len(errors), 'problem')}, nothing imported: {problems_line(errors)}")


def problems_line(errors: list[RowError]) -> str:
    """The problems as one readable line, "; " between them: each names its line and column, at most
    MAX_ERRORS_SHOWN of them within MAX_PROBLEMS_CHARS, then how many more. The message was built of indented
    lines, which one_line flattened into runs of spaces."""
    shown: list[str] = []
    used = 0
    for error in errors[:MAX_ERRORS_SHOWN]:
        text = " ".join(str(error).split())  # a cell holding a line break stays on the line
        if shown and used + len(text) + 2 > MAX_PROBLEMS_CHARS:
            break
        shown.append(text)
        used += len(text) + 2
    more = len(errors) - len(shown)
    return "; ".join(shown) + (f"; and {counted(more, 'more problem')}" if more else "")


def read_programs_file(path: Path, *, skip_invalid: bool = False, mapping: Mapping | None = None,
                       today: date | None = None, checked_by: date | None = None) -> ReadResult:
    raw = file_bytes(path, "the file")
    if path.suffix == ".gz":
        import gzip

        raw = gzip.decompress(raw)
    return read_programs(decoded(raw, path), source=str(path), skip_invalid=skip_invalid, mapping=mapping,
                         today=today, checked_by=checked_by)


def decoded(raw: bytes, path: Path) -> str:
    """The file's text: UTF-8 (with or without Excel's BOM), or UTF-16 with its BOM (Excel's "Unicode Text").
    Anything else is refused at its line: "not UTF-8 text (byte 336)" left a spreadsheet user counting bytes."""
    return decoded_text(raw, path, "save the file as CSV UTF-8 (in Excel: Save As, CSV UTF-8)")


def _delimiter(header_line: str) -> str:
    """The column separator the header row uses: a comma, or the semicolon Excel writes where a comma is the
    decimal mark, or a tab ("Unicode Text"). Read with commas, such a file was "missing column 'program_id'"
    and six more, all of them there. The one that splits the header into the most columns; a comma on a tie."""
    counts = {d: len(next(csv.reader([header_line], delimiter=d), [])) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def read_programs(text: str, *, source: str = "<csv>", skip_invalid: bool = False, mapping: Mapping | None = None,
                  today: date | None = None, checked_by: date | None = None) -> ReadResult:
    """Parse the CSV text. Raise ProgramCsvError on any problem unless skip_invalid (then report them).

    With `checked_by` (the import's own day), a checked_on after it is refused: `shortlist --explain` showed
    "checked 2027-11-01" of facts imported in 2026, a check that cannot have happened.

    Columns other than the mandatory ones may be left out (they are `unknown`). With a mapping, the file's
    headers are translated, unnamed columns ignored, values translated, defaults filled in.
    """
    # Old Mac exports end lines with CR alone; csv would see one endless line ("new-line character seen").
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.splitlines(keepends=True)
    comments: list[str] = []
    start = 0
    while start < len(lines) and (lines[start].startswith("#") or not lines[start].strip()):
        if lines[start].startswith("#"):
            comments.append(lines[start][1:].strip())
        start += 1
    delimiter = _delimiter(lines[start] if lines[start:] else "")
    reader = csv.reader(io.StringIO("".join(lines[start:])), delimiter=delimiter)
    header_errors: list[RowError] = []
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ProgramCsvError(source, [RowError(start + 1, None, None, "no header row")]) from None
    except csv.Error as exc:
        raise ProgramCsvError(source, [_unreadable(start + 1, exc)]) from None
    header_line = start + 1
    defaults = _defaults(mapping, today)
    if mapping is not None:
        header = [mapping.columns.get(h, "") for h in header]  # "" = a column the mapping ignores
    header_errors += _check_header(header, header_line, set(defaults), mapped=mapping is not None)
    if header_errors:  # a broken header makes every row meaningless: always fatal
        raise ProgramCsvError(source, header_errors)

    index = {name: i for i, name in enumerate(header) if name}
    provenance_cols = _provenance_columns(header)
    # Excel writes semicolons (or tabs) where the comma is the decimal mark, and then "35,5" for 35.5.
    # Semicolons come from Excel in France, Spain, Italy..., whose dates are day/month/year: 03/04/2027 is
    # then refused as ambiguous, not read as the U.S. March 4 (a tab file may be U.S. Excel's "Unicode Text").
    context = _RowContext(mapping, defaults, checked_by, decimal_comma=delimiter != ",", us_slashes=delimiter != ";")
    programs: list[Program] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    blank: dict[str, frozenset[str]] = {}
    prev_end = reader.line_num
    rows = iter(reader)
    while True:
        line = start + prev_end + 1
        try:
            cells = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:  # a cell over csv's limit (128 KiB), a stray NUL...: name the line, stop
            errors.append(_unreadable(line, exc))
            break
        prev_end = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        nul = next((i for i, c in enumerate(cells) if "\x00" in c), None)
        if nul is not None:  # PostgreSQL cannot store it, and no program fact has one: a binary or damaged file
            column = header[nul] if nul < len(header) and header[nul] else None
            errors.append(RowError(line, column, nul + 1, "contains a NUL character (is this a text file?)"))
            continue
        program, row_errors = _parse_row(cells, header, index, provenance_cols, line, context)
        if program is not None:
            first = seen.get(program.program_id)
            if first is not None:
                row_errors.append(RowError(line, "program_id", index["program_id"] + 1,
                                           f"duplicate id {program.program_id!r} (first on line {first})"))
            else:
                seen[program.program_id] = line
        if row_errors:
            errors.extend(row_errors)
        elif program is not None:
            programs.append(program)
            empty = _blank_facts(cells, index, context)
            if empty:
                blank[program.program_id] = empty
    if errors and not skip_invalid:
        raise ProgramCsvError(source, errors)
    return ReadResult(programs, errors, comments, _carried(index, defaults), blank)


def _blank_facts(cells: list[str], index: dict[str, int], ctx: _RowContext) -> frozenset[str]:
    """The facts of a row a mapping read as unknown because their cell was empty (see ReadResult.blank)."""
    mapping = ctx.mapping
    if mapping is None or not mapping.empty_is_unknown:
        return frozenset()
    out: set[str] = set()
    for name, i in index.items():
        if cells[i].strip() or name in ctx.defaults or "" in mapping.values.get(name, {}):
            continue
        if name == VISAS_COLUMN:
            out |= {"visa_j1", "visa_h1b"}
        elif name in FACT_FIELDS:
            out.add(name)
    return frozenset(out)


def _carried(index: dict[str, int], defaults: dict[str, str]) -> frozenset[str] | None:
    """The fact fields a file with these columns (and mapping defaults) states; None when it states them all."""
    names = set(index) | set(defaults)
    if VISAS_COLUMN in names:
        names |= {"visa_j1", "visa_h1b"}
    carried = frozenset(n for n in FACT_FIELDS if n in names)
    return None if len(carried) == len(FACT_FIELDS) else carried


def _unreadable(line: int, exc: csv.Error) -> RowError:
    text = str(exc)
    if "field larger than field limit" in text:
        text = f"a cell is longer than {csv.field_size_limit() // 1024} KiB (no program field is that long)"
    return RowError(line, None, None, f"unreadable CSV: {text}")


@dataclass(frozen=True, slots=True)
class _RowContext:
    mapping: Mapping | None
    defaults: dict[str, str]
    checked_by: date | None = None  # the latest checked_on accepted (see read_programs)
    decimal_comma: bool = False  # number cells may write "35,5" (schema.parse_cell)
    us_slashes: bool = True  # a date 03/04/2027 is month first; else refused as ambiguous (schema.parse_date)


def _defaults(mapping: Mapping | None, today: date | None) -> dict[str, str]:
    if mapping is None:
        return {}
    out = {}
    for name, value in mapping.defaults.items():
        if value == "today":
            if today is None:
                raise UserError(f"mapping {mapping.name!r}: default {name} = 'today' needs the import date")
            value = today.isoformat()
        out[name] = value
    return out


def _check_header(header: list[str], line: int, defaulted: set[str], *, mapped: bool) -> list[RowError]:
    errors = []
    names = set(header)
    if VISAS_COLUMN in names:
        names |= {"visa_j1", "visa_h1b"}
    for name in MANDATORY_COLUMNS:
        if name not in names and name not in defaulted:
            errors.append(RowError(line, name, None, f"missing column {name!r}"))
    for i, name in enumerate(header, start=1):
        if not name or name == VISAS_COLUMN:
            continue
        if name in COLUMN_BY_NAME:
            if header.index(name) != i - 1:
                errors.append(RowError(line, name, i, f"column {name!r} appears twice"))
            continue
        base = _provenance_base(name)
        if base is None and not mapped:
            errors.append(RowError(line, name, i, f"unexpected column {name!r} (see `imgcoach programs template`; "
                                   "other layouts import with --mapping)"))
    return errors


def _provenance_base(name: str) -> str | None:
    for suffix in ("_checked_on", "_source"):
        if name.endswith(suffix) and name[: -len(suffix)] in FACT_FIELDS:
            return name[: -len(suffix)]
    return None


def _provenance_columns(header: list[str]) -> dict[str, tuple[int | None, int | None]]:
    found: dict[str, list[int | None]] = {}
    for i, name in enumerate(header):
        base = _provenance_base(name)
        if base is not None:
            slot = found.setdefault(base, [None, None])
            slot[0 if name.endswith("_source") else 1] = i
    return {k: (v[0], v[1]) for k, v in found.items()}


def _cell(name: str, raw: str, ctx: _RowContext) -> str:
    """The cell as imgcoach text: the mapping's value translation, and empty -> unknown where it says so."""
    mapping = ctx.mapping
    if mapping is None:
        return raw
    text = raw.strip()
    translated = mapping.values.get(name, {}).get(text)
    if translated is not None:
        return translated
    if not text:
        if name in ctx.defaults:
            return ctx.defaults[name]
        if mapping.empty_is_unknown and COLUMN_BY_NAME[name].may_be_unknown:
            return "unknown"
    return raw


def _after(value: object, checked_by: date | None) -> str | None:
    """Why a checked-on date cannot be true, or None. A day of slack: the import's day is the clock's, and the
    user's own today may be a day ahead of it."""
    if checked_by is None or not isinstance(value, date) or (value - checked_by).days <= 1:
        return None
    return (f"{value.isoformat()} is after today ({checked_by.isoformat()}): the day the values were checked "
            "cannot be in the future")


def _parse_row(
    cells: list[str],
    header: list[str],
    index: dict[str, int],
    provenance_cols: dict[str, tuple[int | None, int | None]],
    line: int,
    ctx: _RowContext,
) -> tuple[Program | None, list[RowError]]:
    if len(cells) != len(header):
        return None, [RowError(line, None, None, f"has {len(cells)} cells, the header has {len(header)}")]
    values: dict[str, object] = {}
    errors: list[RowError] = []
    listed: dict[str, str] = {}
    if VISAS_COLUMN in index:
        visas_at = index[VISAS_COLUMN]
        try:
            listed["visa_j1"], listed["visa_h1b"] = parse_visas(cells[visas_at])
        except ValueError as exc:
            errors.append(RowError(line, VISAS_COLUMN, visas_at + 1, str(exc)))
    for column in COLUMNS:
        name = column.name
        i = index.get(name)
        if i is not None:
            raw, number = _cell(name, cells[i], ctx), i + 1
        elif name in listed:
            raw, number = listed[name], index[VISAS_COLUMN] + 1
        elif name in ctx.defaults:
            raw, number = ctx.defaults[name], None
        else:
            values[name] = UNKNOWN  # an optional column the file leaves out
            continue
        try:
            values[name] = parse_cell(name, raw, decimal_comma=ctx.decimal_comma, us_slashes=ctx.us_slashes)
        except ValueError as exc:
            errors.append(RowError(line, name, number, str(exc)))
            continue
        future = _after(values[name], ctx.checked_by) if name == "checked_on" else None
        if future:
            errors.append(RowError(line, name, number, future))
    field_sources: dict[str, Provenance] = {}
    for base, (si, ci) in provenance_cols.items():
        src = cells[si].strip() if si is not None else ""
        checked = cells[ci].strip() if ci is not None else ""
        if not src and not checked:
            continue
        checked_on: date | None = None
        if checked:
            try:  # the dates every other date cell takes (one rule: `parse_date`), not ISO only
                checked_on = parse_date(checked, us_slashes=ctx.us_slashes)
            except ValueError as exc:
                errors.append(RowError(line, header[ci or 0], (ci or 0) + 1, str(exc)))
                continue
            future = _after(checked_on, ctx.checked_by)
            if future:
                errors.append(RowError(line, header[ci or 0], (ci or 0) + 1, future))
                continue
        field_sources[base] = Provenance(src or str(values.get("source", "")), checked_on)
    if errors:
        return None, errors
    kwargs = {k: v for k, v in values.items() if v is not UNKNOWN or k in FACT_FIELDS}
    return Program(**kwargs, field_sources=field_sources), []  # type: ignore[arg-type]
