"""Recurrence expansion is bounded per series, per file and by the window (issue 13, issue 16 point 2)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from imgcoach.calendar.expand import MAX_PER_SERIES
from imgcoach.calendar.reader import read_ics_bytes, read_ics_file

DATA = Path(__file__).parent / "data" / "ics"
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _series(rule: str, start: str = "20260101T090000Z", uid: str = "s@test") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:Series {uid}\r\nDTSTAMP:20260101T000000Z\r\n"
            f"DTSTART:{start}\r\nRRULE:{rule}\r\nEND:VEVENT\r\n")


def _cal(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + "".join(events) + "END:VCALENDAR\r\n").encode()


def test_minutely_rule_in_a_tiny_file_is_cut_per_series_with_a_message() -> None:
    started = time.monotonic()
    r = read_ics_file(DATA / "rrule_minutely_unbounded.ics", now=NOW, default_tz="UTC", max_bytes=10_000)
    assert time.monotonic() - started < 10
    assert len(r.events) == MAX_PER_SERIES
    [note] = r.warnings
    assert note.uid == "every-minute@test" and f"only the first {MAX_PER_SERIES} were imported" in note.message


def test_file_wide_limit_stops_expansion_and_says_so() -> None:
    body = _cal(*(_series("FREQ=DAILY", uid=f"d{i}@test") for i in range(5)))
    r = read_ics_bytes(body, file="f.ics", now=NOW, default_tz="UTC", max_per_series=100, max_events=250)
    assert len(r.events) == 250
    assert any("more than 250 events" in p.message for p in r.warnings)


def test_dense_rule_far_from_the_window_is_not_searched_for_minutes() -> None:
    body = _cal(_series("FREQ=SECONDLY;COUNT=999999999", start="19900101T000000Z"))
    started = time.monotonic()
    r = read_ics_bytes(body, file="f.ics", now=NOW, default_tz="UTC")
    assert time.monotonic() - started < 5
    assert r.events == [] and any("repeats too often" in p.message for p in r.warnings)


def test_rule_that_can_never_occur_is_named_not_searched_to_year_9999() -> None:
    body = _cal(_series("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"), _series("FREQ=WEEKLY;COUNT=3", uid="ok@test"))
    started = time.monotonic()
    r = read_ics_bytes(body, file="f.ics", now=NOW, default_tz="UTC")
    assert time.monotonic() - started < 5
    assert [e.uid for e in r.events] == ["ok@test"] * 3
    [bad] = r.skipped
    assert bad.uid == "s@test" and "can never occur" in bad.message


def test_window_bounds_expansion_to_the_plan_years() -> None:
    window = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    r = read_ics_bytes(_cal(_series("FREQ=WEEKLY")), file="f.ics", now=NOW, default_tz="UTC", window=window)
    assert {e.start.year for e in r.events} == {2026} and len(r.events) == 53  # Thursdays 1 Jan to 31 Dec


def test_vtimezone_with_a_sub_yearly_rule_is_ignored_not_expanded_from_1601() -> None:
    """Found by the fuzz test: RRULE:FREQ=HOURLY in a VTIMEZONE kept icalendar busy for minutes."""
    body = (DATA / "exchange_empty_dtstart.ics").read_bytes().replace(
        b"RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11", b"RRULE:FREQ=HOURLY;BYMINUTE=0,5,10,15,20,25,30", 1)
    started = time.monotonic()
    r = read_ics_bytes(body, file="f.ics", now=NOW, default_tz="UTC")
    assert time.monotonic() - started < 5
    assert len(r.events) == 2 and {e.tzid for e in r.events} == {"America/New_York"}  # by its Windows name
    assert any('VTIMEZONE "Eastern Standard Time"' in p.message and "FREQ=HOURLY" in p.message for p in r.warnings)
