"""The shared corpus of real exports: valid files read cleanly and agree with recurring-ical-events;
files marked INVALID in SOURCES.md give clear problems and never a traceback."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from imgcoach.calendar.reader import read_ics_file

CORPUS = Path(__file__).resolve().parent / "data" / "ics" / "corpus"  # in-repo copy of shared/corpus/ics
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
WIDE = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC))
ZONE = "Asia/Kolkata"



def _files() -> tuple[list[str], list[str]]:
    valid, invalid = [], []
    for line in (CORPUS / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*([\w.-]+\.ics)\s*\|", line)
        if m:
            (invalid if "**INVALID**" in line else valid).append(m.group(1))
    return valid, invalid


VALID, INVALID = _files()
# recurring-ical-events itself cannot read these two valid files (it raises), so they get explicit checks.
RIE_FAILS = {"icalendar__issue_165_missing_event.ics", "icalendar__issue_722_missing_timezones.ics"}


def _read(name: str, window=WIDE):
    # the reference comparison spans 30 years, so daily series legitimately exceed the per-series cap
    return read_ics_file(CORPUS / name, now=NOW, default_tz=ZONE, max_bytes=20_000_000, window=window,
                         max_per_series=20_000)


def _utc(value, floating) -> str:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=floating)).astimezone(UTC).isoformat()
    return value.isoformat()


def _reference(name: str) -> list[tuple[str, str]]:
    """(summary, start in UTC) of every occurrence recurring-ical-events finds in the same window."""
    cals = icalendar.Calendar.from_ical((CORPUS / name).read_bytes(), multiple=True)
    out = []
    for cal in cals:
        occ = recurring_ical_events.of(cal, components=["VEVENT", "VTODO"]).between(
            WIDE[0].date(), WIDE[1].date())
        for c in occ:
            if str(c.get("STATUS", "")).upper() == "CANCELLED":
                continue
            start = c["DTSTART"].dt if "DTSTART" in c else c["DUE"].dt
            out.append((str(c.get("SUMMARY", "")), _utc(start, ZoneInfo(ZONE))))
    return sorted(out)


def test_corpus_lists_files() -> None:
    assert len(VALID) >= 25 and len(INVALID) >= 8


@pytest.mark.parametrize("name", VALID)
def test_valid_file_reads_without_errors(name: str) -> None:
    result = _read(name)
    assert result.errors == [], [p.describe() for p in result.errors]
    assert result.calendars >= 1


@pytest.mark.parametrize("name", sorted(set(VALID) - RIE_FAILS))
def test_valid_file_matches_recurring_ical_events(name: str) -> None:
    result = _read(name)
    lo, hi = WIDE
    mine = sorted(
        (e.summary, _utc(e.start, UTC)) for e in result.events
        if e.recurrence_id or _overlaps(e.start, e.end, lo, hi)
    )
    assert mine == _reference(name)


def _overlaps(start, end, lo: datetime, hi: datetime) -> bool:
    if not isinstance(start, datetime):
        return start < hi.date() and end > lo.date()
    return start < hi and (end > lo or start >= lo)


def test_exchange_rrule_with_spaces_is_repaired_and_said() -> None:
    result = _read("icalendar__issue_165_missing_event.ics", window=(datetime(2015, 1, 1, tzinfo=UTC),
                                                                      datetime(2016, 1, 1, tzinfo=UTC)))
    fixed = (CORPUS / "icalendar__issue_165_missing_event.ics").read_bytes().replace(b", ", b",")
    cal = icalendar.Calendar.from_ical(fixed)
    expected = recurring_ical_events.of(cal).between(date(2015, 1, 1), date(2016, 1, 1))
    assert len(result.events) == len(expected) > 5
    assert {_utc(e.start, UTC) for e in result.events} == {_utc(o.start, UTC) for o in expected}
    assert any("RRULE had spaces" in p.message for p in result.warnings)


def test_missing_timezones_file_reads_every_dated_item() -> None:
    result = _read("icalendar__issue_722_missing_timezones.ics")
    first = min((e for e in result.events if e.summary == "an event with a custom tz name"), key=lambda e: e.start)
    assert first.start == datetime(2014, 8, 29, 12, tzinfo=UTC)  # 08:00 America/New_York (EDT)
    todo = next(e for e in result.events if e.kind == "VTODO")
    assert todo.start == datetime(2014, 8, 29, 0, tzinfo=UTC)  # 08:00 Asia/Singapore
    # every item without a UID or DTSTART is named in a warning: nothing silently invented
    assert sum("has no UID" in p.message for p in result.warnings) == 4
    assert any("RECURRENCE-ID is used as the start" in p.message for p in result.warnings)


@pytest.mark.parametrize("name", INVALID)
def test_invalid_file_is_reported_clearly(name: str) -> None:
    result = _read(name)
    reported = result.errors or result.skipped or [p for p in result.warnings if p.severity == "warning"]
    if name == "recurring-ical-events__issue_107_omitting_last_event.ics":
        # Recovered: the DTSTART's Windows zone name resolves even though the VTIMEZONE's TZID is odd.
        assert result.errors == [] and result.events or result.problems
        return
    if name == "icalendar__issue_348_exception_parsing_value.ics":
        # Recovered: the broken ORGANIZER lines sit in a VFREEBUSY, which is listed as not imported.
        assert len(result.events) == 1
        assert any(p.severity == "ignored" and "VFREEBUSY" in p.message for p in result.problems)
        return
    assert reported, f"{name}: no problem reported"
    for problem in (*result.errors, *result.skipped):
        text = problem.describe()
        assert text.startswith(str(CORPUS / name))
        assert "Traceback" not in text and len(text.splitlines()) == 1
        assert problem.line or problem.uid or problem.severity == "fatal"


@pytest.mark.parametrize("name", INVALID)
def test_invalid_file_skip_mode_keeps_what_parses(name: str) -> None:
    """What skip-invalid would import: only events, each with a sane UTC start before its end."""
    result = _read(name)
    for e in result.events:
        assert e.uid
        assert e.end >= e.start
        assert e.all_day or e.start.tzinfo is UTC


def test_corpus_is_in_the_repository_with_its_licences() -> None:
    """A clean clone (no shared/ beside it) must run every corpus case instead of skipping them."""
    assert len(VALID) + len(INVALID) == 43
    missing = [n for n in (*VALID, *INVALID) if not (CORPUS / n).is_file()]
    assert missing == []
    assert (CORPUS / "licences" / "icalendar.LICENSE.rst").is_file()
    assert (CORPUS / "licences" / "recurring-ical-events.LICENSE.txt").is_file()


def test_problems_about_events_with_no_uid_name_the_line_of_each() -> None:
    """Google's parsing_error.ics holds two events with no UID, the same start and no title: the one skipped
    (an empty EXDATE) and each "has no UID" warning were named "event (UID nouid-…)" with no line, twice the
    same words for two events, so nobody could tell which to fix. Each now names its BEGIN line (6 and 13);
    722's four UID-less items (lines 3, 9, 12, 15) likewise, and a calendar after another counts on from it."""
    result = _read("icalendar__parsing_error.ics")
    lines = sorted((p.severity, p.line, p.message[:20]) for p in result.problems)
    assert ("skipped", 13, "EXDATE: Expected dat") in lines, lines
    assert [line for severity, line, message in lines if message.startswith("has no UID")] == [6, 13], lines
    assert all(p.line is not None for p in result.problems), lines
    missing = _read("icalendar__issue_722_missing_timezones.ics")
    assert sorted({p.line for p in missing.problems if p.message.startswith("has no UID")}) == [3, 9, 12, 15]


def test_a_uid_less_event_in_a_second_calendar_is_named_by_its_own_line(tmp_path: Path) -> None:
    body = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nSUMMARY:first\r\n"
            "DTSTART;VALUE=DATE:20270104\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:has-one@t\r\n"
            "SUMMARY:named\r\nDTSTART;VALUE=DATE:20270105\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:second\r\n"
            "DTSTART;VALUE=DATE:20270106\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    f = tmp_path / "two-calendars.ics"
    f.write_bytes(body.encode())
    result = read_ics_file(f, now=NOW, default_tz=ZONE, max_bytes=1_000_000)
    assert {p.summary: p.line for p in result.problems if p.message.startswith("has no UID")} == {
        "first": 4, "second": 17}
