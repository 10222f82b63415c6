"""Column types shared by the table models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, hands back aware UTC datetimes on every back end.

    SQLite has no time zone type; storing naive UTC keeps string comparison (ORDER BY, <=)
    correct, and converting on the way in and out keeps Python code free of naive datetimes.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Table options of every table with an integer id: SQLite then never hands an id out twice (AUTOINCREMENT).
# Without it a new row gets the highest id + 1, so the id of a deleted newest row came back on the next row
# added, and a note, an undo record or a script holding the old id named the new row (migration
# 0008_ids_never_reused rebuilt the tables of older databases). PostgreSQL ignores it: identity never reuses.
NEVER_REUSE_IDS: dict[str, bool] = {"sqlite_autoincrement": True}
