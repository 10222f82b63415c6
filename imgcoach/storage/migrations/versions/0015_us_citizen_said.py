"""applicant.us_citizen_said: whether the applicant said whether they are a U.S. citizen

`profile show` said "U.S. citizen: no" of every profile nobody had asked: us_citizen defaults to false, so a
false that was said and one that was never asked looked alike. The flag keeps them apart: `profile set
--us-citizen` or `--not-us-citizen` sets it, and a profile without it says "not said".

Only a false needs the flag: a true was said (nothing else sets it), and `profile show` says "yes" of it
whatever the flag holds, so no row is rewritten here (an UPDATE would also count a write in read_version for
every database upgraded). Rows stored before this migration with false cannot be told apart from one never
asked, so they become "not said" (the shortlist still counts them as non-U.S.-citizen IMGs, as it always has,
and `profile show` says so).

ADD COLUMN needs no table rebuild on SQLite, so the owner triggers of 0005 and the id sequences of 0008 are
untouched.

Revision ID: 0015_us_citizen_said
Revises: 0014_import_links
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_us_citizen_said"
down_revision: str | Sequence[str] | None = "0014_import_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("applicant", sa.Column("us_citizen_said", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch rebuild would lose 0008's AUTOINCREMENT and the triggers.
    op.execute("ALTER TABLE applicant DROP COLUMN us_citizen_said")
