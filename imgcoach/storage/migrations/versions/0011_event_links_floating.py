"""calendar_event.floating, and imported events linked to a plan row that is gone are plain imported events again

Why floating: a time with no zone in the file (RFC 5545 floating: the same clock time wherever one is) was
read in the applicant's zone and kept in UTC only, so after `profile set --timezone` an 09:00 ward round read
15:00. A floating row now says so, and a change of zone places it again at its clock time (plan.event_links).
Rows imported before cannot be told from events the file gave in the applicant's own zone (both have its
name as tzid), so they stay False, and their files are marked as needing a new reading (the stored reading
key is emptied for a file with timed events in the applicant's zone): importing the same file again records
which are floating and says so ("no time zone in the file: ..."). Until then they keep their UTC instant.

Why the links: `calendar_event.mapped_id` names a rotation, study block or exam by id, not by foreign key, and deletes
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
    """Frees the events whose link names no row of the applicant's (one statement for the three kinds)."""
    dead = " OR ".join(
        f"(mapped_kind = '{kind}' AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = calendar_event.mapped_id "
        f"AND t.applicant_id = calendar_event.applicant_id))" for kind, table in TARGET_TABLES.items())
    return f"UPDATE calendar_event SET mapped_kind = '', mapped_id = NULL, link_only = :no WHERE {dead}"


# Files that may hold floating times read before this upgrade: read again on their next import, not skipped
# as unchanged (storage cannot tell their floating events from ones in the applicant's own zone).
REREAD_SQL = ("UPDATE calendar_source SET sha256 = '' WHERE EXISTS (SELECT 1 FROM calendar_event e JOIN applicant a "
              "ON a.id = e.applicant_id WHERE e.source_id = calendar_source.id AND e.all_day = :no "
              "AND e.tzid = a.timezone)")


def upgrade() -> None:
    # ADD COLUMN needs no table rebuild on SQLite: 0005's owner triggers and 0008's AUTOINCREMENT stay.
    op.add_column("calendar_event", sa.Column("floating", sa.Boolean(), nullable=False, server_default=sa.false()))
    bind = op.get_bind()
    bind.execute(sa.text(REREAD_SQL), {"no": False})
    bind.execute(sa.text(dead_links_sql()), {"no": False})


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch rebuild would lose 0008's AUTOINCREMENT and the triggers.
    # A dead link is not put back: it named nothing.
    op.execute("ALTER TABLE calendar_event DROP COLUMN floating")
