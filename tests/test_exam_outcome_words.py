"""A pass/fail result typed as the score ("--score pass") is a result, and readiness tells a past sitting with no
result from a sitting still ahead.

Found by a new user's sequence: `exams add --exam "Step 1" --date 2025-05-10 --score pass` printed an id and exit 0
but stored neither score nor result (the error for "--score 240" even says Step 1 "is recorded as pass or fail"),
so readiness then advised "Sit USMLE Step 1 passed (by 2025-05-10)", a date 19 months in the past.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from imgcoach.coach.models import Applicant, ExamRecord, Plan
from imgcoach.coach.readiness import Status, check_exams
from imgcoach.coach.thresholds import load_thresholds
from imgcoach.core.context import Context
from imgcoach.plan.exams import add_exam, edit_exam, list_exams
from tests.cli_helpers import run_cli

T = load_thresholds()
SEASON = T.season(2026)  # submission 2025-09-03
TODAY = date(2025, 3, 3)
APPLICANT = Applicant("Test Applicant", date(2022, 6, 30), 2026, ("Internal Medicine",))


@pytest.mark.parametrize(("exam", "word", "stored"), [
    ("Step 1", "pass", "pass"), ("Step 1", "Passed", "pass"), ("Step 1", "FAIL", "fail"),
    ("Step 2 CK", "pass", "pass"), ("OET", "pass", "pass"), ("PLAB 1", "failed", "fail"),
])
def test_an_outcome_typed_as_the_score_is_stored_as_the_result(ctx: Context, exam: str, word: str,
                                                                 stored: str) -> None:
    row = add_exam(ctx, exam, date(2025, 5, 10), score=word)
    assert (row.score, row.result) == (None, stored)
    again = edit_exam(ctx, row.id or 0, exam, date(2025, 5, 11), score=word)
    assert (again.score, again.result, again.taken_on) == (None, stored, date(2025, 5, 11))


def test_cli_score_pass_for_step1_is_a_pass(capsys: pytest.CaptureFixture[str], ctx: Context, db_url: str) -> None:
    added = run_cli(capsys, "exams", "add", "--db", db_url, "--exam", "Step 1", "--date", "2025-05-10",
                    "--score", "pass")
    assert added.code == 0, added.err
    assert [(r.exam, r.result) for r in list_exams(ctx)] == [("Step 1", "pass")]


def _plan(*exams: ExamRecord) -> Plan:
    return Plan(APPLICANT, (), (), tuple(exams))


def test_a_past_sitting_without_a_result_asks_for_the_result_not_to_sit_it() -> None:
    sat = TODAY - timedelta(days=40)
    result = check_exams(_plan(ExamRecord("step1", "scheduled", sat)), TODAY, T, SEASON)[0]
    assert result.status is Status.AT_RISK
    assert "no result recorded" in result.evidence[0] and "2025-01-22" in result.evidence[0]
    assert result.action is not None and result.action.due == TODAY  # never a date in the past
    assert result.action.text.startswith("Record the result of USMLE Step 1")
    assert "Sit" not in result.action.text


def test_a_sitting_ahead_names_the_exam_not_the_milestone() -> None:
    ahead = TODAY + timedelta(days=30)
    result = check_exams(_plan(ExamRecord("step1", "scheduled", ahead)), TODAY, T, SEASON)[0]
    assert result.status is Status.AT_RISK and result.action is not None
    assert result.action.text == "Sit USMLE Step 1" and result.action.due == ahead
    today_sitting = check_exams(_plan(ExamRecord("step1", "scheduled", TODAY)), TODAY, T, SEASON)[0]
    assert today_sitting.action is not None and today_sitting.action.text == "Sit USMLE Step 1"


def _action(code: str, record: ExamRecord | None) -> tuple[Status, str]:
    plan = _plan(record) if record is not None else _plan()
    result = next(r for r in check_exams(plan, TODAY, T, SEASON) if r.key == f"exam:{code}")
    assert result.action is not None
    return result.status, result.action.text


def test_each_next_step_names_what_to_do_with_the_exam_not_the_milestone() -> None:
    """It said "Plan USMLE Step 1 passed so it is done by …" (the milestone's label as if it were a task), and
    asked a Step 2 CK pass with no score written down to plan the exam again."""
    status, text = _action("step1", None)
    assert status is Status.MISSING and text.startswith("Book USMLE Step 1: a sitting on or before ")
    status, text = _action("step1", ExamRecord("step1", "failed", TODAY - timedelta(days=90)))
    assert text.startswith("Book a retake of USMLE Step 1: a sitting on or before ")
    status, text = _action("step2ck", ExamRecord("step2ck", "passed", TODAY - timedelta(days=20)))
    assert status is Status.MISSING and text.startswith("Record your USMLE Step 2 CK score")
    status, text = _action("ecfmg_certification", None)
    assert text == "Complete ECFMG certification"
    late = SEASON.submission + timedelta(days=10)
    status, text = _action("step1", ExamRecord("step1", "scheduled", late))
    assert text.startswith("Move the USMLE Step 1 sitting to ")
    for code in ("step1", "step2ck", "oet", "ecfmg_certification"):
        assert "passed so" not in _action(code, None)[1] and "score so" not in _action(code, None)[1]


def test_a_certification_is_completed_not_passed() -> None:
    cert = ExamRecord("ecfmg_certification", "passed", TODAY - timedelta(days=3))
    result = next(r for r in check_exams(_plan(cert), TODAY, T, SEASON) if r.key == "exam:ecfmg_certification")
    assert result.status is Status.MET and result.evidence[0].startswith("Completed on ")
