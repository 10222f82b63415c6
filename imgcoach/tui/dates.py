"""The app's one way to write each kind of date: a day, a range of days, a moment with its time.

Every screen, dialog and detail pane formats dates here, so the same day never reads "19 Nov" on one
screen and "2026-11-19" on another. The formats are short and cannot be misread: the month is a word
(no 05/07 day-month doubt) and the year always has four digits (no "26" that could be a day).

    day(date(2026, 11, 19))                         -> "19 Nov 2026"
    day_range(date(2026, 7, 5), date(2026, 8, 1))   -> "05 Jul – 01 Aug 2026"   (one year: written once)
    day_range(date(2026, 12, 28), date(2027, 1, 24)) -> "28 Dec 2026 – 24 Jan 2027"
    moment(<UTC instant>, ZoneInfo("Asia/Kolkata")) -> "19 Nov 2026 09:00"      (in the applicant's zone)
    month(date(2026, 11, 19))                       -> "Nov 2026"               (a day's format less the day)

A narrow list may write "19 Nov" (day_in_year) under a heading with the year ("2026"), never alone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from imgcoach.core.datewords import DateWords

DAY = "%d %b %Y"
DAY_NO_YEAR = "%d %b"
MONTH = "%b %Y"  # a day without its day: where a month is what tells two things apart  # only inside a range whose two ends share the year written after them
TIME = "%H:%M"
RANGE_DASH = " – "


def day(value: date) -> str:
    """ "19 Nov 2026"."""
    return value.strftime(DAY)


def month(value: date) -> str:
    """ "Nov 2026": a month as `day` writes it, for a narrow cell (the Outbox's rotation: its start month)."""
    return value.strftime(MONTH)


def day_in_year(value: date) -> str:
    """ "19 Nov": only in a list under a heading that names the year (the timeline's Next up)."""
    return value.strftime(DAY_NO_YEAR)


def day_range(first: date, last: date) -> str:
    """ "05 Jul – 01 Aug 2026"; the year is written on both ends only when they differ."""
    if first == last:
        return day(first)
    start, end = range_ends(first, last)
    return f"{start}{RANGE_DASH}{end}"


def range_ends(first: date, last: date) -> tuple[str, str]:
    """The two ends exactly as `day_range` writes them ("05 Jul", "01 Aug 2026"), for a narrow column
    that puts them on two lines rather than let a wrap cut a date in half."""
    if first.year == last.year:
        return first.strftime(DAY_NO_YEAR), day(last)
    return day(first), day(last)


def moment(value: datetime | None, tz: Any = None, *, zone: bool = False) -> str:
    """A stored (UTC) instant in the applicant's zone `tz`: "19 Nov 2026 09:00"; "" for None.

    zone=True adds the zone's abbreviation ("19 Nov 2026 09:00 IST") where the reader may be
    somewhere else than the applicant (an outgoing reminder's due time).
    """
    if value is None:
        return ""
    local = value.astimezone(tz) if tz is not None else value
    text = f"{local.strftime(DAY)} {local.strftime(TIME)}"
    return f"{text} {local.strftime('%Z')}" if zone else text


def clock_time(value: datetime) -> str:
    """A clock time alone, as `moment` writes its time: "02:30" (a file's own time beside the day shown)."""
    return value.strftime(TIME)


def parse_shown(text: str) -> date | None:
    """The day a cell written by `day`, `day_range` (its first day) or `moment` starts on, for sorting
    a table by a date column; None for anything else."""
    words = text.strip().split()
    if len(words) >= 3:
        try:
            return datetime.strptime(" ".join(words[:3]), DAY).date()
        except ValueError:
            pass
    if len(words) == 6 and words[2] == RANGE_DASH.strip():  # "05 Jul – 01 Aug 2026": the year is at the end
        try:
            return datetime.strptime(f"{words[0]} {words[1]} {words[5]}", DAY).date()
        except ValueError:
            return None
    return None


# What the app hands to a feature that writes dates inside its sentences (readiness evidence, conflicts, the
# Outbox's daemon line): the same day, range and moment formats as everything else on screen.
WORDS = DateWords(day, day_range, moment)
