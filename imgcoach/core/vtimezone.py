"""VTIMEZONEs that every client reads the same way: one transition date per RDATE line.

icalendar's `Timezone.from_tzid` writes the later transitions of each STANDARD/DAYLIGHT block as one
comma-separated RDATE list. RFC 5545 allows that, but ical.js (the parser inside Thunderbird) and
vobject use only the first date of such a list, so after the first year they keep the winter offset
and show every summer event one hour late (issue 13: 5 of 14 timed events in the demo plan). One
date per RDATE line means the same instants to all of them.
"""

from __future__ import annotations

from typing import Any, TypeVar

from icalendar import Component

C = TypeVar("C", bound=Component)


def _dates(prop: Any) -> list[Any]:
    out: list[Any] = []
    for line in prop if isinstance(prop, list) else [prop]:
        out.extend(holder.dt for holder in getattr(line, "dts", None) or [])
    return out


def one_rdate_per_line(tz: C) -> C:
    """Rewrite every RDATE list in the VTIMEZONE as one RDATE line per date (in place; returns tz)."""
    for sub in tz.subcomponents:
        prop = sub.get("RDATE")
        if prop is None:
            continue
        dates = _dates(prop)
        del sub["RDATE"]
        for value in dates:
            sub.add("RDATE", value)
    return tz
