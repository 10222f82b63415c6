"""The change marker (plan.change_marker): what the app's poll and every screen's return compare. Built over the
tables (SQLAlchemy Core), not the models: the ORM's compile of its 47 subqueries lay on the path of the
timeline's first full load (issue 15). Real databases, both engines."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import func, literal_column, text
from sqlmodel import col, select

from imgcoach import plan
from imgcoach.core.context import Context
from imgcoach.plan import plan as plan_module
from imgcoach.storage.models import ReadVersion


def _models() -> dict[str, Any]:
    """Every model by its table's name (the marker names its tables: the models load lazily, storage.models)."""
    from sqlmodel import SQLModel

    from imgcoach.storage.models import register_all

    register_all()
    return {mapper.class_.__tablename__: mapper.class_ for mapper in SQLModel._sa_registry.mappers}


def test_the_watched_tables_and_columns_are_the_models() -> None:
    """The marker names its tables and their change columns (plan._WATCHED): each is a model's table and column."""
    models = _models()
    for name, change in plan_module._WATCHED:
        assert name in models, f"no model has the table {name!r}"
        assert change is None or change in models[name].__table__.c, f"{name} has no column {change!r}"


def _orm_marker_statement(dialect: str = "sqlite") -> Any:
    """The marker as the models spell it (how it was built before issue 15): the reference to agree with. Every
    watched table's writes are counted (an edit from a clock behind the newest change time was missed), on
    PostgreSQL through its rows' xmin; on SQLite, whose triggers count them, by those counters alone."""
    models = _models()
    columns: list[Any] = []
    for name, change in plan_module._WATCHED:
        model = models[name]
        columns.append(select(func.count()).select_from(model).scalar_subquery())
        columns.append(select(func.max(model.id)).scalar_subquery())
        if change is not None and dialect != "sqlite":
            aggregate = func.sum if change == "version" else func.max
            columns.append(select(aggregate(getattr(model, change))).scalar_subquery())
    watched = [name for name, _ in plan_module._WATCHED]
    if dialect == "sqlite":
        columns += [select(ReadVersion.n).where(ReadVersion.name == name).scalar_subquery() for name in watched
                    if name != "calendar_event"]
        return select(*columns, literal_column("(SELECT schema_version FROM pragma_schema_version)"))
    columns.append(select(func.sum(ReadVersion.n)).where(col(ReadVersion.name).in_(watched)).scalar_subquery())
    if dialect == "postgresql":
        columns += [select(func.sum(literal_column("xmin::text::bigint"))).select_from(model).scalar_subquery()
                    for model in (models[name] for name, _ in plan_module._WATCHED) if model.__tablename__ != "calendar_event"]
    return select(*columns)


def test_the_marker_is_the_row_the_models_statement_reads(demo_ctx: Context) -> None:
    """On PostgreSQL the row is what the marker reads when the write notices cannot vouch (migration 0017's
    triggers: tests/test_pg_write_notices53.py); with them in place it reads no table."""
    with demo_ctx.db.read() as session:
        dialect = session.get_bind().dialect.name
        expected = tuple(session.execute(_orm_marker_statement(dialect)).one())
        if dialect == "postgresql":
            assert plan.change_marker(demo_ctx)[0] == "writes noticed"
            marker = tuple(session.execute(plan_module._marker_statement(dialect)).one())
    if dialect != "postgresql":
        marker = plan.change_marker(demo_ctx)
    assert marker == expected
    assert any(value for value in marker)  # the demo's rows are counted, not an empty database


def test_the_marker_statement_is_compiled_without_the_orm() -> None:
    """The ORM marks the statements it must compile (its compile-state plugin); the marker's has no entity."""
    assert plan_module._marker_statement()._propagate_attrs.get("compile_state_plugin") != "orm"
    assert _orm_marker_statement()._propagate_attrs.get("compile_state_plugin") == "orm"  # the check can fail


def test_the_marker_moves_when_another_connection_adds_a_row(demo_ctx: Context) -> None:
    from datetime import date

    before = plan.change_marker(demo_ctx)
    plan.add_exam(demo_ctx, "PLAB 1", date(2027, 8, 2))
    assert plan.change_marker(demo_ctx) != before


def _columns_read(db: Any) -> Iterator[set[tuple[str, str]]]:
    """Every (table, column) a statement reads on a connection opened meanwhile (SQLite's authorizer)."""
    import sqlite3

    from sqlalchemy import event

    seen: set[tuple[str, str]] = set()

    def watch(dbapi_connection: Any, record: Any) -> None:
        def authorize(action: int, table_name: Any, column_name: Any, *rest: Any) -> int:
            if action == sqlite3.SQLITE_READ and table_name and column_name:
                seen.add((table_name, column_name))
            return sqlite3.SQLITE_OK

        dbapi_connection.set_authorizer(authorize)

    db.engine.dispose()
    event.listen(db.engine, "connect", watch)
    try:
        yield seen
    finally:
        event.remove(db.engine, "connect", watch)
        db.engine.dispose()


@pytest.mark.sqlite_only
def test_a_poll_reads_no_column_that_only_a_scan_can_read(demo_ctx: Context) -> None:
    """The newest updated_at and the sum of versions have no index: each poll (every 2 s) and each screen return
    read every row of every watched table for them, 62 ms for 50,000 programs. The counting triggers see every
    write they would: with those in place the marker reads the counters, the row counts and the highest ids."""
    plan.change_marker(demo_ctx)
    with contextmanager(_columns_read)(demo_ctx.db) as seen:
        plan.change_marker(demo_ctx)
    scanned = {(t, c) for t, c in seen if c in ("updated_at", "version")}
    assert not scanned, sorted(scanned)
    assert ("read_version", "n") in seen


@pytest.mark.sqlite_only
def test_without_a_counting_trigger_the_marker_reads_the_change_times_again(demo_ctx: Context) -> None:
    """Guard: a file whose rotation edits are not counted (a trigger dropped by hand) cannot rely on its counters:
    the marker reads the change times as before, and an edit stamped with a later time still moves it."""
    from sqlalchemy import event

    with demo_ctx.db.transaction() as session:
        session.execute(text("DROP TRIGGER read_version_rotation_update"))
    plan.change_marker(demo_ctx)  # finds the trigger gone
    seen: list[str] = []
    event.listen(demo_ctx.db.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    before = plan.change_marker(demo_ctx)
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2, ("the triggers are looked for once per schema version, not at each poll", seen)
    with demo_ctx.db.transaction() as session:
        session.execute(text("UPDATE rotation SET institution = institution || ' (moved)', "
                             "updated_at = '2099-01-01 00:00:00.000000' WHERE id = (SELECT min(id) FROM rotation)"))
    assert plan.change_marker(demo_ctx) != before


def test_an_edit_in_place_with_the_clock_behind_moves_the_marker(demo_ctx: Context) -> None:
    """Guard: raw SQL editing a rotation without touching its change time (a writer whose clock is behind) is seen,
    by the counter on SQLite and the rows' xmin on PostgreSQL."""
    before = plan.change_marker(demo_ctx)
    with demo_ctx.db.transaction() as session:
        session.execute(text("UPDATE rotation SET institution = institution || ' (moved)' "
                             "WHERE id = (SELECT min(id) FROM rotation)"))
    assert plan.change_marker(demo_ctx) != before
