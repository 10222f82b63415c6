"""Near the submission date, an exam action never names a day already past as the day to sit by.

Found by an applicant three weeks before the ERAS submission date (Match 2028, submission 3 September 2027,
today 20 August 2027) with Step 2 CK not yet booked: readiness said "Book USMLE Step 2 CK: a sitting on or before
2027-08-06 (by 2027-08-20)", and with a seat booked for 25 August "Move the USMLE Step 2 CK sitting to 2027-08-06
or earlier": both ask for a sitting on a day two weeks gone.
"""

from __future__ import annotations

from datetime import date

from imgcoach.coach.models import Applicant, ExamRecord, Plan
from imgcoach.coach.readiness import Status, check_exams, plan_sitting
from imgcoach.coach.thresholds import load_thresholds

T = load_thresholds()
SEASON = T.season(2028)  # submission 2027-09-03 (estimated from the 2026 season)
TODAY = date(2027, 8, 20)
APPLICANT = Applicant("Test Applicant", date(2025, 6, 30), 2028, ("Internal Medicine",))


def _step2(*exams: ExamRecord):
    plan = Plan(APPLICANT, (), (), tuple(exams))
    return next(c for c in check_exams(plan, TODAY, T, SEASON) if c.key == "exam:step2ck")


def test_nothing_booked_after_the_latest_day_asks_for_the_earliest_seat() -> None:
    check = _step2()
    assert check.status is Status.MISSING and check.action is not None
    assert "on or before 2027-08-06" not in check.action.text
    assert "earliest" in check.action.text and "2027-08-06" in check.action.text and "passed" in check.action.text
    assert check.action.due == TODAY


def test_a_booking_after_the_latest_day_is_not_told_to_move_into_the_past() -> None:
    check = _step2(ExamRecord("step2ck", "scheduled", date(2027, 8, 25)))
    assert check.status is Status.MISSING and check.action is not None
    assert "to 2027-08-06 or earlier" not in check.action.text
    assert "2027-08-25" in check.evidence[0]


def test_before_the_latest_day_the_advice_is_unchanged() -> None:
    sitting = plan_sitting("USMLE Step 2 CK", None, date(2027, 9, 3), "submission", 28, date(2027, 7, 1))
    assert sitting.action.text == "Book USMLE Step 2 CK: a sitting on or before 2027-08-06"
    moved = plan_sitting("USMLE Step 2 CK", date(2027, 8, 25), date(2027, 9, 3), "submission", 28, date(2027, 7, 1))
    assert moved.action.text == "Move the USMLE Step 2 CK sitting to 2027-08-06 or earlier"
