"""core plan tables

Revision ID: 0001_core
Revises:
Create Date: 2026-11-25 08:29:58.530798
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0001_core"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "applicant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("school", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("school_country", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("graduation_year", sa.Integer(), nullable=True),
        sa.Column("visa", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("target_specialties", sa.JSON(), nullable=False),
        sa.Column("target_countries", sa.JSON(), nullable=False),
        sa.Column("target_states", sa.JSON(), nullable=False),
        sa.Column("cv_path", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("personal_statement_path", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("application_budget_programs", sa.Integer(), nullable=True),
        sa.Column("application_budget_usd", sa.Float(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "program",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("specialty", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("institution", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("program_type", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("positions", sa.Integer(), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_program_specialty"), ["specialty"], unique=False)
        batch_op.create_index(batch_op.f("ix_program_state"), ["state"], unique=False)

    op.create_table(
        "calendar_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("applicant_id", "path"),
    )
    with op.batch_alter_table("calendar_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_source_applicant_id"), ["applicant_id"], unique=False)

    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("institution", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_applicant_id"), ["applicant_id"], unique=False)

    op.create_table(
        "exam_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("exam", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("exam_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exam_result_applicant_id"), ["applicant_id"], unique=False)

    op.create_table(
        "shortlist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("tier", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=True),
        sa.Column("computed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("shortlist_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shortlist_entry_applicant_id"), ["applicant_id"], unique=False)

    op.create_table(
        "study_block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("exam", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("hours_per_week", sa.Integer(), nullable=False),
        sa.Column("weekly_goal", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("study_block", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_block_applicant_id"), ["applicant_id"], unique=False)

    op.create_table(
        "calendar_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("uid", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recurrence_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("component", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("all_day", sa.Boolean(), nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=True),
        sa.Column("end_at", sa.DateTime(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("tzid", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("suggested_kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("mapped_kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("mapped_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["calendar_source.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id", "uid", "recurrence_id"),
    )
    with op.batch_alter_table("calendar_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_event_source_id"), ["source_id"], unique=False)

    op.create_table(
        "rotation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("specialty", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("institution", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("department", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("setting", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("hours_per_week", sa.Integer(), nullable=False),
        sa.Column("hands_on", sa.Boolean(), nullable=False),
        sa.Column("responsibilities", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("learned", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("feedback_requested_on", sa.Date(), nullable=True),
        sa.Column("source_event_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_event_id"], ["calendar_event.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rotation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rotation_applicant_id"), ["applicant_id"], unique=False)

    op.create_table(
        "case_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rotation_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["rotation_id"], ["rotation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_note_rotation_id"), ["rotation_id"], unique=False)

    op.create_table(
        "letter_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("rotation_id", sa.Integer(), nullable=True),
        sa.Column("writer_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=True),
        sa.Column("agreed_on", sa.Date(), nullable=True),
        sa.Column("uploaded_on", sa.Date(), nullable=True),
        sa.Column("declined_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("eras_letter_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["rotation_id"], ["rotation.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["writer_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("letter_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_letter_request_applicant_id"), ["applicant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_letter_request_rotation_id"), ["rotation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_letter_request_writer_id"), ["writer_id"], unique=False)

    op.create_table(
        "rotation_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rotation_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["rotation_id"], ["rotation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rotation_id", "contact_id", "role"),
    )
    with op.batch_alter_table("rotation_contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rotation_contact_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rotation_contact_rotation_id"), ["rotation_id"], unique=False)

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("template_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rotation_id", sa.Integer(), nullable=True),
        sa.Column("letter_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("calendar_uid", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("requires_approval", sa.Boolean(), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["letter_id"], ["letter_request.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["rotation_id"], ["rotation.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
        sa.UniqueConstraint("message_id"),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_applicant_id"), ["applicant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_rotation_id"), ["rotation_id"], unique=False)
        batch_op.create_index("ix_reminder_status_due", ["status", "due_at"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_status_due")
        batch_op.drop_index(batch_op.f("ix_reminder_rotation_id"))
        batch_op.drop_index(batch_op.f("ix_reminder_applicant_id"))

    op.drop_table("reminder")
    with op.batch_alter_table("rotation_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rotation_contact_rotation_id"))
        batch_op.drop_index(batch_op.f("ix_rotation_contact_contact_id"))

    op.drop_table("rotation_contact")
    with op.batch_alter_table("letter_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_request_writer_id"))
        batch_op.drop_index(batch_op.f("ix_letter_request_rotation_id"))
        batch_op.drop_index(batch_op.f("ix_letter_request_applicant_id"))

    op.drop_table("letter_request")
    with op.batch_alter_table("case_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_note_rotation_id"))

    op.drop_table("case_note")
    with op.batch_alter_table("rotation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rotation_applicant_id"))

    op.drop_table("rotation")
    with op.batch_alter_table("calendar_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_event_source_id"))

    op.drop_table("calendar_event")
    with op.batch_alter_table("study_block", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_block_applicant_id"))

    op.drop_table("study_block")
    with op.batch_alter_table("shortlist_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shortlist_entry_applicant_id"))

    op.drop_table("shortlist_entry")
    with op.batch_alter_table("exam_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_result_applicant_id"))

    op.drop_table("exam_result")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_applicant_id"))

    op.drop_table("contact")
    with op.batch_alter_table("calendar_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_source_applicant_id"))

    op.drop_table("calendar_source")
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_program_state"))
        batch_op.drop_index(batch_op.f("ix_program_specialty"))

    op.drop_table("program")
    op.drop_table("applicant")
