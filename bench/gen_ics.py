"""Deterministic synthetic .ics for the import benchmark (same shape as the shared baseline generator).

40 % UTC, 40 % TZID=America/New_York (with its VTIMEZONE), 20 % all-day; about 10 % weekly
RRULE (COUNT=10); starts spread over 2025-07 .. 2027-06; folded DESCRIPTION lines.
All content is synthetic.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

VTIMEZONE_NY = (
    "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\n"
    "TZNAME:EDT\r\nDTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\nDTSTART:19701101T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE"
)
SUMMARIES = ("Observership day {i}", "UWorld block {i}", "Study session {i}", "Residency interview {i}",
             "Step 2 CK review {i}", "Clinic shadowing {i}")


def _fold(line: str) -> str:
    parts = []
    while len(line) > 75:
        parts.append(line[:75])
        line = " " + line[75:]
    parts.append(line)
    return "\r\n".join(parts)


def generate(n: int = 10_000, seed: int = 42) -> bytes:
    rng = random.Random(seed)
    start0 = datetime(2025, 7, 1)
    span = (datetime(2027, 6, 30) - start0).days
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//imgcoach//bench generator (synthetic)//EN",
             "CALSCALE:GREGORIAN", VTIMEZONE_NY]
    for i in range(n):
        d = start0 + timedelta(days=rng.randrange(span), hours=rng.randrange(7, 20),
                               minutes=rng.choice((0, 15, 30, 45)))
        dur = timedelta(minutes=rng.choice((15, 30, 45, 60, 90)))
        r = rng.random()
        lines += ["BEGIN:VEVENT", f"UID:bench-{i:06d}@imgcoach.invalid", "DTSTAMP:20260101T000000Z"]
        if r < 0.4:
            lines += [f"DTSTART:{d:%Y%m%dT%H%M%S}Z", f"DTEND:{d + dur:%Y%m%dT%H%M%S}Z"]
        elif r < 0.8:
            lines += [f"DTSTART;TZID=America/New_York:{d:%Y%m%dT%H%M%S}",
                      f"DTEND;TZID=America/New_York:{d + dur:%Y%m%dT%H%M%S}"]
        else:
            dd = date(d.year, d.month, d.day)
            lines += [f"DTSTART;VALUE=DATE:{dd:%Y%m%d}", f"DTEND;VALUE=DATE:{dd + timedelta(days=1):%Y%m%d}"]
        if rng.random() < 0.10:
            lines.append("RRULE:FREQ=WEEKLY;COUNT=10")
        lines.append("SUMMARY:" + rng.choice(SUMMARIES).format(i=i))
        lines.append(_fold("DESCRIPTION:Synthetic benchmark event; bring notes, review the case list, "
                           f"then log the hours in the tracker. Session id {i:06d}."))
        lines.append(f"LOCATION:Room {rng.randrange(1, 40)}\\, Building {rng.choice('ABCD')}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()
