"""No row of one applicant may point at a row of another: checked once, at every flush, for every table.

Why here and not in each use case: `letters add --rotation` once accepted another applicant's rotation,
cancelled their reminders and moved the rest into the caller's zone, because that use case forgot the
ownership check the others made. A session event sees every ORM write, so a use case written tomorrow is
covered too. The rule is read from the schema: a row's owner is its `applicant_id`, or (for a rotation's
cases, contacts and weekly log, a calendar file's events) the owner of the row its required foreign key
names; every foreign key a new or changed row sets must name a row of the same owner (rows of shared
tables, such as program imports, have no owner and are not checked). A breach is the NotFound a use
case would raise for an id that is not yours ("no rotation with id 12"); the transaction rolls back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, Connection, FromClause, Table, event, inspect, select
from sqlmodel import Session, SQLModel

from imgcoach.core.errors import NotFound
from imgcoach.storage.locking import LOCK_SCOPE_INFO, locked_applicant

_OWNED_THROUGH: dict[str, str | None] = {}  # table -> None (has applicant_id) or the column naming its parent


def owner_link(table: Table) -> str | Literal[False] | None:
    """None: the table has applicant_id; a column name: owned through that parent; False: a shared table.
    The one reading of ownership: the flush check here, db check's queries and the applicant export."""
    if table.name not in _OWNED_THROUGH:
        link: str | Literal[False] | None = False
        if "applicant_id" in table.c:
            link = None
        else:
            # in column order: `table.foreign_keys` is a set, so rotation_contact's owner was its rotation in one
            # process and its contact in another (db check's generated queries then disagreed with the rule)
            for fk in (fk for column in table.c for fk in column.foreign_keys):
                parent = fk.column.table
                if not fk.parent.nullable and parent.name != "applicant" and owner_link(parent) is not False:
                    link = fk.parent.name
                    break
        if link is False:
            return False
        _OWNED_THROUGH[table.name] = link
    return _OWNED_THROUGH[table.name]


_MODELS: dict[str, type | None] = {}


def _model_for(table: Table) -> type | None:
    if table.name not in _MODELS:
        _MODELS[table.name] = next((m.class_ for m in SQLModel._sa_registry.mappers
                                    if m.local_table is table), None)
    return _MODELS[table.name]


def _owner(session: Session, obj: Any, depth: int = 0) -> int | None:
    table: Table = obj.__table__
    link = owner_link(table)
    if link is False or depth > 4:
        return None
    if link is None:
        return getattr(obj, "applicant_id", None)
    parent_id = getattr(obj, link)
    fk = next(iter(table.c[link].foreign_keys))
    return _owner_of_id(session, fk.column.table, parent_id, depth + 1)


def _owner_of_id(session: Session, table: Table, row_id: Any, depth: int = 0) -> int | None:
    model = _model_for(table)
    if model is None or row_id is None:
        return None
    row = session.get(model, row_id)
    if row is None:
        return -1  # names nothing: the database's own foreign key refuses it (or it was deleted meanwhile)
    return _owner(session, row, depth)


def check_scope(session: Session, locked: int) -> None:
    """A write transaction locked for one applicant (storage/db.py) writes only that applicant's rows.

    On PostgreSQL it excludes only that applicant's other writers: a row of another applicant, a new
    applicant or a shared table written under it could race with their writers. A programming error (the
    call site must lock the whole database), refused before anything reaches the database.
    """
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        table = getattr(obj, "__table__", None)
        if table is None:
            continue
        if table.name == "applicant":
            owner = getattr(obj, "id", None)
        elif owner_link(table) is False:
            raise RuntimeError(f"a write transaction locked for applicant {locked} wrote the shared table "
                               f"{table.name}: lock the whole database for it")
        else:
            owner = _owner(session, obj)
        if owner not in (locked, -1):
            raise RuntimeError(f"a write transaction locked for applicant {locked} wrote a {table.name} row of "
                               f"{'no applicant yet' if owner is None else f'applicant {owner}'}: lock the whole "
                               "database for it")


