"""coach tables: outreach, weekly log, projects, progress moments

Revision ID: coach_0001
Revises: 0001_core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "coach_0001"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coach_outreach",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("institution", sa.String(), nullable=False),
        sa.Column("department", sa.String(), nullable=False),
        sa.Column("specialty", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("coordinator", sa.String(), nullable=False),
        sa.Column("contact_email", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=True),
        sa.Column("last_sent_on", sa.Date(), nullable=True),
        sa.Column("follow_ups_sent", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=True),
        sa.Column("visa_requirement", sa.String(), nullable=False),
        sa.Column("role_in_writing", sa.Boolean(), nullable=False),
        sa.Column("verified_legitimate", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("rotation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["rotation_id"], ["rotation.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_coach_outreach_applicant_id", "coach_outreach", ["applicant_id"])
    op.create_table(
        "coach_weekly_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rotation_id", sa.Integer(), nullable=False),
        sa.Column("week_of", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("activities", sa.String(), nullable=False),
        sa.Column("procedures_observed", sa.JSON(), nullable=False),
        sa.Column("procedures_performed", sa.JSON(), nullable=False),
        sa.Column("presentations", sa.JSON(), nullable=False),
        sa.Column("feedback", sa.String(), nullable=False),
        sa.Column("change_after_feedback", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["rotation_id"], ["rotation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rotation_id", "week_of"),
    )
    op.create_index("ix_coach_weekly_entry_rotation_id", "coach_weekly_entry", ["rotation_id"])
    op.create_table(
        "coach_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("rotation_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("supervisor", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["rotation_id"], ["rotation.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_coach_project_applicant_id", "coach_project", ["applicant_id"])
    op.create_table(
        "coach_moment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_coach_moment_applicant_id", "coach_moment", ["applicant_id"])


def downgrade() -> None:
    for table in ("coach_moment", "coach_project", "coach_weekly_entry", "coach_outreach"):
        op.drop_table(table)
