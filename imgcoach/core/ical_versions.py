"""What every iCalendar entry imgcoach publishes shares, whoever writes it: how its versions are numbered and
how a local time that happens twice is written.

The plan export (calendar, and its subscribed feeds) and the reminder e-mail's attachment (reminders) publish
entries under the same UIDs (a reminder's `calendar_uid`), so a calendar app compares their SEQUENCEs with each
other: one rule, in one home, or the e-mail's SEQUENCE (its claim count, 1) sat far below the export's and a
client that held the exported entry kept it (RFC 5546 2.1.5: the lower SEQUENCE is the older version).
"""

from __future__ import annotations

from datetime import UTC, datetime

SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def stamp_sequence(stamp: datetime) -> int:
    """The SEQUENCE of a version made at ``stamp``: whole seconds from 2020, so it only grows with the time the
    version was made (RFC 5546 2.1.4 asks only that it increase) and an unchanged row keeps its number.

    Seconds, not minutes: two edits of a rotation within one minute had the same SEQUENCE (only DTSTAMP moved),
    and Google Calendar and Outlook keep the version they hold unless the SEQUENCE grows. Every number published
    in minutes is below the same moment's in seconds, so the change itself never sends one backwards. It stays
    a 32-bit integer (which some clients keep it in) until 2088."""
    return max(0, int((stamp.astimezone(UTC) - SEQUENCE_EPOCH).total_seconds()))


def repeated(moment: datetime) -> bool:
    """Whether the local time of `moment` occurs twice (the hour clocks go back).

    A DATE-TIME with a TZID names such a time's first occurrence (RFC 5545 3.3.5), and parsers differ anyway:
    vobject and icalendar read a time in the second one an hour early, ical.js (Thunderbird) one in the first
    an hour late, and an entry that crossed the change had its DTEND before its DTSTART, which made the `ics`
    library refuse the whole calendar. Such a moment is written in UTC, which names the one instant."""
    return moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset()
