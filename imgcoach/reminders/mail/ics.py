"""The text/calendar part: one VEVENT with a VALARM, a stable UID and the applicant's VTIMEZONE.

The daemon builds one of these per message, so the hot path does not build an icalendar component tree:
TEXT values are escaped by the rule the plan export uses (``core.ical_text``: icalendar's ``vText`` reads a
literal backslash-N as a newline), dates and durations by icalendar's ``vDatetime`` and ``vDuration``;
content lines are folded here at 75 octets (RFC 5545 §3.1), and the VTIMEZONE (the same for every
reminder of an applicant) is serialised once by icalendar and cached. Tests check the result against
icalendar's parser.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar
from icalendar.prop import vDatetime, vDuration

from imgcoach.core.ical_text import escape_text
from imgcoach.core.ical_versions import repeated
from imgcoach.core.vtimezone import one_rdate_per_line

PRODID = "-//imgcoach//reminders//EN"
_FOLD_AT = 74  # octets per line before the CRLF + space; a continuation line is then 75 octets with its space


@lru_cache(maxsize=64)
def _vtimezone(tzid: str, year: int) -> icalendar.Timezone:
    """Compact VTIMEZONE covering the event's year ±1; building one costs ~2 ms, so cache it."""
    return one_rdate_per_line(  # ical.js and vobject read only the first date of an RDATE list
        icalendar.Timezone.from_tzid(tzid, first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1)))


@lru_cache(maxsize=64)
def vtimezone_bytes(tzid: str, year: int) -> bytes:
    """The serialised VTIMEZONE (icalendar's own to_ical), cached per zone and year."""
    return _vtimezone(tzid, year).to_ical()


def fold(line: str) -> bytes:
    """RFC 5545 folding by octets, never inside a UTF-8 sequence nor right after a backslash escape."""
    raw = line.encode("utf-8")
    if len(raw) <= _FOLD_AT:
        return raw
    pieces: list[bytes] = []
    start = 0
    while len(raw) - start > _FOLD_AT:
        end = start + _FOLD_AT
        while raw[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            end -= 1
        if raw[end - 1] == 0x5C and end - 1 > start:  # keep "\n", "\;"... on one line (older clients)
            end -= 1
        pieces.append(raw[start:end])
        start = end
    pieces.append(raw[start:])
    return b"\r\n ".join(pieces)


def _text(value: str) -> str:
    return escape_text(value)


@lru_cache(maxsize=256)  # summaries and descriptions repeat for every reminder of one kind and rotation
def _text_line(name: str, value: str) -> bytes:
    """A TEXT property's folded content line (the description is the longest line, escaped and folded once)."""
    return fold(f"{name}:{_text(value)}")


@lru_cache(maxsize=256)  # start and end times repeat: reminders fall due at the reminder hour
def _local_datetime(value: datetime) -> str:
    return vDatetime(value).to_ical().decode()


@lru_cache(maxsize=16)  # the send time, to the second: the same for every message sent within that second
def _utc_stamp(value: datetime) -> str:
    return vDatetime(value).to_ical().decode()


@lru_cache(maxsize=8)
def _head(method: str) -> bytes:
    """The calendar's first lines (BEGIN, VERSION, PRODID, METHOD): the same for every entry of a method."""
    lines: list[str | bytes] = ["BEGIN:VCALENDAR", "VERSION:2.0", _text_line("PRODID", PRODID), _text_line("METHOD", method)]
    return b"\r\n".join(_folded(line) for line in lines) + b"\r\n"


@lru_cache(maxsize=16)
def _duration(value: timedelta) -> str:
    return vDuration(value).to_ical().decode()


def _address(email: str) -> str:
    """A CAL-ADDRESS is a URI, not TEXT: no escaping, but no line break may reach the content line."""
    if any(c in email for c in "\r\n\x00") or not email.strip():
        raise ValueError(f"organizer address {email!r} is not a single address")
    return email.strip()


def build_calendar(
    *,
    uid: str,
    start: datetime,
    tz: str,
    summary: str,
    description: str,
    stamp: datetime,
    duration: timedelta = timedelta(minutes=30),
    alarm_before: timedelta = timedelta(minutes=15),
    sequence: int = 0,
    method: str = "PUBLISH",
    organizer: str = "",
) -> bytes:
    """Return the ICS bytes. Re-sending with the same ``uid`` (and a higher ``sequence``) updates the entry.

    ``organizer`` is the sender's address: RFC 5546 §3.2.1 requires ORGANIZER with METHOD:PUBLISH.
    """
    zone = ZoneInfo(tz)  # also refuses anything that is not a valid zone key, so TZID needs no quoting
    local_start = start.astimezone(zone)
    # The end by elapsed time: zoneinfo adds wall-clock time, which made an entry that crossed the hour clocks
    # go back last 90 minutes, not 30.
    local_end = (start.astimezone(UTC) + duration).astimezone(zone)
    if repeated(local_start) or repeated(local_end):
        # A local time that happens twice names its first occurrence: a reminder due at 01:30 GMT on the night
        # London's clocks go back was stated as 01:30 BST, an hour before the e-mail's own time. As the export.
        times = [f"{prop}:{_utc_stamp(moment.astimezone(UTC))}"
                 for prop, moment in (("DTSTART", local_start), ("DTEND", local_end))]
    else:
        tzid = f";TZID={zone.key}"
        times = [f"DTSTART{tzid}:{_local_datetime(local_start.replace(tzinfo=None))}",
                 f"DTEND{tzid}:{_local_datetime(local_end.replace(tzinfo=None))}"]
    summary_line = _text_line("SUMMARY", summary)
    event: list[str | bytes] = [
        "BEGIN:VEVENT",
        summary_line,
        *times,
        # (vDatetime writes whole seconds: the stamp cut to the second is the same text)
        f"DTSTAMP:{_utc_stamp(stamp.astimezone(UTC).replace(microsecond=0))}",
        f"UID:{_text(uid)}",
        f"SEQUENCE:{int(sequence)}",
        *([f"ORGANIZER:mailto:{_address(organizer)}"] if organizer else []),
        _text_line("DESCRIPTION", description),
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        _text_line("DESCRIPTION", summary),
        f"TRIGGER:{_duration(-alarm_before)}",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return (_head(method) + vtimezone_bytes(zone.key, local_start.year) + b"\r\n".join(_folded(line) for line in event)
            + b"\r\n")


def _folded(line: str | bytes) -> bytes:
    return line if isinstance(line, bytes) else fold(line)
