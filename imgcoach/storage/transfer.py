"""One applicant's whole plan as JSON, for moving between an individual's SQLite and an organisation's PostgreSQL.

Generic over the schema: every table with an `applicant_id` column, plus the tables that hang off one of
those through a required foreign key (a rotation's contacts, cases and weekly log, a calendar file's events).
Shared tables (programs and their imports) are not the applicant's and stay behind. On import every id is
new, and each foreign key, each `calendar_event.mapped_id` and each reminder key that names an id
(`rotation:12:...`) follows its row. Message-IDs and calendar UIDs are kept as they are, so a reminder
already sent is recognised as the same message after the move and a calendar entry stays one entry: a plan
row, whose UID the export makes from its id, stores the UID it was published under (`calendar_uid`). The new
database, when it gives the applicant the same id (so the same salt: UIDs and Message-IDs are made from row ids
salted by the applicant's id), then never hands out an id the moved rows had, so a row made there later is never
minted one of their UIDs or Message-IDs.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    func,
    select,
    text,
)
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel

from imgcoach.core.errors import UserError, shown
from imgcoach.core.uids import PLAN_UID_PREFIX, applicant_salt, plan_row_uid
from imgcoach.storage.applicants import current_applicant
from imgcoach.storage.quicktransfer import FORMAT, VERSION, plain  # shared with the quick export (issue 17)
from imgcoach.storage.types import UTCDateTime

# Reminder keys that name a row by id, and the table whose id it is.
_KEY_IDS = {"rotation": "rotation", "outreach": "coach_outreach", "progress": "coach_moment", "digest": "applicant"}
_KEY_ID = re.compile(r"\b(" + "|".join(_KEY_IDS) + r"):(\d+)")
# calendar_event.mapped_id names a row of the table its mapped_kind says (not a foreign key: it varies).
_MAPPED = {"rotation": "rotation", "study_block": "study_block", "exam": "exam_result"}


def applicant_tables() -> list[tuple[Table, str | None]]:
    """(table, column linking it to an owned parent or None for applicant_id), parents before children: the
    tables storage.ownership says are an applicant's, read by its rule (a copy of it here needed the same
    column-order fix separately)."""
    from imgcoach.storage.models import register_all
    from imgcoach.storage.ownership import owner_link

    register_all()  # every table registered on the metadata

    owned: list[tuple[Table, str | None]] = []
    for table in SQLModel.metadata.sorted_tables:
        link = owner_link(table)
        if table.name != "applicant" and link is not False:
            owned.append((table, link))
    return owned


def export_applicant(session: Session, ctx: Any) -> dict[str, Any]:
    """The context's applicant and every row of theirs, as JSON-ready values ordered by id."""
    from imgcoach.storage.models import Applicant

    applicant = current_applicant(session, ctx)
    app_table: Table = Applicant.__table__  # type: ignore[attr-defined]
    ids: dict[str, list[int]] = {"applicant": [applicant.id]}  # type: ignore[list-item]
    tables: dict[str, list[dict[str, Any]]] = {
        "applicant": [_row(session.execute(select(app_table).where(app_table.c.id == applicant.id)).mappings().one())]
    }
    for table, link in applicant_tables():
        if link is None:
            where = table.c.applicant_id == applicant.id
        else:
            parent = next(fk.column.table.name for fk in table.c[link].foreign_keys)
            where = table.c[link].in_(ids.get(parent, []))
        rows = [_row(r) for r in session.execute(select(table).where(where).order_by(table.c.id)).mappings()]
        tables[table.name] = rows
        ids[table.name] = [r["id"] for r in rows]
    return {"format": FORMAT, "version": VERSION, "tables": tables}


def _row(mapping: Any) -> dict[str, Any]:
    return {k: plain(v) for k, v in dict(mapping).items()}


