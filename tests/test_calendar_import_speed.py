"""The bulk write path of an import (issue 13): chunked multi-row INSERTs must store exactly what a plain
SQLAlchemy insert of the same rows stores, whatever the chunk boundaries, and stay all-or-nothing.

No timing assertions here: speed is measured by bench/bench_ics.py only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, select

from imgcoach.calendar import importing
from imgcoach.calendar.importing import INSERT_CHUNK, apply_import
from imgcoach.core.context import Context
from tests.cli_helpers import database_state

HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//imgcoach tests//synthetic//EN\r\n"
NY = ("BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\n"
      "TZNAME:EDT\r\nDTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n"
      "BEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\nDTSTART:19701101T020000\r\n"
      "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n")
_T = importing._T
COLUMNS = [c.name for c in _T.c if c.name not in ("id", "source_id")]  # new source row: new id on PostgreSQL


def calendar_file(path: Path, n: int, *, series: int = 0) -> Path:
    """n single events of every kind the columns distinguish (UTC, zoned, all-day, to-do, categories,
    empty and non-ASCII text), and `series` weekly series of 10 occurrences."""
    out = [HEAD, NY]
    for i in range(n):
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        kind = i % 5
        comp = "VTODO" if kind == 4 else "VEVENT"
        out.append(f"BEGIN:{comp}\r\nUID:ev-{i:06d}@test\r\nDTSTAMP:20260101T000000Z\r\n")
        if kind == 0:
            out.append(f"DTSTART:2027{month:02d}{day:02d}T1{i % 10}0000Z\r\nDTEND:2027{month:02d}{day:02d}T1{i % 10}3000Z\r\n")
        elif kind in (1, 4):
            end = "DUE" if comp == "VTODO" else "DTEND"
            out.append(f"DTSTART;TZID=America/New_York:2027{month:02d}{day:02d}T090000\r\n"
                       f"{end};TZID=America/New_York:2027{month:02d}{day:02d}T101500\r\n")
        elif kind == 2:
            out.append(f"DTSTART;VALUE=DATE:2027{month:02d}{day:02d}\r\n")
        else:
            out.append(f"DTSTART:2027{month:02d}{day:02d}T080000Z\r\nDURATION:PT45M\r\nCATEGORIES:Study,Résumé {i % 3}\r\n"
                       f"STATUS:CONFIRMED\r\nSEQUENCE:{i % 4}\r\n")
        if i % 7:
            out.append(f"SUMMARY:Event {i} – naïve\\, café\r\nLOCATION:Room {i % 40}\r\n")
        out.append(f"DESCRIPTION:Line one\\nline two {i}\r\nEND:{comp}\r\n")
    for j in range(series):
        out.append(f"BEGIN:VEVENT\r\nUID:series-{j}@test\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Weekly {j}\r\n"
                   f"DTSTART;TZID=America/New_York:202701{1 + j % 28:02d}T170000\r\nDURATION:PT1H\r\n"
                   "RRULE:FREQ=WEEKLY;COUNT=10\r\nEND:VEVENT\r\n")
    out.append("END:VCALENDAR\r\n")
    path.write_bytes("".join(out).encode())
    return path


def stored(ctx: Context) -> list[tuple[Any, ...]]:
    """Every row as read back through SQLAlchemy's types, in id order (ids themselves left out)."""
    with ctx.db.read() as s:
        return [tuple(r) for r in s.execute(select(*(_T.c[c] for c in COLUMNS)).order_by(_T.c.id))]


def plain_insert(conn: Any, rows: list[dict[str, Any]]) -> None:
    """The reference: SQLAlchemy's own insert of the rows, every value through its column type."""
    conn.execute(insert(_T), rows)


@pytest.mark.parametrize("n", [INSERT_CHUNK - 1, INSERT_CHUNK, INSERT_CHUNK + 1, 2 * INSERT_CHUNK + 1])
def test_chunk_boundaries_store_what_a_plain_insert_stores(ctx: Context, n: int, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    f = calendar_file(tmp_path / "cal.ics", n)
    report = apply_import(ctx, f)
    assert (report.status, report.created) == ("imported", n)
    ours = stored(ctx)
    assert len(ours) == n
    with ctx.db.transaction(ctx.applicant_id) as s:
        s.execute(delete(_T))
        s.execute(delete(importing.CalendarSource))
    monkeypatch.setattr(importing, "_bulk_insert", plain_insert)
    again = apply_import(ctx, f)
    assert again.created == n
    assert stored(ctx) == ours


def test_ten_thousand_rows_with_series_import_like_a_plain_insert(ctx: Context, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    f = calendar_file(tmp_path / "big.ics", 10_000, series=7)  # 10,070 rows: 50 full chunks and one of 70
    report = apply_import(ctx, f)
    assert (report.status, report.created) == ("imported", 10_070)
    ours = stored(ctx)
    assert [r[COLUMNS.index("uid")] for r in ours[:3]] == ["ev-000000@test", "ev-000001@test", "ev-000002@test"]
    with ctx.db.transaction(ctx.applicant_id) as s:
        s.execute(delete(_T))
        s.execute(delete(importing.CalendarSource))
    monkeypatch.setattr(importing, "_bulk_insert", plain_insert)
    assert apply_import(ctx, f).created == 10_070
    assert stored(ctx) == ours
    assert apply_import(ctx, f).status == "unchanged"


@pytest.mark.parametrize("bad", [INSERT_CHUNK + INSERT_CHUNK // 2, 3 * INSERT_CHUNK - 1])
def test_a_failure_inside_a_chunk_leaves_the_database_as_it_was(ctx: Context, tmp_path: Path, bad: int,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    apply_import(ctx, calendar_file(tmp_path / "first.ics", 30))  # something already there, to keep
    before = database_state(ctx.db.url)
    real = importing._bulk_insert

    def duplicate_one(conn: Any, rows: list[dict[str, Any]]) -> None:
        # a real constraint failure (the identity index), in the middle of a chunk after full chunks went in
        rows[bad] = {**rows[bad], "uid": rows[bad - 1]["uid"]}
        real(conn, rows)

    monkeypatch.setattr(importing, "_bulk_insert", duplicate_one)
    f = calendar_file(tmp_path / "second.ics", 3 * INSERT_CHUNK + 5)
    f.write_bytes(f.read_bytes().replace(b"UID:ev-", b"UID:other-"))
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        apply_import(ctx, f)
    ctx.db.close()
    assert database_state(ctx.db.url) == before
