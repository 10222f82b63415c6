"""Floating times (a DTSTART with neither TZID nor Z: RFC 5545's same clock time wherever one is) keep their
clock time when the applicant's zone changes. They were read in the zone of the day of import and kept in UTC
only, so after `profile set --timezone America/Chicago` an 09:00 ward round imported in London read 03:00.
A time with a TZID or in UTC keeps its instant, and an all-day event its day. Real SQLite/PostgreSQL databases,
a real .ics file, the CLI in process on the fixed clock (2026-11-25)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//floating//EN\r
BEGIN:VEVENT\r
UID:ward-round@test\r
DTSTAMP:20261101T000000Z\r
DTSTART:20270115T090000\r
DTEND:20270115T100000\r
SUMMARY:Ward round\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:london-rounds@test\r
DTSTAMP:20261101T000000Z\r
DTSTART;TZID=Europe/London:20270115T110000\r
DTEND;TZID=Europe/London:20270115T120000\r
SUMMARY:Grand rounds in London\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:call@test\r
DTSTAMP:20261101T000000Z\r
DTSTART:20270115T140000Z\r
DTEND:20270115T143000Z\r
SUMMARY:Call\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:study-day@test\r
DTSTAMP:20261101T000000Z\r
DTSTART;VALUE=DATE:20270116\r
DTEND;VALUE=DATE:20270117\r
SUMMARY:Study day\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:clinic@test\r
DTSTAMP:20261101T000000Z\r
DTSTART:20270305T090000\r
DTEND:20270305T093000\r
RRULE:FREQ=WEEKLY;COUNT=5\r
SUMMARY:Clinic\r
END:VEVENT\r
END:VCALENDAR\r
"""


def _events(ctx: Context, capsys: pytest.CaptureFixture[str]) -> dict[str, list[tuple[str, str]]]:
    """Title -> (start, end) of each occurrence, as `events list --json` gives them, in the applicant's zone."""
    listed = run_cli(capsys, "events", "list", "--db", ctx.db.url, "--json")
    assert listed.code == 0, listed.err
    zone = ZoneInfo(run_cli(capsys, "profile", "show", "--db", ctx.db.url, "--json").json()["timezone"])
    found: dict[str, list[tuple[str, str]]] = {}
    for e in sorted(listed.json(), key=lambda e: e["start_at"] or e["start_date"]):
        if e["all_day"]:
            span = (e["start_date"], e["end_date"])
        else:
            span = tuple(datetime.fromisoformat(e[k]).astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
                         for k in ("start_at", "end_at"))
        found.setdefault(e["summary"], []).append(span)  # type: ignore[arg-type]
    return found


