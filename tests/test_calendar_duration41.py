"""An event with DURATION instead of DTEND lasts RFC 5545's length (3.3.6, 3.8.2.5): days and weeks are nominal
(the same clock time that many days later), hours, minutes and seconds exact elapsed time.

The reader added the whole DURATION on the wall clock (Python's aware arithmetic): 00:30 EDT + PT2H on New York's
fall-back night ended at 02:30 EST, three hours; 01:30 EST + PT2H on its spring-forward night at 03:30 EDT, one
hour; a floating 02:30 + PT1H on that night (02:30 does not exist; read as 03:30 EDT) lasted no time at all, and
02:30 + PT30M was refused as "DTEND 03:00 is before DTSTART" of a file with no DTEND. Real SQLite/PostgreSQL
databases, real .ics files, the CLI in process on the fixed clock (2026-11-25)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.test_floating_events_zone import _events

HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//durations//EN\r\n"
TAIL = "END:VCALENDAR\r\n"


def _event(uid: str, summary: str, start: str, length: str, extra: str = "") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}@test\r\nDTSTAMP:20261101T000000Z\r\nDTSTART{start}\r\nDURATION:{length}\r\n"
            f"{extra}SUMMARY:{summary}\r\nEND:VEVENT\r\n")


TZID = HEAD + "".join((
    _event("fall", "Fall-back night round", ";TZID=America/New_York:20271107T003000", "PT2H"),
    _event("spring", "Spring-forward night round", ";TZID=America/New_York:20270314T013000", "PT2H"),
    _event("day", "Day across the change", ";TZID=America/New_York:20270313T093000", "P1D"),
    _event("series", "Nightly round", ";TZID=America/New_York:20271106T003000", "PT2H", "RRULE:FREQ=DAILY;COUNT=3\r\n"),
    _event("elective", "Elective rotation", ";VALUE=DATE:20270314", "P2D"),
    _event("study", "Study day", ";VALUE=DATE:20270320", "P1D"),
)) + TAIL

FLOATING = HEAD + "".join((
    _event("handover", "Night handover", ":20270314T023000", "PT1H"),
    _event("short", "Short handover", ":20270314T023000", "PT30M"),
)) + TAIL


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_hours_of_a_duration_are_elapsed_time_and_days_keep_the_clock(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    done = run_cli(capsys, "import", str(_write(tmp_path, "rota.ics", TZID)), "--db", ctx.db.url)
    assert done.code == 0, done.err
    events = _events(ctx, capsys)
    assert events["Fall-back night round"] == [("2027-11-07 00:30 EDT", "2027-11-07 01:30 EST")]  # not 02:30 EST
    assert events["Spring-forward night round"] == [("2027-03-14 01:30 EST", "2027-03-14 04:30 EDT")]  # not 03:30
    assert events["Day across the change"] == [("2027-03-13 09:30 EST", "2027-03-14 09:30 EDT")]  # P1D: the clock
    assert events["Nightly round"] == [("2027-11-06 00:30 EDT", "2027-11-06 02:30 EDT"),
                                       ("2027-11-07 00:30 EDT", "2027-11-07 01:30 EST"),
                                       ("2027-11-08 00:30 EST", "2027-11-08 02:30 EST")]
    assert events["Elective rotation"] == [("2027-03-14", "2027-03-16")]
    assert events["Study day"] == [("2027-03-20", "2027-03-21")]


def test_the_timeline_detail_and_a_re_import_agree_with_the_list(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    from imgcoach.tui import dates
    from imgcoach.tui.details import bar_details

    path = _write(tmp_path, "rota.ics", TZID)
    assert run_cli(capsys, "import", str(path), "--db", ctx.db.url).code == 0
    listed = run_cli(capsys, "events", "list", "--db", ctx.db.url, "--json").json()
    (fall,) = [e for e in listed if e["summary"] == "Fall-back night round"]
    assert datetime.fromisoformat(fall["end_at"]) == datetime(2027, 11, 7, 6, 30, tzinfo=UTC)
    tz = ZoneInfo("America/New_York")
    _, text = bar_details(ctx, "event", fall["id"])
    end = dates.moment(datetime(2027, 11, 7, 6, 30, tzinfo=UTC), tz)
    assert f"to {end} (your time)" in text.plain, text.plain
    again = run_cli(capsys, "import", str(path), "--db", ctx.db.url, "--json", "--dry-run").json()
    assert (again["created"], again["updated"]) == (0, 0), again


def test_an_all_day_duration_in_days_exports_its_days(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """A P2D all-day event made a rotation: the export (read back with icalendar) ends it two days on."""
    path = _write(tmp_path, "rota.ics", TZID)
    done = run_cli(capsys, "import", str(path), "--as", "elective@test=rotation", "--db", ctx.db.url)
    assert done.code == 0, done.err
    out = tmp_path / "plan.ics"
    assert run_cli(capsys, "export", str(out), "--db", ctx.db.url).code == 0
    cal = Calendar.from_ical(out.read_bytes())
    (rotation,) = [c for c in cal.walk("VEVENT") if str(c.get("SUMMARY")).startswith("Observership")]
    assert (rotation["DTSTART"].dt.isoformat(), rotation["DTEND"].dt.isoformat()) == ("2027-03-14", "2027-03-16")


def test_a_floating_duration_from_a_skipped_time_lasts_its_length_wherever_it_is_placed(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """02:30 does not exist in New York that night: read as 03:30 EDT (RFC 5545), and it lasts its hour. Moved to
    London, where 02:30 exists, it is 02:30-03:30 as an import there reads it: the unchanged file finds it so."""
    path = _write(tmp_path, "handover.ics", FLOATING)
    done = run_cli(capsys, "import", str(path), "--db", ctx.db.url)
    assert done.code == 0, done.err
    assert "its DURATION (1 hour) ends it at 04:30 EDT" in done.err, done.err
    assert "lasts no time at all" not in done.err and "DTEND" not in done.err, done.err
    assert _events(ctx, capsys)["Night handover"] == [("2027-03-14 03:30 EDT", "2027-03-14 04:30 EDT")]
    assert _events(ctx, capsys)["Short handover"] == [("2027-03-14 03:30 EDT", "2027-03-14 04:00 EDT")]
    assert run_cli(capsys, "profile", "set", "--timezone", "Europe/London", "--db", ctx.db.url).code == 0
    assert _events(ctx, capsys)["Night handover"] == [("2027-03-14 02:30 GMT", "2027-03-14 03:30 GMT")]
    again = run_cli(capsys, "import", str(path), "--db", ctx.db.url, "--json")
    assert (again.json()["created"], again.json()["updated"]) == (0, 0), again.out
    assert run_cli(capsys, "profile", "set", "--timezone", "America/New_York", "--db", ctx.db.url).code == 0
    assert _events(ctx, capsys)["Night handover"] == [("2027-03-14 03:30 EDT", "2027-03-14 04:30 EDT")]
    again = run_cli(capsys, "import", str(path), "--db", ctx.db.url, "--json")
    assert (again.json()["created"], again.json()["updated"]) == (0, 0), again.out


def test_a_negative_duration_is_refused_in_words_true_of_its_file(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    path = _write(tmp_path, "bad.ics", HEAD + _event("back", "Backwards", ":20270310T090000", "-PT30M") + TAIL)
    done = run_cli(capsys, "import", str(path), "--db", ctx.db.url)
    assert done.code == 2, done.out + done.err
    assert "ends before it starts (its DURATION -PT30M is negative)" in done.err, done.err
    assert "DTEND" not in done.err, done.err


def test_a_re_import_corrects_an_end_stored_by_the_wall_clock_and_says_so(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """A row as the old reader stored it (02:30 EST, three hours on): upgrade 0013 has its file read again, and
    the unchanged file updates it, naming the time."""
    import importlib

    import sqlalchemy as sa

    migration = importlib.import_module("imgcoach.storage.migrations.versions.0013_event_wall_length")

    path = _write(tmp_path, "rota.ics", TZID)
    assert run_cli(capsys, "import", str(path), "--db", ctx.db.url).code == 0
    with ctx.db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE calendar_event SET end_at = :wrong WHERE summary = 'Fall-back night round'"),
                     {"wrong": datetime(2027, 11, 7, 7, 30)})
        conn.execute(sa.text(migration.REREAD_SQL), {"no": False})
    again = run_cli(capsys, "import", str(path), "--db", ctx.db.url, "--json").json()
    assert again["updated"] == 1 and again["changes"] == [{"uid": "fall@test", "recurrence_id": "",
                                                           "summary": "Fall-back night round", "changed": ["time"]}]
    assert _events(ctx, capsys)["Fall-back night round"] == [("2027-11-07 00:30 EDT", "2027-11-07 01:30 EST")]


def test_a_floating_row_from_before_upgrade_0013_is_told_what_its_update_keeps(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """Its time is unchanged (no change of clock that day), but the row now keeps its DURATION for a change of
    zone: "updated" names that, not a time that did not change."""
    import importlib

    import sqlalchemy as sa

    migration = importlib.import_module("imgcoach.storage.migrations.versions.0013_event_wall_length")
    path = _write(tmp_path, "clinic.ics", HEAD + _event("clinic", "Clinic", ":20270115T090000", "PT1H") + TAIL)
    assert run_cli(capsys, "import", str(path), "--db", ctx.db.url).code == 0
    listed = run_cli(capsys, "events", "list", "--db", ctx.db.url, "--json").json()
    assert [(e["wall_start"], e["wall_end"], e["wall_length"]) for e in listed] == [
        ("2027-01-15T09:00:00", "2027-01-15T10:00:00", "PT1H")]
    with ctx.db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE calendar_event SET wall_length = ''"))
        conn.execute(sa.text(migration.REREAD_SQL), {"no": False})
    again = run_cli(capsys, "import", str(path), "--db", ctx.db.url, "--json").json()
    assert [c["changed"] for c in again["changes"]] == [
        ["its DURATION in the file is now kept for a change of your time zone"]]
    assert _events(ctx, capsys)["Clinic"] == [("2027-01-15 09:00 EST", "2027-01-15 10:00 EST")]


def test_a_day_written_in_hours_is_24_elapsed_hours_and_stays_so_after_a_move(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """PT24H is exact time, P1D the same clock time next day (RFC 5545 3.3.6); icalendar reads both as one day, so
    PT24H across New York's spring-forward ended at 09:30 EDT, 23 hours on."""
    path = _write(tmp_path, "shifts.ics", HEAD + "".join((
        _event("zoned", "Zoned 24-hour shift", ";TZID=America/New_York:20270313T093000", "PT24H"),
        _event("floating", "Floating 24-hour shift", ":20270313T093000", "PT24H"),
    )) + TAIL)
    assert run_cli(capsys, "import", str(path), "--db", ctx.db.url).code == 0
    events = _events(ctx, capsys)
    assert events["Zoned 24-hour shift"] == [("2027-03-13 09:30 EST", "2027-03-14 10:30 EDT")]
    assert events["Floating 24-hour shift"] == [("2027-03-13 09:30 EST", "2027-03-14 10:30 EDT")]
    assert run_cli(capsys, "profile", "set", "--timezone", "Europe/London", "--db", ctx.db.url).code == 0
    assert _events(ctx, capsys)["Floating 24-hour shift"] == [("2027-03-13 09:30 GMT", "2027-03-14 09:30 GMT")]
    again = run_cli(capsys, "import", str(path), "--db", ctx.db.url, "--json")
    assert (again.json()["created"], again.json()["updated"]) == (0, 0), again.out
    assert run_cli(capsys, "profile", "set", "--timezone", "America/New_York", "--db", ctx.db.url).code == 0
    assert _events(ctx, capsys)["Floating 24-hour shift"] == [("2027-03-13 09:30 EST", "2027-03-14 10:30 EDT")]


def test_the_import_preview_says_the_end_the_list_keeps(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    path = _write(tmp_path, "study.ics", HEAD + _event(
        "mayo", "Interview: Mayo Clinic", ";TZID=America/New_York:20271107T003000", "PT2H") + TAIL)
    preview = run_cli(capsys, "import", str(path), "--dry-run", "--json", "--db", ctx.db.url).json()
    (said,) = preview["suggestions"]
    assert datetime.fromisoformat(said["end"]) == datetime(2027, 11, 7, 6, 30, tzinfo=UTC), said
    assert run_cli(capsys, "import", str(path), "--db", ctx.db.url).code == 0
    assert _events(ctx, capsys)["Interview: Mayo Clinic"] == [("2027-11-07 00:30 EDT", "2027-11-07 01:30 EST")]
