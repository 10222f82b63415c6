"""version counters on the rows the app's forms edit: applicant, exam_result, study_block, rotation, contact

A form left open while another process (the CLI, a second window, the calendar import) changed the same row
used to write its stale values over that change without a word. Each row now carries a counter that every
update bumps; a save that names the version it loaded is refused with a conflict when the row moved on.
Existing rows start at 1 (the server default), so every old database upgrades in place with its data.

Revision ID: 0004_row_versions
Revises: 0003_rotation_country_codes
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_row_versions"
down_revision: str | Sequence[str] | None = "0003_rotation_country_codes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONED_TABLES = ("applicant", "exam_result", "study_block", "rotation", "contact")


def upgrade() -> None:
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("version")
