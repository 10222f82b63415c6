"""Completes a typed file path as a shell does: the next directory, or a calendar file, shown greyed and
taken with the right arrow (Textual's suggestion), so nobody has to type a long Downloads path letter by letter.

Pure apart from listing one directory; the listing is capped so a huge directory never stalls a key press.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.suggester import Suggester

CALENDAR_SUFFIXES = (".ics", ".ical", ".ifb", ".icalendar")
LISTING_CAP = 2000  # entries read from one directory for one key press


def complete_path(typed: str, suffixes: tuple[str, ...] = CALENDAR_SUFFIXES) -> str | None:
    """The typed text completed to the first matching directory (with a trailing separator) or file ending in
    one of `suffixes`, in name order; None when nothing matches or nothing is typed.

    The typed text is kept as typed ("~/Down" completes to "~/Downloads/"): only the last part is filled in.
    Hidden entries are offered only once a "." is typed, as shells do."""
    if not typed or "\x00" in typed:
        return None
    head, sep, prefix = typed.rpartition(os.sep)
    directory = Path(os.path.expanduser(head + sep)) if sep else Path(".")  # no separator: no head either
    matches: list[tuple[str, bool]] = []
    try:
        with os.scandir(directory) as entries:
            for number, entry in enumerate(entries):
                if number >= LISTING_CAP:
                    break
                name = entry.name
                if not name.startswith(prefix) or name == prefix or (name.startswith(".") and not prefix.startswith(".")):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    continue
                if is_dir or name.lower().endswith(suffixes):
                    matches.append((name, is_dir))
    except (OSError, ValueError):  # no such directory, no permission, a name the OS refuses
        return None
    if not matches:
        return None
    name, is_dir = min(matches)
    return f"{head}{sep}{name}{os.sep if is_dir else ''}"


class CalendarPathSuggester(Suggester):
    """Suggests `complete_path` of the typed value. Not cached: the directory can change between key presses."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)
