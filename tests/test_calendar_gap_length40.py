"""A floating event whose start New York skips (02:30 on 14 March 2027) and whose end it shows (03:30) was read, as
RFC 5545 asks, 03:30-03:30 EDT: an event of no length, under a warning that spoke of its start alone. The warning
now says what became of its length; an end the zone skips is said too; and one that ends before its start as read
is refused with words true of the file ("DTEND 03:15 is before DTSTART 02:30" was not). Real .ics files, the CLI
in process on the fixed clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.test_floating_events_zone import _events


def _event(uid: str, start: str, end: str, summary: str) -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:{start}\r\nDTEND:{end}\r\n"
            f"SUMMARY:{summary}\r\nEND:VEVENT\r\n")


ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//gap//EN\r\n"
       + _event("shrunk@test", "20270314T023000", "20270314T033000", "Shrunk to nothing")  # line 4
       + _event("shorter@test", "20270314T023000", "20270314T040000", "Shorter")  # line 11
       + _event("inside@test", "20270314T020000", "20270314T024500", "Inside the gap")  # line 18
       + _event("into@test", "20270314T013000", "20270314T023000", "Into the gap")  # line 25
       + _event("across@test", "20270314T013000", "20270314T033000", "Across the gap")  # line 32: no word
       + "END:VCALENDAR\r\n")


def test_the_warning_says_what_the_gap_did_to_the_events_length(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    path = tmp_path / "nights.ics"
    path.write_text(ICS, encoding="utf-8", newline="")
    done = run_cli(capsys, "import", str(path), "--db", ctx.db.url)
    assert done.code == 0, done.err
    said = {line.removeprefix("imgcoach: warning: ").split(": ", 1)[0]: line
            for line in done.err.splitlines() if "not exist" in line}
    gap = "a time that does not exist in America/New_York (the clocks go forward an hour then)"
    assert said[f"{path}:4"].endswith(
        f'event "Shrunk to nothing" (UID shrunk@test): starts at 02:30 on 2027-03-14, {gap}: read as 03:30 EDT, '
        "as RFC 5545 asks; it still ends at 03:30 EDT, so it lasts no time at all (its clock times span 1 hour)"), said
    assert said[f"{path}:11"].endswith(
        f"starts at 02:30 on 2027-03-14, {gap}: read as 03:30 EDT, as RFC 5545 asks; it still ends at 04:00 EDT, "
        "so it lasts 30 minutes (its clock times span 1 hour 30 minutes)"), said
    assert said[f"{path}:18"].endswith(
        "starts at 02:00 and ends at 02:45 on 2027-03-14, times that do not exist in America/New_York (the clocks "
        "go forward an hour then): read as 03:00 EDT to 03:45 EDT, as RFC 5545 asks, so it keeps its length "
        "(45 minutes)"), said
    assert said[f"{path}:25"].endswith(
        "ends at 02:30 on 2027-03-14, a time that does not exist in America/New_York (the clocks go forward an "
        "hour then): read as 03:30 EDT, as RFC 5545 asks, so it keeps its length (1 hour)"), said
    assert sorted(said) == [f"{path}:{n}" for n in (11, 18, 25, 4)], said  # "Across the gap": nothing skipped
    events = _events(ctx, capsys)
    assert events["Shrunk to nothing"] == [("2027-03-14 03:30 EDT", "2027-03-14 03:30 EDT")]
    assert events["Inside the gap"] == [("2027-03-14 03:00 EDT", "2027-03-14 03:45 EDT")]
    assert events["Into the gap"] == [("2027-03-14 01:30 EST", "2027-03-14 03:30 EDT")]


def test_an_event_that_ends_before_its_start_as_read_is_refused_in_true_words(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    path = tmp_path / "night.ics"
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//gap//EN\r\n"
                    + _event("reversed@test", "20270314T023000", "20270314T031500", "Quarter past three")
                    + "END:VCALENDAR\r\n", encoding="utf-8", newline="")
    done = run_cli(capsys, "import", str(path), "--db", ctx.db.url)
    assert "is before DTSTART" not in done.err, done.err
    assert ("ends before it starts as RFC 5545 reads it: DTSTART 2027-03-14 02:30:00 does not exist in "
            "America/New_York (the clocks go forward then) and is read as 03:30 EDT, after DTEND 2027-03-14 "
            "03:15:00") in done.err, done.err
