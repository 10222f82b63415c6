"""calendar_event.wall_length: the DURATION that gave an event's end, for events that follow the applicant's zone

Why: an event with DURATION and no DTEND lasts its hours elapsed (RFC 5545 3.3.6: days nominal, hours exact).
A floating one is placed again when the applicant's zone changes, from its clock times (0012); its end is then
its DURATION after its start as placed in the new zone, which no stored clock end gives (02:30 + PT1H is
03:30-04:30 EDT in New York, 02:30-03:30 in London). wall_end stays the clock end, as `events list --json` shows.

Why the re-read: the reader added a DURATION on the wall clock (00:30 EDT + PT2H on a fall-back night ended at
02:30 EST, 3 hours), so stored ends may be wrong; an unchanged file was not read again on its next import, which
would have said "unchanged" of wrong rows. Files with timed events are read again once, and correct them.

Revision ID: 0013_event_wall_length
Revises: 0012_event_clock_times
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_event_wall_length"
down_revision: str | Sequence[str] | None = "0012_event_clock_times"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REREAD_SQL = ("UPDATE calendar_source SET sha256 = '' WHERE EXISTS (SELECT 1 FROM calendar_event e "
              "WHERE e.source_id = calendar_source.id AND e.all_day = :no)")


def upgrade() -> None:
    # ADD COLUMN needs no table rebuild on SQLite: 0005's owner triggers, 0008's AUTOINCREMENT and 0012's trigger stay.
    op.add_column("calendar_event", sa.Column("wall_length", sa.String(), nullable=False, server_default=""))
    op.get_bind().execute(sa.text(REREAD_SQL), {"no": False})


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch rebuild would lose 0008's AUTOINCREMENT and the triggers.
    op.execute("ALTER TABLE calendar_event DROP COLUMN wall_length")
