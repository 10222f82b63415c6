"""Ids are never handed out twice (migration 0008_ids_never_reused, storage.types.NEVER_REUSE_IDS).

SQLite gave a new row the highest id + 1, so the newest rotation's id came back on the next rotation added: the
cancelled reminders' note named a live rotation, the undo of the delete was refused, and any kept id could name
the wrong row. Real databases on both engines; the upgrade tests use real SQLite files at the previous schema.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Integer
from sqlmodel import SQLModel

from imgcoach import plan
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.core.settings import Settings
from imgcoach.reminders.sync import list_reminders
from imgcoach.storage.db import Database, _alembic_config
from imgcoach.storage.models import register_all
from imgcoach.storage.readcache import EXPECTED_TRIGGERS
from imgcoach.storage.schema_heads import SCHEMA_HEADS
from tests.migration_helpers import load_migration

register_all()  # every table registered on the metadata

M = load_migration("0008_ids_never_reused.py")
PREVIOUS = str(M.down_revision)


def _rotation(ctx: Context, institution: str, start: date, end: date) -> int:
    rotation = plan.add_rotation(ctx, kind="observership", specialty="Cardiology", institution=institution,
                                 start_date=start, end_date=end)
    assert rotation.id is not None
    return rotation.id


def test_a_deleted_rotations_id_is_never_given_to_the_next_one(ctx: Context) -> None:
    """The person's sequence: add a rotation, delete it (its reminders cancelled with a note naming it), add
    another, undo the delete. The new rotation has a new id, the note names no live rotation, the undo works."""
    old = _rotation(ctx, "Mercy Hospital", date(2027, 1, 4), date(2027, 1, 31))
    cancelled_by_delete = {r.id for r in list_reminders(ctx) if r.rotation_id == old and r.status == "pending"}
    assert cancelled_by_delete, "the rotation has pending reminders for the delete to cancel"
    record = plan.delete_with_undo(ctx, "rotation", old)
    new = _rotation(ctx, "Lakeview Clinic", date(2027, 3, 1), date(2027, 3, 28))
    assert new != old
    live = {r.id for r in plan.list_rotations(ctx)}
    notes = {r.note for r in list_reminders(ctx) if r.id in cancelled_by_delete}
    assert notes == {f"rotation {old} (Mercy Hospital, 2027-01-04..2027-01-31) was deleted"}
    assert old not in live
    undone = plan.undo_change(ctx, record)
    assert {r.id: r.institution for r in plan.list_rotations(ctx)} == {old: "Mercy Hospital", new: "Lakeview Clinic"}
    assert undone.pending_again == len(cancelled_by_delete)


def test_ids_stay_new_after_deleting_the_newest_row_of_each_kind(ctx: Context) -> None:
    """Not only rotations: a person, an exam and a study block deleted and added again each get a new id."""
    def person() -> int:
        return plan.add_contact(ctx, "Dr. Ada Obi").id or 0

    def exam() -> int:
        return plan.add_exam(ctx, "Step 1", date(2026, 6, 1), result="pass").id or 0

    def block() -> int:
        return plan.add_study_block(ctx, exam="Step 2 CK", start_date=date(2027, 2, 1), end_date=date(2027, 3, 1),
                                    hours_per_week=20).id or 0

    for add, kind in ((person, "contact"), (exam, "exam"), (block, "study_block")):
        first = add()
        plan.delete_with_undo(ctx, kind, first)  # type: ignore[arg-type]
        assert add() > first, kind


@pytest.mark.sqlite_only  # raw SQL with an explicit id: the one way an id can still be taken
def test_an_undo_whose_id_was_taken_by_raw_sql_is_still_refused(ctx: Context, db_path: Path) -> None:
    """The refusal stays for its true reason: a maintenance script put a row in with the deleted id."""
    old = _rotation(ctx, "Mercy Hospital", date(2027, 1, 4), date(2027, 1, 31))
    record = plan.delete_with_undo(ctx, "rotation", old)
    with sqlite3.connect(db_path) as raw:
        raw.execute("INSERT INTO rotation (id, applicant_id, kind, specialty, institution, department, city, state,"
                    " country, start_date, end_date, setting, hours_per_week, hands_on, responsibilities, learned)"
                    " SELECT ?, id, 'research', 'Pathology', 'Script Lab', '', '', '', 'US', '2027-05-03',"
                    " '2027-05-28', 'inpatient', 10, 0, '', '' FROM applicant", (old,))
    with pytest.raises(UserError, match="has its id taken by rotation ‘Pathology at Script Lab’, added since"):
        plan.undo_change(ctx, record)


def test_every_table_with_an_integer_id_declares_it_and_the_migration_rebuilt_each() -> None:
    """One list: the models' tables with an integer id are the ones 0008 rebuilt (a later table declares it in
    its model and gets it from its own CREATE TABLE)."""
    with_ids = {t.name for t in SQLModel.metadata.tables.values()
                if [c.name for c in t.primary_key] == ["id"] and isinstance(t.c.id.type, Integer)}
    declared = {t.name for t in SQLModel.metadata.tables.values() if t.dialect_options["sqlite"]["autoincrement"]}
    assert declared == with_ids
    assert set(M.TABLES) == with_ids


@pytest.mark.sqlite_only  # the SQLite file's own schema
def test_a_new_database_has_autoincrement_where_the_models_declare_it(db_path: Path) -> None:
    """A new file is made by the migrations, not by the models: the two agree. (A later migration that rebuilds
    one of these tables must pass sqlite_autoincrement again: reflection does not carry it, and this fails.)"""
    Database(f"sqlite:///{db_path}").close()
    with sqlite3.connect(db_path) as raw:
        tables = dict(raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
    declared = {t.name for t in SQLModel.metadata.tables.values() if t.dialect_options["sqlite"]["autoincrement"]}
    assert {name for name, sql in tables.items() if "AUTOINCREMENT" in sql} == declared


# --- the upgrade of an existing file -------------------------------------------------------------------------


def _open_at(path: Path, revision: str) -> None:
    from alembic import command

    db = Database(f"sqlite:///{path}", migrate=False)
    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), revision)
    db.close()


def _value(table: str, column: str, declared: str, n: int) -> Any:
    """Row n's value for a column, by its declared type: distinct per row, so every unique key holds."""
    kind = declared.upper()
    if kind.startswith(("INTEGER", "BIGINT")):
        return n
    if kind.startswith(("FLOAT", "REAL", "NUMERIC")):
        return n + 0.5
    if kind.startswith("BOOLEAN"):
        return n % 2
    if kind == "DATE":
        return f"2027-01-{n:02d}"
    if kind == "DATETIME":
        return f"2027-01-{n:02d} 09:30:00.000000"
    if kind == "JSON":
        return f'["{table}.{column}.{n}"]'
    return f"{table}.{column}.{n}"


