"""Exam results and scheduled exam dates."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError, UserError
from imgcoach.plan.rules import validation as v
from imgcoach.plan.rules.vocab import EXAM_RESULTS
from imgcoach.storage.applicants import current_applicant, owned
from imgcoach.storage.models import ExamResult


def list_exams(ctx: Context) -> list[ExamResult]:
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        query = select(ExamResult).where(ExamResult.applicant_id == applicant.id)
        return list(session.exec(query.order_by(col(ExamResult.taken_on))).all())


def add_exam(
    ctx: Context, exam: str, taken_on: date, *, score: int | None = None, result: str | None = None, attempt: int = 1
) -> ExamResult:
    if score is not None and result is not None:
        raise UserError("give either --score or --result, not both")
    v.raise_if_any(
        v.check_required(exam, field="exam"),
        v.check_choice(result, EXAM_RESULTS, field="result") if result is not None else None,
        FieldError("attempt", attempt, "must be 1 or more") if attempt < 1 else None,
        FieldError("score", score, "must be between 1 and 300") if score is not None and not 1 <= score <= 300 else None,
    )
    with ctx.db.transaction() as session:
        applicant = current_applicant(session, ctx)
        row = ExamResult(
            applicant_id=applicant.id, exam=exam.strip(), taken_on=taken_on, score=score, result=result, attempt=attempt
        )
        session.add(row)
        session.flush()
        return row


def remove_exam(ctx: Context, exam_id: int) -> None:
    with ctx.db.transaction() as session:
        session.delete(owned(session, ExamResult, exam_id, current_applicant(session, ctx), "exam"))
