"""The imported calendar events of a range of local days, read through the date indexes (stdlib DB-API only).

Why: the timeline shows a window of weeks; reading every imported event (160,000 rows at the scale of
issue 17) for each paint took seconds and hundreds of MiB. This module asks only for the events that touch
the days in view, through ix_calendar_event_when / ix_calendar_event_days ("ends after the range starts,
starts before it ends"). When the range holds more events than a screen can draw one by one, it returns how
many start on each local day instead of the rows (an aggregate: no row leaves the database), counted through
ix_calendar_event_starts / ix_calendar_event_start_days, a range of the index per day.

One SQL text serves the stdlib sqlite3 connection of the first frame, psycopg, and a SQLAlchemy session's
driver connection (`execute` is any callable taking `?`-style SQL and a parameter tuple). EventRange.rows_read
says how many event rows were read, so tests check that a window reads its own events and not the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from imgcoach.core.event_days import event_days

Execute = Callable[[str, tuple[Any, ...]], Iterable[tuple[Any, ...]]]

EARLIEST, LATEST = date(1, 1, 3), date(9999, 12, 29)  # local days whose UTC bounds (and a day's margin) exist
ROW_LIMIT = 6_000  # more events than this in a range: per-day counts instead of rows
SERIES_GAP_DAYS = 7  # as tui.render: occurrences of one title this close are one series (read whole)
OWN_ROW_KINDS = ("rotation", "study_block", "exam")  # events that became plan rows are drawn as those
EVENT_COLUMNS = ("id", "summary", "location", "all_day", "start_at", "end_at", "start_date", "end_date", "status",
                 "suggested_kind", "mapped_kind", "mapped_id")


@dataclass(frozen=True)
class EventRow:
    """One imported event as the timeline reads it (the columns of storage.models.CalendarEvent it draws)."""

    id: int
    summary: str
    location: str
    all_day: bool
    start_at: datetime | None
    end_at: datetime | None
    start_date: date | None
    end_date: date | None
    status: str
    suggested_kind: str
    mapped_kind: str
    mapped_id: int | None


@dataclass
class EventRange:
    """What was read for the local days `first`..`last`: the rows, or (too many) events starting per day."""

    first: date
    last: date
    rows: list[EventRow] | None
    starts: dict[date, int] = field(default_factory=dict)  # only when rows is None
    rows_read: int = 0  # rows that left the database for this range (tests check it)


def _bounds(first: date, last: date, tz: ZoneInfo, text: bool) -> tuple[Any, Any, Any, Any]:
    """UTC instants and dates bounding the local days, as the engine compares them (SQLite: text)."""
    lo = datetime.combine(first, time(), tz).astimezone(UTC).replace(tzinfo=None)
    hi = datetime.combine(last + timedelta(days=1), time(), tz).astimezone(UTC).replace(tzinfo=None)
    if text:  # as SQLAlchemy stores DateTime and Date in SQLite: "YYYY-MM-DD HH:MM:SS[.ffffff]", "YYYY-MM-DD"
        return f"{lo:%Y-%m-%d %H:%M:%S}", f"{hi:%Y-%m-%d %H:%M:%S}", first.isoformat(), last.isoformat()
    return lo, hi, first, last


TIMED = ("e.end_at >= ? AND e.start_at < ?", "e.end_at IS NULL AND e.start_at >= ? AND e.start_at < ?")
ALL_DAY = ("e.all_day AND e.end_date > ? AND e.start_date <= ?",
           "e.all_day AND e.end_date IS NULL AND e.start_date >= ? AND e.start_date <= ?")


def _touching(columns: str, extra: str = "", parts: tuple[str, ...] = TIMED + ALL_DAY) -> str:
    """Events of one applicant overlapping [lo, hi): one index range scan per kind of bound.

    All-day ends are exclusive (iCalendar), timed ones too; an event without an end lasts an instant/a day."""
    return " UNION ALL ".join(f"SELECT {columns} FROM calendar_event e WHERE e.applicant_id = ? AND {p}{extra}"
                              for p in parts)


def _params(applicant_id: int, bounds: tuple[Any, Any, Any, Any]) -> tuple[Any, ...]:
    lo, hi, first, last = bounds
    return (applicant_id, lo, hi, applicant_id, lo, hi, applicant_id, first, last, applicant_id, first, last)


# What the timeline draws (tui.timeline_model.calendar_bars): not cancelled, not already a plan row.
VISIBLE = (" AND e.status <> 'CANCELLED' AND NOT (e.mapped_kind IN ("
           + ", ".join(f"'{kind}'" for kind in OWN_ROW_KINDS) + ") AND e.mapped_id IS NOT NULL)")


DAYS_PER_STATEMENT = 300  # days counted in one statement (3 parameters each: within every engine's limit)


def _day_starts(tz: ZoneInfo, first: date, last: date, text: bool) -> list[Any]:
    """The UTC instant each local day of first..last+1 begins at, as the engine compares it (SQLite: text)."""
    out: list[Any] = []
    day = first
    while day <= last + timedelta(days=1):
        moment = datetime.combine(day, time(), tz).astimezone(UTC).replace(tzinfo=None)
        out.append(f"{moment:%Y-%m-%d %H:%M:%S}" if text else moment)
        day += timedelta(days=1)
    return out


def _starts_per_day(execute: Execute, applicant_id: int, tz: ZoneInfo, first: date, last: date,
                    bounds: tuple[Any, Any, Any, Any], text: bool) -> dict[date, int]:
    """How many visible events touching the range start on each of its local days, from the start indexes alone
    (ix_calendar_event_starts/_start_days; no event row is read, nothing is sorted): each day's timed events are
    one range of the index, counted in one statement for up to DAYS_PER_STATEMENT days; the all-day ones are
    grouped by their start date in the index's own order. Grouped by the start's UTC hour through the end-ordered
    indexes, every event of a crowded window went through a sort (about 0.2 s at 100x, issue 17)."""
    lo, _hi, day_lo, day_hi = bounds
    starts: dict[date, int] = {}
    edges = _day_starts(tz, first, last, text)
    days = [first + timedelta(days=n) for n in range(len(edges) - 1)]
    # A timed event touches the range when it ends at or after its start (or has no end): the rows read_range draws.
    count = (f"(SELECT count(*) FROM calendar_event e WHERE e.applicant_id = ? AND e.start_at >= d.lo "
             f"AND e.start_at < d.hi AND (e.end_at >= ? OR e.end_at IS NULL){VISIBLE})")
    for at in range(0, len(days), DAYS_PER_STATEMENT):
        chunk = range(at, min(at + DAYS_PER_STATEMENT, len(days)))
        # Typed on a server: libpq's text parameters in VALUES would be text, not comparable with a timestamp.
        values = ", ".join("(?, ?, ?)" if text else "(CAST(? AS integer), CAST(? AS timestamp), CAST(? AS timestamp))"
                           for _ in chunk)
        params = tuple(v for n in chunk for v in (n, edges[n], edges[n + 1]))
        sql = f"WITH d(n, lo, hi) AS (VALUES {values}) SELECT d.n, {count} FROM d"
        for n, found in execute(sql, (*params, applicant_id, lo)):
            if found:
                starts[days[int(n)]] = starts.get(days[int(n)], 0) + found
    all_day = ("SELECT e.start_date, count(*) FROM calendar_event e WHERE e.applicant_id = ? AND e.start_date >= ? "
               f"AND e.start_date <= ? AND (e.end_date > ? OR e.end_date IS NULL) AND e.all_day{VISIBLE} "
               "GROUP BY e.start_date")
    for value, found in execute(all_day, (applicant_id, day_lo, day_hi, day_lo)):
        day = _date(value)
        starts[day] = starts.get(day, 0) + found
    return starts


def _touching_count(execute: Execute, applicant_id: int, bounds: tuple[Any, Any, Any, Any]) -> int:
    """How many visible events touch the range, those begun before it included."""
    sql = f"SELECT count(*) FROM ({_touching('1 AS one', VISIBLE)}) t"
    return sum(n for (n,) in execute(sql, _params(applicant_id, bounds)))


def read_range(execute: Execute, applicant_id: int, tz: ZoneInfo, first: date, last: date, *, text: bool,
               row_limit: int = ROW_LIMIT) -> EventRange:
    """The events touching local days first..last, whole series included; or per-day counts past `row_limit`."""
    first, last = max(first, EARLIEST), min(last, LATEST)  # a window scrolled to year 1 must not overflow
    bounds = _bounds(first, last, tz, text)
    starts = _starts_per_day(execute, applicant_id, tz, first, last, bounds, text)
    # More starting in the range than the limit: too many, whatever began before it (not counted then: those
    # are found only by a scan of the end-ordered index from the range's start to the last event).
    if sum(starts.values()) > row_limit or _touching_count(execute, applicant_id, bounds) > row_limit:
        return EventRange(first, last, None, starts)
    rows = _rows(execute, _touching(", ".join(f"e.{c}" for c in EVENT_COLUMNS)), _params(applicant_id, bounds))
    read = len(rows)
    extra = _whole_series(execute, applicant_id, tz, first, last, rows, text)
    return EventRange(first, last, rows + extra, {}, read + len(extra))


def _whole_series(execute: Execute, applicant_id: int, tz: ZoneInfo, first: date, last: date,
                  rows: list[EventRow], text: bool) -> list[EventRow]:
    """The occurrences outside the range of a title whose run crosses its edge, so a series is drawn with its
    true span and count (tui.render.merge_series joins same-title events at most SERIES_GAP_DAYS apart).

    Reads outward in doubling steps, only while some title's run still reaches the edge read so far."""
    seen = {r.id for r in rows}
    extra: list[EventRow] = []
    gap = timedelta(days=SERIES_GAP_DAYS)
    for direction in (-1, 1):
        edge = first if direction < 0 else last
        near = [r for r in rows if (d := event_days(r, tz)) is not None
                and (d[0] - gap <= first if direction < 0 else d[1] + gap >= last)]
        titles = {r.summary for r in near}
        step = timedelta(days=2 * SERIES_GAP_DAYS)
        while titles:
            try:
                lo, hi = ((edge - step, edge - timedelta(days=1)) if direction < 0
                          else (edge + timedelta(days=1), edge + step))
                bounds = _bounds(lo, hi, tz, text)
            except OverflowError:  # the calendar's own end: nothing lies beyond
                break
            marks = ", ".join("?" for _ in titles)
            found = [r for r in _rows(execute, _touching(", ".join(f"e.{c}" for c in EVENT_COLUMNS),
                                                          f" AND e.summary IN ({marks})"),
                                      _title_params(applicant_id, bounds, sorted(titles)))
                     if r.id not in seen]
            for r in found:
                seen.add(r.id)
            extra += found
            # A title still open: one of its occurrences lies within a gap of the new edge.
            titles = {r.summary for r in found if (d := event_days(r, tz)) is not None
                      and (d[0] - gap <= lo if direction < 0 else d[1] + gap >= hi)}
            edge = lo if direction < 0 else hi
            step = min(step * 2, timedelta(days=3650))
    return extra


def _title_params(applicant_id: int, bounds: tuple[Any, Any, Any, Any], titles: list[str]) -> tuple[Any, ...]:
    lo, hi, first, last = bounds
    return (applicant_id, lo, hi, *titles, applicant_id, lo, hi, *titles, applicant_id, first, last, *titles,
            applicant_id, first, last, *titles)


def _rows(execute: Execute, sql: str, params: tuple[Any, ...]) -> list[EventRow]:
    return [EventRow(r[0], r[1], r[2], bool(r[3]), _utc(r[4]) if r[4] is not None else None,
                     _utc(r[5]) if r[5] is not None else None, _date(r[6]) if r[6] else None,
                     _date(r[7]) if r[7] else None, r[8], r[9], r[10], r[11])
            for r in execute(sql, params)]


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _utc(value: Any) -> datetime:
    """Stored naive UTC (text in SQLite, a datetime elsewhere) to an aware UTC datetime."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
