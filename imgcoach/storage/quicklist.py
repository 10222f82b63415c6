"""The rows a CLI list command prints, read with sqlite3 or psycopg alone (no SQLAlchemy, no SQLModel).

Why: `imgcoach rotations list --json` spent most of its time importing SQLAlchemy and SQLModel (issue 17: a
read command should take at most 5x `python -c pass`). This reader answers the list commands the way
storage.quickread answers the app's first paint: only on a database whose Alembic heads are exactly this
code's (same connection and check, storage.quickconn.at_current_schema), read-only, and None whenever it
cannot be sure, so the command takes the full path. It reads every column of the table as the models
declare it (storage.columns, generated from the models) and converts each value as SQLAlchemy would, so a
row here equals the model's model_dump(). The applicant is chosen by storage.applicant_ref's rule, the one
the full path uses, and refused with the same error.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from imgcoach.storage.applicant_ref import choose_applicant, not_yours
from imgcoach.storage.columns import COLUMNS
from imgcoach.storage.quickconn import at_current_schema


class ListQuery(NamedTuple):
    """What a list command reads: its table (alias t), the full path's ORDER BY (plan / reminders), and
    for letters the related rows the full path joins (their values in Listing.related, by name).

    These records are named tuples, not dataclasses: a frozen dataclass costs about 1 ms to define, a
    quarter of this module's import (issue 17: the quick commands' start-up)."""

    table: str
    order: str
    joins: str = ""
    related: tuple[tuple[str, str], ...] = ()
    owner: str | None = "applicant_id"  # the column naming the chosen applicant; None: every row, nobody chosen
    only: tuple[str, ...] = ()  # the columns to read when not every one is printed (empty: all)


# What the daemon line counts by (reminders.daemon_view.status_of): overdue, expired, awaiting approval, and the
# letter-window openings their last call supersedes (superseded_openings: kind, template key, rotation).
_OUTBOX_COUNTED = ("id", "kind", "template_key", "rotation_id", "status", "due_at", "expires_at", "sent_at",
                   "requires_approval", "approved_at")

LISTS: dict[str, ListQuery] = {
    "rotations": ListQuery("rotation", 't."start_date", t."id"'),
    "reminders": ListQuery("reminder", 't."due_at", t."id"'),
    "study": ListQuery("study_block", 't."start_date"'),
    "exams": ListQuery("exam_result", 't."taken_on"'),
    "contacts": ListQuery("contact", 't."name"'),
    "events": ListQuery("calendar_event", 't."id"'),  # calendar.read_events_quickly sorts as list_events
    "applicants": ListQuery("applicant", 't."id"', owner=None),  # `applicants list`: --applicant does not apply
    "applicant_ids": ListQuery("applicant", 't."id"', owner=None, only=("id",)),  # whose reminders `daemon status` counts
    "profile": ListQuery("applicant", 't."id"', owner="id"),  # `profile show`: the chosen applicant's row
    # The daemon line (reminders.daemon_view): every daemon, and every applicant's reminders (`daemon status`) or
    # the chosen one's (`reminders list`).
    "daemons": ListQuery("daemon_state", 't."owner"', owner=None),
    # counts, overdue and the newest delivery (a problem delivered past is no longer the current one)
    "outbox": ListQuery("reminder", 't."id"', owner=None, only=_OUTBOX_COUNTED),
    "own_outbox": ListQuery("reminder", 't."id"', only=_OUTBOX_COUNTED),  # the same, one applicant's
    "letters": ListQuery(
        "letter_request", 't."id"',
        joins='JOIN "contact" w ON w."id" = t."writer_id" LEFT JOIN "rotation" r ON r."id" = t."rotation_id"',
        related=(("writer", 'w."name"'), ("rotation_id", 'r."id"'), ("specialty", 'r."specialty"'),
                 ("institution", 'r."institution"'))),
}


class Listing(NamedTuple):
    """One applicant's rows of one list, each a dict of every column in the model's field order (`applicants`:
    every applicant, applicant_id 0 and UTC)."""

    applicant_id: int
    timezone: str
    rows: list[dict[str, Any]]
    related: list[dict[str, Any]]  # per row, ListQuery.related's values


def read_listing(url: str, what: str, *, applicant: str | None, status: str | None = None,
                 heads: frozenset[str] | None = None, columns: tuple[str, ...] = ()) -> Listing | None:
    """The rows of list `what` (a LISTS key) for the applicant `applicant` names (an id or e-mail; None or ""
    the first one), with `status` when given; None when the quick read cannot answer (then use the full path).
    `columns`: only these (in the model's order), when the caller prints no other; default ListQuery.only's.

    Raises the full path's UserError when no applicant matches or there is none yet."""
    if what not in LISTS:
        return None
    return at_current_schema(url, heads, lambda conn, text: _read(conn, what, applicant, status, columns,
                                                                  text=text))


def _read(conn: Any, what: str, ref: str | None, status: str | None, only: tuple[str, ...], *,
          text: bool) -> Listing:
    query = LISTS[what]
    applicant_id, timezone = choose_applicant(conn, ref) if query.owner else (0, "UTC")
    only = only or query.only
    columns = tuple(c for c in COLUMNS[query.table] if not only or c[0] in only)
    names = ", ".join([f't."{name}"' for name, _, _ in columns] + [sql for _, sql in query.related])
    sql = f'SELECT {names} FROM "{query.table}" t {query.joins} WHERE '
    sql += f't."{query.owner}" = ?' if query.owner else "1 = 1"
    params: tuple[Any, ...] = (applicant_id,) if query.owner else ()
    if status is not None:
        sql += ' AND t."status" = ?'
        params += (status,)
    names_only = [name for name, _, _ in columns]
    converted = _converted(columns, text)
    rows, related = [], []
    for row in conn.execute(f"{sql} ORDER BY {query.order}", params):
        values = dict(zip(names_only, row, strict=False))
        for name, convert in converted:
            value = values[name]
            if value is not None:  # None stays None (_value's first rule), without a call
                values[name] = convert(value)
        rows.append(values)
        related.append({name: value for (name, _), value in zip(query.related, row[len(columns):], strict=True)})
    return Listing(applicant_id, timezone, rows, related)


class RotationRows(NamedTuple):
    """What plan.rotation_detail reads for `rotations show`, each row a dict of every column in the model's
    field order: the rotation, its (contact, role) pairs, (letter, writer's name) pairs, reminders and cases,
    in the full path's order."""

    timezone: str
    rotation: dict[str, Any]
    supervisors: list[tuple[dict[str, Any], str]]
    letters: list[tuple[dict[str, Any], str]]
    reminders: list[dict[str, Any]]
    cases: list[dict[str, Any]]


def read_rotation(url: str, rotation_id: int, *, applicant: str | None,
                  heads: frozenset[str] | None = None) -> RotationRows | None:
    """The rows `rotations show ID` prints for the applicant `applicant` names, or None when the quick read
    cannot answer. Raises the full path's UserError for an unknown applicant, none at all, or a rotation that
    is not theirs (storage.applicants.owned's words)."""
    return at_current_schema(url, heads, lambda conn, text: _read_rotation(conn, rotation_id, applicant, text=text))


def _read_rotation(conn: Any, rotation_id: int, ref: str | None, *, text: bool) -> RotationRows:
    applicant_id, timezone = choose_applicant(conn, ref)
    found = _rows(conn, "rotation", 't."id" = ?', (rotation_id,), 't."id"', text=text)
    if not found or found[0][0]["applicant_id"] != applicant_id:
        raise not_yours("rotation", rotation_id)
    here = (rotation_id,)
    supervisors = _rows(conn, "contact", 'rc."rotation_id" = ?', here, 'rc."id"', text=text,
                        joins='JOIN "rotation_contact" rc ON rc."contact_id" = t."id"', related=('rc."role"',))
    letters = _rows(conn, "letter_request", 't."rotation_id" = ?', here, 't."id"', text=text,
                    joins='JOIN "contact" w ON w."id" = t."writer_id"', related=('w."name"',))
    reminders = _rows(conn, "reminder", 't."rotation_id" = ?', here, 't."due_at", t."id"', text=text)
    cases = _rows(conn, "case_note", 't."rotation_id" = ?', here, 't."id"', text=text)
    return RotationRows(timezone, found[0][0], [(c, extra[0]) for c, extra in supervisors],
                        [(lt, extra[0]) for lt, extra in letters], [r for r, _ in reminders], [c for c, _ in cases])


def table_rows(conn: Any, table: str, where: str, params: tuple[Any, ...], order: str, *,
               text: bool) -> list[dict[str, Any]]:
    """Every column of `table` (alias t) as the model holds it, for each row `where` selects (storage.quicktransfer:
    `applicants export`), in an `at_current_schema` read."""
    return [values for values, _ in _rows(conn, table, where, params, order, text=text)]


def joined_rows(conn: Any, table: str, where: str, params: tuple[Any, ...], order: str, *, text: bool, joins: str,
                related: tuple[str, ...]) -> list[tuple[dict[str, Any], tuple[Any, ...]]]:
    """`table_rows` with other tables joined: each row's columns, and the `related` values as stored (coach's
    quick readiness: a letter and its writer's name)."""
    return _rows(conn, table, where, params, order, text=text, joins=joins, related=related)


def _rows(conn: Any, table: str, where: str, params: tuple[Any, ...], order: str, *, text: bool, joins: str = "",
          related: tuple[str, ...] = ()) -> list[tuple[dict[str, Any], tuple[Any, ...]]]:
    """Every column of `table` (alias t) as the model holds it, and the `related` values, for each row."""
    columns = COLUMNS[table]
    names = ", ".join([f't."{name}"' for name, _, _ in columns] + list(related))
    names_only = [name for name, _, _ in columns]
    converted = _converted(columns, text)
    out = []
    for row in conn.execute(f'SELECT {names} FROM "{table}" t {joins} WHERE {where} ORDER BY {order}', params):
        values = dict(zip(names_only, row, strict=False))
        for name, convert in converted:
            value = values[name]
            if value is not None:
                values[name] = convert(value)
        out.append((values, tuple(row[len(columns):])))
    return out


def _converted(columns: tuple[tuple[str, str, bool], ...], text: bool) -> list[tuple[str, Callable[[Any], Any]]]:
    """The columns whose stored value differs from the model's (a few of ~25 per row), each with `_value` for
    its kind; every other value is the model's as read (`_value` returns it unchanged)."""
    return [(name, _converter(kind, text)) for name, kind, _ in columns
            if kind in ("bool", "date", "utc", "datetime") or (kind == "json" and text)]


def _converter(kind: str, text: bool) -> Callable[[Any], Any]:
    """`_value` for one column's kind, as one call per value."""
    if kind == "utc" and text:
        return _utc_text
    return lambda value: _value(value, kind, text)


def _utc_text(value: Any) -> Any:
    """`_value(value, "utc", True)`: SQLite's text of a UTC moment, stored without its offset, read with the
    offset appended. One parse: replace(tzinfo=UTC) after it cost 5 times the parse (CPython 3.11), and a
    list of 1,000 reminders holds 8,000 moments (issue 17). A text that already names its offset (or is not
    text) fails to parse with a second one and takes _value's rule."""
    try:
        return datetime.fromisoformat(value + "+00:00")
    except (TypeError, ValueError):
        return _value(value, "utc", True)


def _value(value: Any, kind: str, text: bool) -> Any:
    """A stored value as the model holds it. `text`: SQLite's, whose dates, moments and JSON are text."""
    if value is None:
        return None
    if kind == "bool":
        return bool(value)
    if kind == "date":
        return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    if kind in ("utc", "datetime"):
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        if kind == "datetime":
            return moment
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if kind == "json" and text and isinstance(value, str):
        return json.loads(value)
    return value
