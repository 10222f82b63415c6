"""Column mappings: read the program files users really have (FREIDA-style exports, their own spreadsheets).

A mapping (TOML) names, for each column of the user's file, the imgcoach column it fills; it may translate
values (e.g. "University-based" -> university), give constants for columns the file lacks (`source`,
`checked_on = "today"`), and say that an empty cell means `unknown` (exports leave cells empty when the
program did not answer: an empty visa list is unknown, not "no"). Columns the mapping does not name are
ignored. One pseudo-column, `visas`, takes a list of visa statuses ("J-1, H-1B") and fills visa_j1 and visa_h1b.

File format:

    [columns]
    "Program ID" = "program_id"
    "Visa Status Accepted" = "visas"
    [values.program_type]
    "University-based" = "university"
    [defaults]
    source = "FREIDA export"
    checked_on = "today"
    [options]
    empty_is_unknown = true
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from imgcoach.core.errors import UserError, shown
from imgcoach.core.textfile import hand_saved_text
from imgcoach.matching.schema import COLUMN_BY_NAME

VISAS_COLUMN = "visas"
BUILT_IN: dict[str, str] = {"freida": "data/mappings/freida.toml"}

_J1 = re.compile(r"\bj[\s-]?1\b", re.IGNORECASE)
_H1B = re.compile(r"\bh[\s-]?1[\s-]?b\b", re.IGNORECASE)
_NONE = re.compile(r"^(none|no|no visas?|not sponsored|does not sponsor|n/?a)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Mapping:
    name: str
    columns: dict[str, str]  # the file's header -> imgcoach column (or "visas")
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # imgcoach column -> file value -> value
    defaults: dict[str, str] = field(default_factory=dict)  # imgcoach column -> constant ("today" for dates)
    empty_is_unknown: bool = False


def parse_visas(raw: str) -> tuple[str, str]:
    """(visa_j1, visa_h1b) cell texts from a list cell: "J-1, H-1B" -> yes/yes; "J-1" -> yes/no; empty -> unknown."""
    text = raw.strip()
    if not text or text.lower() == "unknown":
        return "unknown", "unknown"
    j1, h1b = bool(_J1.search(text)), bool(_H1B.search(text))
    if not j1 and not h1b and not _NONE.match(text):
        raise ValueError(f"{raw!r} is not a list of visa statuses (e.g. 'J-1, H-1B', 'J-1', 'None')")
    return ("yes" if j1 else "no"), ("yes" if h1b else "no")


def built_in_mapping_file(name: str) -> Path:
    """Where the installed built-in mapping `name` lives, for a user to copy and edit: a path relative to the
    source tree (what `programs template` printed before) names no file once imgcoach is installed."""
    return Path(str(resources.files("imgcoach.matching").joinpath(BUILT_IN[name])))


def load_mapping(spec: str) -> Mapping:
    """A built-in mapping by name ("freida") or a TOML file path; refuses unknown target columns."""
    if spec in BUILT_IN:
        text = resources.files("imgcoach.matching").joinpath(BUILT_IN[spec]).read_text("utf-8")
        where = f"built-in mapping {spec!r}"
    else:
        path = Path(spec)
        # (a copy edited in Notepad has a byte-order mark)
        text = hand_saved_text(path, "the mapping", "save the mapping as UTF-8",
                               more=f"built-in mappings: {', '.join(BUILT_IN)}")
        where = str(path)
    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as exc:  # ValueError: a number of thousands of digits
        raise UserError(f"{where}: not valid TOML ({shown(str(exc), 300)})") from None
    tables = {name: _table(raw, name, where) for name in ("columns", "defaults", "values", "options")}
    columns = {str(k): str(v) for k, v in tables["columns"].items()}
    targets = set(COLUMN_BY_NAME) | {VISAS_COLUMN}
    for header, target in columns.items():
        if target not in targets and not target.endswith(("_source", "_checked_on")):
            raise UserError(f"{where}: column {shown(header)} maps to {shown(target)}, which is not an imgcoach "
                            "column (see `imgcoach programs template`)")
    defaults = {str(k): str(v) for k, v in tables["defaults"].items()}
    for target in defaults:
        if target not in COLUMN_BY_NAME:
            raise UserError(f"{where}: default for {shown(target)}, which is not an imgcoach column")
    values = {str(col): {str(k): str(v) for k, v in _table(tables["values"], col, where, "[values.").items()}
              for col in tables["values"]}
    options = tables["options"]
    empty_is_unknown = options.get("empty_is_unknown", False)
    if not isinstance(empty_is_unknown, bool):
        raise UserError(f"{where}: [options] empty_is_unknown = {shown(empty_is_unknown)}: must be true or false")
    return Mapping(str(raw.get("name", spec)), columns, values, defaults, empty_is_unknown)


def _table(raw: dict[str, Any], name: str, where: str, prefix: str = "[") -> dict[str, Any]:
    """raw[name] as a table ({} when absent); anything else (a string, a list) is a user error naming it."""
    table = raw.get(name, {})
    if not isinstance(table, dict):
        raise UserError(f"{where}: {prefix}{name}] must be a table of names and values, got {shown(table)}")
    return table
