"""calendar events keyed by (applicant, UID, RECURRENCE-ID) across files; import history for undo

Before: events were keyed per file, so the same UID imported from a second file was stored twice.
Duplicates are merged into the newest row; a plan link (and a rotation's source event) held by any
copy is kept.

Revision ID: calendar_0002
Revises: calendar_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "calendar_0002"
down_revision: str | Sequence[str] | None = "calendar_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _merge_duplicates(conn: sa.Connection) -> None:
    rows = conn.execute(sa.text(
        "SELECT id, applicant_id, uid, recurrence_id, mapped_kind, mapped_id FROM calendar_event ORDER BY id")).all()
    groups: dict[tuple[int, str, str], list[tuple[int, str, int | None]]] = {}
    for rid, aid, uid, rec, kind, mid in rows:
        groups.setdefault((aid, uid, rec), []).append((rid, kind, mid))
    for copies in groups.values():
        if len(copies) < 2:
            continue
        keep, keep_kind, _ = copies[-1]  # the newest import's values
        if not keep_kind:
            linked = [c for c in copies if c[1]]
            if linked:
                conn.execute(sa.text("UPDATE calendar_event SET mapped_kind = :k, mapped_id = :m WHERE id = :i"),
                             {"k": linked[-1][1], "m": linked[-1][2], "i": keep})
        doomed = [c[0] for c in copies[:-1]]
        for old in doomed:
            conn.execute(sa.text("UPDATE rotation SET source_event_id = :keep WHERE source_event_id = :old"),
                         {"keep": keep, "old": old})
            conn.execute(sa.text("DELETE FROM calendar_event WHERE id = :old"), {"old": old})


def upgrade() -> None:
    with op.batch_alter_table("calendar_source", schema=None) as batch_op:
        batch_op.add_column(sa.Column("events", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("calendar_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applicant_id", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("link_only", sa.Boolean(), nullable=False, server_default=sa.false()))
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE calendar_event SET applicant_id = (SELECT s.applicant_id FROM calendar_source s "
                         "WHERE s.id = calendar_event.source_id)"))
    _merge_duplicates(conn)
    conn.execute(sa.text("UPDATE calendar_source SET events = (SELECT count(*) FROM calendar_event e "
                         "WHERE e.source_id = calendar_source.id)"))
    op.create_index("uq_calendar_event_identity", "calendar_event", ["applicant_id", "uid", "recurrence_id"],
                    unique=True)
    op.create_table(
        "calendar_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("file", sa.String(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("plan_items", sa.Integer(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("journal", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("calendar_import", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_import_applicant_id"), ["applicant_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("calendar_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_import_applicant_id"))
    op.drop_table("calendar_import")
    op.drop_index("uq_calendar_event_identity", table_name="calendar_event")
    with op.batch_alter_table("calendar_event", schema=None) as batch_op:
        batch_op.drop_column("link_only")
        batch_op.drop_column("applicant_id")
    with op.batch_alter_table("calendar_source", schema=None) as batch_op:
        batch_op.drop_column("events")
