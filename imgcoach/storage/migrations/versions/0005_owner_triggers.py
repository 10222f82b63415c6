"""the database itself refuses a row that links one applicant's data to another's (triggers, both engines)

Why: `letters add --rotation` once accepted another applicant's rotation. The first line against that is
imgcoach.storage.ownership, a check at every ORM flush. It does not see raw SQL (the calendar import's bulk
insert, a maintenance script, `psql`) nor a future code path that bypasses the ORM. These triggers are the
second line: an INSERT or UPDATE that makes a foreign key name a row of another applicant is aborted by the
database, with a message that starts with "cross-applicant link" (storage.db.storage_error_message turns it
into a one-line refusal for the user).

Why triggers and not composite foreign keys such as (rotation_id, applicant_id) -> rotation(id, applicant_id):
SQLite cannot add a constraint to an existing table, so each of these tables (and each parent, which would
need a UNIQUE (id, applicant_id)) would have to be rebuilt by copying every row, on every user's file; and a
rotation's contacts have no applicant_id of their own to put in such a key. Triggers are added in place,
cost one primary-key lookup per written row, and read the same on both engines.

What is checked (the links imgcoach.storage.ownership checks, frozen here as of this revision):
- a row with an applicant_id: each optional or required foreign key to an owned parent names a parent with
  the same applicant_id (an event's source, a rotation's source event, a letter's rotation and writer, a
  reminder's rotation and letter, an outreach entry's and a project's rotation, a shortlist entry's run);
- a rotation's contact link: the contact belongs to the rotation's applicant;
- a parent that such links name never changes applicant (otherwise moving it would take the links along).
A row whose foreign key names nothing is left to the foreign key itself. Rows already in the database are
not re-checked by this upgrade (every row is kept as it is).

Keep in mind: SQLite drops a table's triggers when a migration rebuilds the table (batch_alter_table with
recreate); such a migration must create them again (tests/test_owner_triggers.py checks they are all there).

Revision ID: 0005_owner_triggers
Revises: 0004_row_versions, calendar_0002, coach_0001, daemon_0002, matching_0003
"""

from collections.abc import Sequence
from typing import NamedTuple

from alembic import op

revision: str = "0005_owner_triggers"
# A merge of every branch: the triggers span tables the calendar, coach, daemon and matching branches made.
# (depends_on would order them too, but Alembic then records only this revision in alembic_version while still
# listing the branch tips as heads, and the schema would never look current.)
down_revision: str | Sequence[str] | None = ("0004_row_versions", "calendar_0002", "coach_0001", "daemon_0002",
                                             "matching_0003")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFIX = "cross-applicant link"


class Link(NamedTuple):
    """child.column names a row of parent; the child's applicant is its applicant_id, or that of owner_parent's
    row named by owner_column (a table without applicant_id of its own)."""

    child: str
    column: str
    parent: str
    owner_column: str = "applicant_id"
    owner_parent: str = ""

    @property
    def name(self) -> str:
        return f"owner_{self.child}_{self.column}"

    @property
    def message(self) -> str:
        return f"{PREFIX}: {self.child}.{self.column} names a {self.parent} of another applicant"


LINKS: tuple[Link, ...] = (
    Link("calendar_event", "source_id", "calendar_source"),
    Link("rotation", "source_event_id", "calendar_event"),
    Link("letter_request", "rotation_id", "rotation"),
    Link("letter_request", "writer_id", "contact"),
    Link("reminder", "rotation_id", "rotation"),
    Link("reminder", "letter_id", "letter_request"),
    Link("coach_outreach", "rotation_id", "rotation"),
    Link("coach_project", "rotation_id", "rotation"),
    Link("shortlist_entry", "run_id", "shortlist_run"),
    Link("rotation_contact", "contact_id", "contact", owner_column="rotation_id", owner_parent="rotation"),
)
# Parents the links name: their applicant never changes. (Their triggers are named owner_applicant_kept_*, which
# PostgreSQL, firing a table's triggers by name, runs before a link trigger of the same table: the message then
# says what the statement did.)
PARENTS: tuple[str, ...] = tuple(sorted({link.parent for link in LINKS}))


