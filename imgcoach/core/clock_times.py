"""Where a clock time with no zone of its own (RFC 5545 floating, or read in an assumed zone) falls in a zone:
one rule for the calendar reader and for placing such an event again after a change of zone.

Why one rule: the two used to differ for clock times a zone skips or repeats, so an event read at import and the
same event re-placed after a move landed an hour apart."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo


def placed(wall: datetime, zone: tzinfo) -> datetime:
    """The UTC instant of the naive clock time `wall` in `zone`.

    RFC 5545 3.3.5: a clock time the zone skips (02:30 on a spring-forward night) is read with the offset before
    the gap (02:30 EST = 03:30 EDT), a repeated one (01:30 on a fall-back night) as its first occurrence. zoneinfo
    gives exactly that with fold=0, as icalendar reads a TZID's times."""
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def skipped(wall: datetime, zone: tzinfo) -> timedelta:
    """How far `placed` moves a clock time `zone` skips (the clocks' jump, usually an hour); zero for a time the
    zone shows. Says so at import: the event is listed at a time its file does not name."""
    shown = placed(wall, zone).astimezone(zone).replace(tzinfo=None)
    return shown - wall


def wall_text(wall: datetime) -> str:
    """How a clock time is stored (calendar_event.wall_start/wall_end): ISO, seconds, no zone."""
    return wall.replace(tzinfo=None, microsecond=0).isoformat()


def ended(wall_start: datetime, length: timedelta, zone: tzinfo, *, exact_days: bool = False) -> datetime:
    """The UTC end of an item that starts at clock time `wall_start` in `zone` and lasts DURATION `length`.

    RFC 5545 3.3.6 and 3.8.2.5: days (and weeks) are nominal, the same clock time that many days later, and
    hours, minutes and seconds are exact elapsed time, added after the days. Python's aware arithmetic adds all of
    it on the clock: 00:30 EDT + PT2H on a fall-back night gave 02:30 EST, three hours. One rule for the reader
    (a single event and each occurrence of a series) and for placing an event again after a change of zone, so
    both give one end. The start is placed by `placed` (a skipped 02:30 lasts its hour from 03:30 EDT).

    `length` is a timedelta, whose days are read as the DURATION's days unless `exact_days` (the file wrote
    PT24H, which icalendar folds into one day: 24 elapsed hours, 23 or 25 on the clock across a change)."""
    if exact_days:
        return placed(wall_start.replace(tzinfo=None), zone) + length
    sign = -1 if length < timedelta(0) else 1
    size = abs(length)
    days = timedelta(days=size.days)
    wall = wall_start.replace(tzinfo=None)
    base = placed(wall + sign * days, zone) if days else placed(wall, zone)
    return base + sign * (size - days)


_LENGTH = re.compile(r"^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def length_text(length: timedelta, *, exact_days: bool = False) -> str:
    """How a DURATION is stored (calendar_event.wall_length): RFC 5545 text, days apart from the exact rest
    ("P1DT2H", "PT90M" is "PT1H30M"; "PT24H" with `exact_days`), so placing it again reads days as days."""
    sign = "-" if length < timedelta(0) else ""
    size = abs(length)
    if exact_days and size.days:
        hours, rest = divmod(int(size.total_seconds()), 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{sign}PT{hours}H" + (f"{minutes}M" if minutes or seconds else "") + (f"{seconds}S" if seconds else "")
    hours, rest = divmod(size.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    exact = ""
    if hours:
        exact = f"{hours}H" + (f"{minutes}M" if minutes or seconds else "") + (f"{seconds}S" if seconds else "")
    elif minutes:
        exact = f"{minutes}M" + (f"{seconds}S" if seconds else "")
    elif seconds or not size.days:
        exact = f"{seconds}S"
    return f"{sign}P" + (f"{size.days}D" if size.days else "") + (f"T{exact}" if exact else "")


def exact_days_in(text: str) -> bool:
    """Whether RFC 5545 DURATION text gives a day or more in hours, minutes or seconds alone ("PT24H"): elapsed
    time, not the nominal day "P1D" that icalendar's timedelta cannot tell it from."""
    return "D" not in text.upper() and "W" not in text.upper() and abs(length_of(text)) >= timedelta(days=1)


def length_of(text: str) -> timedelta:
    """The DURATION `length_text` wrote (ValueError for anything else)."""
    found = _LENGTH.match(text)
    if found is None or text in ("P", "-P", "+P") or text.endswith("T"):
        raise ValueError(f"not a stored DURATION: {text!r}")
    sign, weeks, days, hours, minutes, seconds = found.groups()
    value = timedelta(weeks=int(weeks or 0), days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0),
                      seconds=int(seconds or 0))
    return -value if sign == "-" else value

