"""The exams an IMG sits: one closed list with aliases, score rules, passing standards with their sources, and
the rule that turns bookings and results into attempts.

Passing standards are encoded only where a public source with its date was found, and each carries that source.
Where sources disagree or none was found, the standard is a range or unknown, and ``is_pass`` answers ``None``
("cannot tell") rather than guess a pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from typing import Generic, TypeVar

from imgcoach.core.errors import FieldError
from imgcoach.core.record import Record
from imgcoach.core.vocab._lookup import build_index, did_you_mean, key, suggestions


class ScoreKind(StrEnum):
    PASS_FAIL = "pass_fail"  # only an outcome is reported (USMLE Step 1)
    NUMERIC = "numeric"  # a 3-digit score on a fixed scale (Step 2 CK, Step 3)
    OET_SUBTESTS = "oet_subtests"  # four sub-test scores, 0 to 500 each
    OUTCOME = "outcome"  # scales differ by sitting and none is encoded: record pass or fail


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"


class OetScores(Record):
    """OET Medicine sub-test scores, in the order OET reports them."""

    listening: int
    reading: int
    writing: int
    speaking: int

    def __str__(self) -> str:
        return f"L {self.listening} R {self.reading} W {self.writing} S {self.speaking}"


Score = int | OetScores | Outcome


class PassingStandard(Record):
    """The minimum passing score in force for attempts on or after ``since``.

    ``low`` and ``high`` are equal when the source is clear; when sources disagree the standard is the range,
    so a score inside it cannot be called a pass or a fail.
    """

    since: date
    low: int
    high: int
    source: str


class OetRequirement(Record):
    """ECFMG's OET Medicine requirement for attempts on or after ``since`` (OET itself has no pass mark)."""

    since: date
    listening: int
    reading: int
    writing: int
    speaking: int
    source: str


class Exam(Record):
    code: str
    name: str
    aliases: tuple[str, ...]
    score_kind: ScoreKind
    score_min: int | None = None
    score_max: int | None = None
    standards: tuple[PassingStandard, ...] = ()  # oldest first
    note: str = ""

    def __str__(self) -> str:
        return self.name


_USMLE_2014 = (
    "USMLE announcement 'Change in minimum passing requirements for Step 2 CK', posted 2 June 2014 (usmle.org): "
    "203 to 209 for examinees testing on or after 1 July 2014 [P]"
)
_USMLE_2022 = (
    "USMLE Management Committee, April 2022: 209 to 214 for examinees testing on or after 1 July 2022, as "
    "reproduced by theabramsonfirm.com (18 April 2022) and tutoring.immersive-md.com (11 April 2022) [S]"
)
_USMLE_2025 = (
    "From 1 July 2025 one secondary page (medvily.com) reports 218; usmle.org not checked, so 214 to 218 "
    "[UNVERIFIED]"
)
_STEP3_2024 = (
    "Step 3 passing standard 198 to 200 from 1 January 2024, per medschoolcoach.com (2024) [S]; "
    "earlier standards not encoded"
)
OET_REQUIREMENTS: tuple[OetRequirement, ...] = (
    OetRequirement(
        date(2018, 7, 1), 350, 350, 350, 350,
        "ECFMG, Requirements for ECFMG Certification for the 2021 and 2022 Match, OET page (ecfmg.org): 350 "
        "(grade B) on each of the four sub-tests in one administration [P]",
    ),
    OetRequirement(
        date(2022, 4, 1), 350, 350, 300, 350,
        "ECFMG news, 31 March 2022, 'Updated Passing Requirement for OET Medicine' (2023 Pathways), and ECFMG's "
        "certification-pathways OET page (2025 Pathways): 350 Listening, Reading, Speaking and 300 Writing in one "
        "administration, for tests on or after 1 April 2022 [P]",
    ),
)