def _fill_every_table(path: Path) -> None:
    """Three rows in every table of the old schema (read from the file itself, not from today's models), all of
    one applicant and linked to their parents' first rows; then the middle row of each table with an integer id deleted, so
    the ids have a gap the rebuild must keep."""
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA foreign_keys=ON")
        tables = [name for (name,) in raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT IN ('alembic_version', 'read_version')")]
        parents = {t: {row[2] for row in raw.execute(f'PRAGMA foreign_key_list("{t}")')} - {t} for t in tables}
        ordered: list[str] = []
        while len(ordered) < len(tables):
            ordered += [t for t in sorted(tables) if t not in ordered and parents[t] <= set(ordered)]
        for table in ordered:
            links = {row[3] for row in raw.execute(f'PRAGMA foreign_key_list("{table}")')}
            columns = [(row[1], row[2]) for row in raw.execute(f'PRAGMA table_info("{table}")')]
            for n in (1, 2, 3):
                values = {name: 1 if name in links or name == "applicant_id" else _value(table, name, declared, n)
                          for name, declared in columns if not (name == "id" and declared.upper() == "INTEGER")}
                names = ", ".join(f'"{name}"' for name in values)
                raw.execute(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(values))})',
                            tuple(values.values()))
        for table in M.TABLES:
            raw.execute(f'DELETE FROM "{table}" WHERE id = 2')


def _columns(path: Path) -> dict[str, list[str]]:
    """Each table's columns: what a later migration's ADD COLUMN leaves out of the comparison of an upgrade."""
    with sqlite3.connect(path) as raw:
        tables = [t for (t,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                            " AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")]
        return {t: [row[1] for row in raw.execute(f'PRAGMA table_info("{t}")')] for t in tables}


