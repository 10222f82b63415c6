"""How a feature writes a date inside the sentences it returns, chosen by the face that shows them.

Rules and use cases that explain themselves in words (readiness evidence, plan conflicts) take a
`DateWords` and write every day and range of days with it, never with str(date). The CLI keeps its
texts (ISO for readiness, "19 Nov 2026" for conflicts); the app passes its own
(`imgcoach.tui.dates.WORDS`), so its one format per kind holds inside those sentences too. The features
never import the app for it, and what goes to --json stays ISO: it is built from the dates, not the words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from imgcoach.core.record import Record

MOMENT = "%Y-%m-%d %H:%M %Z"  # a moment as the CLI writes it: "2026-11-02 09:00 EST"


def moment_words(value: datetime, zone: tzinfo | str) -> str:
    """A moment in the reader's zone, with the zone named ("2026-11-02 09:00 EST"): the CLI's one spelling of the
    outbox, the daemon's status, the import history and preview and the event list, so none of them writes a
    time another writes differently. `zone` is a tzinfo or an IANA name."""
    return f"{value.astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone):{MOMENT}}"


class DateWords(Record):
    day: Callable[[date], str]  # one day: "2026-11-19", "19 Nov 2026"
    span: Callable[[date, date], str]  # an inclusive range of days: "2026-07-05 to 2026-08-01"
    # A moment in a zone: the CLI's moment_words; the app's own ("19 Nov 2026 09:00") in its Outbox's daemon line.
    moment: Callable[[datetime, tzinfo], str] = moment_words


def _iso_span(first: date, last: date) -> str:
    return f"{first.isoformat()} to {last.isoformat()}"


def _written(value: date) -> str:
    return f"{value:%d %b %Y}"


def _written_span(first: date, last: date) -> str:
    # One day once, as the app's day_range writes it: "for 05 Mar 2027 to 05 Mar 2027" read as a range misprinted
    return _written(first) if first == last else f"{_written(first)} to {_written(last)}"


ISO = DateWords(date.isoformat, _iso_span)  # the CLI's readiness text, its inputs' format
WRITTEN = DateWords(_written, _written_span)  # the CLI's conflict and overlap warnings: "04 Jan 2027 to 29 Jan 2027"

