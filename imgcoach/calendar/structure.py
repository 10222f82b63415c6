"""A fast line scan of the raw text: component nesting (truncation) and where each UID lives.

icalendar keeps no line numbers and, with multiple=True, silently returns nothing for a file
whose END:VCALENDAR is missing; this scan catches both, in one regex pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_LINE = re.compile(
    r"^(?:(BEGIN|END)[ \t]*:[ \t]*([A-Za-z0-9-]+)|UID(?:;[^:\r\n]*)?:([^\r\n]*))", re.MULTILINE | re.IGNORECASE
)
_ITEMS = {"VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY"}


@dataclass
class Structure:
    calendars: int = 0
    error: str = ""
    error_line: int | None = None
    uid_lines: dict[str, list[int]] = field(default_factory=dict)  # UID -> BEGIN lines of its items
    # BEGIN lines of the calendars' components (but VTIMEZONE) with no UID, in file order: the reader's problems
    # about a UID-less event named no line, and two of them (same start, no title) could not be told apart.
    anonymous_lines: list[int] = field(default_factory=list)
    first_line: str = ""

    def line_of(self, uid: str, index: int = 0) -> int | None:
        lines = self.uid_lines.get(uid)
        if not lines:
            return None
        return lines[min(index, len(lines) - 1)]


def scan(text: str) -> Structure:
    """Check BEGIN/END pairing and record the line of each item's BEGIN, by UID."""
    out = Structure()
    stripped = text.lstrip()
    out.first_line = stripped.split("\n", 1)[0].strip()[:60]
    stack: list[tuple[str, int]] = []
    pos, lineno = 0, 1
    item_line: int | None = None
    component_line: int | None = None  # the open calendar component (not VTIMEZONE) while its UID is unseen
    for m in _LINE.finditer(text):
        lineno += text.count("\n", pos, m.start())
        pos = m.start()
        kw, name, uid = m.group(1), m.group(2), m.group(3)
        if kw is None:
            if item_line is not None and len(stack) >= 2:
                out.uid_lines.setdefault(uid.strip(), []).append(item_line)
            if len(stack) == 2 and uid.strip():
                component_line = None
            continue
        name = name.upper()
        if kw.upper() == "BEGIN":
            if not stack and name != "VCALENDAR":
                out.error, out.error_line = f"BEGIN:{name} outside any VCALENDAR", lineno
                return out
            stack.append((name, lineno))
            if name in _ITEMS and len(stack) == 2:
                item_line = lineno
            if len(stack) == 2:
                component_line = lineno if name != "VTIMEZONE" else None
            continue
        if not stack:
            out.error, out.error_line = f"END:{name} without a matching BEGIN", lineno
            return out
        open_name, open_line = stack.pop()
        if open_name != name:
            out.error = f"END:{name} closes BEGIN:{open_name} from line {open_line}: the file is damaged"
            out.error_line = lineno
            return out
        if name == "VCALENDAR":
            out.calendars += 1
        if len(stack) == 1:
            item_line = None
            if component_line is not None:
                out.anonymous_lines.append(component_line)
                component_line = None
    if stack:
        name, line = stack[-1]
        out.error = f"the file is truncated: BEGIN:{name} on line {line} has no END:{name}"
        out.error_line = line
    return out
