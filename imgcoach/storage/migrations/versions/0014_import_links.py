"""calendar_import.linked: how many of an import's plan items were links of its events to rows already in the plan

Why: an import's history row kept made, linked and moved plan items as one count (plan_items), and undoing an
import that only linked an event to a planned rotation said "1 plan item", as if it had made and now removed one.
The undo now says what it undid ("removed 2 rotations and undid 1 link"). NULL on the rows of imports recorded
before: their links were not counted apart, and their undo says so rather than guess.

Revision ID: 0014_import_links
Revises: 0013_event_wall_length
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_import_links"
down_revision: str | Sequence[str] | None = "0013_event_wall_length"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN needs no table rebuild on SQLite: 0005's owner triggers and 0008's AUTOINCREMENT stay.
    op.add_column("calendar_import", sa.Column("linked", sa.Integer(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch rebuild would lose 0008's AUTOINCREMENT and the triggers.
    op.execute("ALTER TABLE calendar_import DROP COLUMN linked")
