"""Write the plan as one iCalendar file: stable UIDs, local times with VTIMEZONEs, alarms.

Stable UIDs (derived by the caller from row ids) make a calendar app update its entries on
re-import instead of duplicating them; SEQUENCE tells it which version is newer.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from icalendar import Alarm, Calendar, Event, Timezone, vCategory, vDate, vDatetime, vDuration, vInt, vText
from icalendar.parser import Contentline, Parameters

from imgcoach.calendar.timezones import iana_zone
from imgcoach.core.collector import collector_paused
from imgcoach.core.ical_text import escape_text
from imgcoach.core.ical_versions import repeated, stamp_sequence
from imgcoach.core.vtimezone import one_rdate_per_line

PRODID = "-//imgcoach//imgcoach plan export//EN"



class PlainText(vText):
    """A TEXT value escaped as RFC 5545 3.3.11 says, and nothing more (`core.ical_text.escape_text`).

    icalendar's own escaper first turns a literal backslash-N into a newline (it takes it for an
    already escaped one), so a description such as "C:\\New folder" would come back changed.
    """

    def to_ical(self) -> bytes:
        return escape_text(str(self)).encode("utf-8")


class _Line(Contentline):
    """icalendar's content line, which skips the fold when the line needs none.

    icalendar folds by walking every character of every line (UTF-8 encoding each one), and almost all lines of
    a plan are shorter than its 75-octet limit: such a line's bytes are its UTF-8 encoding, unchanged. A longer
    one is folded by icalendar itself."""

    __slots__ = ()

    def to_ical(self) -> bytes:
        raw = self.encode("utf-8")
        # icalendar breaks a line once it would reach 75 octets (string._foldline): 74 or fewer stay whole
        return raw if len(raw) < 75 else super().to_ical()


class PlanCalendar(Calendar):
    """icalendar's VCALENDAR, serialised by icalendar's to_ical with `_Line` as each content line."""

    def content_line(self, name: str, value: Any, sorted: bool = True) -> Contentline:  # noqa: A002 (icalendar's)
        # icalendar's own content_line builds an empty Parameters for every line, as getattr's default
        params = getattr(value, "params", None)
        return _Line.from_parts(name, _NO_PARAMS if params is None else params, value, sorted=sorted)


_NO_PARAMS = Parameters()  # from_parts only reads it


@dataclass(frozen=True)
class ExportItem:
    """One entry of the exported calendar.

    Timed items carry aware datetimes (any zone) and are written in `tzid`, the zone the user
    reads them in; all-day items carry dates with an exclusive end, as iCalendar wants.
    """

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date
    all_day: bool = False
    tzid: str = "UTC"
    description: str = ""
    location: str = ""
    categories: tuple[str, ...] = ()
    alarms_before: tuple[timedelta, ...] = ()
    sequence: int = 0
    stamp: datetime | None = None  # last change of the source row; keeps re-exports byte-stable
    extra: dict[str, str] = field(default_factory=dict)  # X- properties, e.g. X-IMGCOACH-KIND


def build_calendar(items: Iterable[ExportItem], *, now: datetime, name: str = "imgcoach plan") -> Calendar:
    """A VCALENDAR holding every item, with a VTIMEZONE for each zone used."""
    cal = PlanCalendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("X-WR-CALNAME", PlainText(name))
    first: date | None = None
    last: date | None = None
    used: set[str] = set()  # the TZIDs the events name: each item's zone, as `_event` writes it
    for item in items:
        cal.add_component(_event(item, now))
        day = item.start.date() if isinstance(item.start, datetime) else item.start
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
        if not item.all_day and item.tzid not in ("", "UTC"):
            used.add(item.tzid)
    if first is not None and last is not None:
        # Transitions only for the span the plan covers (plus a margin): small files, still exact. Sorted by
        # TZID: icalendar's add_missing_timezones took them in the order of a set, which changed with each
        # process's hash seed, so a subscribed feed of a plan in two zones changed after every restart. The
        # zones are the items' own (add_missing_timezones found them by walking every property of every event,
        # a tenth of a large export) and each VTIMEZONE is built once per zone and span (`_vtimezone`).
        span = (first - timedelta(days=400), last + timedelta(days=400))
        zones = [tz for tzid in sorted(used) if (tz := _vtimezone(tzid, *span)) is not None]
        cal.subcomponents = zones + cal.subcomponents
    return cal


@lru_cache(maxsize=32)
def _vtimezone(tzid: str, first: date, last: date) -> Timezone | None:
    """icalendar's VTIMEZONE for a zone over a span (None: not a zone it knows), one RDATE per line.

    Cached: building one walks the zone's transitions (a few ms), and a feed is exported again and again.
    The component is shared between calendars, so nothing may change it after this."""
    zone = iana_zone(tzid)
    if zone is None:
        return None
    try:
        built = Timezone.from_tzid(zone.key, first_date=first, last_date=last)
    except ValueError:
        return None
    return one_rdate_per_line(built)  # ical.js and vobject read only the first date of an RDATE list


def sequence_of(item: ExportItem) -> int:
    """SEQUENCE that grows whenever the source row changes and stays put when it does not.

    The caller's explicit sequence wins; else whole seconds from 2020 to the row's last change
    (`stamp`), so an edited rotation reaches calendar apps as a newer version (RFC 5546 2.1.4 only
    asks that it increase) while a re-export of an unchanged plan stays byte-identical.
    """
    if item.sequence or item.stamp is None:
        return item.sequence
    return stamp_sequence(item.stamp)


def _event(item: ExportItem, now: datetime) -> Event:
    # Each value is built as the property type icalendar's add() would pick and stored under its name: add()
    # infers the type per call (VALUE inference, the type factory, a Parameters per step) and DTSTART/DTEND
    # became vDDDTypes, which builds a vDatetime again, with a second zone lookup, every time it is serialised.
    ev = Event()
    ev["UID"] = vText(item.uid)
    ev["DTSTAMP"] = vDatetime((item.stamp or now).astimezone(UTC))
    ev["SEQUENCE"] = vInt(sequence_of(item))
    ev["SUMMARY"] = PlainText(item.summary)
    if item.all_day:
        start = item.start.date() if isinstance(item.start, datetime) else item.start
        end = item.end.date() if isinstance(item.end, datetime) else item.end
        ev["DTSTART"] = vDate(start, {"VALUE": "DATE"})
        ev["DTEND"] = vDate(max(end, start + timedelta(days=1)), {"VALUE": "DATE"})
    else:
        zone = iana_zone(item.tzid) if item.tzid not in ("", "UTC") else None
        moments: list[datetime] = []
        for prop, value in (("DTSTART", item.start), ("DTEND", item.end)):
            if not isinstance(value, datetime) or value.tzinfo is None:
                raise ValueError(f"{item.uid}: timed {prop} must be an aware datetime, got {value!r}")
            moments.append(value.astimezone(zone) if zone else value.astimezone(UTC))
        if any(repeated(moment) for moment in moments):
            moments = [moment.astimezone(UTC) for moment in moments]  # see `repeated`: UTC names the one instant
        ev["DTSTART"], ev["DTEND"] = vDatetime(moments[0]), vDatetime(moments[1])  # TZID: icalendar's
    if item.description:
        ev["DESCRIPTION"] = PlainText(item.description)
    if item.location:
        ev["LOCATION"] = PlainText(item.location)
    if item.categories:
        ev["CATEGORIES"] = vCategory(list(item.categories))
    for key, extra in item.extra.items():
        # RFC 5545 TEXT: X-IMGCOACH-FIELDS is JSON, whose commas would otherwise split the value in vobject
        ev[key] = PlainText(extra)
    for before in item.alarms_before:
        alarm = Alarm()
        alarm["ACTION"] = vText("DISPLAY")
        alarm["DESCRIPTION"] = PlainText(f"Reminder: {item.summary}")
        alarm["TRIGGER"] = vDuration(-before)
        ev.add_component(alarm)
    return ev


def to_ics_bytes(items: Iterable[ExportItem], *, now: datetime, name: str = "imgcoach plan") -> bytes:
    """The plan's iCalendar bytes, built and serialised with the cyclic garbage collector paused.

    The tree is made of so many new container objects (components, property values, their Parameters) that
    CPython ran 151 collections while exporting the bench's 5-year plan, one of them a full one over every
    object of the process: a fifth of the export's CPU time. The tree holds no reference cycles, so pausing
    loses nothing (reference counting frees it) and the collector runs again as soon as the export is done.
    """
    with collector_paused():
        return build_calendar(items, now=now, name=name).to_ical()


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder and os.replace, so a subscriber never reads half a file.

    The temp file is created 0600; a file being replaced keeps its own mode (a 0644 feed must stay
    readable by the web server that serves it).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
