"""read_answer and read_version: stored answers of `readiness` and `shortlist`, and write counters (triggers)

Why: those read commands spent most of their time importing SQLAlchemy, SQLModel and every model (issue 17: a
read command should cost at most 5x `python -c pass`). The full path now stores the text it printed with a
validity key (storage.readcache); the CLI's quick read prints it again, with sqlite3 alone, only while the key
is unchanged. The key holds read_version's counters: on SQLite, a trigger after every INSERT, UPDATE and
DELETE of each watched table adds one to that table's counter, whoever writes (the app, the daemon, an
import, raw SQL), so no write can leave a stored answer looking valid.

Watched: every table except calendar_event (an import writes up to 170,000 rows; neither command reads it),
calendar_feed and daemon_state (rewritten by the daemon on its own; not read either), and read_answer itself.
tests/test_cli_quickanswer.py checks that the commands read only watched tables. PostgreSQL gets the tables
(the models are the same on both engines) but no triggers: the quick read answers from SQLite files only.

Keep in mind: SQLite drops a table's triggers when a migration rebuilds the table (batch_alter_table with
recreate); such a migration must create them again. The quick read also checks they are all there.

Revision ID: 0007_read_answers
Revises: calendar_0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_read_answers"
down_revision: str | Sequence[str] | None = "calendar_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out, not imported: a migration keeps the schema of its day (storage.readcache.WATCHED must equal it).
WATCHED: tuple[str, ...] = (
    "applicant", "calendar_import", "calendar_source", "case_note", "coach_moment", "coach_outreach",
    "coach_project", "coach_weekly_entry", "contact", "exam_result", "letter_request", "program",
    "program_change", "program_import", "program_override", "reminder", "rotation", "rotation_contact",
    "shortlist_entry", "shortlist_run", "study_block",
)
OPERATIONS = ("insert", "update", "delete")


def upgrade() -> None:
    op.create_table(
        "read_version",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "read_answer",
        sa.Column("command", sa.String(), nullable=False),
        sa.Column("subject", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("command", "subject"),
    )
    table = sa.table("read_version", sa.column("name", sa.String()), sa.column("n", sa.Integer()))
    op.bulk_insert(table, [{"name": name, "n": 0} for name in WATCHED])
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in WATCHED:
        for operation in OPERATIONS:
            op.execute(f"CREATE TRIGGER read_version_{name}_{operation} AFTER {operation.upper()} ON {name} "
                       f"BEGIN UPDATE read_version SET n = n + 1 WHERE name = '{name}'; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in WATCHED:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER IF EXISTS read_version_{name}_{operation}")
    op.drop_table("read_answer")
    op.drop_table("read_version")