def fixed_message(parent: str) -> str:
    return f"{PREFIX}: a {parent} keeps its applicant (other rows may name it)"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
    else:
        _postgresql_upgrade()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for link in LINKS:
        if sqlite:
            op.execute(f"DROP TRIGGER IF EXISTS {link.name}_insert")
            op.execute(f"DROP TRIGGER IF EXISTS {link.name}_update")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {link.name} ON {link.child}")
    for parent in PARENTS:
        if sqlite:
            op.execute(f"DROP TRIGGER IF EXISTS owner_applicant_kept_{parent}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS owner_applicant_kept_{parent} ON {parent}")
    if not sqlite:
        op.execute("DROP FUNCTION IF EXISTS imgcoach_same_applicant()")
        op.execute("DROP FUNCTION IF EXISTS imgcoach_applicant_fixed()")


def _sqlite_upgrade() -> None:
    for link in LINKS:
        owner = (f"NEW.{link.owner_column}" if not link.owner_parent else
                 f"(SELECT applicant_id FROM {link.owner_parent} WHERE id = NEW.{link.owner_column})")
        # A NULL on either side (no link, or a parent that does not exist) compares as NULL: not refused here.
        when = (f"NEW.{link.column} IS NOT NULL AND "
                f"(SELECT applicant_id FROM {link.parent} WHERE id = NEW.{link.column}) <> {owner}")
        body = f"BEGIN SELECT RAISE(ABORT, '{link.message}'); END"
        op.execute(f"CREATE TRIGGER {link.name}_insert BEFORE INSERT ON {link.child} WHEN {when} {body}")
        op.execute(f"CREATE TRIGGER {link.name}_update BEFORE UPDATE OF {link.column}, {link.owner_column} "
                   f"ON {link.child} WHEN {when} {body}")
    for parent in PARENTS:
        op.execute(f"CREATE TRIGGER owner_applicant_kept_{parent} BEFORE UPDATE OF applicant_id ON {parent} "
                   f"WHEN NEW.applicant_id IS NOT OLD.applicant_id "
                   f"BEGIN SELECT RAISE(ABORT, '{fixed_message(parent)}'); END")


# TG_ARGV: column, parent, owner column, owner parent ('' when the row has its own applicant_id).
_SAME_APPLICANT = f"""
CREATE FUNCTION imgcoach_same_applicant() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row_values jsonb := to_jsonb(NEW);
    parent_id bigint := (row_values ->> TG_ARGV[0])::bigint;
    owner bigint;
    theirs bigint;
BEGIN
    IF parent_id IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_ARGV[3] = '' THEN
        owner := (row_values ->> TG_ARGV[2])::bigint;
    ELSE
        EXECUTE format('SELECT applicant_id FROM %I WHERE id = $1', TG_ARGV[3])
            INTO owner USING (row_values ->> TG_ARGV[2])::bigint;
    END IF;
    EXECUTE format('SELECT applicant_id FROM %I WHERE id = $1', TG_ARGV[1]) INTO theirs USING parent_id;
    IF theirs <> owner THEN
        RAISE EXCEPTION '{PREFIX}: %.% names a % of another applicant', TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[1]
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END $$
"""

_APPLICANT_FIXED = f"""
CREATE FUNCTION imgcoach_applicant_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.applicant_id IS DISTINCT FROM OLD.applicant_id THEN
        RAISE EXCEPTION '{PREFIX}: a % keeps its applicant (other rows may name it)', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END $$
"""


def _postgresql_upgrade() -> None:
    op.execute(_SAME_APPLICANT)
    op.execute(_APPLICANT_FIXED)
    for link in LINKS:
        op.execute(f"CREATE TRIGGER {link.name} BEFORE INSERT OR UPDATE OF {link.column}, {link.owner_column} "
                   f"ON {link.child} FOR EACH ROW EXECUTE FUNCTION imgcoach_same_applicant("
                   f"'{link.column}', '{link.parent}', '{link.owner_column}', '{link.owner_parent}')")
    for parent in PARENTS:
        op.execute(f"CREATE TRIGGER owner_applicant_kept_{parent} BEFORE UPDATE OF applicant_id ON {parent} "
                   f"FOR EACH ROW EXECUTE FUNCTION imgcoach_applicant_fixed()")
