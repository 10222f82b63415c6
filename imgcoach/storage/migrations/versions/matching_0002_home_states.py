"""applicant.home_states: states where the applicant lives or has family, the geographic ties the shortlist uses

On the matching branch (the only reader is the shortlist) so it cannot collide with core-chain revisions.
Existing applicants get an empty list: no ties declared, exactly what the shortlist assumed before.

Revision ID: matching_0002
Revises: matching_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "matching_0002"
down_revision: str | Sequence[str] | None = "matching_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applicant") as batch_op:
        batch_op.add_column(sa.Column("home_states", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("applicant") as batch_op:
        batch_op.drop_column("home_states")
