"""Narrowing a database row's id from ``int | None`` to ``int``.

SQLModel declares ``id: int | None`` because a row has no id until it is flushed; every row we read back,
or flush before using its id, has one. ``saved_id`` says so to the type checker and fails loudly if a
caller ever uses the id of a row that was never saved (that would store NULL in a foreign key).
"""

from __future__ import annotations


def saved_id(row_id: int | None) -> int:
    """The id of a row that is already in the database."""
    if row_id is None:
        raise ValueError("row has no id yet: flush the session before using its id")
    return row_id
