"""Issue 17: the timeline reads the imported events of the weeks in view (and a margin), through the date
indexes, not every event; what it draws for those weeks is what reading every event would draw.

The database holds three years of events (one a day), a weekly series that crosses the window's edges, a
long event that started months before, a cancelled one and one that became a rotation.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from imgcoach.core.context import Context
from imgcoach.plan.plan import calendar_range, load_plan
from imgcoach.storage.db import Database, _alembic_config
from imgcoach.storage.event_window import read_range
from imgcoach.storage.models import CalendarEvent, CalendarSource
from imgcoach.storage.quickread import read_plan
from imgcoach.tui import render
from imgcoach.tui.screens.timeline_screen import TimelineScreen
from imgcoach.tui.timeline_model import build_timeline
from imgcoach.tui.widgets.timeline import TimelineView
from tests.tui_helpers import app_for, press, settle

FIRST_DAY = date(2025, 1, 1)
DAYS = 3 * 365  # one event a day, 2025 .. 2027
SERIES = [date(2026, 6, 1) + timedelta(weeks=w) for w in range(40)]  # Mondays, June 2026 .. March 2027
WINDOW = (date(2026, 11, 2), date(2026, 12, 27))  # eight weeks in the middle of the series


def seed(ctx: Context) -> int:
    """The events above for the ctx's applicant (America/New_York); returns how many rows were stored."""
    from imgcoach.plan.profile import get_profile

    applicant_id = get_profile(ctx).id
    rows: list[CalendarEvent] = []
    with ctx.db.transaction() as session:
        source = CalendarSource(applicant_id=applicant_id, path="hospital.ics", name="Hospital (synthetic)")
        session.add(source)
        session.flush()

        def event(uid: str, summary: str, **fields: Any) -> None:
            rows.append(CalendarEvent(applicant_id=applicant_id, source_id=source.id, uid=uid, summary=summary,
                                      suggested_kind="event", **fields))

        for i in range(DAYS):  # 15:00 UTC: 10:00 or 11:00 in New York, the same day
            start = datetime.combine(FIRST_DAY + timedelta(days=i), datetime.min.time(), UTC) + timedelta(hours=15)
            event(f"day-{i}@example", f"Clinic day {i}", start_at=start, end_at=start + timedelta(hours=1))
        for n, day in enumerate(SERIES):
            event(f"report@example-{n}", "Morning report", all_day=True, start_date=day,
                  end_date=day + timedelta(days=1))
        long_start = datetime(2026, 3, 2, 13, tzinfo=UTC)
        event("research@example", "Research year", start_at=long_start, end_at=long_start + timedelta(days=330))
        event("cancelled@example", "Cancelled grand rounds", start_at=datetime(2026, 11, 18, 17, tzinfo=UTC),
              end_at=datetime(2026, 11, 18, 18, tzinfo=UTC), status="CANCELLED")
        event("late@example", "Night shift", start_at=datetime(2026, 11, 20, 2, 30, tzinfo=UTC),  # 19 Nov locally
              end_at=datetime(2026, 11, 20, 3, 30, tzinfo=UTC))
        session.add_all(rows)
    return len(rows)


def lines_of(data: Any, window: render.Window) -> list[str]:
    lines, _ = render.timeline_lines(render.index_bars(data.bars), window, data.today, data.load, data.overload,
                                     events=data.events)
    return [line.plain for line in lines]


