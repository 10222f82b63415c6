"""Events that follow the applicant's zone are placed by one rule at import and after a change of zone.

A floating 02:30 on 14 March 2027 (New York's clocks skip 02:00-03:00) is read, as RFC 5545 asks, with the offset
before the gap: 03:30 EDT. After a move to London it was placed again from that instant (03:30), though the file
says 02:30 and reading it in London gives 02:30; importing the unchanged file then "updated" it. An event whose
TZID no zone matched was read in the applicant's zone (the import says so) but kept its instant on a move, so its
clock time changed silently, and the next import of the unchanged file moved it anyway. Real SQLite/PostgreSQL
databases, a real .ics file, the CLI in process on the fixed clock (2026-11-25)."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.test_floating_events_zone import _events

ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//clock times//EN\r
BEGIN:VEVENT\r
UID:handover@test\r
DTSTAMP:20261101T000000Z\r
DTSTART:20270314T023000\r
DTEND:20270314T040000\r
SUMMARY:Night handover\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:fold@test\r
DTSTAMP:20261101T000000Z\r
DTSTART:20271107T013000\r
DTEND:20271107T020000\r
SUMMARY:Early round\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:meeting@test\r
DTSTAMP:20261101T000000Z\r
DTSTART;TZID=Hospital Time:20270115T090000\r
DTEND;TZID=Hospital Time:20270115T100000\r
SUMMARY:Department meeting\r
END:VEVENT\r
END:VCALENDAR\r
"""


def _import(ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], zone: str) -> Path:
    assert run_cli(capsys, "profile", "set", "--timezone", zone, "--db", ctx.db.url).code == 0
    path = tmp_path / "rota.ics"
    path.write_text(ICS, encoding="utf-8", newline="")
    done = run_cli(capsys, "import", str(path), "--db", ctx.db.url)
    assert done.code == 0, done.err
    return path