EXAMS: tuple[Exam, ...] = (
    Exam(
        "step1", "USMLE Step 1",
        # Roman numerals too: applicants (and older transcripts) write "Step I", "Step II CK", "Step III".
        ("Step 1", "Step1", "USMLE Step 1", "USMLE Step1", "USMLE 1", "S1", "Step I", "USMLE Step I", "USMLE I"),
        ScoreKind.PASS_FAIL,
        note="Reported pass/fail only since 26 January 2022 (USMLE); record the outcome.",
    ),
    Exam(
        "step2ck", "USMLE Step 2 CK",
        ("Step 2 CK", "Step 2CK", "Step2 CK", "Step2CK", "USMLE Step 2 CK", "USMLE Step 2", "USMLE Step2",
         "Step 2", "Step2", "Step 2 Clinical Knowledge", "CK", "S2", "S2CK", "USMLE 2",
         "Step II CK", "Step II", "USMLE Step II CK", "USMLE Step II", "USMLE II", "Step II Clinical Knowledge"),
        # [assumption] bounds of the three-digit scale as a sanity range, not a cited figure
        ScoreKind.NUMERIC, 1, 300,
        standards=(
            PassingStandard(date(2014, 7, 1), 209, 209, _USMLE_2014),
            PassingStandard(date(2022, 7, 1), 214, 214, _USMLE_2022),
            PassingStandard(date(2025, 7, 1), 214, 218, _USMLE_2025),
        ),
        note="Step 2 CS was discontinued in 2021, so 'Step 2' means Step 2 CK.",
    ),
    Exam(
        "step3", "USMLE Step 3",
        ("Step 3", "Step3", "USMLE Step 3", "USMLE Step3", "USMLE 3", "S3", "Step III", "USMLE Step III", "USMLE III"),
        ScoreKind.NUMERIC, 1, 300,
        standards=(PassingStandard(date(2024, 1, 1), 200, 200, _STEP3_2024),),
    ),
    Exam(
        "oet", "OET Medicine",
        ("OET", "OET Medicine", "Occupational English Test", "OET Med"),
        ScoreKind.OET_SUBTESTS, 0, 500,
        note="Sub-test scores 0 to 500; 'pass' means ECFMG's requirement for the test date.",
    ),
    Exam("mccqe1", "MCCQE Part I", ("MCCQE Part I", "MCCQE Part 1", "MCCQE I", "MCCQE 1", "MCCQE1", "MCCQE"),
         ScoreKind.OUTCOME, note="Medical Council of Canada; 'MCCQE' means Part I, the only part still offered."),
    Exam("plab1", "PLAB 1", ("PLAB 1", "PLAB1", "PLAB Part 1", "PLAB part one"), ScoreKind.OUTCOME,
         note="UK GMC; the pass mark is set per sitting, so record the outcome."),
    Exam("plab2", "PLAB 2", ("PLAB 2", "PLAB2", "PLAB Part 2", "PLAB part two"), ScoreKind.OUTCOME,
         note="UK GMC; an OSCE, record the outcome."),
    Exam("amc_mcq", "AMC MCQ", ("AMC MCQ", "AMC CAT MCQ", "AMC Part 1", "AMC 1", "AMC1", "AMC CAT"),
         ScoreKind.OUTCOME, note="Australian Medical Council computer-adaptive MCQ examination."),
    Exam("amc_clinical", "AMC Clinical", ("AMC Clinical", "AMC Clinical Exam", "AMC Part 2", "AMC 2", "AMC2"),
         ScoreKind.OUTCOME, note="Australian Medical Council clinical examination."),
)

BY_CODE: dict[str, Exam] = {e.code: e for e in EXAMS}
_INDEX = build_index((e.code, (e.code, e.name, *e.aliases)) for e in EXAMS)
_DISPLAY = {e.code: e.name for e in EXAMS}
# Spellings that name more than one exam: refused with the exams they could mean.
_AMBIGUOUS: dict[str, tuple[str, ...]] = {
    key("PLAB"): ("plab1", "plab2"),
    key("AMC"): ("amc_mcq", "amc_clinical"),
    key("USMLE"): ("step1", "step2ck", "step3"),
}
# Exams that no longer exist: refused with what replaced them rather than with look-alike suggestions.
_RETIRED: dict[str, str] = {
    key(name): "USMLE Step 2 CS was discontinued in January 2021; ECFMG's pathways and OET Medicine replaced it"
    for name in ("Step 2 CS", "Step2 CS", "USMLE Step 2 CS", "CS", "Step 2 Clinical Skills", "Step II CS",
                 "USMLE Step II CS")
} | {
    key(name): "MCCQE Part II is no longer offered; record MCCQE Part I"
    for name in ("MCCQE Part II", "MCCQE Part 2", "MCCQE II", "MCCQE 2", "MCCQE2")
}


def exam_names() -> str:
    return ", ".join(e.name for e in EXAMS)


def known_exam(text: str) -> Exam | None:
    """The exam named by ``text`` (code, name or alias, any case and spacing), or None: parse_exam without the
    refusal's message (its suggestions), for a reader that only sorts stored names (coach.loading.exam_code)."""
    code = _INDEX.get(key(text))
    return None if code is None else BY_CODE[code]


