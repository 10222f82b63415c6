"""The exam vocabulary: aliases, refusals with the list, score rules, dated passing standards, attempts."""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.core.errors import FieldError, UserError
from imgcoach.core.vocab.exams import (
    BY_CODE,
    EXAMS,
    Attempt,
    ExamRecord,
    OetScores,
    Outcome,
    ScoreKind,
    attempts,
    failed_attempts,
    is_pass,
    oet_requirement_on,
    parse_exam,
    standard_on,
    validate_score,
)

STEP1, STEP2, STEP3, OET = BY_CODE["step1"], BY_CODE["step2ck"], BY_CODE["step3"], BY_CODE["oet"]


@pytest.mark.parametrize(("typed", "code"), [
    ("Step 2 CK", "step2ck"), ("Step 2CK", "step2ck"), ("USMLE Step 2", "step2ck"), ("Step2 CK", "step2ck"),
    ("step 2 ck", "step2ck"), ("  STEP 2 ck  ", "step2ck"), ("CK", "step2ck"), ("Step-2-CK", "step2ck"),
    ("usmle step 2 ck", "step2ck"), ("step2ck", "step2ck"),
    ("USMLE Step 1", "step1"), ("S1", "step1"), ("step1", "step1"), ("Step 1", "step1"),
    ("Step 3", "step3"), ("USMLE Step3", "step3"),
    ("OET", "oet"), ("oet medicine", "oet"), ("Occupational English Test", "oet"),
    ("MCCQE", "mccqe1"), ("MCCQE Part I", "mccqe1"), ("mccqe 1", "mccqe1"),
    ("PLAB 1", "plab1"), ("plab2", "plab2"), ("PLAB Part 2", "plab2"),
    ("AMC MCQ", "amc_mcq"), ("AMC CAT", "amc_mcq"), ("AMC Clinical", "amc_clinical"),
    ("Step II CK", "step2ck"), ("Step II", "step2ck"), ("USMLE Step II CK", "step2ck"), ("step ii ck", "step2ck"),
    ("USMLE Step I", "step1"), ("Step I", "step1"), ("Step III", "step3"), ("USMLE Step III", "step3"),
])
def test_common_spellings_name_one_exam(typed: str, code: str) -> None:
    assert parse_exam(typed).code == code


def test_every_exam_parses_from_its_own_code_and_name() -> None:
    for exam in EXAMS:
        assert parse_exam(exam.code) is exam
        assert parse_exam(exam.name) is exam


@pytest.mark.parametrize(("typed", "expected"), [
    ("PLAB", "PLAB 1 or PLAB 2"),
    ("AMC", "AMC MCQ or AMC Clinical"),
    ("USMLE", "USMLE Step 1 or USMLE Step 2 CK or USMLE Step 3"),
])
def test_ambiguous_names_are_refused_with_the_exams_they_could_mean(typed: str, expected: str) -> None:
    with pytest.raises(FieldError, match=expected) as caught:
        parse_exam(typed, field="--exam")
    assert caught.value.field == "--exam"


def test_an_unknown_exam_is_refused_with_a_suggestion_and_the_accepted_list() -> None:
    with pytest.raises(UserError) as caught:
        parse_exam("Stpe 3", field="--exam")
    message = str(caught.value)
    assert message.startswith("--exam: unknown exam; did you mean 'USMLE Step 3'")
    assert all(exam.name in message for exam in EXAMS)
    assert "\n" not in message


@pytest.mark.parametrize("typed", ["Step 2 CS", "CS", "MCCQE Part II"])
def test_retired_exams_are_refused_saying_so(typed: str) -> None:
    with pytest.raises(FieldError, match="discontinued|no longer offered"):
        parse_exam(typed)


@pytest.mark.parametrize("typed", ["", "   ", "Step", "TOEFL", "IELTS", "Step 4"])
def test_anything_else_is_refused(typed: str) -> None:
    with pytest.raises(FieldError):
        parse_exam(typed)


# ------------------------------------------------------------------------------------------------ scores

def test_oet_accepts_350_on_each_subtest_in_every_written_form() -> None:
    expected = OetScores(350, 350, 350, 350)
    assert validate_score(OET, "L 350 R 350 W 350 S 350") == expected
    assert validate_score(OET, "l350, r350, w350, s350") == expected
    assert validate_score(OET, "350/350/350/350") == expected
    assert validate_score(OET, {"listening": 350, "reading": "350", "writing": 350, "speaking": 350}) == expected
    assert validate_score(OET, "0/500/0/500") == OetScores(0, 500, 0, 500)


