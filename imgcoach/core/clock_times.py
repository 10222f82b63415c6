"""Where a clock time with no zone of its own (RFC 5545 floating, or read in an assumed zone) falls in a zone:
one rule for the calendar reader and for placing such an event again after a change of zone.

Why one rule: the two used to differ for clock times a zone skips or repeats, so an event read at import and the
same event re-placed after a move landed an hour apart."""

from __future__ import annotations

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