def parse_exam(text: str, field: str = "exam") -> Exam:
    """The exam named by ``text`` (code, name or alias, any case and spacing), or a FieldError listing the names."""
    found = known_exam(text)
    if found is not None:
        return found
    typed = key(text)
    if typed in _RETIRED:
        raise FieldError(field, text, _RETIRED[typed])
    if typed in _AMBIGUOUS:
        options = " or ".join(BY_CODE[c].name for c in _AMBIGUOUS[typed])
        raise FieldError(field, text, f"ambiguous exam: say which one, {options}")
    near = suggestions(text, _INDEX, _DISPLAY)
    raise FieldError(field, text, f"unknown exam{did_you_mean(near)} (accepted: {exam_names()})")


def _int_in(field: str, value: object, low: int, high: int, what: str) -> int:
    if isinstance(value, bool):
        raise FieldError(field, value, f"{what} must be a whole number from {low} to {high}")
    whole_float = isinstance(value, float) and value.is_integer()
    digits = isinstance(value, str) and re.fullmatch(r"\s*\d{1,4}\s*", value) is not None
    if isinstance(value, int | float | str) and (isinstance(value, int) or whole_float or digits):
        number = int(value)
    else:
        raise FieldError(field, value, f"{what} must be a whole number from {low} to {high}")
    if not low <= number <= high:
        raise FieldError(field, value, f"{what} must be from {low} to {high}")
    return number


_OUTCOME_WORDS = {"pass": Outcome.PASS, "passed": Outcome.PASS, "fail": Outcome.FAIL, "failed": Outcome.FAIL}


def _as_outcome(value: object) -> Outcome | None:
    if isinstance(value, Outcome):
        return value
    return _OUTCOME_WORDS.get(key(value)) if isinstance(value, str) else None


def _outcome(field: str, value: object, exam: Exam) -> Outcome:
    outcome = _as_outcome(value)
    if outcome is None:
        raise FieldError(field, value, f"{exam.name} is recorded as pass or fail")
    return outcome


_OET_PARTS = ("listening", "reading", "writing", "speaking")
# Compiled (and cached by re) on the first OET score read, not on every import of the exams: ~0.4 ms of each
# quick readiness (issue 17).
_OET_LETTERED = r"^\s*L\s*(\d+)\s*,?\s*R\s*(\d+)\s*,?\s*W\s*(\d+)\s*,?\s*S\s*(\d+)\s*$"
_OET_SLASHED = r"^\s*(\d+)\s*/\s*(\d+)\s*/\s*(\d+)\s*/\s*(\d+)\s*$"


def _oet(field: str, value: object) -> OetScores:
    if isinstance(value, OetScores):
        parts: list[object] = [getattr(value, p) for p in _OET_PARTS]
    elif isinstance(value, Mapping):
        unknown = sorted(set(map(str, value)) - set(_OET_PARTS))
        missing = [p for p in _OET_PARTS if p not in value]
        if unknown or missing:
            raise FieldError(field, dict(value), "OET needs the four sub-test scores: listening, reading, writing, "
                             "speaking" + (f" (unknown: {', '.join(unknown)})" if unknown else ""))
        parts = [value[p] for p in _OET_PARTS]
    elif isinstance(value, str) and (m := re.match(_OET_LETTERED, value, re.IGNORECASE) or re.match(_OET_SLASHED, value)):
        parts = list(m.groups())
    else:
        raise FieldError(field, value, "OET needs four sub-test scores 0 to 500, as 'L 350 R 360 W 300 S 370' or "
                         "'350/360/300/370' (listening/reading/writing/speaking)")
    numbers = [_int_in(f"{field} {p}", v, 0, 500, f"OET {p} score") for p, v in zip(_OET_PARTS, parts, strict=True)]
    return OetScores(*numbers)


def validate_score(exam: Exam, value: object, field: str = "score") -> Score:
    """The normalised score for ``exam``, or a FieldError naming ``field`` and the allowed form and range.

    Numeric exams take a whole number in the exam's scale; OET takes its four sub-test scores (0 to 500 each);
    Step 1 and the host-country exams take only "pass" or "fail"; every exam also accepts "pass" or "fail" (or an
    Outcome), for a result whose number the user does not have.
    """
    outcome = _as_outcome(value)
    if exam.score_kind is ScoreKind.NUMERIC:
        if outcome is not None:  # a score report always states the outcome; the number may be unknown
            return outcome
        assert exam.score_min is not None and exam.score_max is not None
        return _int_in(field, value, exam.score_min, exam.score_max, f"{exam.name} score")
    if exam.score_kind is ScoreKind.OET_SUBTESTS:
        return outcome if outcome is not None else _oet(field, value)
    return _outcome(field, value, exam)


