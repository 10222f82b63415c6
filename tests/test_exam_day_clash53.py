"""An exam sat (or booked) on a working day of a full-time rotation is a clash, said where the other clashes are.

Found walking an applicant's plan on 7 December: Step 2 CK booked for Tuesday 5 January 2027, during a 40 h/week
externship (23 Nov 2026 to 15 Jan 2027). `exams add` printed its id alone, `rotations add` of the externship over
the booking warned of nothing, and the timeline's conflicts under the grid said nothing: find_conflicts read
rotations and study blocks only. The applicant must arrange that day off; a part-time rotation leaves days free (no
clash), a Saturday sitting takes no working day, and ECFMG certification is granted on its day, not sat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from textual.widgets import Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_exam, add_rotation, find_conflicts
from tests.cli_helpers import run_cli
from tests.tui_helpers import app_for, settle


@dataclass
class _Span:
    id: int | None
    start_date: date
    end_date: date
    hours_per_week: int
    institution: str = "St Luke Clinic"
    hours_assumed: bool = False


@dataclass
class _Exam:
    id: int | None
    exam: str
    taken_on: date


EXTERNSHIP = _Span(1, date(2026, 11, 23), date(2027, 1, 15), 40)
TUESDAY, SATURDAY = date(2027, 1, 5), date(2027, 1, 9)
SAID = ("exam Step 2 CK on 05 Jan 2027 falls on a working day of St Luke Clinic (23 Nov 2026 to 15 Jan 2027), a "
        "full-time rotation (40 h/week)")


def test_an_exam_on_a_full_time_weekday_is_a_conflict() -> None:
    (clash,) = find_conflicts([EXTERNSHIP], [], exams=[_Exam(7, "Step 2 CK", TUESDAY)])
    assert (clash.kind, clash.first_id, clash.second_id, clash.start, clash.end) == (
        "exam_on_full_time", 7, 1, TUESDAY, TUESDAY)
    assert clash.message == SAID


def test_part_time_a_weekend_and_a_certification_are_none() -> None:
    """Guards of what is no clash: they pass before and after."""
    part_time = _Span(2, date(2026, 11, 23), date(2027, 1, 15), 16)
    assert find_conflicts([part_time], [], exams=[_Exam(7, "Step 2 CK", TUESDAY)]) == []
    assert find_conflicts([EXTERNSHIP], [], exams=[_Exam(7, "Step 2 CK", SATURDAY)]) == []
    assert find_conflicts([EXTERNSHIP], [], exams=[_Exam(8, "ECFMG certification", TUESDAY)]) == []
    assert find_conflicts([EXTERNSHIP], [], exams=[_Exam(7, "Step 2 CK", date(2027, 1, 18))]) == []  # after it


def test_an_assumed_40_says_so() -> None:
    assumed = _Span(1, EXTERNSHIP.start_date, EXTERNSHIP.end_date, 40, hours_assumed=True)
    (clash,) = find_conflicts([assumed], [], exams=[_Exam(7, "Step 2 CK", TUESDAY)])
    assert clash.message.endswith("a full-time rotation (40 h/week, assumed)"), clash.message


def _externship(capsys: pytest.CaptureFixture[str], ctx: Context, hours: str = "40") -> None:
    result = run_cli(capsys, "rotations", "add", "--kind", "externship", "--specialty", "Internal Medicine",
                     "--institution", "St Luke Clinic", "--state", "TX", "--start", "2026-11-23", "--end",
                     "2027-01-15", "--hours", hours, "--db", ctx.db.url)
    assert result.code == 0, result


def test_exams_add_and_edit_warn(capsys: pytest.CaptureFixture[str], ctx: Context, cli_clock: FixedClock) -> None:
    _externship(capsys, ctx)
    added = run_cli(capsys, "exams", "add", "--exam", "Step 2 CK", "--date", "2027-01-05", "--db", ctx.db.url)
    assert added.code == 0 and added.out.strip() == "1", added
    assert f"imgcoach: warning: {SAID}" in added.err, added.err
    moved = run_cli(capsys, "exams", "edit", "1", "--date", "2027-01-09", "--db", ctx.db.url)  # a Saturday
    assert moved.code == 0 and "falls on a working day" not in moved.err, moved
    back = run_cli(capsys, "exams", "edit", "1", "--date", "2027-01-05", "--db", ctx.db.url)
    assert back.code == 0 and f"imgcoach: warning: {SAID}" in back.err, back


def test_rotations_add_over_a_booked_exam_warns(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                cli_clock: FixedClock) -> None:
    add_exam(ctx, "Step 2 CK", TUESDAY)
    result = run_cli(capsys, "rotations", "add", "--kind", "externship", "--specialty", "Internal Medicine",
                     "--institution", "St Luke Clinic", "--state", "TX", "--start", "2026-11-23", "--end",
                     "2027-01-15", "--hours", "40", "--db", ctx.db.url)
    assert result.code == 0 and f"imgcoach: warning: {SAID}" in result.err, result


def test_a_part_time_rotation_over_a_booked_exam_says_nothing(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                               cli_clock: FixedClock) -> None:
    """A guard: 16 h/week leaves the exam day free."""
    add_exam(ctx, "Step 2 CK", TUESDAY)
    _externship(capsys, ctx, hours="16")
    assert "falls on a working day" not in capsys.readouterr().err


async def test_the_timeline_lists_the_clash(ctx: Context) -> None:
    add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="St Luke Clinic",
                 start_date=EXTERNSHIP.start_date, end_date=EXTERNSHIP.end_date, hours_per_week=40)
    add_exam(ctx, "Step 2 CK", TUESDAY)
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        conflicts = " ".join(str(pilot.app.screen.query_one("#conflicts", Static).render()).split())
        assert ("exam Step 2 CK on 05 Jan 2027 falls on a working day of St Luke Clinic (23 Nov 2026 – 15 Jan 2027), "
                "a full-time rotation (40 h/week)") in conflicts, conflicts


async def test_the_apps_exam_form_warns(ctx: Context) -> None:
    """The exam form on the Profile screen (p, a) says the clash once saved, as the rotation form says its overlaps."""
    from imgcoach.tui.widgets.form import FormScreen
    from tests.tui_helpers import fill, press, record_toasts

    add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="St Luke Clinic",
                 start_date=EXTERNSHIP.start_date, end_date=EXTERNSHIP.end_date, hours_per_week=40)
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        toasts = record_toasts(app)
        await press(pilot, "p", "a")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, exam="Step 2 CK", taken_on="2027-01-05")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        said = " ".join(" ".join(toasts).split())
        assert ("exam Step 2 CK on 05 Jan 2027 falls on a working day of St Luke Clinic (23 Nov 2026 – 15 Jan 2027), "
                "a full-time rotation (40 h/week)") in said, said
