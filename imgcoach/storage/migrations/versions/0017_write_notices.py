"""PostgreSQL: a notification on one channel for every statement that writes a table the app's screens show

Why: the app's change marker (plan.change_marker), read at each 2 s poll and each screen return, summed on
PostgreSQL the xmin of every row of each watched table beside their counts and highest ids: a scan of every
table each time, 11 ms on the demo and 140 ms with 10,800 reminders and 50,000 programs (issue 17). SQLite counts
writes in read_version (0007's triggers); on PostgreSQL a counter row would make every writer of every applicant
wait on its lock until commit. NOTIFY needs no shared row: a notification is delivered only when its transaction
commits, in commit order, and never when it rolls back, so the app LISTENs on one connection and counts what it
receives (storage.write_notices).

One statement trigger per table (AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ... FOR EACH STATEMENT): an import
of 100,000 events makes one call per statement, not per row, and the server keeps one notification per
transaction (equal ones are folded). The payload is empty: every listener hears every applicant's writes (a
reload for another applicant's write is spurious, never wrong); telling applicants apart would need a trigger per
event kind with transition tables, and tables such as rotation_contact or calendar_event name no applicant.

SQLite: nothing (its counters already do this). Written out, not imported: a migration keeps the schema of its
day (storage.write_notices checks the triggers and the function's body against its own copy; a test compares).

Revision ID: 0017_write_notices
Revises: 0016_log_week_labels
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017_write_notices"
down_revision: str | Sequence[str] | None = "0016_log_week_labels"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "imgcoach_writes"
FUNCTION = "imgcoach_write_notice"
TRIGGER = "imgcoach_write_notice"
BODY = f" BEGIN PERFORM pg_notify('{CHANNEL}', ''); RETURN NULL; END "
TABLES: tuple[str, ...] = (
    "applicant", "exam_result", "study_block", "rotation", "contact", "rotation_contact", "letter_request",
    "case_note", "reminder", "calendar_source", "calendar_event", "calendar_import", "coach_outreach",
    "coach_weekly_entry", "coach_project", "coach_moment", "program", "program_override", "program_import",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $${BODY}$$")
    for table in TABLES:
        op.execute(f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
