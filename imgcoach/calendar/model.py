"""Plain value types produced by the ICS reader: independent of the file they came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from imgcoach.core.words import counted

Severity = Literal["fatal", "error", "skipped", "warning", "ignored"]
"""fatal: nothing is imported from the file (it is missing, unreadable, too large, not iCalendar text, or
damaged as a whole: truncated, bad nesting, unparsable); error: blocks the file unless skip-invalid (kept for callers; the reader no longer emits
it); skipped: one item is broken and left out, the rest of the file is imported; warning: imported,
but the user should know how it was read; ignored: a component with no place on the timeline
(journal, free/busy, an iTIP reply), listed so nothing is dropped silently."""


@dataclass(frozen=True)
class Problem:
    """One thing the user must hear about, pointing at the file, line and event where known."""

    file: str
    message: str
    severity: Severity = "error"
    line: int | None = None
    uid: str = ""
    summary: str = ""
    advice: str = ""  # what to do, said with a refusal: only a damaged file is "export it again"

    def describe(self) -> str:
        """One line: file[:line]: [event "summary" (UID x):] message."""
        where = self.file + (f":{self.line}" if self.line else "")
        what = ""
        if self.uid or self.summary:
            summary = _one_line(self.summary, 80)
            what = f'event "{summary}" ' if summary else "event "
            what += f"(UID {_one_line(self.uid, 120)}): " if self.uid else ": "
        return f"{where}: {what}{_one_line(self.message, 400)}"


def _one_line(value: str, limit: int) -> str:
    """Text from the file shown inside a one-line message: no line breaks, bounded length."""
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)  # slots: a 100,000-event file holds 50,000 of these at once, without a dict each
class ParsedEvent:
    """One occurrence on the timeline, keyed by (uid, recurrence_id) within its source.

    start/end are aware UTC datetimes, or dates when all_day (end exclusive, as in iCalendar).
    recurrence_id is '' for a single event, else the occurrence's original start
    (UTC 'YYYYMMDDTHHMMSSZ' or 'YYYYMMDD' for all-day series).
    """

    uid: str
    recurrence_id: str
    summary: str
    start: datetime | date
    end: datetime | date
    all_day: bool
    tzid: str = ""
    description: str = ""
    location: str = ""
    categories: tuple[str, ...] = ()
    kind: Literal["VEVENT", "VTODO"] = "VEVENT"
    method: str = ""
    status: str = ""
    sequence: int = 0
    line: int | None = None
    x_props: tuple[tuple[str, str], ...] = ()  # X-IMGCOACH-* properties of our own exports
    organizer: str = ""  # ORGANIZER's CN: may name the institution (the link finder reads it), not stored
    # Timed with no zone at all (RFC 5545 floating): start/end were read in the applicant's zone and follow it
    # when it changes (calendar.floating). Not when the calendar's X-WR-TIMEZONE gave the zone: that is its own.
    floating: bool = False
    # A TZID no zone matched, read in the applicant's zone (so it follows that zone, as floating times do).
    zone_assumed: str = ""
    # The file's clock times of a row that follows the applicant's zone (floating or zone_assumed): "" otherwise.
    wall_start: str = ""
    wall_end: str = ""
    # Its DURATION (core.clock_times.length_text) when that, not DTEND, gave its end: placed again after a change of
    # zone, its end is that long after its start (hours elapsed), not its old clock end. "" otherwise.
    wall_length: str = ""

    def x(self, name: str) -> str:
        if not self.x_props:
            return ""
        return next((v for k, v in self.x_props if k == name), "")

    @property
    def key(self) -> tuple[str, str]:
        return (self.uid, self.recurrence_id)

    @property
    def cancelled(self) -> bool:
        return self.status == "CANCELLED" or self.method == "CANCEL"


@dataclass(frozen=True)
class Cancellation:
    """A METHOD:CANCEL item: remove (uid, recurrence_id), or the whole series when recurrence_id is ''."""

    uid: str
    recurrence_id: str
    summary: str = ""
    line: int | None = None
    sequence: int = 0  # an older cancellation than the event held (a lower SEQUENCE) removes nothing


@dataclass
class ParseResult:
    """Everything read from one file: events to import, cancellations, and every problem found."""

    file: str
    events: list[ParsedEvent] = field(default_factory=list)
    cancellations: list[Cancellation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    calendars: int = 0
    encoding: str = "utf-8"
    sha256: str = ""  # of the file's bytes, so a source remembers what it last imported
    window: tuple[datetime, datetime] | None = None  # recurrences were expanded within this span
    series: int = 0  # recurring series read: their occurrences follow the window, so they change with the day

    @property
    def fatal(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "fatal"]

    @property
    def errors(self) -> list[Problem]:
        """Problems that stop a strict import: fatal ones and broken items."""
        return [p for p in self.problems if p.severity in ("fatal", "error")]

    @property
    def skipped(self) -> list[Problem]:
        """Broken items left out while the rest of the file is imported: name each one to the user."""
        return [p for p in self.problems if p.severity == "skipped"]

    @property
    def unreadable_uids(self) -> set[str]:
        """UIDs of items that could not be read: their stored rows must not count as gone from the file."""
        return {p.uid for p in self.problems if p.uid and p.severity in ("error", "skipped")}

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity in ("warning", "ignored")]

    def error_message(self) -> str:
        """All blocking problems as one message, for a UserError."""
        errs = self.errors
        head = f"{self.file}: {counted(len(errs), 'problem')}, nothing imported"
        return "\n".join([head, *("  " + p.describe() for p in errs)])
