"""What the matching rules need from the applicant's exam rows, read through the shared exam vocabulary.

The rows are what the user typed: a booking (a date, no result yet) and later its result are two rows but one
sitting, "Step 2CK" and "USMLE Step 2" are the same exam, and a score under the passing standard of its date is a
failed attempt whatever the row's result word says (``imgcoach.core.vocab.exams``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from imgcoach.core.record import Record
from imgcoach.core.vocab.exams import BY_CODE, Attempt, ExamRecord, Outcome, Score, attempts, known_exam

USMLE_STEPS = ("step1", "step2ck", "step3")


class ExamRow(Protocol):
    exam: str
    taken_on: date
    score: int | None
    result: str | None
    attempt: int


class ExamStanding(Record):
    step2_score: int | None  # the score of the latest Step 2 CK attempt that has one
    max_attempts_any_step: int  # sittings with a result on the Step with the most (1 at least)
    failed_attempts: int  # failed USMLE attempts
    step3_passed: bool
    step3_pending_on: date | None  # a Step 3 sitting booked without a result yet


def _score(row: ExamRow) -> Score | None:
    if row.score is not None:
        return row.score
    word = (row.result or "").strip().lower()
    return Outcome.PASS if word == "pass" else Outcome.FAIL if word == "fail" else None


def exam_standing(rows: Iterable[ExamRow]) -> ExamStanding:
    """Attempts per USMLE Step from the rows (rows naming other exams, or none we know, are left out)."""
    records: list[ExamRecord[ExamRow]] = []
    for row in rows:
        # known_exam, not parse_exam: the same exam or none, without the refusal's suggestions for a name it does
        # not know (difflib's import and its ratios over every name, at each look of the shortlist: issue 17)
        exam = known_exam(row.exam)
        if exam is None:
            continue  # e.g. "ECFMG certification", OET: not an exam with attempts
        if exam.code in USMLE_STEPS:
            records.append(ExamRecord(exam, row.taken_on, _score(row), row))
    sittings = attempts(records)

    def outcome(a: Attempt[ExamRow]) -> bool | None:
        if a.passed is not None:
            return a.passed
        # no standard for that date, or the score falls where the sources disagree: the user's own word decides
        words = {(r.result or "").strip().lower() for r in a.refs if r is not None}
        return False if "fail" in words else True if "pass" in words else None

    step2 = [a for a in sittings if a.exam is BY_CODE["step2ck"] and isinstance(a.score, int)]
    counts: dict[str, int] = {}
    for a in sittings:
        if a.pending:
            continue
        stated = max((r.attempt for r in a.refs if r is not None), default=1)
        counts[a.exam.code] = max(counts.get(a.exam.code, 0) + 1, stated)
    step3 = [a for a in sittings if a.exam is BY_CODE["step3"]]
    pending3 = [a.taken_on for a in step3 if a.pending]
    return ExamStanding(
        step2_score=int(step2[-1].score) if step2 else None,  # type: ignore[arg-type]
        max_attempts_any_step=max(counts.values(), default=1),
        failed_attempts=sum(1 for a in sittings if not a.pending and outcome(a) is False),
        step3_passed=any(not a.pending and outcome(a) is True for a in step3),
        step3_pending_on=max(pending3) if pending3 else None,
    )
