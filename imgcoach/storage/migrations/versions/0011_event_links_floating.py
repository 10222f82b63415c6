"""Imported events linked to a plan row that is gone are plain imported events again

Why: `calendar_event.mapped_id` names a rotation, study block or exam by id, not by foreign key, and deletes
freed their events only from walk38 on (plan.event_links). A database written before kept the dead links:
`events list` said the event "became rotation 3" for a rotation long deleted, the timeline hid it as drawn by
that row, and a re-import neither offered its suggestion again nor moved anything. The upgrade frees them as a
delete does now: no kind, no row, no link (so the next import offers the suggestion again). Also freed: a link
with no row at all (`applicants import` of a file whose event named a row the file did not hold), and one to
another applicant's row. Nothing else can be known about them: which row it was is gone.

Revision ID: 0011_event_links_floating
Revises: 0010_moved_row_uids
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_event_links_floating"
down_revision: str | Sequence[str] | None = "0010_moved_row_uids"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# mapped_kind -> the table its mapped_id names (calendar.targets.TARGET_KINDS)
TARGET_TABLES = {"rotation": "rotation", "study_block": "study_block", "exam": "exam_result"}


def dead_links_sql() -> str:
    """The events whose link names no row of the applicant's: the one statement the upgrade runs (tests read it)."""
    dead = " OR ".join(
        f"(mapped_kind = '{kind}' AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = calendar_event.mapped_id "
        f"AND t.applicant_id = calendar_event.applicant_id))" for kind, table in TARGET_TABLES.items())
    return f"UPDATE calendar_event SET mapped_kind = '', mapped_id = NULL, link_only = :no WHERE {dead}"


def upgrade() -> None:
    op.get_bind().execute(sa.text(dead_links_sql()), {"no": False})


def downgrade() -> None:
    pass  # a dead link is not put back: it named nothing