def test_a_window_reads_its_own_events_and_draws_what_reading_all_would(ctx: Context) -> None:
    """Both engines: the eight weeks read about 56 + 2 margins' worth of rows of 1,100, and the grid of those
    weeks is the same as the one drawn from every event (the series keeps its whole span and count)."""
    stored = seed(ctx)
    now = ctx.clock.now()
    everything = load_plan(ctx, events=(date(2000, 1, 1), date(2100, 12, 31)))
    windowed = load_plan(ctx, events=WINDOW)
    assert everything.event_range is not None and windowed.event_range is not None
    assert everything.event_range.rows_read == stored
    # 56 days of clinic (plus the one ending on the first day's edge), the series (40, read whole because it
    # crosses both edges), the long event, the cancelled one and the night shift: nothing else.
    assert 56 + 40 + 3 <= windowed.event_range.rows_read <= 56 + 40 + 3 + 2, windowed.event_range.rows_read
    full, part = build_timeline(everything, now), build_timeline(windowed, now)
    for scale in (1, 7):
        window = render.Window(WINDOW[0], scale, 8 * 7 // scale)
        assert lines_of(part, window) == lines_of(full, window)
    series = [b for b in part.bars if b.label.startswith("Morning report")]
    assert [(b.label, b.start, b.end) for b in series] == [("Morning report ×40", SERIES[0], SERIES[-1])]
    assert "Research year" in {b.label for b in part.bars}, "a long event begun months before is in view"
    assert not {"Cancelled grand rounds"} & {b.label for b in part.bars}


def test_the_quick_read_reads_the_same_window(ctx: Context) -> None:
    """Both engines: the first frame's reader (sqlite3 or psycopg alone) reads the same rows as the services."""
    seed(ctx)
    quick = read_plan(ctx.db.url, ctx.clock.now(), events=WINDOW)
    assert quick is not None and quick.event_range is not None
    full = load_plan(ctx, events=WINDOW)
    assert full.event_range is not None
    assert sorted(r.id for r in quick.event_range.rows or []) == sorted(r.id for r in full.event_range.rows or [])
    assert build_timeline(quick, ctx.clock.now()).bars == build_timeline(full, ctx.clock.now()).bars


def test_a_window_beyond_the_days_read_says_so_instead_of_drawing_no_events() -> None:
    """An empty calendar row would claim a free calendar; until the days are read the row says it is reading."""
    read = render.EventSlice(WINDOW[0], WINDOW[1], {date(2026, 11, 2): 40, date(2026, 11, 9): 10})
    inside = [line.plain for line in render.timeline_lines({}, render.Window(WINDOW[0], 7, 8), WINDOW[0], {}, 70,
                                                           events=read)[0]]
    assert inside[3].startswith("Cal   █▂      "), inside  # 40 and 10 events begin in the first two weeks
    beyond = [line.plain for line in render.timeline_lines({}, render.Window(date(2027, 1, 4), 7, 8), WINDOW[0], {},
                                                           70, events=read)[0]]
    assert beyond[3].startswith("Cal   reading the calendar events in view"), beyond


def _execute(ctx: Context, counted: list[int]) -> Any:
    """storage.event_window's `?` SQL on the engine's driver, counting the rows that come back."""
    conn = ctx.db.engine.connect()
    sqlite = conn.dialect.name == "sqlite"

    def execute(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        rows = [tuple(r) for r in conn.exec_driver_sql(sql if sqlite else sql.replace("?", "%s"), params)]
        counted.append(len(rows))
        return rows

    return conn, execute, sqlite


def test_past_a_screenful_a_window_is_counted_per_local_day_without_reading_rows(ctx: Context) -> None:
    """Both engines: more events than the row limit come back as counts per day (the applicant's days: the
    2:30 UTC night shift counts on 19 November in New York), cancelled and mapped events left out."""
    from imgcoach.plan.profile import get_profile

    seed(ctx)
    counted: list[int] = []
    conn, execute, sqlite = _execute(ctx, counted)
    with conn:
        got = read_range(execute, get_profile(ctx).id, ZoneInfo("America/New_York"), *WINDOW, text=sqlite, row_limit=50)
    assert got.rows is None and got.rows_read == 0
    assert sum(counted) < 56 + 40 + 3 + 2, "one row per distinct start time, no event rows"
    assert got.starts[date(2026, 11, 19)] == 2, "clinic day and the night shift"
    assert got.starts[date(2026, 11, 18)] == 1, "the cancelled grand rounds are not counted"
    assert got.starts[date(2026, 11, 2)] == 2, "clinic day and the morning report"
    assert sum(got.starts.values()) == 56 + 8 + 1, "clinic days, eight Mondays of the series, the night shift"
    assert min(got.starts) >= WINDOW[0] and max(got.starts) <= WINDOW[1]


def test_screens_that_show_no_calendar_read_no_event(ctx: Context) -> None:
    """Both engines: the plan as the Study screen loads it (no days asked) sends no query to calendar_event;
    it used to read every imported event on each open."""
    from sqlalchemy import event

    seed(ctx)
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", record)
    try:
        plan = load_plan(ctx)
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", record)
    assert plan.event_range is None
    assert statements and not [s for s in statements if "calendar_event" in s]


def test_calendar_range_is_empty_without_a_profile(empty_ctx: Context) -> None:
    assert calendar_range(empty_ctx, *WINDOW) is None


def test_a_window_at_the_ends_of_the_calendar_reads_nothing_and_does_not_overflow(ctx: Context) -> None:
    """Scrolled to year 1 or 9999 (New York is behind UTC: its first local midnight has no UTC instant)."""
    seed(ctx)
    for days in ((date.min, date(1, 3, 1)), (date(9999, 10, 1), date.max)):
        got = calendar_range(ctx, *days)
        assert got is not None and got.rows == [] and got.rows_read == 0


async def test_moving_far_reads_the_new_weeks_and_never_holds_every_event(ctx: Context) -> None:
    """Both engines: the app holds the events around the window only; a year ahead, the events there are read
    (after the move the Cal row shows them, not the 'reading' line) and the old ones are let go."""
    seed(ctx)
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        view = screen.query_one(TimelineView)
        assert view.events is not None and view.window is not None and view.events.covers(view.window)
        held = [b for b in view.bars if b.kind == "event"]
        assert held and len(held) < DAYS * 2 // 3, f"{len(held)} event bars held of {DAYS + 43}"
        await press(pilot, *["right_square_bracket"] * 12)
        assert view.window is not None and view.events.covers(view.window)
        assert view.window.start >= date(2027, 9, 1)
        shown = "\n".join(line.plain for line in render.timeline_lines(
            view.index, view.window, view.today, view.load, view.overload, events=view.events)[0])  # type: ignore[arg-type]
        assert "reading the calendar events" not in shown
        assert {b.label for b in view.bars if b.kind == "event" and view.in_view(b)} >= {
            f"Clinic day {(view.window.start - FIRST_DAY).days + 1}"}
        assert all(b.end >= view.events.first and b.start <= view.events.last for b in view.bars if b.kind == "event")


@pytest.mark.sqlite_only  # a SQLite file at an older revision, and SQLite's own query plan
def test_upgrade_adds_the_date_indexes_and_keeps_the_events(tmp_path: Path) -> None:
    """A database of the previous schema holding imported events is upgraded in place; the events are all
    there, and the range query is answered from the new index."""
    from alembic import command

    path = tmp_path / "before.sqlite"
    db = Database(f"sqlite:///{path}", migrate=False)
    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0006_exam_sub_scores")
    db.close()
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO applicant (name, email, timezone, school, school_country, visa, target_specialties,"
                    " target_countries, target_states, cv_path, personal_statement_path, synthetic)"
                    " VALUES ('Old User', 'old@example.com', 'UTC', '', '', 'none', '[]', '[]', '[]', '', '', 0)")
        raw.execute("INSERT INTO calendar_source (applicant_id, path, name, sha256) VALUES (1, '/a.ics', 'a', 'x')")
        cols = ("source_id, applicant_id, uid, recurrence_id, component, summary, description, location, categories,"
                " all_day, start_at, end_at, start_date, end_date, tzid, status, sequence, suggested_kind,"
                " mapped_kind, link_only")
        for i in range(30):
            raw.execute(f"INSERT INTO calendar_event ({cols}) VALUES (1, 1, ?, '', 'VEVENT', ?, '', '', '[]', 0,"
                        " ?, ?, NULL, NULL, '', '', 0, 'event', '', 0)",
                        (f"u{i}", f"Shift {i}", f"2027-01-{i + 1:02d} 09:00:00.000000",
                         f"2027-01-{i + 1:02d} 17:00:00.000000"))
        raw.execute(f"INSERT INTO calendar_event ({cols}) VALUES (1, 1, 'allday', '', 'VEVENT', 'Holiday', '', '',"
                    " '[]', 1, NULL, NULL, '2027-01-06', '2027-01-07', '', '', 0, 'event', '', 0)")
        before = raw.execute("SELECT * FROM calendar_event ORDER BY id").fetchall()
    Database(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as raw:
        after = raw.execute("SELECT * FROM calendar_event ORDER BY id").fetchall()
        # Later upgrades add columns at the end (0011: floating, not known for old rows, so false; 0012: the file's
        # clock times and an unmatched TZID, not known either, so empty; 0013: the DURATION, not known, so empty)
        assert [row[:len(before[0])] for row in after] == before
        assert {row[len(before[0]):] for row in after} == {(0, "", "", "", "")}
        indexes = {row[1] for row in raw.execute("PRAGMA index_list(calendar_event)")}
        assert {"ix_calendar_event_when", "ix_calendar_event_days"} <= indexes
        plans: list[str] = []

        def execute(sql: str, params: tuple[Any, ...]) -> Any:
            plans.extend(str(row) for row in raw.execute("EXPLAIN QUERY PLAN " + sql, params))
            return raw.execute(sql, params)

        got = read_range(execute, 1, ZoneInfo("UTC"), date(2027, 1, 5), date(2027, 1, 11), text=True)
    assert sorted(r.summary for r in got.rows or []) == sorted(["Holiday", *(f"Shift {i}" for i in range(4, 11))])
    assert any("ix_calendar_event_when" in p for p in plans) and any("ix_calendar_event_days" in p for p in plans)
    assert not any("SCAN e" in p for p in plans), "no full scan of the events"


def _counting_steps(path: Path) -> tuple[sqlite3.Connection, list[int]]:
    """A read-only connection to the SQLite file whose virtual machine steps are counted (each index entry
    visited, each row sorted costs steps: the same query over the same rows always takes the same number)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    conn.set_progress_handler(step, 1)
    return conn, steps


@pytest.mark.sqlite_only
def test_a_crowded_window_is_counted_without_visiting_the_events_after_it(ctx: Context, db_path: Path) -> None:
    """Issue 17 (scale54): counted through the end-ordered indexes, a crowded window visited every event that
    ends after it starts, to the calendar's last, and sorted those of the window by their start hour. Per day
    through the start-ordered indexes, the work is the window's: 3,000 more events after it change nothing, and
    the counts are the same."""
    from imgcoach.plan.profile import get_profile

    seed(ctx)
    applicant_id = get_profile(ctx).id
    zone = ZoneInfo("America/New_York")

    def counted() -> tuple[dict[date, int], int]:
        conn, steps = _counting_steps(db_path)
        with conn:
            got = read_range(conn.execute, applicant_id, zone, *WINDOW, text=True, row_limit=50)
        conn.close()
        assert got.rows is None
        return got.starts, steps[0]

    starts, work = counted()
    with ctx.db.transaction() as session:
        source = session.get(CalendarSource, 1)
        assert source is not None
        later = datetime(2027, 1, 4, 14, tzinfo=UTC)
        session.add_all(CalendarEvent(applicant_id=applicant_id, source_id=source.id, uid=f"later-{i}@example",
                                      summary=f"Later shift {i}", suggested_kind="event",
                                      start_at=later + timedelta(hours=6 * i), end_at=later + timedelta(hours=6 * i + 1))
                        for i in range(3_000))
    starts_after, work_after = counted()
    assert starts_after == starts
    assert work_after <= work * 1.02, f"{work} steps, then {work_after} with 3,000 events after the window"


def test_the_first_frames_reader_counts_a_crowded_window_as_the_services_do(ctx: Context) -> None:
    """Both engines: past the row limit, the quick connection (sqlite3, or libpq's text parameters on
    PostgreSQL, whose types the server infers) counts the same starts per day as the services' connection."""
    from imgcoach.plan.profile import get_profile
    from imgcoach.storage.quickconn import at_current_schema, server_conninfo
    from imgcoach.storage.quickpq import load_libpq, snapshot

    seed(ctx)
    applicant_id, zone = get_profile(ctx).id, ZoneInfo("America/New_York")

    def count(conn: Any, text: bool) -> Any:
        return read_range(conn.execute, applicant_id, zone, *WINDOW, text=text, row_limit=50)

    conninfo = server_conninfo(ctx.db.url)
    if conninfo is None:
        quick = at_current_schema(ctx.db.url, None, count)
    else:  # libpq itself: at_current_schema would take psycopg, silently, on a statement the server refused
        lib = load_libpq()
        assert lib is not None
        with snapshot(lib, conninfo) as server:
            assert server is not None
            quick = count(server, False)
    assert quick is not None and quick.rows is None
    conn, execute, sqlite = _execute(ctx, [])
    with conn:
        full = read_range(execute, applicant_id, zone, *WINDOW, text=sqlite, row_limit=50)
    assert quick.starts == full.starts and sum(quick.starts.values()) == 56 + 8 + 1
