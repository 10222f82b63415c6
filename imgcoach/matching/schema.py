"""The program CSV schema: columns, types, allowed values, and the explicit `unknown` value.

A cell either states a value or says `unknown`; an empty cell is an error, never a silent default.
Limit-like fields also accept `none` (the program states it has no such limit), which is a different
fact from `unknown` (nobody knows).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any, Final, NamedTuple

from imgcoach.core.vocab.us_states import state_code
from imgcoach.matching.vocab import PROGRAM_TYPES, STATES


class _Unknown:
    """The value of a field nobody has stated. It refuses truth tests so it can't pass as False."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __str__(self) -> str:
        return "unknown"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value: test `value is UNKNOWN` first")

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()
UNKNOWN_TEXT = "unknown"
NO_LIMIT_TEXT = "none"


def is_unknown(value: object) -> bool:
    return value is UNKNOWN


# --- cell parsers: text -> value, or ValueError with a message naming what is expected --------------

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


def _text(raw: str) -> str:
    return raw


def _program_id(raw: str) -> str:
    if not _ID_RE.match(raw):
        raise ValueError("must be 1-40 letters, digits, '.', '_' or '-'")
    return raw


def _choice(allowed: tuple[str, ...] | dict[str, str], what: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip()
        if what == "state":
            value = state_code(value) or value.upper()
        else:
            value = value.lower().replace(" ", "_").replace("-", "_")
        if value not in allowed:
            raise ValueError(f"unknown {what} {raw!r}")
        return value

    return parse


def _specialty(raw: str) -> str:
    """A specialty code from its code, display name or an alias (the shared vocabulary), else a ValueError
    with the closest names: an unknown specialty is never imported as something else."""
    from imgcoach.core.errors import FieldError
    from imgcoach.core.vocab.specialties import parse_specialty

    try:
        return parse_specialty(raw)
    except FieldError as exc:
        raise ValueError(f"{exc.message} (got {raw!r})") from None


def _int_range(lo: int, hi: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not a whole number") from None
        if not lo <= value <= hi:
            raise ValueError(f"{value} is outside {lo}..{hi}")
        return value

    return parse


def _float_range(lo: float, hi: float, *, percent: bool = False) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        text = raw.strip()
        if percent and text.endswith("%"):  # "35%", as exports and websites write it
            text = text[:-1].strip()
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{raw!r} is not a number") from None
        if not lo <= value <= hi:
            raise ValueError(f"{raw} is outside {lo:g}..{hi:g}")
        return value

    return parse


def _yes_no(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0"):
        return False
    raise ValueError(f"{raw!r} is not yes/no")


_SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# Day.month.year with dots: German, Austrian, Swiss, Scandinavian, Russian... Excel writes a date cell so ("15.10.2027").
# No locale writes month.day with dots, so the dotted form is read day-first wherever it comes from.
_DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DATE_FORMS = "YYYY-MM-DD, MM/DD/YYYY or D.M.YYYY"


def _date(raw: str) -> date:
    """A date as a file states it, slashes read the U.S. way (`parse_date`)."""
    return parse_date(raw)


def parse_date(raw: str, *, us_slashes: bool = True) -> date:
    """ISO (2026-10-01), the U.S. month/day/year that program databases use (10/01/2026), or day.month.year
    with dots (01.10.2026), which Excel writes where the day comes first.

    `us_slashes=False`: the file comes from a locale whose Excel writes slashes day-first (French, Spanish,
    Italian: a semicolon-separated file), so 03/04/2027 may be 3 April or March 4; such a date is refused,
    saying why, rather than stored as a guess. A slash date with one reading (13/04/2027, 04/13/2027) is read
    so."""
    text = raw.strip()
    try:
        dotted = _DOTTED_DATE.match(text)
        if dotted:
            return _in_range(raw, int(dotted.group(3)), int(dotted.group(2)), int(dotted.group(1)))
        iso = _ISO_DATE.match(text)
        if iso:
            return _in_range(raw, int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        slashed = _SLASH_DATE.match(text)
        if slashed:
            first, second, year = int(slashed.group(1)), int(slashed.group(2)), int(slashed.group(3))
            if us_slashes and first <= 12:
                return _in_range(raw, year, first, second)
            if us_slashes:
                day_first = _valid(year, second, first) if first > 12 else None
                if day_first is not None:  # 15/10/2027: said why, not the generic "not a date"
                    raise ValueError(
                        f"{raw!r} is not a date: slashes are read month first (MM/DD/YYYY, as U.S. program data "
                        f"writes them) and {first} is not a month; if it is {_spoken(day_first)}, write it "
                        f"{day_first.isoformat()}")
                return date(year, first, second)
            readings = {d for d in (_valid(year, first, second), _valid(year, second, first)) if d is not None}
            if len(readings) > 1:
                day_first, month_first = date(year, second, first), date(year, first, second)
                raise ValueError(
                    f"{raw!r} could be {_spoken(day_first)} (day first, as French, Spanish or Italian Excel writes "
                    f"it in a semicolon-separated file) or {_spoken(month_first)} (month first, as U.S. data does): "
                    f"write it {day_first.isoformat()} or {month_first.isoformat()}")
            if readings:
                return readings.pop()
            raise ValueError
        return date.fromisoformat(text)
    except ValueError as exc:
        if str(exc).startswith(repr(raw)):
            raise
        raise ValueError(f"{raw!r} is not a date {DATE_FORMS}") from None


def _in_range(raw: str, year: int, month: int, day: int) -> date:
    """The day a date in one of the file's shapes names; one the calendar lacks is said by the part out of range
    (plan.out_of_range, as `exams add` says it): 2027-02-29 was "not a date YYYY-MM-DD, ...", the form it was in."""
    try:
        return date(year, month, day)
    except ValueError:
        if year < 1:
            raise
        from imgcoach.plan import out_of_range

        raise ValueError(f"{raw!r} is not a date: {out_of_range(year, month)}") from None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _spoken(day: date) -> str:
    """3 April 2027: a reading named in words, as no digits can be misread."""
    return f"{day.day} {day:%B %Y}"


class Column(NamedTuple):
    """One CSV column: how to parse it and which special words it accepts."""

    name: str
    parse: Callable[[str], Any]
    doc: str
    may_be_unknown: bool = True
    may_be_none: bool = False  # accepts `none` = the program states there is no such limit
    number: bool = False  # a count or measure: read with a decimal comma in a file that is not comma-separated


COLUMNS: tuple[Column, ...] = (
    Column("program_id", _program_id, "stable id of the program (e.g. ACGME number); re-import updates by it",
           may_be_unknown=False),
    Column("name", _text, "program name", may_be_unknown=False),
    Column("specialty", _specialty, "specialty: code, display name or a common alias (e.g. internal_medicine, "
           "'Obstetrics and Gynecology', 'OB/GYN'); unknown names are refused", may_be_unknown=False),
    Column("institution", _text, "sponsoring institution"),
    Column("city", _text, "city"),
    Column("state", _choice(STATES, "state"), "two-letter state code (50 states, DC, PR)", may_be_unknown=False),
    Column("program_type", _choice(PROGRAM_TYPES, "program type"),
           "university | community | community_based_university"),
    Column("positions", _int_range(0, 500), "first-year (PGY-1) positions", number=True),
    Column("interviews_last_year", _int_range(0, 5000), "interviews the program conducted last season",
           number=True),
    Column("applications_last_year", _int_range(0, 50000),
           "applications the program received last season (with interviews_last_year it caps the interview chance)",
           number=True),
    Column("visa_j1", _yes_no, "sponsors J-1 (ECFMG) visas: yes/no"),
    Column("visa_h1b", _yes_no, "sponsors H-1B visas: yes/no"),
    Column("img_share_pct", _float_range(0, 100, percent=True),
           "share of current residents who are IMGs, percent (35 or 35%)", number=True),
    Column("us_img_pct", _float_range(0, 100, percent=True), "share of residents who are U.S.-citizen IMGs, percent",
           number=True),
    Column("non_us_img_pct", _float_range(0, 100, percent=True),
           "share of residents who are non-U.S.-citizen IMGs, percent", number=True),
    Column("h1b_evidence", _text, "what shows the program sponsors H-1B (e.g. 'H-1B residents listed on the "
           "website'); give where it comes from in h1b_evidence_source"),
    Column("step2_min", _int_range(150, 300), "stated minimum USMLE Step 2 CK score", may_be_none=True,
           number=True),
    Column("step2_typical", _int_range(150, 300), "typical (median/mean) Step 2 CK of interviewed or matched",
           number=True),
    Column("yog_cutoff_years", _int_range(0, 60), "accepts graduates at most this many years before the Match",
           may_be_none=True, number=True),
    Column("usce_months_required", _float_range(0, 36), "months of US clinical experience required", number=True),
    Column("usce_hands_on_only", _yes_no, "only hands-on USCE counts (observerships do not): yes/no"),
    Column("attempts_allowed", _int_range(1, 10), "most attempts allowed on any USMLE Step", may_be_none=True,
           number=True),
    Column("application_deadline", _date, "application deadline YYYY-MM-DD (or MM/DD/YYYY, or D.M.YYYY)"),
    Column("source", _text, "where the row's values come from (URL, phone call, dataset name)",
           may_be_unknown=False),
    Column("checked_on", _date, "date the values were last checked, YYYY-MM-DD", may_be_unknown=False),
)
# Columns a file must have (they cannot be unknown); every other column may be left out and is then `unknown`.
MANDATORY_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if not c.may_be_unknown)
COLUMN_BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS)
# Facts about a program that can be overridden locally and carry provenance (not the bookkeeping columns).
FACT_FIELDS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.name not in ("program_id", "source", "checked_on"))
# Optional per-field provenance columns: `<field>_source`, `<field>_checked_on`.
PROVENANCE_SUFFIXES = ("_source", "_checked_on")


def parse_cell(column: str, raw: str, *, decimal_comma: bool = False, us_slashes: bool = True) -> Any:
    """Parse one cell of `column`; raise ValueError with a message fit for 'line N, column C: ...'.

    `decimal_comma`: the file is not comma-separated, as Excel saves it where the comma is the decimal mark
    (semicolons, or tabs in "Unicode Text"); a number column's "35,5" is then 35.5 (see decimal_point).
    `us_slashes`: a date column's 03/04/2027 is month first (False: refused as ambiguous, `parse_date`)."""
    spec = COLUMN_BY_NAME[column]
    text = raw.strip()
    written = text
    if decimal_comma and spec.number:
        text = decimal_point(text)
    if text == "":
        hint = " (write 'unknown' if it is not known)" if spec.may_be_unknown else ""
        raise ValueError(f"empty{hint}")
    lowered = text.lower()
    if lowered == UNKNOWN_TEXT:
        if not spec.may_be_unknown:
            raise ValueError("is required and cannot be 'unknown'")
        return UNKNOWN
    if lowered == NO_LIMIT_TEXT and spec.may_be_none:
        return None
    try:
        return parse_date(text, us_slashes=False) if spec.parse is _date and not us_slashes else spec.parse(text)
    except ValueError as exc:
        if text == written:
            raise
        # Quote the cell as the file writes it ("'10,5' is not a whole number"), not as it was read.
        raise ValueError(str(exc).replace(text, written)) from None


_DECIMAL_COMMA = re.compile(r"^([+-]?\d+),(\d+)(\s*%)?$")


def decimal_point(text: str) -> str:
    """A number written with a decimal comma ("35,5", "35,5 %") with a decimal point instead; other text as is.

    Only a single comma between digits is a decimal mark. A cell with both '.' and ',' ("1.234,5") is refused:
    whether the dot groups thousands depends on a locale the file does not state, and a guess would store
    1.2345 or 1234.5 without a word. A dot alone stays the decimal point it was before."""
    match = _DECIMAL_COMMA.match(text)
    if match:
        return f"{match.group(1)}.{match.group(2)}{match.group(3) or ''}"
    if "," in text and "." in text:
        raise ValueError(f"{text!r} is not a number: write it without a thousands separator, with a decimal comma "
                         "(e.g. 1234,5)")
    return text


def format_value(value: object) -> str:
    """The CSV/display spelling of a parsed value (inverse of parse_cell)."""
    if value is UNKNOWN:
        return UNKNOWN_TEXT
    if value is None:
        return NO_LIMIT_TEXT
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Provenance(NamedTuple):
    source: str
    checked_on: date | None


@dataclass(frozen=True, slots=True)
class Program:
    """One residency program as the data states it; any fact may be UNKNOWN."""

    program_id: str
    name: str
    specialty: str
    state: str
    source: str
    checked_on: date
    institution: Any = UNKNOWN
    city: Any = UNKNOWN
    program_type: Any = UNKNOWN
    positions: Any = UNKNOWN
    interviews_last_year: Any = UNKNOWN
    applications_last_year: Any = UNKNOWN
    visa_j1: Any = UNKNOWN
    visa_h1b: Any = UNKNOWN
    img_share_pct: Any = UNKNOWN
    us_img_pct: Any = UNKNOWN
    non_us_img_pct: Any = UNKNOWN
    h1b_evidence: Any = UNKNOWN
    step2_min: Any = UNKNOWN
    step2_typical: Any = UNKNOWN
    yog_cutoff_years: Any = UNKNOWN
    usce_months_required: Any = UNKNOWN
    usce_hands_on_only: Any = UNKNOWN
    attempts_allowed: Any = UNKNOWN
    application_deadline: Any = UNKNOWN
    # Per-field provenance where it differs from the row's source/checked_on.
    field_sources: dict[str, Provenance] = field(default_factory=dict, compare=False)
    # Fields whose value comes from the applicant's local override, not from the imported data.
    overridden: frozenset[str] = frozenset()

    def unknown_fields(self) -> tuple[str, ...]:
        return tuple(name for name in FACT_FIELDS if getattr(self, name) is UNKNOWN)

    @property
    def synthetic(self) -> bool:
        """A row of the SYNTHETIC sample (its source says so, or its name), not a real program: every place
        that shows it says so."""
        return "synthetic" in self.source.lower() or "(synthetic)" in self.name.lower()

    def provenance(self, name: str) -> Provenance:
        if name in self.overridden:
            return self.field_sources.get(name, Provenance("local override", None))
        return self.field_sources.get(name, Provenance(self.source, self.checked_on))

    def to_row(self) -> dict[str, str]:
        """The CSV row (stated data only; overrides are the applicant's, not the dataset's)."""
        row = {c.name: format_value(getattr(self, c.name)) for c in COLUMNS}
        for name, prov in self.field_sources.items():
            if name in self.overridden:
                continue
            row[f"{name}_source"] = prov.source
            row[f"{name}_checked_on"] = prov.checked_on.isoformat() if prov.checked_on else ""
        return row


PROGRAM_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Program))


def with_overrides(program: Program, overrides: dict[str, tuple[Any, Provenance]]) -> Program:
    """The program with the applicant's local values laid over the imported ones, marked as such."""
    if not overrides:
        return program
    values = {name: value for name, (value, _) in overrides.items()}
    sources = dict(program.field_sources)
    sources.update({name: prov for name, (_, prov) in overrides.items()})
    return replace(program, **values, field_sources=sources, overridden=frozenset(overrides))


def parse_override(field_name: str, raw: str) -> Any:
    """Validate a locally typed value for a fact field, with the same rules as the CSV."""
    if field_name not in FACT_FIELDS:
        raise ValueError(f"unknown field {field_name!r}; fields: {', '.join(FACT_FIELDS)}")
    return parse_cell(field_name, raw)


def diff_programs(old: Program, new: Program) -> dict[str, tuple[str, str]]:
    """Stated-value changes between two versions of a program: field -> (old text, new text)."""
    changes: dict[str, tuple[str, str]] = {}
    for column in COLUMNS:
        before, after = getattr(old, column.name), getattr(new, column.name)
        if before is not after and before != after:
            changes[column.name] = (format_value(before), format_value(after))
    return changes
