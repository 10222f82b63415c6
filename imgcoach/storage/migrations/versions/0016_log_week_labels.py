"""coach_weekly_entry.week_of: each week stored as its rotation week's first day

`log add --week` and `log feedback --week` kept the day typed as the week's label, so "--week 2026-11-11" said
"week of 2026-11-11" beside weeks named by their first day (the rows were already found by the week's days).
The code now stores the first day (coach.actions, stop 46); this moves the rows written before to it, so an
upgraded log says the same as a new one.

A week with two rows (before the rows were found by the week's days, a Thursday's feedback made a second row
beside the week's own) keeps both as they are: one label per rotation week is unique, and merging two rows'
hours and words is not a migration's call. A row before its rotation's first day (the start moved later
since) is left too. Rows are read and written here with the rotation's start as it is now.

Data only: no column changes, so the owner triggers of 0005 and the id sequences of 0008 are untouched.

Revision ID: 0016_log_week_labels
Revises: 0015_us_citizen_said
"""

from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0016_log_week_labels"
down_revision: str | Sequence[str] | None = "0015_us_citizen_said"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_log = sa.table("coach_weekly_entry", sa.column("id", sa.Integer), sa.column("rotation_id", sa.Integer),
                sa.column("week_of", sa.Date))
_rotation = sa.table("rotation", sa.column("id", sa.Integer), sa.column("start_date", sa.Date))


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.select(_log.c.id, _log.c.rotation_id, _log.c.week_of, _rotation.c.start_date)
                        .join(_rotation, _rotation.c.id == _log.c.rotation_id)).all()
    # the rotation week's first day, as coach.logbook.week_days counts it (not imported: a migration keeps its rule)
    first = {row.id: row.start_date + timedelta(days=7 * ((row.week_of - row.start_date).days // 7))
             for row in rows if row.week_of >= row.start_date}
    per_week = Counter((row.rotation_id, first[row.id]) for row in rows if row.id in first)
    for row in rows:
        if row.id in first and first[row.id] != row.week_of and per_week[(row.rotation_id, first[row.id])] == 1:
            conn.execute(sa.update(_log).where(_log.c.id == row.id).values(week_of=first[row.id]))


def downgrade() -> None:
    pass  # the day typed is not kept: the first day stays, which the code before this read as well
