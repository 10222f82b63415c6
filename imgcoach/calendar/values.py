"""Small conversions from icalendar property values to the plain types of ParsedEvent."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

from icalendar import Component

from imgcoach.calendar.timezones import Resolved, resolve_tzid
from imgcoach.core.clock_times import placed

DT_PROPS = ("DTSTART", "DTEND", "DUE", "RECURRENCE-ID", "EXDATE", "RDATE")

# icalendar stores property names upper-cased in an OrderedDict; its own get() upper-cases and
# re-dispatches on every call. With upper-case literal names the plain dict lookup is the same
# answer at a tenth of the cost, which matters on the 20 lookups per event of a 10,000-event file.
# Typed as returning Any on purpose: icalendar's own annotation is a union of ~30 property classes that
# no caller could use without narrowing; callers check for None and read the attribute they need.
prop_get: Callable[..., Any] = OrderedDict.get  # (component, name[, default])
has_prop: Callable[[Component, str], bool] = OrderedDict.__contains__


def when(component: Component, name: str) -> datetime | date:
    """The date or date-time of a DTSTART, DTEND, DUE or RECURRENCE-ID the caller knows is present."""
    prop: Any = component[name]  # icalendar types component[name] as every property class at once
    return prop.dt  # a vDDDTypes: date or datetime for these properties


def duration(component: Component) -> timedelta:
    """The DURATION the caller knows is present."""
    prop: Any = component["DURATION"]
    return prop.dt  # a vDDDTypes holding a timedelta


def text(component: Component, name: str) -> str:
    value = prop_get(component, name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value)


def organizer_name(component: Component) -> str:
    """ORGANIZER's CN ("Lakeside General Hospital GME"): a hospital's schedule often says where it is only there."""
    value = prop_get(component, "ORGANIZER")
    if isinstance(value, list):
        value = value[0] if value else None
    params = getattr(value, "params", None)
    return str(params.get("CN", "")).strip() if params else ""


def categories(component: Component) -> tuple[str, ...]:
    value = prop_get(component, "CATEGORIES")
    if value is None:
        return ()
    out: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        cats = getattr(item, "cats", None)
        if cats is None:
            cats = [c for c in str(item).split(",")]
        out.extend(str(c).strip() for c in cats if str(c).strip())
    return tuple(out)


def holders(prop: Any) -> list[tuple[Any, Any]]:
    """(vDDDTypes, its line) pairs inside a property: single value, several lines, or a list."""
    out = []
    for line in prop if isinstance(prop, list) else [prop]:
        for holder in getattr(line, "dts", None) or []:
            out.append((holder, line))
    return out


def _attach(value: Any, zone: tzinfo) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=zone)
    if isinstance(value, tuple):
        return tuple(_attach(v, zone) for v in value)
    return value


def _is_naive(value: Any) -> bool:
    if isinstance(value, tuple):
        return any(_is_naive(v) for v in value)
    return isinstance(value, datetime) and value.tzinfo is None


def tzid_of(holder: Any, line: Any) -> str:
    """The TZID a date-time value carries, on its own holder or its property line."""
    for obj in (holder, line):
        params = getattr(obj, "params", None)
        if params and params.get("TZID"):
            return str(params["TZID"])
    return ""


def by_name(tzid: str, year: int) -> Resolved:
    """The resolver that knows only the name: the year does not change what an IANA or Windows name means."""
    return resolve_tzid(tzid)


def _year_of(value: Any) -> int:
    """The (local) year of a date-time, or of a PERIOD's start."""
    return int(value[0].year if isinstance(value, tuple) else value.year)


def fix_zones(component: Component,
              resolver: Callable[[str, int], Resolved] = by_name) -> tuple[list[str], list[str]]:
    """Give every naive date-time that names a TZID its zone, in place.

    icalendar 7.3 turns a TZID it cannot resolve into a naive time with no error; we map it
    (Windows names and their variants) or report it. A naive EXDATE/RDATE without its own TZID
    follows DTSTART's zone (RFC 5545 asks for the same form). `resolver` lets the reader add what it
    knows about the file (its other zones, X-WR-TIMEZONE); it gets the value's year too, because an
    offset-pair name ("GMT-05.00/-04.00") means the zones that kept those offsets in that year.
    Returns (unknown TZIDs, notes).
    """
    unknown: list[str] = []
    notes: list[str] = []
    start_zone: tzinfo | None = None
    for name in DT_PROPS:
        prop = prop_get(component, name)
        if prop is None:
            continue
        for holder, line in holders(prop):
            value = getattr(holder, "dt", None)
            if not _is_naive(value):
                continue
            tzid = tzid_of(holder, line)
            if not tzid:
                if start_zone is not None:
                    holder.dt = _attach(value, start_zone)
                continue  # floating: the caller reads it in the calendar's or applicant's zone
            res: Resolved = resolver(tzid, _year_of(value))
            if res.zone is None:
                if tzid not in unknown:
                    unknown.append(tzid)
                continue
            if res.note and res.note not in notes:
                notes.append(res.note)
            holder.dt = _attach(value, res.zone)
            if name == "DTSTART":
                start_zone = res.zone
    return unknown, notes


def to_utc(value: datetime | date, floating_zone: tzinfo) -> datetime | date:
    """Aware -> UTC; naive (floating) -> read in floating_zone, then UTC; dates stay dates."""
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is None:
        return placed(value, floating_zone)  # the rule a change of zone places it by again
    return value.astimezone(UTC)


def zone_name(value: Any, fallback: str = "") -> str:
    """IANA key of a date-time's zone where there is one ('UTC' for UTC), else the fallback."""
    if not isinstance(value, datetime) or value.tzinfo is None:
        return fallback
    key = getattr(value.tzinfo, "key", None)
    if key:
        return str(key)
    if value.tzinfo is UTC or str(value.tzinfo) == "UTC":
        return "UTC"
    if isinstance(value.tzinfo, timezone):  # a fixed offset named by the file ("GMT+05.30"): "UTC+05:30"
        return str(value.tzinfo.tzname(None))
    name = str(getattr(value.tzinfo, "_tzid", "") or "")
    if name:  # a VTIMEZONE of the file: report its IANA equivalent when the name has one
        resolved = resolve_tzid(name)
        return resolved.iana or name
    return fallback


def recurrence_key(value: datetime | date, floating_zone: tzinfo) -> str:
    """RECURRENCE-ID in a source-independent form: UTC date-time or plain date."""
    v = to_utc(value, floating_zone)
    if v.year < 1000:  # strftime writes such a year unpadded ("999"): keep its keys as they were
        return v.strftime("%Y%m%dT%H%M%SZ" if isinstance(v, datetime) else "%Y%m%d")
    # Formatted by hand: strftime was a tenth of the reader's own time on a 10,000-event file (issue 13)
    if isinstance(v, datetime):
        return f"{v.year}{v.month:02}{v.day:02}T{v.hour:02}{v.minute:02}{v.second:02}Z"
    return f"{v.year}{v.month:02}{v.day:02}"
