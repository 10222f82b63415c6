"""calendar events counted by the day they start: indexes on (applicant, start, end, ...) for timed and all-day events

Why: a crowded window (more events than a screen draws one by one) is shown as how many events start on each
local day. Counted through ix_calendar_event_when/_days, whose order is the end, every event of the window went
through a sort to be grouped by its start (issue 17: about 0.2 s of the app's first paint at 100x, 60,000 events
in the first window). Ordered by the start, each day's count is one range of the index, no sort, and no event
outside the window is visited. The trailing columns decide whether an event is drawn. Indexes only: no row changes.

Revision ID: 0018_event_start_indexes
Revises: 0017_write_notices
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018_event_start_indexes"
down_revision: str | Sequence[str] | None = "0017_write_notices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Written out, not imported from the models: a migration keeps the schema of its day.
    op.create_index("ix_calendar_event_starts", "calendar_event",
                    ["applicant_id", "start_at", "end_at", "status", "mapped_kind", "mapped_id"])
    op.create_index("ix_calendar_event_start_days", "calendar_event",
                    ["applicant_id", "start_date", "end_date", "all_day", "status", "mapped_kind", "mapped_id"])


def downgrade() -> None:
    op.drop_index("ix_calendar_event_start_days", table_name="calendar_event")
    op.drop_index("ix_calendar_event_starts", table_name="calendar_event")
