"""The app's poll (plan.change_marker) sees an imported event's time changed in place by another process.

Imported events were left out of the write counters (SQLite's read_version triggers, PostgreSQL's xmin sums) on
the promise that every write to them also writes a counted table. A write that changes an event in place and
nothing else broke it: the app's timeline kept the old time until something else changed. Real databases; the
writer is a second connection pool, as another process would be."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from imgcoach import plan
from imgcoach.calendar import apply_import
from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.storage.db import Database

ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//marker//EN\r
BEGIN:VEVENT\r
UID:teaching@test\r
DTSTAMP:20261101T000000Z\r
DTSTART:20270115T140000Z\r
DTEND:20270115T150000Z\r
SUMMARY:Teaching\r
END:VEVENT\r
END:VCALENDAR\r
"""


@pytest.fixture
def other(ctx: Context) -> Iterator[Context]:
    db = Database(ctx.db.url)
    yield Context(db=db, clock=ctx.clock, settings=Settings())
    db.close()


def test_an_event_moved_in_place_by_another_writer_moves_the_marker(ctx: Context, other: Context,
                                                                     tmp_path: Path) -> None:
    path = tmp_path / "teaching.ics"
    path.write_text(ICS, encoding="utf-8", newline="")
    apply_import(ctx, path)
    before = plan.change_marker(ctx)
    with other.db.transaction() as session:  # the event alone, as any tool writing the database could
        session.execute(text("UPDATE calendar_event SET start_at = :s, end_at = :e WHERE uid = 'teaching@test'"),
                        {"s": "2027-01-15 16:00:00.000000", "e": "2027-01-15 17:00:00.000000"})
    assert plan.change_marker(ctx) != before


def test_a_reimport_that_moves_one_event_moves_the_marker(ctx: Context, other: Context, tmp_path: Path) -> None:
    path = tmp_path / "teaching.ics"
    path.write_text(ICS, encoding="utf-8", newline="")
    apply_import(ctx, path)
    before = plan.change_marker(ctx)
    path.write_text(ICS.replace("T140000Z", "T160000Z").replace("T150000Z", "T170000Z"), encoding="utf-8", newline="")
    assert apply_import(other, path).updated == 1
    assert plan.change_marker(ctx) != before
