"""Study blocks: dedicated exam preparation on the same timeline as the rotations."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlmodel import col, select

from imgcoach.core.clock import local_today
from imgcoach.core.context import Context
from imgcoach.core.datewords import WRITTEN, DateWords
from imgcoach.core.errors import FieldError, UserError, ValidationError
from imgcoach.core.ids import saved_id
from imgcoach.plan.edits import Loaded, check_loaded
from imgcoach.plan.event_links import unlink_events
from imgcoach.plan.exams import stored_exam_name
from imgcoach.plan.rules import validation as v
from imgcoach.plan.rules.conflicts import find_conflicts
from imgcoach.plan.rules.load import weekly_load
from imgcoach.plan.rules.studyplan import (
    PastExam,
    StudyProposal,
    StudyRequest,
    blocks_past_exam,
    parse_rest_days,
    propose_study_plan,
)
from imgcoach.storage.applicants import current_applicant, owned
from imgcoach.storage.models import ExamResult, Rotation, StudyBlock

STUDY_FIELDS = ("exam", "start_date", "end_date", "hours_per_week", "weekly_goal")


def validate_study_block(values: dict[str, Any], exam_error: FieldError | None = None,
                         changed: Collection[str] = ()) -> None:
    """`changed`: the fields an edit gives (a start moved past the end it keeps is the start's error)."""
    end_kept = "start_date" in changed and "end_date" not in changed
    v.raise_if_any(
        exam_error or v.check_required(values.get("exam", ""), field="exam"),
        v.check_date_range(values["start_date"], values["end_date"], field="end_date", start_field="start_date",
                           end_kept=end_kept),
        v.check_hours(values.get("hours_per_week", 0)),
    )


def named_exam(values: dict[str, Any]) -> tuple[dict[str, Any], FieldError | None]:
    """`values` with the exam in the spelling `exams add` stores, or the error naming the exams accepted. A block
    for "Step 9" or "step2ck" was saved as typed: no booking ever matched it (the plan's fit to its exam went
    unsaid), and `study list` wrote "step2ck" where `exams list` writes "Step 2 CK". A blank exam is left to
    the "is required" check. (Blocks made by a calendar import keep their title's words: they are not typed.)"""
    exam = str(values.get("exam", "") or "")
    if not exam.strip():
        return values, None
    try:
        return {**values, "exam": stored_exam_name(exam)}, None
    except FieldError as exc:
        return values, exc


def list_study_blocks(ctx: Context) -> list[StudyBlock]:
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        query = select(StudyBlock).where(StudyBlock.applicant_id == applicant.id)
        return list(session.exec(query.order_by(col(StudyBlock.start_date))).all())


def add_study_blocks(ctx: Context, blocks: list[dict[str, Any]]) -> list[StudyBlock]:
    """Add one or many blocks in one transaction (a generated study plan is accepted whole)."""
    named: list[dict[str, Any]] = []
    for typed in blocks:
        if set(typed) - set(STUDY_FIELDS):
            raise UserError(f"unknown study block field(s): {', '.join(sorted(set(typed) - set(STUDY_FIELDS)))}")
        values, exam_error = named_exam(typed)
        validate_study_block(values, exam_error)
        named.append(values)
    blocks = named
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        rows = [StudyBlock(applicant_id=saved_id(applicant.id), **values) for values in blocks]
        session.add_all(rows)
        session.flush()
        return rows


def add_study_block(ctx: Context, **values: Any) -> StudyBlock:
    return add_study_blocks(ctx, [values])[0]


def edit_study_block(ctx: Context, block_id: int, *, loaded: Loaded | None = None, **changes: Any) -> StudyBlock:
    """`loaded`: the block as a form loaded it; EditConflict when another process changed it since."""
    with ctx.db.transaction(ctx.applicant_id) as session:
        block = owned(session, StudyBlock, block_id, current_applicant(session, ctx), "study block")
        seen = loaded or block.model_dump()
        check_loaded(block, loaded, STUDY_FIELDS, "study block", str(seen["exam"]),
                     (seen["start_date"], seen["end_date"]))
        exam_error = None
        if "exam" in changes and changes["exam"] != block.exam:  # an imported block's own words stay until changed
            changes, exam_error = named_exam(changes)
        validate_study_block({**block.model_dump(), **changes}, exam_error, changed=changes)
        for key, value in changes.items():
            setattr(block, key, value)
        session.add(block)
        return block


def block_overlap_warnings(ctx: Context, block: StudyBlock, words: DateWords = WRITTEN) -> list[str]:
    """The full-time rotations a saved study block sits on, in the timeline's words: only the timeline said
    them, so a block added by `study add` over a full-time rotation went by without a word."""
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        rotations = list(session.exec(select(Rotation).where(Rotation.applicant_id == applicant.id)).all())
    return [c.message for c in find_conflicts(rotations, [block], words) if c.kind == "study_over_full_time"]


def remove_study_block(ctx: Context, block_id: int) -> None:
    with ctx.db.transaction(ctx.applicant_id) as session:
        delete_study_block_in(session, current_applicant(session, ctx), block_id)


def delete_study_block_in(session: Any, applicant: Any, block_id: int) -> StudyBlock:
    """`remove_study_block` inside the caller's transaction (undo records around it)."""
    block = owned(session, StudyBlock, block_id, applicant, "study block")
    unlink_events(session, applicant.id, "study_block", block_id)
    session.delete(block)
    session.flush()
    return block


# --- the study-plan generator and the timeline's study-block detail -----------------------


def propose_plan(ctx: Context, *, exam: str, exam_date: date | None, hours_per_day: int | None,
                 rest_days: str = "", words: DateWords = WRITTEN) -> StudyProposal:
    """Blocks around the rotations and study blocks already planned, from today (local) on; the notes' dates in
    `words`."""
    errors = []
    if exam_date is None:
        errors.append(FieldError("exam_date", exam_date, "is required (YYYY-MM-DD)"))
    if hours_per_day is None:
        errors.append(FieldError("hours_per_day", hours_per_day, "is required"))
    try:
        rest = parse_rest_days(rest_days)
    except FieldError as exc:
        errors.append(exc)
        rest = frozenset()
    named, exam_error = named_exam({"exam": exam})  # the blocks name the exam as its booking does
    if exam_error is not None:
        errors.append(exam_error)
    if errors:
        raise ValidationError(errors)
    exam = str(named["exam"])
    assert exam_date is not None and hours_per_day is not None
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        rotations = session.exec(select(Rotation).where(Rotation.applicant_id == applicant.id)).all()
        blocks = session.exec(select(StudyBlock).where(StudyBlock.applicant_id == applicant.id)).all()
        today = local_today(ctx.clock, applicant.timezone)
    request = StudyRequest(exam, exam_date, hours_per_day, rest, today)
    return propose_study_plan(request, list(rotations), list(blocks), words)


def accept_plan(ctx: Context, proposal: StudyProposal) -> list[StudyBlock]:
    if not proposal.blocks:
        raise UserError("the proposal has no blocks to add")
    return add_study_blocks(ctx, [b.as_values() for b in proposal.blocks])


def study_block_detail(ctx: Context, block_id: int) -> tuple[StudyBlock, list[Any], list[Any]]:
    """A study block, the weekly load (clinical + all study) of the weeks it covers, and the block's own hours in
    those weeks: a week another block shares counts both in its study hours (24 in a week of a 15 h/week
    block), which under this block's name read as its own."""
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        block = owned(session, StudyBlock, block_id, applicant, "study block")
        rotations = list(session.exec(select(Rotation).where(Rotation.applicant_id == applicant.id)).all())
        blocks = list(session.exec(select(StudyBlock).where(StudyBlock.applicant_id == applicant.id)).all())
    return (block, weekly_load(rotations, blocks, block.start_date, block.end_date),
            weekly_load([], [block], block.start_date, block.end_date))  # same weeks, same rule


def study_past_exam(ctx: Context, words: DateWords = WRITTEN, *, exam: str | None = None) -> list[PastExam]:
    """The study blocks that end after the booked exam they prepare for (`exam`: only those of that exam), for a
    face to say once an exam's date is saved: the rule (rules.studyplan.blocks_past_exam) on the stored plan."""
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        blocks = list(session.exec(select(StudyBlock).where(StudyBlock.applicant_id == applicant.id)).all())
        exams = list(session.exec(select(ExamResult).where(ExamResult.applicant_id == applicant.id)).all())
        today = local_today(ctx.clock, applicant.timezone)
    found = blocks_past_exam(blocks, exams, words, today=today)
    return found if exam is None else [p for p in found if p.exam == exam]
