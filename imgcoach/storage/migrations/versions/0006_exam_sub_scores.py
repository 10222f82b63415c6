"""exam_result.sub_scores: OET's four sub-test scores, kept

OET results were validated sub-test by sub-test and decided pass or fail, but only "pass" was stored: the
applicant could not see later which sub-test was close to the line. The scores are kept as written out
("L 350 R 360 W 300 S 370"); old rows have none (NULL), and nothing else changes.

ADD COLUMN needs no table rebuild on SQLite, so the owner triggers of 0005 are untouched.

Revision ID: 0006_exam_sub_scores
Revises: 0005_owner_triggers
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_exam_sub_scores"
down_revision: str | Sequence[str] | None = "0005_owner_triggers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("exam_result", sa.Column("sub_scores", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exam_result") as batch_op:
        batch_op.drop_column("sub_scores")
