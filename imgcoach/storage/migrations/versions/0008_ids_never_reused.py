"""ids never handed out twice on SQLite: AUTOINCREMENT on every table with an integer id

Why: SQLite gives a new row of an INTEGER PRIMARY KEY table max(id) + 1, so deleting the newest rotation and
adding another gave the new one the deleted id. The cancelled reminders' note "rotation 1 (...) was deleted"
then sat beside a live rotation 1, the app's undo of the delete was refused ("has its id taken by ..."), and
anything that kept an id (an undo record, a note, the outbox's references, a script's `--json` output) could
name the wrong row. With AUTOINCREMENT SQLite never hands out an id again that it gave before, as PostgreSQL's
identity columns never do (there this migration does nothing).

SQLite declares AUTOINCREMENT only in CREATE TABLE, so each table is rebuilt (batch_alter_table with
recreate): a new table with the same columns, defaults, unique constraints, foreign keys and indexes, every row
copied with its id, the old table dropped and the new one renamed. Three things a rebuild would lose or break
are handled here:
- foreign keys must be OFF (storage.db.upgrade turns them off around every migration, and checks
  ``PRAGMA foreign_key_check`` after): with them on, dropping the old rotation table would cascade to its
  cases and supervisor links and empty the rotation of its letters and reminders. Refused here otherwise;
- SQLite drops a table's triggers with it, and renaming a table fails while a trigger names a table that is
  gone: every trigger on these tables (0005's owner triggers, 0007's write counters) is dropped first and
  created again at the end from its own stored text, unchanged (storage.readcache compares that text), and in
  the order they were made (SQLite fires them newest first);
- ``sqlite_sequence`` gets each table's highest id, so the next id is above every id still in use. (Ids
  already freed above that, by deleting the newest rows before this upgrade, are beyond anyone's knowledge.)
Tables keyed by text (program, daemon_state, read_version, read_answer) hand out no ids and are left alone.

Keep in mind: reflection does not carry AUTOINCREMENT, so a later migration that rebuilds one of these tables
must pass ``table_kwargs={"sqlite_autoincrement": True}`` itself (tests/test_ids_never_reused.py fails if not).

Downgrade rebuilds the same tables without AUTOINCREMENT (ids are then reused again, as before).

Revision ID: 0008_ids_never_reused
Revises: 0007_read_answers
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_ids_never_reused"
down_revision: str | Sequence[str] | None = "0007_read_answers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out, not read from the models: a migration keeps the schema of its day. Every table with an integer
# id as of 0007 (parents before children only for readability: foreign keys are off, order does not matter).
TABLES: tuple[str, ...] = (
    "applicant", "calendar_source", "calendar_event", "calendar_import", "calendar_feed", "contact", "exam_result",
    "study_block", "rotation", "rotation_contact", "case_note", "letter_request", "reminder", "coach_outreach",
    "coach_weekly_entry", "coach_project", "coach_moment", "program_import", "program_change", "program_override",
    "shortlist_run", "shortlist_entry",
)


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)


def _rebuild(*, autoincrement: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # PostgreSQL's identity columns never reuse a value
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("0008_ids_never_reused rebuilds tables: run it with PRAGMA foreign_keys=OFF "
                           "(storage.db.upgrade does), or dropping a table would delete or empty its children's rows")
    names = ", ".join(f"'{table}'" for table in TABLES)
    # In the order they were made: SQLite fires a table's triggers newest first, and which refusal a statement
    # gets depends on it (0005's "keeps its applicant" before a link's).
    triggers = bind.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({names}) ORDER BY rowid").all()
    for name, _ in triggers:
        op.execute(f'DROP TRIGGER "{name}"')
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always",
                                  table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass
    for _, sql in triggers:
        op.execute(sql)
    if autoincrement:
        for table in TABLES:
            # The copy already leaves the highest id copied here; written out so it does not rest on that.
            op.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :name").bindparams(name=table))
            op.execute(f"INSERT INTO sqlite_sequence (name, seq) SELECT '{table}', max(id) FROM \"{table}\" "
                       "WHERE id IS NOT NULL HAVING count(*) > 0")