def _imported_in_london(ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run_cli(capsys, "profile", "set", "--timezone", "Europe/London", "--db", ctx.db.url).code == 0
    path = tmp_path / "rota.ics"
    path.write_text(ICS, encoding="utf-8", newline="")
    done = run_cli(capsys, "import", str(path), "--db", ctx.db.url)
    assert done.code == 0, done.err
    return path


def test_a_floating_event_keeps_its_clock_time_when_the_zone_changes(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    path = _imported_in_london(ctx, tmp_path, capsys)
    assert _events(ctx, capsys)["Ward round"] == [("2027-01-15 09:00 GMT", "2027-01-15 10:00 GMT")]
    assert run_cli(capsys, "profile", "set", "--timezone", "America/Chicago", "--db", ctx.db.url).code == 0
    events = _events(ctx, capsys)
    assert events["Ward round"] == [("2027-01-15 09:00 CST", "2027-01-15 10:00 CST")]
    # A TZID and a UTC time are instants: the same moment, read in the new zone.
    assert events["Grand rounds in London"] == [("2027-01-15 05:00 CST", "2027-01-15 06:00 CST")]
    assert events["Call"] == [("2027-01-15 08:00 CST", "2027-01-15 08:30 CST")]
    assert events["Study day"] == [("2027-01-16", "2027-01-17")]  # a day, not a time: it does not move
    text = run_cli(capsys, "events", "list", "--db", ctx.db.url).out
    assert "2027-01-15 09:00 CST" in text, text
    # The file read again in the new zone finds the same rows, unchanged.
    again = run_cli(capsys, "import", str(path), "--db", ctx.db.url, "--json")
    assert again.code == 0 and (again.json()["created"], again.json()["updated"]) == (0, 0), again.out


def test_a_floating_series_across_clock_changes_keeps_0900_on_every_date(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """Weekly from 5 March 2027: Chicago moves its clocks on 14 March, London on 28 March. Each occurrence is
    placed by its own date's offsets (one shift for the whole series put 2 of the 5 an hour off)."""
    path = _imported_in_london(ctx, tmp_path, capsys)
    assert run_cli(capsys, "profile", "set", "--timezone", "America/Chicago", "--db", ctx.db.url).code == 0
    assert _events(ctx, capsys)["Clinic"] == [
        ("2027-03-05 09:00 CST", "2027-03-05 09:30 CST"), ("2027-03-12 09:00 CST", "2027-03-12 09:30 CST"),
        ("2027-03-19 09:00 CDT", "2027-03-19 09:30 CDT"), ("2027-03-26 09:00 CDT", "2027-03-26 09:30 CDT"),
        ("2027-04-02 09:00 CDT", "2027-04-02 09:30 CDT")]
    again = run_cli(capsys, "import", str(path), "--db", ctx.db.url, "--json")
    assert again.code == 0 and (again.json()["created"], again.json()["updated"]) == (0, 0), again.out
    assert run_cli(capsys, "profile", "set", "--timezone", "Europe/London", "--db", ctx.db.url).code == 0
    assert [start for start, _ in _events(ctx, capsys)["Clinic"]] == [
        "2027-03-05 09:00 GMT", "2027-03-12 09:00 GMT", "2027-03-19 09:00 GMT", "2027-03-26 09:00 GMT",
        "2027-04-02 09:00 BST"]


@pytest.mark.sqlite_only  # an old SQLite file, downgraded and upgraded by Alembic
def test_rows_imported_before_the_upgrade_are_recorded_floating_by_importing_the_file_again(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """Upgrade 0011 cannot tell an old floating row from one given in the applicant's own zone: it empties the
    file's reading key, so the same file imported again is read (not skipped as unchanged), records which are
    floating and says so; then a change of zone keeps their clock time."""
    from tests.test_dead_event_links import _to_0010

    path = _imported_in_london(ctx, tmp_path, capsys)
    db_file = Path(ctx.db.url.removeprefix("sqlite:///"))
    ctx.db.close()
    _to_0010(db_file)  # the rows as an older imgcoach left them: no record of floating
    again = run_cli(capsys, "import", str(path), "--db", ctx.db.url)  # opening upgrades to the head
    assert again.code == 0, again.err
    assert "6 updated" in again.out and ('updated "Ward round": no time zone in the file: now kept at its clock '
                                         "time when your time zone changes") in again.out, again.out
    assert 'updated "Clinic" (5 occurrences): no time zone' in again.out, again.out
    assert run_cli(capsys, "profile", "set", "--timezone", "America/Chicago", "--db", ctx.db.url).code == 0
    assert _events(ctx, capsys)["Ward round"] == [("2027-01-15 09:00 CST", "2027-01-15 10:00 CST")]


def test_undoing_an_import_made_before_a_change_of_zone_keeps_the_clock_time(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """The undo puts a floating event back as the import found it, placed in London: after the move to Chicago
    it read 03:00 again. It is placed in the zone of now, as the change of zone placed it."""
    path = _imported_in_london(ctx, tmp_path, capsys)
    path.write_text(ICS.replace("SUMMARY:Ward round", "SUMMARY:Ward round\r\nLOCATION:Ward 7"), encoding="utf-8",
                    newline="")
    assert run_cli(capsys, "import", str(path), "--db", ctx.db.url).code == 0  # import 2 updates the ward round
    assert run_cli(capsys, "profile", "set", "--timezone", "America/Chicago", "--db", ctx.db.url).code == 0
    undone = run_cli(capsys, "import", "--undo", "--db", ctx.db.url)
    assert undone.code == 0 and "undid import 2" in undone.out, undone.err
    events = _events(ctx, capsys)
    assert events["Ward round"] == [("2027-01-15 09:00 CST", "2027-01-15 10:00 CST")]
    assert events["Clinic"][0] == ("2027-03-05 09:00 CST", "2027-03-05 09:30 CST")
    listed = run_cli(capsys, "events", "list", "--db", ctx.db.url, "--json").json()
    assert {e["location"] for e in listed if e["summary"] == "Ward round"} == {""}  # the undo itself happened
