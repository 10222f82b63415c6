"""Exam results and scheduled exam dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import col, select

from imgcoach.core.clock import local_today
from imgcoach.core.context import Context
from imgcoach.core.datewords import WRITTEN, DateWords
from imgcoach.core.errors import FieldError, UserError
from imgcoach.core.ids import saved_id
from imgcoach.core.vocab._lookup import key
from imgcoach.core.vocab.exams import Exam, OetScores, Outcome, is_pass, parse_exam, validate_score
from imgcoach.plan.event_links import unlink_events
from imgcoach.plan.rules import validation as v
from imgcoach.plan.rules.conflicts import exam_overlaps
from imgcoach.plan.rules.vocab import CERTIFICATION, EXAM_RESULTS, STORED_NAMES
from imgcoach.storage.applicants import current_applicant, owned
from imgcoach.storage.models import ExamResult


def list_exams(ctx: Context) -> list[ExamResult]:
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        query = select(ExamResult).where(ExamResult.applicant_id == applicant.id)
        return list(session.exec(query.order_by(col(ExamResult.taken_on))).all())



def exam_overlap_warnings(ctx: Context, exam: ExamResult, words: DateWords = WRITTEN) -> list[str]:
    """The full-time rotations whose working day a saved exam is sat on (`exams add|edit`, the app's exam form),
    by the rule the timeline's conflicts and `rotations add` apply (rules.conflicts.find_conflicts)."""
    from imgcoach.plan.rotations import list_rotations

    return exam_overlaps(exam, list_rotations(ctx), words)


def stored_exam_name(text: str, field: str = "exam") -> str:
    """The one stored spelling of the exam ``text`` names ("Step2 CK", "USMLE Step 2" -> "Step 2 CK");
    a FieldError listing the accepted exams otherwise."""
    exam = parse_exam(text, field)
    return STORED_NAMES.get(exam.code, exam.name)


USMLE_STEPS = frozenset({STORED_NAMES["step1"], STORED_NAMES["step2ck"], STORED_NAMES["step3"]})
# A second row after a pass would count as another attempt (programs read attempts), for a sitting that
# cannot happen: seven passes of Step 2 CK were seven attempts to the shortlist.
NO_RETAKE_AFTER_PASS = ("USMLE does not allow retaking a passed Step, except for a licensing authority's time "
                        "limit (usmle.org, Common questions: Scores)")
CERTIFICATION_KEYS = {"ecfmgcertification", "ecfmgcertificate", "ecfmg"}


def _checked(exam: str, taken_on: date, score: int | str | None, result: str | None,
             attempt: int, today: date) -> tuple[str, int | None, str | None, str | None]:
    """The stored exam name, score, result and sub-test scores for what was typed; every problem at once (a
    ValidationError). A failing score is a failed attempt; OET's four sub-test scores decide pass or fail by
    the rule of its date, and are kept as written out ("L 350 R 360 W 300 S 370"). A score or result dated
    after today is refused: readiness would count a pass that has not happened."""
    score = None if isinstance(score, str) and not score.strip() else score  # a blank form field
    result = result or None
    both = score is not None and result is not None  # allowed only where the score alone decides nothing
    not_yet = v.check_not_after(taken_on, today, field="taken_on", then="book the date now (no score or result) "
                                "and record the outcome once you have it") if (score, result) != (None, None) else None
    if key(exam) in CERTIFICATION_KEYS:  # a milestone recorded beside the exams: pass only, no score
        v.raise_if_any(
            FieldError("score", score, f"{CERTIFICATION} has no score; use --result pass") if score is not None
            else None,
            v.check_choice(result, EXAM_RESULTS, field="result") if result is not None else None,
            FieldError("attempt", attempt, "must be 1 or more") if attempt < 1 else None,
            not_yet,
        )
        return CERTIFICATION, None, result, None
    known: Exam | None = None
    errors: list[FieldError | None] = [
        FieldError("attempt", attempt, "must be 1 or more") if attempt < 1 else None,
        v.check_choice(result, EXAM_RESULTS, field="result") if result is not None else None,
        not_yet,
    ]
    try:
        known = parse_exam(exam, "exam")
    except FieldError as exc:
        errors.append(exc)
    stored_score: int | None = None
    sub_scores: str | None = None
    if known is not None and (score is not None or result is not None):
        try:
            value = validate_score(known, score if score is not None else result, "score" if score is not None
                                   else "result")
        except FieldError as exc:
            errors.append(exc)
        else:
            passed = is_pass(known, value, taken_on)
            if both and (not isinstance(value, int) or passed is not None):
                # The score decides (or is itself an outcome): a result beside it could only repeat or contradict.
                raise UserError("give either --score or --result, not both (the score decides the result)")
            if isinstance(value, int):
                stored_score = value
            if isinstance(value, OetScores):
                result = None if passed is None else ("pass" if passed else "fail")
                sub_scores = str(value)
            elif isinstance(value, Outcome):  # "--score pass": the result, typed where the score goes
                result = value.value
            elif passed is not None:
                result = "pass" if passed else "fail"
            # else: a score no standard decides (none for its date, or inside a disputed range) keeps the result
            # typed beside it, from the applicant's score report: the score and the pass, both recorded.
    v.raise_if_any(*errors)
    assert known is not None
    return STORED_NAMES.get(known.code, known.name), stored_score, result, sub_scores


def _sat(row: ExamResult, today: date) -> bool:
    """A sitting: one with an outcome (a score, a result, OET's sub-tests), or a booking whose day has passed
    (readiness calls it "sat, no result recorded"). A retake booked before the first sitting's result was typed
    was otherwise numbered as the first, and stayed so once that result came in."""
    return row.score is not None or row.result is not None or row.sub_scores is not None or row.taken_on < today


def attempt_number(session: Any, applicant_id: int | None, name: str, taken_on: date, attempt: int | None, *,
                   today: date, other_than: int | None = None) -> int:
    """The attempt number of a sitting of ``name`` on ``taken_on``: the one rule for `exams add`, the app's
    exam form and a calendar import. With none given it is the next after the sittings recorded before it
    (a retake typed without --attempt was stored as a second "attempt 1"). A number given may be higher
    (earlier sittings not recorded here), but not one an earlier recorded sitting already reaches, nor one a
    later sitting's number leaves no room for: the record would say two sittings were the same attempt."""
    if name == CERTIFICATION:
        return attempt or 1
    query = select(ExamResult).where(ExamResult.applicant_id == applicant_id, ExamResult.exam == name)
    if other_than is not None:
        query = query.where(ExamResult.id != other_than)
    sat = [r for r in session.exec(query.order_by(col(ExamResult.taken_on))).all() if _sat(r, today)]
    before = [r for r in sat if r.taken_on < taken_on]
    after = [r for r in sat if r.taken_on > taken_on]
    least = max([len(before), *(r.attempt for r in before)]) + 1
    if attempt is None:
        return least
    if attempt < least:
        last = before[-1]
        raise FieldError("attempt", attempt, f"{name} is recorded as attempt {last.attempt} on {last.taken_on} (exam "
                         f"{last.id}), before this sitting: this one is attempt {least} or later; leave --attempt "
                         "out to number it")
    clash = next((r for r in after if r.attempt <= attempt), None)
    if clash is not None:
        raise FieldError("attempt", attempt, f"{name} on {clash.taken_on} (exam {clash.id}), after this sitting, is "
                         f"recorded as attempt {clash.attempt}: correct it first (imgcoach exams edit {clash.id} "
                         f"--attempt N)")
    return attempt


def renumber_later(session: Any, applicant_id: int | None, name: str, taken_on: date, attempt: int, *,
                   today: date) -> None:
    """A sitting numbered by the rule and dated before ones already recorded (history typed out of order)
    pushes their numbers up where they would repeat or go backwards: each sitting after attempt N is N+1 or
    more. Numbers already higher (sittings not recorded here) are kept."""
    if name == CERTIFICATION:
        return
    later = session.exec(select(ExamResult).where(
        ExamResult.applicant_id == applicant_id, ExamResult.exam == name, col(ExamResult.taken_on) > taken_on,
    ).order_by(col(ExamResult.taken_on))).all()
    previous = attempt
    for row in later:
        if row.attempt <= previous:
            row.attempt = previous + 1
            session.add(row)
        if _sat(row, today):  # a booking ahead after it is numbered as its next sitting, and is not a sitting itself
            previous = row.attempt


def add_exam(
    ctx: Context, exam: str, taken_on: date, *, score: int | str | None = None, result: str | None = None,
    attempt: int | None = None,
) -> ExamResult:
    """Record a booking (no score, no result) or a result. A result for an exam with an open booking on or
    before its date completes that booking: one attempt, not two. A failing score is a failed attempt.
    ``attempt`` None: the next after the sittings recorded before it (`attempt_number`)."""
    with ctx.db.read() as session:
        today = local_today(ctx.clock, current_applicant(session, ctx).timezone)
    name, stored_score, result, sub_scores = _checked(exam, taken_on, score, result,
                                                      1 if attempt is None else attempt, today)
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        row: ExamResult | None = None
        if name != CERTIFICATION and (stored_score is not None or result is not None):
            row = session.exec(
                select(ExamResult).where(
                    ExamResult.applicant_id == applicant.id, ExamResult.exam == name, col(ExamResult.score).is_(None),
                    col(ExamResult.result).is_(None), col(ExamResult.taken_on) <= taken_on,
                ).order_by(col(ExamResult.taken_on).desc())
            ).first()
        if row is None:
            check_one_sitting(session, applicant.id, name, taken_on, booking=stored_score is None and result is None,
                             today=today)
            number = attempt_number(session, applicant.id, name, taken_on, attempt, today=today)
            row = ExamResult(applicant_id=saved_id(applicant.id), exam=name, taken_on=taken_on, attempt=number)
            if attempt is None:
                renumber_later(session, applicant.id, name, taken_on, number, today=today)
        elif attempt is not None:  # completing a booking: a number typed with the result is checked and kept
            row.attempt = attempt_number(session, applicant.id, name, taken_on, attempt, today=today,
                                         other_than=row.id)
        # A result completing an earlier booking is dated when it was sat: the booking may have been moved.
        moved = row.id is not None and attempt is None and row.taken_on != taken_on
        row.taken_on = taken_on
        row.score, row.result, row.sub_scores = stored_score, result, sub_scores
        session.add(row)
        session.flush()
        if moved:  # past a sitting recorded since the booking: its number follows the dates, as an edit's does
            in_date_order(session, applicant.id, name)
        return row


def edit_exam(
    ctx: Context, exam_id: int, exam: str, taken_on: date, *, score: int | str | None = None,
    result: str | None = None, attempt: int | None = None,
) -> ExamResult:
    """Change one exam row in place: its name, date, score or result (a booking that now has a score, a typo
    in a date). The same rules as `add_exam`; nothing else is merged or moved. attempt=None keeps the number,
    unless the date or the exam changed: then the numbers follow the dates again (`in_date_order`), since a
    number is the sitting's place among the exam's sittings, not a label typed once."""
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        current = owned(session, ExamResult, exam_id, applicant, "exam")
        kept_attempt, was_exam, was_on = current.attempt, current.exam, current.taken_on
        today = local_today(ctx.clock, applicant.timezone)
    name, stored_score, result, sub_scores = _checked(exam, taken_on, score, result,
                                                      kept_attempt if attempt is None else attempt, today)
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        row = owned(session, ExamResult, exam_id, applicant, "exam")
        check_one_sitting(session, applicant.id, name, taken_on, booking=stored_score is None and result is None,
                         today=today, other_than=exam_id)
        moved = attempt is None and (name != was_exam or taken_on != was_on)
        if attempt is not None:  # a number typed now is checked against the other sittings, as `exams add` does
            row.attempt = attempt_number(session, applicant.id, name, taken_on, attempt, today=today,
                                         other_than=exam_id)
        elif name != was_exam:  # joins another exam's sittings: numbered among them as `exams add` numbers it
            row.attempt = attempt_number(session, applicant.id, name, taken_on, None, today=today,
                                         other_than=exam_id)
        row.exam, row.taken_on, row.score, row.result = name, taken_on, stored_score, result
        row.sub_scores = sub_scores
        session.add(row)
        session.flush()
        if moved and name != was_exam:
            renumber_later(session, applicant.id, name, taken_on, row.attempt, today=today)
        elif moved:
            in_date_order(session, applicant.id, name)
        return row


def in_date_order(session: Any, applicant_id: int | None, name: str) -> None:
    """After a sitting's date changed without a number typed: the numbers its exam's rows hold, given
    back in date order. A date moved before an earlier sitting kept its number, so OET "attempt 2" stood dated
    before "attempt 1" (a record no program reads right). The same numbers, so a number typed higher for sittings
    not recorded here is kept; only which sitting holds which follows the dates, as `attempt_number` requires."""
    if name == CERTIFICATION:
        return
    rows = list(session.exec(select(ExamResult).where(
        ExamResult.applicant_id == applicant_id, ExamResult.exam == name)).all())
    numbers = sorted(r.attempt for r in rows)
    for row, number in zip(sorted(rows, key=lambda r: (r.taken_on, r.id)), numbers, strict=True):
        if row.attempt != number:
            row.attempt = number
            session.add(row)
    session.flush()


def check_one_sitting(session: Any, applicant_id: int | None, name: str, taken_on: date, *, booking: bool,
                     today: date, other_than: int | None = None) -> None:
    """One sitting per exam and day, and one booking ahead per exam: a second row would count as a second
    attempt (programs read "attempts"), and two bookings ahead cannot both be real, since a test centre
    moves an appointment rather than adding one. The existing row is named, to edit instead."""
    if name == CERTIFICATION:
        return
    query = select(ExamResult).where(ExamResult.applicant_id == applicant_id, ExamResult.exam == name)
    if other_than is not None:
        query = query.where(ExamResult.id != other_than)
    for other in session.exec(query.order_by(col(ExamResult.taken_on))).all():
        clash = sitting_clash(name, taken_on, other.taken_on, other.score, other.result, booking=booking, today=today)
        if clash == PASSED_BEFORE:
            raise FieldError("taken_on", taken_on.isoformat(), f"{name} is already recorded as passed on "
                             f"{other.taken_on} (exam {other.id}): {NO_RETAKE_AFTER_PASS}; edit that row instead")
        if clash == SAME_DAY:
            raise FieldError("taken_on", taken_on.isoformat(), f"{name} is already recorded on {taken_on} (exam "
                             f"{other.id}): edit that row instead")
        if clash == BOOKED_AHEAD:
            # Its result can be recorded only once it is sat (a result dated after today is refused): "or record
            # its result first" offered what `exams edit` then refused, for a booking still ahead.
            after = ("or record its result first" if other.taken_on <= today
                     else f"or, once it is sat, record its result (from {other.taken_on}) first")
            raise FieldError("taken_on", taken_on.isoformat(), f"{name} is already booked for {other.taken_on} (exam "
                             f"{other.id}): change that booking's date instead, {after}")


# Which rule of check_one_sitting a second sitting breaks (sitting_clash)
PASSED_BEFORE, SAME_DAY, BOOKED_AHEAD = "passed before", "same day", "booked ahead"


def sitting_clash(name: str, taken_on: date, other_on: date, other_score: Any, other_result: str | None, *,
                  booking: bool, today: date) -> str:
    """check_one_sitting's rule for a sitting of `name` on `taken_on` beside another of the same exam (`other_on`,
    its score and result): PASSED_BEFORE, SAME_DAY, BOOKED_AHEAD or "" when both may stand. An import's preview
    reads it for the exams its own file would make (calendar.importing.PreviewBasis)."""
    if name == CERTIFICATION:
        return ""
    if name in USMLE_STEPS and other_result == "pass" and other_on <= taken_on:
        return PASSED_BEFORE
    if other_on == taken_on:
        return SAME_DAY
    if booking and other_score is None and other_result is None and other_on >= today and taken_on >= today:
        return BOOKED_AHEAD
    return ""


def renumbered_line(row: ExamResult) -> str:
    """How a row whose attempt number changed under it is named (`exams edit`, `exams remove`, the app's delete):
    a number that changed under another id is never a surprise in `exams list`."""
    return f"exam {row.id} ({row.exam}, {row.taken_on}) is now attempt {row.attempt}"


def close_gap(session: Any, applicant_id: int | None, removed: ExamResult, *, today: date) -> list[ExamResult]:
    """After a sitting is removed, each later row of its exam is one attempt earlier: the removed row is a sitting
    the record no longer has, so "attempt 1, attempt 3" would count one that is not there. `in_date_order` alone
    keeps the numbers held (1 and 3); this takes one off each later number, never down to or below the number of
    a remaining sitting before it (`attempt_number`'s rule), so a number typed higher for sittings not recorded
    here keeps that gap. A booking ahead (not a sitting) leaves the numbers as they are. Returns the rows changed."""
    if removed.exam == CERTIFICATION or not _sat(removed, today):
        return []
    rows = session.exec(select(ExamResult).where(
        ExamResult.applicant_id == applicant_id, ExamResult.exam == removed.exam, ExamResult.id != removed.id,
    ).order_by(col(ExamResult.taken_on), col(ExamResult.id))).all()
    changed: list[ExamResult] = []
    previous = 0  # the number of the last remaining sitting so far
    for row in rows:
        if row.taken_on > removed.taken_on:
            number = max(row.attempt - 1, previous + 1)
            if number != row.attempt:
                row.attempt = number
                session.add(row)
                changed.append(row)
        if _sat(row, today):
            previous = row.attempt
    session.flush()
    return changed


def remove_exam(ctx: Context, exam_id: int) -> list[ExamResult]:
    """Remove one exam row; returns the rows of its exam renumbered after it (`close_gap`), for the CLI to name."""
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        return delete_exam_in(session, applicant, exam_id, today=local_today(ctx.clock, applicant.timezone))[1]


def delete_exam_in(session: Any, applicant: Any, exam_id: int, *, today: date) -> tuple[ExamResult, list[ExamResult]]:
    """`remove_exam` inside the caller's transaction (undo records around it): the row removed and the rows
    renumbered after it."""
    row = owned(session, ExamResult, exam_id, applicant, "exam")
    unlink_events(session, applicant.id, "exam", exam_id)
    session.delete(row)
    session.flush()
    return row, close_gap(session, applicant.id, row, today=today)
