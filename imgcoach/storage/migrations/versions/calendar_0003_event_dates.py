"""calendar events found by date: indexes on (applicant, end, start) for timed and all-day events

Why: the timeline reads only the weeks in view; without these indexes each window scanned every imported
event (300,000 rows at the scale of issue 17). Indexes only: no row changes.

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
    op.create_index("ix_calendar_event_when", "calendar_event", ["applicant_id", "end_at", "start_at"])
    op.create_index("ix_calendar_event_days", "calendar_event", ["applicant_id", "end_date", "start_date"])


def downgrade() -> None:
    op.drop_index("ix_calendar_event_days", table_name="calendar_event")
    op.drop_index("ix_calendar_event_when", table_name="calendar_event")
