"""One row per sitting: no second booking of the same exam, and no result for a day that has not come.

Found by a new user's sequence on 3 December: `exams add --exam "Step 2 CK" --date 2027-03-10` twice stored two
bookings (two attempts to the shortlist, which reads attempts), a third on 2027-03-12 made three, and
`exams add --exam "Step 1" --date 2027-05-01 --score pass` stored a pass five months ahead, which readiness
then counted as "USMLE Step 1 passed".
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock, local_today
from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError, ValidationError
from imgcoach.plan.exams import add_exam, edit_exam, list_exams
from tests.cli_helpers import database_state, run_cli


def _today(ctx: Context) -> date:
    return local_today(ctx.clock, "America/New_York")  # the `ctx` applicant's zone


def _rows(ctx: Context) -> list[tuple[str, date, int | None, str | None]]:
    return [(r.exam, r.taken_on, r.score, r.result) for r in list_exams(ctx)]


def test_the_same_booking_twice_is_one_booking(ctx: Context) -> None:
    day = _today(ctx) + timedelta(days=100)
    first = add_exam(ctx, "Step 2 CK", day)
    with pytest.raises(FieldError, match=rf"already recorded on {day} \(exam {first.id}\)") as refused:
        add_exam(ctx, "Step 2 CK", day)
    assert refused.value.field == "taken_on"  # the form's date field, where the app puts the message
    assert _rows(ctx) == [("Step 2 CK", day, None, None)]


def test_a_second_booking_ahead_is_refused_until_the_first_has_its_result(ctx: Context) -> None:
    today = _today(ctx)
    booked = add_exam(ctx, "Step 2 CK", today + timedelta(days=100))
    with pytest.raises(FieldError, match=rf"already booked for {today + timedelta(days=100)}"):
        add_exam(ctx, "Step 2 CK", today + timedelta(days=102))
    # Another exam is its own booking.
    add_exam(ctx, "Step 1", today + timedelta(days=102))
    # Moving the booking is an edit of that row, and is not refused by itself.
    assert edit_exam(ctx, booked.id or 0, "Step 2 CK", today + timedelta(days=102)).taken_on == \
        today + timedelta(days=102)
    assert len([r for r in list_exams(ctx) if r.exam == "Step 2 CK"]) == 1


def test_a_booking_left_in_the_past_does_not_block_the_next_one(ctx: Context) -> None:
    """A sitting that passed with no result recorded (a no-show, or a result not typed yet) stays as it is;
    readiness asks for its result. A booking ahead beside it is a different sitting."""
    today = _today(ctx)
    add_exam(ctx, "OET", today - timedelta(days=30))
    add_exam(ctx, "OET", today + timedelta(days=60))
    assert [r.taken_on for r in list_exams(ctx) if r.exam == "OET"] == [today - timedelta(days=30),
                                                                        today + timedelta(days=60)]


@pytest.mark.parametrize(("exam", "outcome"), [("Step 1", {"score": "pass"}), ("Step 2 CK", {"score": 250}),
                                               ("ECFMG certification", {"result": "pass"})])
def test_a_result_dated_after_today_is_refused(ctx: Context, exam: str, outcome: dict[str, object]) -> None:
    ahead = _today(ctx) + timedelta(days=1)
    with pytest.raises(ValidationError, match="after today") as refused:
        add_exam(ctx, exam, ahead, **outcome)  # type: ignore[arg-type]
    assert refused.value.for_field("taken_on") is not None  # shown at the form's date field
    assert list_exams(ctx) == []
    assert add_exam(ctx, exam, _today(ctx), **outcome).id is not None  # type: ignore[arg-type]  # today is fine


def test_an_edit_cannot_put_a_result_ahead_or_two_rows_on_one_day(ctx: Context) -> None:
    today = _today(ctx)
    sat = add_exam(ctx, "Step 2 CK", today - timedelta(days=200), score=205)  # a fail: a retake is booked
    booked = add_exam(ctx, "Step 2 CK", today + timedelta(days=90))
    with pytest.raises(ValidationError, match="after today"):
        edit_exam(ctx, booked.id or 0, "Step 2 CK", today + timedelta(days=90), score=250)
    with pytest.raises(FieldError, match=rf"already recorded on {today - timedelta(days=200)} \(exam {sat.id}\)"):
        edit_exam(ctx, booked.id or 0, "Step 2 CK", today - timedelta(days=200))
    assert edit_exam(ctx, sat.id or 0, "Step 2 CK", today - timedelta(days=200), score=206).score == 206


def test_a_result_completes_a_moved_booking_on_the_day_it_was_sat(ctx: Context) -> None:
    """The booking said the 10th, the sitting moved to the 12th: the one row now says the 12th."""
    today = _today(ctx)
    add_exam(ctx, "Step 2 CK", today - timedelta(days=12))
    add_exam(ctx, "Step 2 CK", today - timedelta(days=10), score=248)
    assert _rows(ctx) == [("Step 2 CK", today - timedelta(days=10), 248, "pass")]


def test_cli_refusals_exit_2_and_change_nothing(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                 db_url: str, cli_clock: FixedClock) -> None:
    today = _today(ctx)  # the CLI's day too (cli_clock)
    ahead = (today + timedelta(days=400)).isoformat()
    assert run_cli(capsys, "exams", "add", "--db", db_url, "--exam", "Step 2 CK", "--date", ahead).code == 0
    before = database_state(db_url)
    for args in (("--exam", "Step 2 CK", "--date", ahead),
                 ("--exam", "Step2 CK", "--date", (today + timedelta(days=402)).isoformat()),
                 ("--exam", "Step 1", "--date", ahead, "--score", "pass")):
        refused = run_cli(capsys, "exams", "add", "--db", db_url, *args)
        assert refused.code == 2, refused.err
        assert refused.err.count("\n") == 1 and "--date: " in refused.err
    assert database_state(db_url) == before


RESCHEDULED_CONFIRMATION = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//imgcoach tests//a test centre's confirmation//EN
BEGIN:VEVENT
UID:confirmation-rescheduled@example.org
DTSTAMP:20261120T120000Z
DTSTART;TZID=America/New_York:{day}T080000
DTEND;TZID=America/New_York:{day}T170000
SUMMARY:USMLE Step 2 CK - test centre appointment (rescheduled)
END:VEVENT
END:VCALENDAR
"""


