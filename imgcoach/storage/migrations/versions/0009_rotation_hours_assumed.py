"""rotation.hours_assumed: whether the hours per week were given or assumed

A rotation added without its hours (`rotations add` without --hours, an accepted outreach offer, a rotation
made from a calendar event) was stored with 40 hours a week, and the CV, which goes to programs, printed
"40 hours/week" as if the applicant had said so. The flag keeps what was said apart from what was assumed:
the CV leaves an assumed figure out, `rotations show` and the app call it assumed, and giving the hours
clears it.

Rows stored before this migration cannot be told apart (a typed 40 and a defaulted 40 look alike), so they
keep what they hold: hours_assumed is false for them.

ADD COLUMN needs no table rebuild on SQLite, so the owner triggers of 0005 and the id sequences of 0008 are
untouched.

Revision ID: 0009_rotation_hours_assumed
Revises: 0008_ids_never_reused
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_rotation_hours_assumed"
down_revision: str | Sequence[str] | None = "0008_ids_never_reused"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("rotation", sa.Column("hours_assumed", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch rebuild would lose 0008's AUTOINCREMENT and the triggers.
    op.execute("ALTER TABLE rotation DROP COLUMN hours_assumed")