@pytest.mark.parametrize(("value", "names"), [
    ("501/350/350/350", "listening"),
    ("L 350 R 350 W 350 S 501", "speaking"),
    ({"listening": 350, "reading": -1, "writing": 350, "speaking": 350}, "reading"),
])
def test_oet_refuses_a_subtest_over_500_naming_it_and_the_range(value: object, names: str) -> None:
    with pytest.raises(FieldError) as caught:
        validate_score(OET, value, field="--score")
    assert caught.value.field == f"--score {names}"
    assert "0 to 500" in str(caught.value)


@pytest.mark.parametrize("value", ["350", 350, "350/350/350", {"listening": 350}, "L350 R350 W350",
                                   {"listening": 1, "reading": 1, "writing": 1, "speaking": 1, "grammar": 1}])
def test_oet_needs_all_four_subtests(value: object) -> None:
    with pytest.raises(FieldError, match="four sub-test"):
        validate_score(OET, value)


@pytest.mark.parametrize("value", [230, "230", "250"])
def test_step1_refuses_a_numeric_score(value: object) -> None:
    with pytest.raises(FieldError, match="recorded as pass or fail"):
        validate_score(STEP1, value, field="--score")


@pytest.mark.parametrize(("value", "expected"), [("pass", Outcome.PASS), ("Passed", Outcome.PASS),
                                                 (" FAIL ", Outcome.FAIL), ("failed", Outcome.FAIL)])
def test_pass_fail_exams_take_an_outcome(value: str, expected: Outcome) -> None:
    assert validate_score(STEP1, value) is expected
    assert validate_score(BY_CODE["plab1"], value) is expected


@pytest.mark.parametrize(("value", "expected"), [("246", 246), (246, 246), (" 218 ", 218), (300, 300), (1, 1),
                                                 (246.0, 246)])
def test_step2_takes_a_three_digit_score(value: object, expected: int) -> None:
    assert validate_score(STEP2, value) == expected


@pytest.mark.parametrize("value", [0, 301, 999, "abc", "24 6", "", True, 2.5, float("nan"), None, "-5"])
def test_step2_refuses_scores_outside_the_scale(value: object) -> None:
    with pytest.raises(FieldError) as caught:
        validate_score(STEP2, value, field="--what-if-step2")
    assert caught.value.field == "--what-if-step2"
    assert "1 to 300" in str(caught.value)


def test_every_exam_has_a_score_rule() -> None:
    for exam in EXAMS:
        if exam.score_kind in (ScoreKind.NUMERIC, ScoreKind.OET_SUBTESTS):
            assert exam.score_min is not None and exam.score_max is not None
        assert validate_score(exam, "pass") is Outcome.PASS  # an outcome is always a valid record


# ------------------------------------------------------------------------------------------ pass or fail

def test_a_failing_step2_score_is_a_fail_on_every_standard() -> None:
    assert is_pass(STEP2, 205) is False
    assert is_pass(STEP2, 205, date(2016, 5, 1)) is False
    assert is_pass(STEP2, 213, date(2023, 3, 1)) is False


def test_step2_standard_follows_the_test_date() -> None:
    # 209 from July 2014, 214 from July 2022 (both sourced): 212 passed in 2021, failed in 2023.
    assert is_pass(STEP2, 212, date(2021, 6, 30)) is True
    assert is_pass(STEP2, 212, date(2022, 7, 1)) is False
    assert standard_on(STEP2, date(2022, 6, 30)).low == 209  # type: ignore[union-attr]


def test_where_sources_disagree_the_answer_is_unknown_not_a_pass() -> None:
    # From July 2025 the standard is 214 (sourced) or 218 (one secondary page): 216 cannot be judged.
    assert is_pass(STEP2, 216, date(2025, 9, 1)) is None
    assert is_pass(STEP2, 216) is None
    assert is_pass(STEP2, 218, date(2025, 9, 1)) is True
    assert is_pass(STEP2, 213, date(2025, 9, 1)) is False


def test_an_unknown_standard_answers_none() -> None:
    assert is_pass(STEP2, 250, date(2010, 1, 1)) is None  # before the first encoded standard
    assert is_pass(STEP3, 230, date(2023, 1, 1)) is None
    assert is_pass(STEP3, 199, date(2024, 2, 1)) is False