def test_an_imported_appointment_is_not_a_second_booking(ctx: Context, tmp_path: Path) -> None:
    """A test centre's confirmation for another day, imported while the plan holds a booking ahead, is the
    rule `exams add` keeps: the event stays a plain event with a warning naming the booking to move."""
    from imgcoach.calendar.importing import apply_import

    today = _today(ctx)
    booked = add_exam(ctx, "Step 2 CK", today + timedelta(days=100))
    ics = tmp_path / "confirmation.ics"
    ics.write_text(RESCHEDULED_CONFIRMATION.format(day=f"{today + timedelta(days=140):%Y%m%d}"), encoding="utf-8")
    report = apply_import(ctx, ics, accept=True)
    assert [r.id for r in list_exams(ctx)] == [booked.id]
    assert any(w.message.startswith("not made an exam:") and f"(exam {booked.id})" in w.message
               for w in report.warnings), report.warnings


def test_a_passed_usmle_step_is_not_sat_again(ctx: Context) -> None:
    """Seven passing Step 2 CK rows on seven days were seven attempts to the shortlist (issue 14 audit); USMLE
    does not let a passed Step be retaken (usmle.org, Common questions: Scores), so a later row is refused."""
    today = _today(ctx)
    passed = add_exam(ctx, "Step 2 CK", today - timedelta(days=200), score=246)
    for later, kw in ((today - timedelta(days=100), {"score": 250}), (today + timedelta(days=30), {})):
        with pytest.raises(FieldError, match=rf"already recorded as passed on {today - timedelta(days=200)} "
                                             rf"\(exam {passed.id}\): USMLE does not allow retaking") as refused:
            add_exam(ctx, "Step 2 CK", later, **kw)  # type: ignore[arg-type]
        assert refused.value.field == "taken_on"
    # An earlier failed attempt is history, and another exam, or OET after a pass, is not limited.
    add_exam(ctx, "Step 2 CK", today - timedelta(days=300), score=200)
    add_exam(ctx, "Step 3", today + timedelta(days=30))
    add_exam(ctx, "OET", today - timedelta(days=250), result="pass")
    add_exam(ctx, "OET", today - timedelta(days=50), result="pass")
    assert [r[:2] for r in _rows(ctx) if r[0] == "Step 2 CK"] == [
        ("Step 2 CK", today - timedelta(days=300)), ("Step 2 CK", today - timedelta(days=200))]


def test_a_failed_usmle_step_can_be_booked_again(ctx: Context) -> None:
    today = _today(ctx)
    add_exam(ctx, "Step 1", today - timedelta(days=60), result="fail")
    assert add_exam(ctx, "Step 1", today + timedelta(days=40)).taken_on == today + timedelta(days=40)
