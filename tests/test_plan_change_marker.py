"""The change marker (plan.change_marker): what the app's poll and every screen's return compare. Built over the
tables (SQLAlchemy Core), not the models: the ORM's compile of its 47 subqueries lay on the path of the
timeline's first full load (issue 15). Real databases, both engines."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal_column
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
    PostgreSQL through its rows' xmin."""
    models = _models()
    columns: list[Any] = []
    for name, change in plan_module._WATCHED:
        model = models[name]
        columns.append(select(func.count()).select_from(model).scalar_subquery())
        columns.append(select(func.max(model.id)).scalar_subquery())
        if change is not None:
            aggregate = func.sum if change == "version" else func.max
            columns.append(select(aggregate(getattr(model, change))).scalar_subquery())
    watched = [name for name, _ in plan_module._WATCHED]
    columns.append(select(func.sum(ReadVersion.n)).where(col(ReadVersion.name).in_(watched)).scalar_subquery())
    if dialect == "postgresql":
        columns += [select(func.sum(literal_column("xmin::text::bigint"))).select_from(model).scalar_subquery()
                    for model in (models[name] for name, _ in plan_module._WATCHED) if model.__tablename__ != "calendar_event"]
    return select(*columns)


def test_the_marker_is_the_row_the_models_statement_reads(demo_ctx: Context) -> None:
    with demo_ctx.db.read() as session:
        expected = tuple(session.execute(_orm_marker_statement(session.get_bind().dialect.name)).one())
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
