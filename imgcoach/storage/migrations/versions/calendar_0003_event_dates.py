"""calendar events found by date: indexes on (applicant, end, start, ...) for timed and all-day events

Why: the timeline reads only the weeks in view; without these indexes each window scanned every imported
event (160,000 rows at the 100x scale of issue 17). The trailing columns (what decides whether an event is
drawn) let a crowded window be counted from the index alone. Indexes only: no row changes.

Revision ID: calendar_0003
Revises: 0006_exam_sub_scores
"""

from collections.abc import Sequence

from alembic import op

revision: str = "calendar_0003"
down_revision: str | Sequence[str] | None = "0006_exam_sub_scores"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Written out, not imported from the models: a migration keeps the schema of its day.
    op.create_index("ix_calendar_event_when", "calendar_event",
                    ["applicant_id", "end_at", "start_at", "status", "mapped_kind", "mapped_id"])
    op.create_index("ix_calendar_event_days", "calendar_event",
                    ["applicant_id", "end_date", "start_date", "all_day", "status", "mapped_kind", "mapped_id"])


def downgrade() -> None:
    op.drop_index("ix_calendar_event_days", table_name="calendar_event")
    op.drop_index("ix_calendar_event_when", table_name="calendar_event")