def _unchanged(ctx: Context, path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The file read again in the applicant's zone now finds every row as it is."""
    again = run_cli(capsys, "import", str(path), "--db", ctx.db.url, "--json")
    assert again.code == 0 and (again.json()["created"], again.json()["updated"]) == (0, 0), again.out


def test_a_floating_time_new_york_skips_reads_as_the_file_says_after_a_move(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    path = _import(ctx, tmp_path, capsys, "America/New_York")
    # RFC 5545: 02:30 does not exist that night; read with the offset before the gap (02:30 EST = 03:30 EDT)
    assert _events(ctx, capsys)["Night handover"] == [("2027-03-14 03:30 EDT", "2027-03-14 04:00 EDT")]
    assert run_cli(capsys, "profile", "set", "--timezone", "Europe/London", "--db", ctx.db.url).code == 0
    assert _events(ctx, capsys)["Night handover"] == [("2027-03-14 02:30 GMT", "2027-03-14 04:00 GMT")]
    _unchanged(ctx, path, capsys)
    assert run_cli(capsys, "profile", "set", "--timezone", "America/New_York", "--db", ctx.db.url).code == 0
    assert _events(ctx, capsys)["Night handover"] == [("2027-03-14 03:30 EDT", "2027-03-14 04:00 EDT")]
    _unchanged(ctx, path, capsys)


def test_a_move_places_skipped_and_repeated_times_as_an_import_in_the_new_zone_does(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """Imported in London, then moved to New York: the same instants as the file imported in New York (the
    repeated 01:30 of 7 November is its first, EDT)."""
    path = _import(ctx, tmp_path, capsys, "Europe/London")
    assert run_cli(capsys, "profile", "set", "--timezone", "America/New_York", "--db", ctx.db.url).code == 0
    moved = run_cli(capsys, "events", "list", "--db", ctx.db.url, "--json").json()
    _unchanged(ctx, path, capsys)
    run_cli(capsys, "events", "remove", *[str(e["id"]) for e in moved], "--db", ctx.db.url)
    fresh = tmp_path / "fresh.ics"
    fresh.write_text(ICS.replace("@test", "@fresh"), encoding="utf-8", newline="")
    assert run_cli(capsys, "import", str(fresh), "--db", ctx.db.url).code == 0
    direct = run_cli(capsys, "events", "list", "--db", ctx.db.url, "--json").json()
    assert [(e["summary"], e["start_at"], e["end_at"]) for e in sorted(moved, key=lambda e: e["summary"])] == [
        (e["summary"], e["start_at"], e["end_at"]) for e in sorted(direct, key=lambda e: e["summary"])]
    assert _events(ctx, capsys)["Early round"] == [("2027-11-07 01:30 EDT", "2027-11-07 02:00 EST")]


def test_an_event_in_an_unknown_zone_follows_the_zone_it_was_read_in_and_says_so(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    path = tmp_path / "rota.ics"
    assert run_cli(capsys, "profile", "set", "--timezone", "America/New_York", "--db", ctx.db.url).code == 0
    path.write_text(ICS, encoding="utf-8", newline="")
    done = run_cli(capsys, "import", str(path), "--db", ctx.db.url)
    assert ('unknown time zone "Hospital Time"' in done.err and "read in America/New_York (your time zone), "
            "and keep their clock time if it changes; check them" in done.err), done.err
    assert _events(ctx, capsys)["Department meeting"] == [("2027-01-15 09:00 EST", "2027-01-15 10:00 EST")]
    moved = run_cli(capsys, "profile", "set", "--timezone", "Europe/London", "--db", ctx.db.url)
    assert moved.out == ("profile saved for Test Applicant; 2 imported events without a time zone keep their "
                         "clock time in Europe/London; 1 imported event in a time zone the import could not match "
                         "(read in yours) keeps its clock time in Europe/London\n"), moved.out
    assert _events(ctx, capsys)["Department meeting"] == [("2027-01-15 09:00 GMT", "2027-01-15 10:00 GMT")]
    _unchanged(ctx, path, capsys)  # read in London, as it now is
    listed = run_cli(capsys, "events", "list", "--db", ctx.db.url, "--json").json()
    assert [e["zone_assumed"] for e in listed if e["summary"] == "Department meeting"] == ["Hospital Time"]


async def test_the_apps_profile_form_says_which_imported_events_kept_their_clock_time(
        ctx: Context, tmp_path: Path) -> None:
    """The app moved them as `profile set` does, and said only "Profile saved; pending reminders follow...": the
    instants of three imported events changed without a word. It says the sentence `profile set` prints."""
    from imgcoach.calendar import apply_import
    from tests.tui_helpers import app_for, fill, press

    path = tmp_path / "rota.ics"
    path.write_text(ICS, encoding="utf-8", newline="")
    apply_import(ctx, path)
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "p", "e")
        fill(pilot.app.screen, timezone="Europe/London")
        await press(pilot, "ctrl+s")
        said = [str(n.message) for n in pilot.app._notifications][-1]
    assert said == ("Profile saved for Test Applicant; 2 imported events without "
                    "a time zone keep their clock time in Europe/London; 1 imported event in a time zone the import "
                    "could not match (read in yours) keeps its clock time in Europe/London"), said


def test_the_import_says_when_a_start_does_not_exist_in_its_zone(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """Listed at 03:30 with nothing to say why, though the file says 02:30: the warning names both, for a
    floating time read in the applicant's zone and for a TZID's time alike; a repeated 01:30 exists (no word)."""
    path = tmp_path / "rota.ics"
    path.write_text(ICS.replace("END:VCALENDAR", "BEGIN:VEVENT\r\nUID:berlin@test\r\nDTSTAMP:20261101T000000Z\r\n"
                                "DTSTART;TZID=Europe/Berlin:20270328T020000\r\nSUMMARY:Berlin night\r\nEND:VEVENT\r\n"
                                "END:VCALENDAR"), encoding="utf-8", newline="")
    assert run_cli(capsys, "profile", "set", "--timezone", "America/New_York", "--db", ctx.db.url).code == 0
    done = run_cli(capsys, "import", str(path), "--db", ctx.db.url)
    assert done.code == 0, done.err
    assert ('rota.ics:4: event "Night handover" (UID handover@test): starts at 02:30 on 2027-03-14, a time that '
            "does not exist in America/New_York (the clocks go forward an hour then): read as 03:30 EDT, as RFC "
            "5545 asks") in done.err, done.err
    assert ('starts at 02:00 on 2027-03-28, a time that does not exist in Europe/Berlin (the clocks go forward '
            "an hour then): read as 03:00 CEST") in done.err, done.err
    assert "Early round" not in done.err and done.err.count("does not exist") == 2, done.err


def test_offsets_no_zone_keeps_follow_the_zone_they_were_read_in(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """"GMT+03.00/+04.00" names offsets no zone keeps in 2027: read in the applicant's zone ("check them"), it kept
    its instant on a move, and the unchanged file imported again then moved it ("updated: time, time zone")."""
    from tests.test_calendar_reader import DATA

    path = tmp_path / "lotus.ics"
    path.write_bytes((DATA / "lotus_offset_pair_names_alone.ics").read_bytes())
    assert run_cli(capsys, "profile", "set", "--timezone", "America/New_York", "--db", ctx.db.url).code == 0
    done = run_cli(capsys, "import", str(path), "--db", ctx.db.url)
    assert ("that no time zone keeps in 2027: its times are read in America/New_York (your time zone), and keep "
            "their clock time if it changes; check them") in done.err, done.err
    moved = run_cli(capsys, "profile", "set", "--timezone", "Asia/Kolkata", "--db", ctx.db.url)
    assert moved.out.endswith("; 1 imported event in a time zone the import could not match (read in yours) keeps "
                              "its clock time in Asia/Kolkata\n"), moved.out
    assert _events(ctx, capsys)["Offsets no zone keeps"] == [("2027-07-05 09:00 IST", "2027-07-05 09:00 IST")]
    _unchanged(ctx, path, capsys)


def test_the_apps_event_detail_says_how_an_event_follows_your_zone(ctx: Context, tmp_path: Path) -> None:
    """The timeline's detail said "03:30 to 04:00 (your time)" for an event whose file says 02:30 and no zone: it
    now says it has no zone (and moves with yours), and that the file's 02:30 is a time your zone skips."""
    from imgcoach.calendar import apply_import, list_events
    from imgcoach.tui.details import bar_details

    path = tmp_path / "rota.ics"
    path.write_text(ICS, encoding="utf-8", newline="")
    apply_import(ctx, path)
    ids = {e.summary: e.id for e in list_events(ctx)}
    _, handover = bar_details(ctx, "event", ids["Night handover"])
    assert "14 Mar 2027 03:30 to 14 Mar 2027 04:00 (your time)" in handover.plain, handover.plain
    assert ("No time zone in its file: kept at its clock time in yours, also if yours changes.\nIts file says 02:30, "
            "a time your zone skips that night (clocks go forward).") in handover.plain, handover.plain
    _, meeting = bar_details(ctx, "event", ids["Department meeting"])
    assert ('Its file\'s time zone "Hospital Time" matched no zone: read in yours, and kept at its clock time if '
            "yours changes.") in meeting.plain, meeting.plain
    _, early = bar_details(ctx, "event", ids["Early round"])
    assert "skips" not in early.plain, early.plain


@pytest.mark.sqlite_only  # an old SQLite file, downgraded and upgraded by Alembic
def test_rows_imported_before_the_upgrade_learn_their_clock_time_by_importing_the_file_again(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """Rows from before upgrade 0012 know neither the file's clock time nor its unmatched TZID. The upgrade makes
    their file be read again on its next import (not skipped as unchanged), which records both and says so."""
    from alembic import command

    from tests.migration_helpers import migrate_file

    path = _import(ctx, tmp_path, capsys, "America/New_York")
    db_file = Path(ctx.db.url.removeprefix("sqlite:///"))
    ctx.db.close()
    migrate_file(db_file, command.downgrade, "0011_event_links_floating")
    again = run_cli(capsys, "import", str(path), "--db", ctx.db.url)  # opening upgrades to the head
    assert again.code == 0, again.err
    assert ('updated "Night handover": its clock time in the file is now kept for a change of your time zone'
            in again.out), again.out
    assert ('updated "Department meeting": its time zone is unknown: now read in yours and kept at its clock time '
            "when yours changes") in again.out, again.out
    assert run_cli(capsys, "profile", "set", "--timezone", "Europe/London", "--db", ctx.db.url).code == 0
    assert _events(ctx, capsys)["Night handover"] == [("2027-03-14 02:30 GMT", "2027-03-14 04:00 GMT")]
    assert _events(ctx, capsys)["Department meeting"] == [("2027-01-15 09:00 GMT", "2027-01-15 10:00 GMT")]