def _schema(path: Path, columns: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Each table's columns (with defaults), foreign keys (with their actions) and indexes, and every trigger;
    with `columns`, only those columns of each table (the ones it had before the upgrade)."""
    out: dict[str, Any] = {}
    with sqlite3.connect(path) as raw:
        for (table,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
            indexes = sorted((row[2], row[3], row[4], tuple(info[2] for info in raw.execute(
                f'PRAGMA index_xinfo("{row[1]}")') if info[5]), "" if row[1].startswith("sqlite_") else row[1])
                for row in raw.execute(f'PRAGMA index_list("{table}")'))
            info = raw.execute(f'PRAGMA table_xinfo("{table}")').fetchall()
            out[table] = ([c for c in info if columns is None or table not in columns or c[1] in columns[table]],
                          sorted(row[2:] for row in raw.execute(f'PRAGMA foreign_key_list("{table}")')), indexes)
        # each table's in the order they were made: SQLite fires a table's triggers newest first
        out["triggers"] = {}
        for name, table, sql in raw.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid"):
            out["triggers"].setdefault(table, []).append((name, sql))
    return out


def _rows(path: Path, columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table; with `columns`, only those columns of each table."""
    with sqlite3.connect(path) as raw:
        return {table: raw.execute(f'SELECT {", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns[table]) if columns else "*"}'
                                   f' FROM "{table}" ORDER BY 1, 2').fetchall() for (table,) in raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name != 'alembic_version'")}


@pytest.mark.sqlite_only  # an old SQLite file upgraded in place
def test_upgrade_keeps_every_row_index_key_and_trigger_and_ids_go_on_above_the_highest(tmp_path: Path,
                                                                                       clock: Any) -> None:
    path = tmp_path / "old.sqlite"
    _open_at(path, PREVIOUS)
    _fill_every_table(path)
    rows, schema, columns = _rows(path), _schema(path), _columns(path)
    assert all(rows[t] for t in M.TABLES), "a row in every table the upgrade rebuilds"
    Database(f"sqlite:///{path}").close()  # to the head: later migrations' new columns are left out below
    assert _rows(path, columns) == rows
    after = _schema(path, columns)
    # the triggers it had, each as it was; later migrations' own (0012's counter of events edited in place) aside
    before_names = {name for kept in schema["triggers"].values() for name, _ in kept}
    added = {name for kept in after["triggers"].values() for name, _ in kept} - before_names
    assert added == {"calendar_event_edits_counted"}, added
    after["triggers"] = {table: kept for table, kept in (
        (t, [x for x in k if x[0] in before_names]) for t, k in after["triggers"].items()) if kept}
    # the indexes it had; 0018's start-ordered indexes of calendar_event (a later migration's own) aside
    added_indexes = {"ix_calendar_event_starts", "ix_calendar_event_start_days"}
    events_columns, events_keys, events_indexes = after["calendar_event"]
    assert added_indexes <= {index[-1] for index in events_indexes}
    after["calendar_event"] = (events_columns, events_keys, [i for i in events_indexes if i[-1] not in added_indexes])
    assert after == schema
    with sqlite3.connect(path) as raw:
        assert {r[0] for r in raw.execute("SELECT version_num FROM alembic_version")} == set(SCHEMA_HEADS)
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        assert dict(raw.execute("SELECT name, seq FROM sqlite_sequence").fetchall()) == {t: 3 for t in M.TABLES}
        sql = dict(raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
        assert {name for name, text in sql.items() if "AUTOINCREMENT" in text} == set(M.TABLES)
        # the quick reads' write counters are there with this code's exact text
        assert {trigger for kept in schema["triggers"].values() for trigger in kept} >= EXPECTED_TRIGGERS
    # the app goes on above the highest id, and a deleted newest id stays used up
    db = Database(f"sqlite:///{path}")
    ctx = Context(db=db, clock=clock, settings=Settings(), applicant_id=1)
    first = plan.add_contact(ctx, "Dr. New").id
    plan.remove_contact(ctx, first)  # type: ignore[arg-type]
    assert (first, plan.add_contact(ctx, "Dr. Newer").id) == (4, 5)
    db.close()


@pytest.mark.sqlite_only  # PRAGMA foreign_keys is SQLite's
def test_the_rebuild_refuses_to_run_with_foreign_keys_on_and_changes_nothing(tmp_path: Path) -> None:
    """With foreign keys on, dropping the old applicant table would delete every row that names it."""
    from alembic import command

    path = tmp_path / "old.sqlite"
    _open_at(path, PREVIOUS)
    _fill_every_table(path)
    rows = _rows(path)
    db = Database(f"sqlite:///{path}", migrate=False)
    with pytest.raises(RuntimeError, match="PRAGMA foreign_keys=OFF"), db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), M.revision)
    db.close()
    assert _rows(path) == rows


@pytest.mark.sqlite_only  # the SQLite file's own schema
def test_downgrade_gives_back_the_previous_schema_with_every_row(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "old.sqlite"
    _open_at(path, PREVIOUS)
    _fill_every_table(path)
    rows, schema = _rows(path), _schema(path)
    Database(f"sqlite:///{path}").close()
    db = Database(f"sqlite:///{path}", migrate=False)
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")  # as storage.db.upgrade runs every migration
        with conn.begin():
            command.downgrade(_alembic_config(conn), PREVIOUS)
    db.close()
    assert (_rows(path), _schema(path)) == (rows, schema)
    with sqlite3.connect(path) as raw:
        assert not [n for n, s in raw.execute("SELECT name, sql FROM sqlite_master") if "AUTOINCREMENT" in (s or "")]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