def check_links(session: Session, _context: Any, _instances: Any) -> None:
    with session.no_autoflush:
        locked = locked_applicant(session.info.get(LOCK_SCOPE_INFO))
        if locked is not None:
            check_scope(session, locked)
        for obj in list(session.new) + list(session.dirty):
            table = getattr(obj, "__table__", None)
            if table is None or owner_link(table) is False:
                continue
            state = inspect(obj)
            is_new = obj in session.new
            owner: int | None = None
            for column in table.c:
                if not column.foreign_keys or column.name == "applicant_id":
                    continue
                value = getattr(obj, column.name, None)
                if value is None or (not is_new and not state.attrs[column.name].history.has_changes()):
                    continue
                target = next(iter(column.foreign_keys)).column.table
                if target.name == "applicant" or owner_link(target) is False:
                    continue
                owner = _owner(session, obj) if owner is None else owner
                theirs = _owner_of_id(session, target, value)
                if owner is not None and theirs not in (None, -1) and theirs != owner:
                    raise NotFound(f"no {target.name.replace('_', ' ')} with id {value}")


event.listen(Session, "before_flush", check_links)


# --- Rows already in the database -----------------------------------------------------------------------
# The flush check and the owner triggers (migration 0005) refuse a new cross-applicant link; rows written
# before they existed (by the `letters add --rotation` bug) are kept as they were. `imgcoach db check` and
# `imgcoach db upgrade` find them with the rule above, read from the same schema.


@dataclass(frozen=True)
class CrossLink:
    """One row whose foreign key names another applicant's row."""

    table: str
    row_id: Any
    column: str
    target: str
    target_id: Any
    owner: int
    target_owner: int

    def describe(self) -> str:
        return (f"{self.table} {self.row_id} (applicant {self.owner}) names {self.target.replace('_', ' ')} "
                f"{self.target_id} of applicant {self.target_owner} in {self.column}")


def _owner_column(table: Table) -> tuple[FromClause, ColumnElement[Any]] | None:
    """The table joined to what tells its owner, and that owner column (one step through a parent)."""
    link = owner_link(table)
    if link is False:
        return None
    if link is None:
        return table, table.c.applicant_id
    parent = next(iter(table.c[link].foreign_keys)).column.table
    if owner_link(parent) is not None:
        return None  # owned two steps away: no such link in the schema today, and the flush check covers it
    alias = parent.alias(f"owner_{parent.name}")
    return table.join(alias, alias.c.id == table.c[link]), alias.c.applicant_id


def owner_links() -> list[tuple[Table, str, Table]]:
    """(child table, foreign-key column, parent table) for every link that must stay within one applicant."""
    # Every table, not only those this process happened to import: `imgcoach db check` as a command loaded no
    # model, found no link to check and said "ok" over a letter naming another applicant's rotation.
    from imgcoach.storage.models import register_all

    register_all()

    links = []
    for table in SQLModel.metadata.sorted_tables:
        link = owner_link(table)
        if link is False:
            continue
        for column in table.c:
            if not column.foreign_keys or column.name in ("applicant_id", link):
                continue
            target = next(iter(column.foreign_keys)).column.table
            if target.name != "applicant" and owner_link(target) is None:
                links.append((table, column.name, target))
    return links


def _cross_link_query(table: Table, column: str, target_table: Table, limit: int) -> Any | None:
    """The rows of `table` whose `column` names a `target_table` row of another applicant (key order, `limit`)."""
    child = _owner_column(table)
    if child is None:
        return None
    joined, owner = child
    key = list(table.primary_key.columns)
    target = target_table.alias(f"target_{target_table.name}")
    return (select(owner, target.c.id, target.c.applicant_id, *key)
            .select_from(joined.join(target, target.c.id == table.c[column]))
            .where(owner != target.c.applicant_id).order_by(*key).limit(limit))


def find_cross_links(conn: Connection, limit: int = 1000) -> list[CrossLink]:
    """Every row (up to ``limit``) whose foreign key names a row of another applicant, on either engine."""
    found: list[CrossLink] = []
    for table, column, target_table in owner_links():
        query = _cross_link_query(table, column, target_table, limit - len(found))
        if query is None:
            continue
        for row_owner, target_id, target_owner, *row_key in conn.execute(query):
            row_id = row_key[0] if len(row_key) == 1 else "/".join(map(str, row_key))
            found.append(CrossLink(table.name, row_id, column, target_table.name, target_id, row_owner,
                                   target_owner))
        if len(found) >= limit:
            break
    return found


def cross_link_probes() -> tuple[str, ...]:
    """find_cross_links' queries as SQLite text, each asking for one row: what `imgcoach db check`'s quick read runs
    with sqlite3 alone (storage.cross_link_sql, generated from this and checked by tests/test_cli_quickread.py)."""
    from sqlalchemy.dialects import sqlite

    probes = []
    for table, column, target_table in owner_links():
        query = _cross_link_query(table, column, target_table, 1)
        if query is not None:
            probes.append(str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})))
    return tuple(probes)
