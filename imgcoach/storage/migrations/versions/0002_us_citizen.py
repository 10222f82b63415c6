"""applicant.us_citizen: NRMP reports U.S.-citizen and non-U.S.-citizen IMGs apart

Revision ID: 0002_us_citizen
Revises: 0001_core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_us_citizen"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applicant") as batch_op:
        batch_op.add_column(sa.Column("us_citizen", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("applicant") as batch_op:
        batch_op.drop_column("us_citizen")
