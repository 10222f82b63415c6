"""One read-only snapshot of a database at this code's schema, opened with sqlite3 or psycopg alone.

Shared by the app's first paint (storage.quickread) and the CLI's quick list commands (storage.quicklist),
which import only this (not quickread's classes): importing SQLAlchemy and SQLModel costs more than a whole
quick read (issue 17). See storage.quickread for when the quick read is trusted.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from imgcoach.storage.schema_heads import SCHEMA_HEADS

_T = TypeVar("_T")
BUSY_TIMEOUT_MS = 15_000  # how long any connection waits for another process's write (storage.db's too)


def sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite URL (`sqlite:///path`); None for any other database."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    rest = url[len(prefix):]
    return Path(rest) if rest and rest != ":memory:" else None


def server_conninfo(url: str) -> str | None:
    """A libpq URI for a PostgreSQL SQLAlchemy URL (`postgresql+psycopg://...`); None for anything else."""
    for prefix in ("postgresql+psycopg://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix):]
    return None


# A PostgreSQL URL whose every part SQLAlchemy's make_url reads and render_as_string writes back as given: names
# of letters, digits, '_', '.' and '-' (unquote and quote leave them alone), a port without leading zeros (int()
# would drop them), a password without '@', '/', '?' or '#' (masked anyway; none of make_url's separators).
# Kept as text, compiled (and cached by re) on the first PostgreSQL URL shown: compiling it on import took ~0.4 ms
# of every quick read of a SQLite file (issue 17).
_PLAIN_SERVER_URL = (
    r"(postgresql(?:\+psycopg)?)://(?:([\w.-]*)(?::([^@/?#\s]*))?@)?([\w.-]*)(?::([1-9][0-9]{0,4}))?"
    r"/([\w.-]*)(?:\?([^#\s]*))?")


def shown_server_url(url: str) -> str | None:
    """A PostgreSQL URL as storage.db.safe_url shows it (SQLAlchemy's render_as_string, password masked),
    without importing SQLAlchemy, for the plain URLs _PLAIN_SERVER_URL accepts; None for any other (then ask
    safe_url). The query is make_url's: parse_qsl without blank values, keys sorted, repeated keys in order,
    each written back with quote_plus (the same urllib functions SQLAlchemy calls)."""
    found = re.fullmatch(_PLAIN_SERVER_URL, url, re.ASCII)
    if found is None:
        return None
    driver, user, password, host, port, database, query = found.groups()
    shown = f"{driver}://"
    if user is not None:
        shown += user + (":***" if password is not None else "") + "@"
    shown += host + (f":{port}" if port else "") + "/" + database
    if query:
        from urllib.parse import parse_qsl, quote_plus

        grouped: dict[str, list[str]] = {}
        for key, value in parse_qsl(query):
            grouped.setdefault(key, []).append(value)
        if grouped:
            shown += "?" + "&".join(f"{quote_plus(key)}={quote_plus(value)}"
                                    for key in sorted(grouped) for value in grouped[key])
    return shown


@contextmanager
def checkpoint_once(url: str) -> Iterator[None]:
    """A connection to the SQLite file of `url` held open (reading nothing) while a command opens and closes its
    own. Why: the last connection to close a WAL database checkpoints it (its pages copied into the file, both
    synced) and removes the WAL, so the first `shortlist` after a write, whose three writes (the run, the changes
    marked seen, the answer kept) each close their connection, paid three checkpoints and made the WAL file anew
    twice: a fifth of its time (issue 17). Held open, only the last close checkpoints, once. Nothing for another
    engine's URL or a file that is not there; an error opening it only leaves the checkpoints as they were."""
    path = sqlite_file(url)
    conn = None
    if path is not None and path.is_file():
        try:
            conn = sqlite3.connect(path, isolation_level=None)
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # opened: it takes its shared lock
        except sqlite3.Error:
            if conn is not None:
                conn.close()
            conn = None
    try:
        yield
    finally:
        if conn is not None:
            conn.close()


def at_current_schema(url: str, heads: frozenset[str] | None, read: Callable[[Any, bool], _T]) -> _T | None:
    """``read(conn, text)`` in one read-only snapshot of a database whose Alembic heads are exactly ``heads``
    (default: this code's); None when it cannot be read that way: no such file, no server, a schema to
    migrate, or any error. ``text``: the SQLite file stores dates as text (psycopg returns them typed), and
    ``conn`` takes ``?`` placeholders on both engines."""
    expected = heads if heads is not None else SCHEMA_HEADS
    conninfo = server_conninfo(url)
    if conninfo is not None:
        # libpq through ctypes first (storage.quickpq: importing psycopg alone costs four times Python's start-up);
        # psycopg when it doubts. A read's own error (UserError: no such applicant) is raised as on every path.
        from imgcoach.storage.quickpq import Doubt, load_libpq, snapshot

        lib = load_libpq()
        if lib is not None:
            try:
                with snapshot(lib, conninfo) as server:
                    if server is None:  # no connection: psycopg, with the same libpq, would not get one either
                        return None
                    stored = {row[0] for row in server.execute("SELECT version_num FROM alembic_version")}
                    return read(server, False) if stored == expected else None
            except Doubt:
                pass
            except (ValueError, KeyError):
                return None
        try:
            import psycopg
        except ImportError:
            return None
        try:
            with psycopg.connect(conninfo, connect_timeout=3, autocommit=False) as server:
                server.execute("SET TRANSACTION READ ONLY")
                stored = {row[0] for row in server.execute("SELECT version_num FROM alembic_version")}
                return read(_Qmark(server), False) if stored == expected else None
        except (psycopg.Error, ValueError, KeyError, OSError):
            return None
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")  # one snapshot for every query
        stored = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
        return read(conn, True) if stored == expected else None
    except (sqlite3.Error, ValueError, KeyError):
        return None
    finally:
        conn.close()


def rows_at_current_schema(url: str, statements: tuple[str, ...]) -> list[list[tuple[Any, ...]]] | None:
    """The rows of each parameter-free statement, read as ``at_current_schema`` reads (None as it is None), for
    answers that only count rows or compare text (`db status`, `db check`). PostgreSQL goes through libpq with
    ctypes (storage.quickpq: importing psycopg alone costs four times Python's start-up) when that is the libpq
    psycopg would use; otherwise, and on SQLite, through ``at_current_schema``."""
    conninfo = server_conninfo(url)
    if conninfo is not None:
        from imgcoach.storage.quickpq import load_libpq, server_rows

        lib = load_libpq()
        if lib is not None:
            found = server_rows(lib, conninfo, ("SELECT version_num FROM alembic_version", *statements))
            if found is None or {row[0] for row in found[0]} != SCHEMA_HEADS:
                return None
            return [list(rows) for rows in found[1:]]
    return at_current_schema(url, None, lambda conn, _text: [conn.execute(sql).fetchall() for sql in statements])


class _Qmark:
    """psycopg with the `?` placeholders the SQLite queries below use."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        return self.conn.execute(sql.replace("?", "%s"), params)
