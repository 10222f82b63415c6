"""matching: program facts and provenance, imports and changes, overrides, shortlist runs and entries

Revision ID: matching_0001
Revises: 0001_core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "matching_0001"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "program_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=True),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.add_column(sa.Column("facts", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("field_sources", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("last_import_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key("fk_program_last_import", "program_import", ["last_import_id"], ["id"],
                                    ondelete="SET NULL")
    op.create_table(
        "program_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.String(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("old", sa.String(), nullable=False),
        sa.Column("new", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["program_import.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_program_change_import_id", "program_change", ["import_id"])
    op.create_index("ix_program_change_program_id", "program_change", ["program_id"])
    op.create_table(
        "program_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.String(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("applicant_id", "program_id", "field"),
    )
    op.create_index("ix_program_override_applicant_id", "program_override", ["applicant_id"])
    op.create_index("ix_program_override_program_id", "program_override", ["program_id"])
    op.create_table(
        "shortlist_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=True),
        sa.Column("trigger", sa.String(), nullable=False),
        sa.Column("budget_programs", sa.Integer(), nullable=True),
        sa.Column("budget_usd", sa.Float(), nullable=True),
        sa.Column("chance", sa.Float(), nullable=False),
        sa.Column("total_fee_usd", sa.Float(), nullable=False),
        sa.Column("eligible_count", sa.Integer(), nullable=False),
        sa.Column("excluded_count", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_shortlist_run_applicant_id", "shortlist_run", ["applicant_id"])
    # The foundation's shortlist_entry was a placeholder that nothing wrote: replace it.
    with op.batch_alter_table("shortlist_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_shortlist_entry_applicant_id")
    op.drop_table("shortlist_entry")
    op.create_table(
        "shortlist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("fee_usd", sa.Float(), nullable=False),
        sa.Column("gain", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("unknown_fields", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["shortlist_run.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_shortlist_entry_run_id", "shortlist_entry", ["run_id"])
    op.create_index("ix_shortlist_entry_applicant_id", "shortlist_entry", ["applicant_id"])


def downgrade() -> None:
    op.drop_index("ix_shortlist_entry_applicant_id", table_name="shortlist_entry")
    op.drop_index("ix_shortlist_entry_run_id", table_name="shortlist_entry")
    op.drop_table("shortlist_entry")
    op.drop_index("ix_shortlist_run_applicant_id", table_name="shortlist_run")
    op.drop_table("shortlist_run")
    op.drop_index("ix_program_override_program_id", table_name="program_override")
    op.drop_index("ix_program_override_applicant_id", table_name="program_override")
    op.drop_table("program_override")
    op.drop_index("ix_program_change_program_id", table_name="program_change")
    op.drop_index("ix_program_change_import_id", table_name="program_change")
    op.drop_table("program_change")
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.drop_constraint("fk_program_last_import", type_="foreignkey")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("last_import_id")
        batch_op.drop_column("field_sources")
        batch_op.drop_column("facts")
    op.drop_table("program_import")
    op.create_table(
        "shortlist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.String(), nullable=False),
        sa.Column("tier", sa.String(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=True),
        sa.Column("computed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_shortlist_entry_applicant_id", "shortlist_entry", ["applicant_id"])