def standard_on(exam: Exam, taken_on: date | None = None) -> PassingStandard | None:
    """The passing standard in force on ``taken_on`` (the newest when no date is given); None when unknown."""
    if not exam.standards:
        return None
    if taken_on is None:
        return exam.standards[-1]
    in_force = [s for s in exam.standards if s.since <= taken_on]
    return in_force[-1] if in_force else None


def oet_requirement_on(taken_on: date | None = None) -> OetRequirement | None:
    if taken_on is None:
        return OET_REQUIREMENTS[-1]
    in_force = [r for r in OET_REQUIREMENTS if r.since <= taken_on]
    return in_force[-1] if in_force else None


def is_pass(exam: Exam, score: Score, taken_on: date | None = None) -> bool | None:
    """True for a pass, False for a fail, None when the standard for that date is unknown or the score falls
    inside a range where the sources disagree. Never True by default."""
    if isinstance(score, Outcome):
        return score is Outcome.PASS
    if isinstance(score, OetScores):
        req = oet_requirement_on(taken_on)
        if req is None:
            return None
        return all(getattr(score, p) >= getattr(req, p) for p in _OET_PARTS)
    standard = standard_on(exam, taken_on)
    if standard is None:
        return None
    if score >= standard.high:
        return True
    if score < standard.low:
        return False
    return None


# ---------------------------------------------------------------------------------------------- attempts

Ref = TypeVar("Ref")


class ExamRecord(Record, Generic[Ref]):
    """One row as the user entered it: a booking (no score yet) or a result. ``ref`` points back to the row."""

    exam: Exam
    on: date
    score: Score | None
    ref: Ref | None = None


class Attempt(Record, Generic[Ref]):
    """One sitting of an exam. ``passed`` is None while the result is pending or cannot be judged."""

    exam: Exam
    taken_on: date
    score: Score | None
    passed: bool | None
    refs: tuple[Ref | None, ...]

    @property
    def pending(self) -> bool:
        return self.score is None

    @property
    def failed(self) -> bool:
        return self.passed is False


def attempts(records: Iterable[ExamRecord[Ref]]) -> list[Attempt[Ref]]:
    """Turn bookings and results into attempts, one per sitting.

    Rule: per exam, in date order, a result (a record with a score) belongs to the latest booking (a record
    without a score) dated on or before it that has no result yet; the two are one attempt, dated on the booking
    (the day of the exam; the result row is often dated on its release). A result with no open booking before it
    is an attempt of its own, and a booking still without a result is a pending attempt. On the same day a
    booking sorts before a result, so "booked 3 May, result 3 May" is one attempt.

    Returns attempts sorted by date then exam; the pass/fail of each is judged by ``is_pass`` for its date.
    """
    ordered = sorted(records, key=lambda r: (r.exam.code, r.on, r.score is not None))
    result: list[Attempt[Ref]] = []
    open_booking: dict[str, ExamRecord[Ref]] = {}

    def close(booking: ExamRecord[Ref], outcome: ExamRecord[Ref] | None) -> None:
        score = outcome.score if outcome else None
        refs = (booking.ref,) if outcome is None or outcome is booking else (booking.ref, outcome.ref)
        passed = None if score is None else is_pass(booking.exam, score, booking.on)
        result.append(Attempt(booking.exam, booking.on, score, passed, refs))

    for record in ordered:
        code = record.exam.code
        if record.score is None:
            if code in open_booking:  # rebooked without a result: the earlier booking stays a pending attempt
                close(open_booking.pop(code), None)
            open_booking[code] = record
        elif code in open_booking:
            close(open_booking.pop(code), record)
        else:
            close(record, record)
    for booking in open_booking.values():
        close(booking, None)
    result.sort(key=lambda a: (a.taken_on, a.exam.code))
    return result


def failed_attempts(all_attempts: Iterable[Attempt[Ref]], exam: Exam) -> int:
    """How many attempts at ``exam`` failed (what programs' attempt limits count)."""
    return sum(1 for a in all_attempts if a.exam is exam and a.failed)
