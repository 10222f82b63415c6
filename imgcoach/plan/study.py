"""Study blocks: dedicated exam preparation on the same timeline as the rotations."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.plan.rules import validation as v
from imgcoach.storage.applicants import current_applicant, owned
from imgcoach.storage.models import StudyBlock

STUDY_FIELDS = ("exam", "start_date", "end_date", "hours_per_week", "weekly_goal")


def validate_study_block(values: dict[str, Any]) -> None:
    v.raise_if_any(
        v.check_required(values.get("exam", ""), field="exam"),
        v.check_date_range(values["start_date"], values["end_date"], field="end_date"),
        v.check_hours(values.get("hours_per_week", 0)),
    )


def list_study_blocks(ctx: Context) -> list[StudyBlock]:
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        query = select(StudyBlock).where(StudyBlock.applicant_id == applicant.id)
        return list(session.exec(query.order_by(col(StudyBlock.start_date))).all())


def add_study_blocks(ctx: Context, blocks: list[dict[str, Any]]) -> list[StudyBlock]:
    """Add one or many blocks in one transaction (a generated study plan is accepted whole)."""
    for values in blocks:
        if set(values) - set(STUDY_FIELDS):
            raise UserError(f"unknown study block field(s): {', '.join(sorted(set(values) - set(STUDY_FIELDS)))}")
        validate_study_block(values)
    with ctx.db.transaction() as session:
        applicant = current_applicant(session, ctx)
        rows = [StudyBlock(applicant_id=applicant.id, **values) for values in blocks]
        session.add_all(rows)
        session.flush()
        return rows


def add_study_block(ctx: Context, **values: Any) -> StudyBlock:
    return add_study_blocks(ctx, [values])[0]


def edit_study_block(ctx: Context, block_id: int, **changes: Any) -> StudyBlock:
    with ctx.db.transaction() as session:
        block = owned(session, StudyBlock, block_id, current_applicant(session, ctx), "study block")
        validate_study_block({**block.model_dump(), **changes})
        for key, value in changes.items():
            setattr(block, key, value)
        session.add(block)
        return block


def remove_study_block(ctx: Context, block_id: int) -> None:
    with ctx.db.transaction() as session:
        session.delete(owned(session, StudyBlock, block_id, current_applicant(session, ctx), "study block"))
