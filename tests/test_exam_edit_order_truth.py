"""A sitting whose date is corrected takes its place among the exam's attempts: the numbers follow the dates.

Found on 5 December: `exams edit 2 --date ...` moved OET "attempt 2" before "attempt 1" and kept both numbers, so
`exams list`, its --json and the Profile screen said the second attempt came first. Renumbering, not refusing:
the date is the fact the applicant corrects, and the number is only its place (`exams add` numbers by date too).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from imgcoach.plan.exams import add_exam, edit_exam, list_exams
from tests.cli_helpers import run_cli
from tests.tui_helpers import SIZE, app_for, fill, press

OET_FAIL, OET_PASS = "300/310/290/300", "350/360/350/370"


def _attempts(ctx: Context, exam: str) -> list[tuple[int | None, date, int]]:
    return [(r.id, r.taken_on, r.attempt) for r in list_exams(ctx) if r.exam == exam]


def test_a_date_moved_before_the_first_sitting_makes_it_the_first_attempt(ctx: Context) -> None:
    first = add_exam(ctx, "OET", date(2026, 3, 5), score=OET_FAIL)
    second = add_exam(ctx, "OET", date(2026, 6, 5), score=OET_PASS)
    assert second.attempt == 2
    edit_exam(ctx, second.id or 0, "OET", date(2026, 1, 10), score=OET_PASS)  # the real date was January
    assert _attempts(ctx, "OET") == [(second.id, date(2026, 1, 10), 1), (first.id, date(2026, 3, 5), 2)]


def test_a_number_given_higher_for_sittings_not_recorded_here_is_kept(ctx: Context) -> None:
    earlier = add_exam(ctx, "Step 2 CK", date(2026, 2, 2), score=200, attempt=2)  # attempt 1 not recorded here
    later = add_exam(ctx, "Step 2 CK", date(2026, 5, 2), score=205)
    assert later.attempt == 3
    edit_exam(ctx, earlier.id or 0, "Step 2 CK", date(2026, 7, 1), score=200)
    assert _attempts(ctx, "Step 2 CK") == [(later.id, date(2026, 5, 2), 2), (earlier.id, date(2026, 7, 1), 3)]


def test_an_exam_changed_is_numbered_among_its_new_exams_sittings(ctx: Context) -> None:
    add_exam(ctx, "Step 2 CK", date(2026, 2, 2), score=200)
    typo = add_exam(ctx, "Step 3", date(2026, 6, 2), score=190)  # was Step 2 CK, the retake
    edit_exam(ctx, typo.id or 0, "Step 2 CK", date(2026, 6, 2), score=190)
    assert [a for _, _, a in _attempts(ctx, "Step 2 CK")] == [1, 2]


def test_cli_edit_renumbers_and_says_which_rows_changed(ctx: Context, db_url: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    first = add_exam(ctx, "OET", date(2026, 3, 5), score=OET_FAIL)
    second = add_exam(ctx, "OET", date(2026, 6, 5), score=OET_PASS)
    result = run_cli(capsys, "exams", "edit", str(second.id), "--db", db_url, "--date", "2026-01-10")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [f"exam {second.id} saved", f"exam {first.id} (OET, 2026-03-05) is now attempt 2",
                                       f"exam {second.id} (OET, 2026-01-10) is now attempt 1"]
    listed = run_cli(capsys, "exams", "list", "--db", db_url, "--json").json()
    assert [(r["taken_on"], r["attempt"]) for r in listed] == [("2026-01-10", 1), ("2026-03-05", 2)]


async def test_the_apps_exam_form_renumbers_by_the_same_rule(ctx: Context) -> None:
    first = add_exam(ctx, "OET", date(2026, 3, 5), score=OET_FAIL)
    second = add_exam(ctx, "OET", date(2026, 6, 5), score=OET_PASS)
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "p")
        table = pilot.app.screen.query_one("#exam-table")
        table.focus()
        await press(pilot, "down", "enter")  # the second row: the June sitting
        fill(pilot.app.screen, taken_on="2026-01-10")
        await press(pilot, "ctrl+s")
    assert _attempts(ctx, "OET") == [(second.id, date(2026, 1, 10), 1), (first.id, date(2026, 3, 5), 2)]


def test_a_result_completing_an_earlier_booking_takes_its_place_by_date(ctx: Context) -> None:
    """`exams add` completes the open booking on or before a result's date and moves it there: moved past a
    sitting recorded after the booking, it kept attempt 1 dated after attempt 2."""
    sat = add_exam(ctx, "Step 2 CK", date(2026, 2, 2), score=205)
    booking = add_exam(ctx, "Step 2 CK", date(2026, 1, 10))  # booked earlier, no result typed: attempt 1
    assert _attempts(ctx, "Step 2 CK") == [(booking.id, date(2026, 1, 10), 1), (sat.id, date(2026, 2, 2), 2)]
    add_exam(ctx, "Step 2 CK", date(2026, 3, 2), score=210)  # its result, on the day it was sat after all
    assert _attempts(ctx, "Step 2 CK") == [(sat.id, date(2026, 2, 2), 1), (booking.id, date(2026, 3, 2), 2)]


def _sitting_ics(path: Path, day: str, sequence: int) -> Path:
    """A test centre's calendar entry for one Step 2 CK sitting (all day), as a real .ics file."""
    path.write_bytes((
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//imgcoach tests//day37//EN\r\nBEGIN:VEVENT\r\n"
        "UID:step2-sitting@testcentre.example\r\nDTSTAMP:20261101T120000Z\r\n"
        f"SEQUENCE:{sequence}\r\nDTSTART;VALUE=DATE:{day}\r\nSUMMARY:USMLE Step 2 CK exam\r\n"
        "LOCATION:Test Centre (fictional)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").encode())
    return path


def test_a_sitting_imported_from_a_calendar_and_moved_there_is_numbered_by_date(ctx: Context,
                                                                             tmp_path: Path) -> None:
    """The calendar import numbers a sitting by the rule `exams add` uses: dated before a sitting already recorded,
    it left that one "attempt 1" too; and an event moved past another sitting kept its number."""
    from imgcoach.calendar.importing import apply_import

    recorded = add_exam(ctx, "Step 2 CK", date(2026, 6, 1), score=200)
    apply_import(ctx, _sitting_ics(tmp_path / "first.ics", "20260302", 0), accept=True)
    (made,) = [r for r in list_exams(ctx) if r.id != recorded.id]
    assert _attempts(ctx, "Step 2 CK") == [(made.id, date(2026, 3, 2), 1), (recorded.id, date(2026, 6, 1), 2)]
    apply_import(ctx, _sitting_ics(tmp_path / "moved.ics", "20260706", 1), accept=True)  # the centre moved it
    assert _attempts(ctx, "Step 2 CK") == [(recorded.id, date(2026, 6, 1), 1), (made.id, date(2026, 7, 6), 2)]
