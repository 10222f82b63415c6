"""calendar_uid on rotation, study_block, exam_result and letter_request: the UID a moved row keeps

Why: the export publishes each plan row under a UID made from its row id (core.uids), and `applicants import`
gives every moved row a new id, so after an organisation moved an applicant into its database a subscribed
calendar showed each rotation, study block, exam and letter deadline twice. A moved row now stores the UID it
was published under; a row made here keeps NULL and its UID is still made from its id, so no UID already
published changes with this upgrade.

ADD COLUMN needs no table rebuild on SQLite, so the owner triggers of 0005 and the id sequences of 0008 are
untouched.

Revision ID: 0010_moved_row_uids
Revises: 0009_rotation_hours_assumed
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_moved_row_uids"
down_revision: str | Sequence[str] | None = "0009_rotation_hours_assumed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("rotation", "study_block", "exam_result", "letter_request")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("calendar_uid", sa.String(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch rebuild would lose 0008's AUTOINCREMENT and the triggers.
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN calendar_uid")