def test_every_standard_cites_its_source() -> None:
    for exam in EXAMS:
        for standard in exam.standards:
            assert standard.low <= standard.high
            assert "[P]" in standard.source or "[S]" in standard.source or "UNVERIFIED" in standard.source
    assert "ECFMG" in oet_requirement_on().source  # type: ignore[union-attr]


def test_oet_pass_means_ecfmgs_requirement_for_the_test_date() -> None:
    writing_300 = OetScores(350, 350, 300, 350)
    assert is_pass(OET, writing_300, date(2024, 5, 1)) is True  # 300 in Writing since 1 April 2022
    assert is_pass(OET, writing_300, date(2021, 5, 1)) is False  # 350 in every sub-test before
    assert is_pass(OET, OetScores(350, 340, 400, 400), date(2024, 5, 1)) is False
    assert is_pass(OET, OetScores(350, 350, 350, 350), date(2017, 1, 1)) is None


def test_an_outcome_decides_by_itself() -> None:
    assert is_pass(STEP1, Outcome.PASS) is True
    assert is_pass(STEP2, Outcome.FAIL) is False
    assert is_pass(BY_CODE["amc_clinical"], Outcome.FAIL) is False


# ---------------------------------------------------------------------------------------------- attempts

def _rec(exam: str, on: date, score: object = None, ref: str | None = None) -> ExamRecord[str]:
    e = BY_CODE[exam]
    return ExamRecord(e, on, None if score is None else validate_score(e, score), ref)


def test_a_booking_and_its_later_result_are_one_attempt() -> None:
    found = attempts([_rec("step2ck", date(2026, 3, 2), ref="booked"),
                      _rec("step2ck", date(2026, 3, 25), 246, ref="result")])
    assert found == [Attempt(STEP2, date(2026, 3, 2), 246, True, ("booked", "result"))]


def test_a_result_on_the_booking_day_merges_too() -> None:
    found = attempts([_rec("step1", date(2025, 5, 3), "pass", "r"), _rec("step1", date(2025, 5, 3), None, "b")])
    assert [(a.taken_on, a.passed, a.refs) for a in found] == [(date(2025, 5, 3), True, ("b", "r"))]


def test_a_failed_attempt_then_a_retake() -> None:
    records = [
        _rec("step2ck", date(2025, 1, 10), ref="b1"), _rec("step2ck", date(2025, 2, 5), 205, ref="r1"),
        _rec("step2ck", date(2025, 6, 1), ref="b2"), _rec("step2ck", date(2025, 6, 25), 241, ref="r2"),
    ]
    found = attempts(reversed(records))  # input order does not matter
    assert [(a.taken_on, a.passed, a.refs) for a in found] == [
        (date(2025, 1, 10), False, ("b1", "r1")), (date(2025, 6, 1), True, ("b2", "r2"))]
    assert failed_attempts(found, STEP2) == 1


def test_a_result_before_a_booking_is_an_earlier_attempt_and_the_booking_stays_pending() -> None:
    found = attempts([_rec("oet", date(2025, 4, 1), "L 300 R 350 W 350 S 350", "r"),
                      _rec("oet", date(2025, 9, 1), None, "b")])
    assert [(a.taken_on, a.passed, a.pending) for a in found] == [
        (date(2025, 4, 1), False, False), (date(2025, 9, 1), None, True)]


def test_bookings_of_different_exams_do_not_merge() -> None:
    found = attempts([_rec("step1", date(2025, 1, 1), ref="b"), _rec("step2ck", date(2025, 2, 1), 240, "r")])
    assert len(found) == 2
    assert {a.exam.code: a.pending for a in found} == {"step1": True, "step2ck": False}


def test_two_results_after_one_booking_are_two_attempts() -> None:
    found = attempts([_rec("step3", date(2025, 1, 1), ref="b"), _rec("step3", date(2025, 2, 1), 190, "r1"),
                      _rec("step3", date(2025, 3, 1), 230, "r2")])
    assert [a.refs for a in found] == [("b", "r1"), ("r2",)]
    assert failed_attempts(found, STEP3) == 1


def test_a_rebooking_without_result_leaves_the_first_booking_pending() -> None:
    found = attempts([_rec("step2ck", date(2025, 1, 1), ref="b1"), _rec("step2ck", date(2025, 3, 1), ref="b2"),
                      _rec("step2ck", date(2025, 3, 20), 250, ref="r")])
    assert [(a.refs, a.pending) for a in found] == [(("b1",), True), (("b2", "r"), False)]


def test_no_records_no_attempts() -> None:
    assert attempts([]) == []
