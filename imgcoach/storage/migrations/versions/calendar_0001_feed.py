"""calendar feed files

Revision ID: calendar_0001
Revises: 0001_core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "calendar_0001"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("applicant_id", "path"),
    )
    with op.batch_alter_table("calendar_feed", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_feed_applicant_id"), ["applicant_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("calendar_feed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_feed_applicant_id"))
    op.drop_table("calendar_feed")