def import_applicant(session: Session, data: Any, *, source: str = "the file") -> int:
    """Insert an exported applicant with new ids; returns the new applicant's id. Refuses a clash."""
    from imgcoach.storage.models import Applicant, Reminder

    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("tables"), dict):
        raise UserError(f"{source}: not an imgcoach applicant export (expected \"format\": \"{FORMAT}\")")
    if data.get("version") != VERSION:
        raise UserError(f"{source}: export version {data.get('version')!r}, this imgcoach reads version {VERSION}")
    tables: dict[str, Any] = data["tables"]
    people = tables.get("applicant")
    if not isinstance(people, list) or len(people) != 1 or not isinstance(people[0], dict):
        raise UserError(f"{source}: tables.applicant must hold exactly one applicant")
    email = str(people[0].get("email", ""))
    taken = session.execute(select(Applicant.id).where(  # type: ignore[call-overload]
        func.lower(Applicant.email) == email.lower())).scalar()
    if taken is not None:
        raise UserError(f"{source}: applicant {taken} already has the e-mail {email!r} in this database")
    message_ids = [r.get("message_id") for r in tables.get("reminder", []) if isinstance(r, dict)]
    if message_ids:
        clash = session.execute(select(Reminder.key).where(  # type: ignore[call-overload]
            Reminder.message_id.in_(message_ids))).scalar()  # type: ignore[attr-defined]
        if clash is not None:
            raise UserError(f"{source}: reminder {clash!r} is already in this database (was this applicant "
                            "imported before?)")

    maps: dict[str, dict[int, int]] = {}
    app_table: Table = Applicant.__table__  # type: ignore[attr-defined]
    applicant_old_id = _row_id(people[0], f"{source}: tables.applicant")
    old_salt = applicant_salt(applicant_old_id, people[0].get("created_at"))
    maps["applicant"] = {applicant_old_id: _insert(session, app_table, people[0], maps, source)}
    mapped_later: list[tuple[int, str, int]] = []
    for table, _link in applicant_tables():
        rows = tables.get(table.name, [])
        if not isinstance(rows, list):
            raise UserError(f"{source}: tables.{table.name} must be a list")
        maps[table.name] = {}
        for row in rows:
            if not isinstance(row, dict) or "id" not in row:
                raise UserError(f"{source}: a row of tables.{table.name} is not an object with an id")
            old_id = _row_id(row, f"{source}: tables.{table.name}")
            values = dict(row)
            if table.name == "reminder" and isinstance(values.get("key"), str):
                values["key"] = _KEY_ID.sub(lambda m: _rekey(m, maps), values["key"])
            if table.name == "calendar_event" and values.get("mapped_id") is not None:
                target_id = _whole(values["mapped_id"], f"{source}: calendar_event {old_id} mapped_id")
                mapped_later.append((old_id, str(values.get("mapped_kind", "")), target_id))
                values["mapped_id"] = None
            if table.name in PLAN_UID_PREFIX and not values.get("calendar_uid"):
                values["calendar_uid"] = plan_row_uid(table.name, old_id, old_salt)
            maps[table.name][old_id] = _insert(session, table, values, maps, source)
        if maps[table.name] and max(maps[table.name]) > 0 and maps["applicant"][applicant_old_id] == applicant_old_id:
            # The same applicant id here, so the same salt: a row made here later with a moved row's old id would
            # be minted its UID and Message-IDs. (Bounded: a file's ids near the largest integer would leave the
            # table no id to hand out.)
            _ids_above(session, table, min(max(maps[table.name]), _MAX_INTEGER // 2))
    events = next(t for t, _ in applicant_tables() if t.name == "calendar_event")
    for old_event, kind, old_target in mapped_later:
        target = maps.get(_MAPPED.get(kind, ""), {}).get(old_target)
        # A link to a row the file does not hold names nothing: the event is a plain one again (kept "rotation"
        # with no row, `events list` said it became a rotation and no import offered it again).
        freed = {} if target is not None else {"mapped_kind": "", "link_only": False}
        session.execute(events.update().where(events.c.id == maps["calendar_event"][old_event])
                        .values(mapped_id=target, **freed))
    return maps["applicant"][applicant_old_id]


def _ids_above(session: Session, table: Table, old_id: int) -> None:
    """Hand out ids above `old_id` in `table` from now on (never lower the counter: ids stay never reused)."""
    name = table.name
    if session.get_bind().dialect.name == "sqlite":
        # AUTOINCREMENT tables (0008) have their row in sqlite_sequence once a row was inserted, as here
        session.execute(text("UPDATE sqlite_sequence SET seq = :n WHERE name = :t AND seq < :n"),
                        {"n": old_id, "t": name})
    else:
        session.execute(text("SELECT setval(seq, greatest(:n, coalesce(pg_sequence_last_value(seq), 0))) "
                             "FROM (SELECT pg_get_serial_sequence(:t, 'id')::regclass AS seq) AS q "
                             "WHERE seq IS NOT NULL"), {"n": old_id, "t": name})


def _rekey(match: re.Match[str], maps: dict[str, dict[int, int]]) -> str:
    new = maps.get(_KEY_IDS[match.group(1)], {}).get(int(match.group(2)))
    return f"{match.group(1)}:{new if new is not None else match.group(2)}"


def _insert(session: Session, table: Table, row: dict[str, Any], maps: dict[str, dict[int, int]], source: str) -> int:
    values: dict[str, Any] = {}
    where = f"{source}: {table.name} {row.get('id')!r}"
    for column in table.c:
        if column.name == "id" or column.name not in row:
            continue
        value = row[column.name]
        if column.name == "applicant_id" and not column.foreign_keys:
            # A copy of the owner's id kept for a unique index (calendar_event): it follows the applicant
            # too, or the moved events would belong to whoever has the old id here (or collide with theirs).
            value = maps["applicant"].get(_whole(value, f"{where} applicant_id"))
            if value is None:
                raise UserError(f"{where}: applicant_id names another applicant than the exported one")
        for fk in column.foreign_keys:
            target = fk.column.table.name
            if value is not None:
                old = _whole(value, f"{where} {column.name}")
                if target not in maps or old not in maps[target]:
                    if column.nullable:
                        value = None  # a link to a row that did not travel (shared or gone): dropped
                        continue
                    raise UserError(f"{source}: {table.name}.{column.name} = {old} names no exported {target}")
                value = maps[target][old]
        values[column.name] = _typed(column, value, f"{where} {column.name}")
    try:
        return int(session.execute(table.insert().values(**values).returning(table.c.id)).scalar_one())
    except (IntegrityError, DataError) as exc:  # a duplicate UID, a number too large for the server's column...
        lines = str(exc.orig).strip().splitlines() if exc.orig is not None else []
        raise UserError(f"{where}: refused by the database: {_cut(lines[0] if lines else type(exc).__name__)}") from None


_MAX_INTEGER = 2**63 - 1  # SQLite's (and BIGINT's) largest; a smaller server column says so on insert


def _cut(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def _whole(value: Any, where: str) -> int:
    """An id or count from the file: a whole number SQLite can store, else a user error naming where."""
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > _MAX_INTEGER:
        raise UserError(f"{where}: {shown(value)} is not a whole number (at most {_MAX_INTEGER})")
    return value


def _row_id(row: dict[str, Any], where: str) -> int:
    return _whole(row.get("id"), f"{where} id")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _typed(column: Column[Any], value: Any, where: str) -> Any:
    """The file's JSON value as the column's Python type, or a user error naming the table, row and column
    (a value of the wrong shape used to reach the database driver and end in an internal error)."""
    kind = column.type
    if value is None:
        if not column.nullable:
            raise UserError(f"{where}: must have a value (got null)")
        return None
    if _has_nul(value):  # PostgreSQL refuses NUL in text; refused on both engines alike
        raise UserError(f"{where}: contains a NUL character")
    if isinstance(kind, UTCDateTime | DateTime | Date):
        if not isinstance(value, str):
            raise UserError(f"{where}: {shown(value)} is not a date/time in ISO format")
        try:
            parsed: date = datetime.fromisoformat(value) if not isinstance(kind, Date) else date.fromisoformat(value)
        except ValueError:
            raise UserError(f"{where}: {shown(value)} is not a valid date/time") from None
        if isinstance(kind, UTCDateTime) and isinstance(parsed, datetime) and parsed.tzinfo is None:
            raise UserError(f"{where}: {shown(value)} has no UTC offset")
        return parsed
    if isinstance(kind, TypeDecorator):  # sqlmodel's AutoString is a String underneath
        kind = kind.impl_instance
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise UserError(f"{where}: {shown(value)} is not true or false")
        return value
    if isinstance(kind, Integer):
        return _whole(value, where)
    if isinstance(kind, Float):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise UserError(f"{where}: {shown(value)} is not a number")
        return value
    if isinstance(kind, String) and not isinstance(value, str):
        raise UserError(f"{where}: {shown(value)} is not text")
    if isinstance(kind, JSON) and not isinstance(value, dict | list | str | int | float | bool):
        raise UserError(f"{where}: {shown(value)} is not a JSON value")
    return value
