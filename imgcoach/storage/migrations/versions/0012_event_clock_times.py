"""calendar_event.wall_start/wall_end/zone_assumed, and a write counter for imported events edited in place

Why the clock times: a floating row (no zone in its file) follows the applicant's zone, and was placed again from
its UTC instant read back in the old zone. A clock time the old zone skips has no instant of its own: 02:30 on
14 March 2027 in New York is read as 03:30 EDT (RFC 5545: the offset before the gap), so after a move to London it
read 03:30, though the file says 02:30 and reading the file in London gives 02:30. The rows now keep the clock
time the file gave, and every placement (import, change of zone, undo) reads that one value by one rule
(core.clock_times). Rows imported before this keep "" (placed from their instant as before) until their file is
imported again: their files are read again then, not skipped as unchanged (REREAD_SQL).

Why zone_assumed: a TZID no zone matched ("Hospital Time") is read in the applicant's zone, as the import warns.
That is an assumption about the applicant's zone, so such a row follows it like a floating one (reading the file
again after a move did move it, while the move itself had kept its instant); the profile change counts them.

Why the trigger: the app's change marker counts writes per table, and left imported events out on the promise
that every write to them also writes a counted table. An update of events alone (any tool on the database) was
not seen: the timeline kept the old time. On SQLite a row trigger on UPDATE only (inserts and deletes move the
count or the highest id already; an import's 170,000 inserts stay free) counts it under calendar_source's
counter, the one the quick read's answers and the marker already read for imported calendars; on PostgreSQL a
statement trigger does the same once per statement.

Revision ID: 0012_event_clock_times
Revises: 0011_event_links_floating
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_event_clock_times"
down_revision: str | Sequence[str] | None = "0011_event_links_floating"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Not named read_version_*: the quick read checks that those are exactly migration 0007's.
TRIGGER = "calendar_event_edits_counted"
COUNTER = "calendar_source"
SQLITE_TRIGGER = (f"CREATE TRIGGER {TRIGGER} AFTER UPDATE ON calendar_event "
                  f"BEGIN UPDATE read_version SET n = n + 1 WHERE name = '{COUNTER}'; END")
PG_FUNCTION = (f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"UPDATE read_version SET n = n + 1 WHERE name = '{COUNTER}'; RETURN NULL; END $$")
PG_TRIGGER = (f"CREATE TRIGGER {TRIGGER} AFTER UPDATE ON calendar_event FOR EACH STATEMENT "
              f"EXECUTE FUNCTION {TRIGGER}()")


# Files whose rows may follow the applicant's zone (floating, or an unmatched TZID: both were placed in it) are
# read again on their next import, not skipped as unchanged, so their rows get the file's clock times and TZID
# (0011's rule, written out: a migration keeps the SQL of its day).
REREAD_SQL = ("UPDATE calendar_source SET sha256 = '' WHERE EXISTS (SELECT 1 FROM calendar_event e JOIN applicant a "
              "ON a.id = e.applicant_id WHERE e.source_id = calendar_source.id AND e.all_day = :no "
              "AND e.tzid = a.timezone)")


def upgrade() -> None:
    # ADD COLUMN needs no table rebuild on SQLite: 0005's owner triggers and 0008's AUTOINCREMENT stay.
    op.add_column("calendar_event", sa.Column("wall_start", sa.String(), nullable=False, server_default=""))
    op.add_column("calendar_event", sa.Column("wall_end", sa.String(), nullable=False, server_default=""))
    op.add_column("calendar_event", sa.Column("zone_assumed", sa.String(), nullable=False, server_default=""))
    op.get_bind().execute(sa.text(REREAD_SQL), {"no": False})
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_TRIGGER)
    else:
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON calendar_event")
        op.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch rebuild would lose 0008's AUTOINCREMENT and the triggers.
    for name in ("zone_assumed", "wall_end", "wall_start"):
        op.execute(f"ALTER TABLE calendar_event DROP COLUMN {name}")
