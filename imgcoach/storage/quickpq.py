"""A few parameter-free queries on PostgreSQL through libpq itself, loaded with ctypes (issue 17).

Why: importing psycopg costs about 95 ms (its C module pulls in asyncio, ssl and importlib.metadata), four times
Python's own start-up and more than all the rest of `imgcoach db status|check`; ctypes and libpq cost about 6 ms.
The library loaded is the very libpq psycopg itself would use (psycopg_binary's bundled copy), so the connection
is made by the same code with the same defaults: PG* variables, ~/.pgpass, SSL and GSS as the full path gets them.

Two readers: `server_rows`, rows as text (`db status`, `db check`), and `snapshot`, a read-only connection whose
`execute(sql, params)` takes the `?` placeholders of the SQLite queries and returns each value typed as psycopg
returns it (storage.quickconn.at_current_schema: the list commands, readiness, the app's first paint). Anything
unexpected (another psycopg implementation chosen, no such library, a result that is not rows, a column type not
read here, a notice from the server, text that is not UTF-8) is None or `Doubt`, and the caller takes its psycopg
or full path. Stdlib only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache
from typing import Any

CONNECTION_OK = 0  # ConnStatusType
POLLING_READING, POLLING_WRITING, POLLING_OK = 1, 2, 3  # PostgresPollingStatusType (0: failed, 4: unused)
COMMAND_OK, TUPLES_OK = 1, 2  # ExecStatusType
Rows = list[tuple[str | None, ...]]


@cache
def load_libpq() -> Any | None:
    """psycopg_binary's bundled libpq, with the signatures used below; None when psycopg would use another
    (PSYCOPG_IMPL chooses one, or psycopg_c is installed: psycopg tries it first) or it cannot be loaded."""
    import ctypes
    from importlib.util import find_spec
    from pathlib import Path

    if os.environ.get("PSYCOPG_IMPL", "binary").lower() != "binary":
        return None
    try:
        if find_spec("psycopg_c") is not None:
            return None
        spec = find_spec("psycopg_binary")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted((Path(next(iter(spec.submodule_search_locations))).parent / "psycopg_binary.libs").glob("libpq-*.so*"))
    if len(found) != 1:  # no bundled copy (not a Linux wheel), or several: not sure which psycopg loads
        return None
    try:
        lib = ctypes.CDLL(str(found[0]))
        p, text, num = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
        for name, result, args in (
            ("PQconnectStartParams", p, [ctypes.POINTER(text), ctypes.POINTER(text), num]),
            ("PQconnectPoll", num, [p]), ("PQsocket", num, [p]), ("PQstatus", num, [p]), ("PQfinish", None, [p]),
            ("PQsetNoticeProcessor", p, [p, p, p]),
            ("PQexec", p, [p, text]), ("PQresultStatus", num, [p]), ("PQclear", None, [p]),
            ("PQexecParams", p, [p, text, num, p, ctypes.POINTER(text), p, p, num]),
            ("PQftype", ctypes.c_uint, [p, num]),
            ("PQntuples", num, [p]), ("PQnfields", num, [p]),
            ("PQgetisnull", num, [p, num, num]), ("PQgetvalue", text, [p, num, num]),
        ):
            function = getattr(lib, name)
            function.restype, function.argtypes = result, args
    except (OSError, AttributeError):
        return None
    return lib


class Doubt(Exception):
    """A value or a result this reader does not read as psycopg would: take psycopg's path instead."""


@contextmanager
def _connection(lib: Any, conninfo: str, connect_timeout: int) -> Iterator[tuple[Any, list[bytes]] | None]:
    """A connection in a read-only transaction, made as psycopg.connect(conninfo, connect_timeout=...) makes it
    (the keyword overrides the URL's, as psycopg's keywords do), with the server's notices collected; None when
    it cannot be made. Closing it rolls the transaction back."""
    import ctypes

    notices: list[bytes] = []
    # A notice is printed to stderr by libpq's default processor (psycopg logs it instead): noted, then doubted.
    notice_type = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_char_p)
    on_notice = notice_type(lambda _arg, message: notices.append(message or b""))
    keywords = (ctypes.c_char_p * 3)(b"dbname", b"connect_timeout", None)
    values = (ctypes.c_char_p * 3)(conninfo.encode("utf-8"), str(connect_timeout).encode(), None)
    conn = lib.PQconnectStartParams(keywords, values, 1)  # 1: the dbname value is a URI, expanded first
    if not conn:
        yield None
        return
    try:
        # Before connecting: a server sends notices at start-up too (psycopg's handler is set this early as well).
        lib.PQsetNoticeProcessor(conn, ctypes.cast(on_notice, ctypes.c_void_p), None)
        if (not _connected(lib, conn, connect_timeout) or lib.PQstatus(conn) != CONNECTION_OK
                or _run(lib, conn, "BEGIN READ ONLY", COMMAND_OK) is None):
            yield None
        else:
            yield conn, notices
    finally:
        lib.PQfinish(conn)


def server_rows(lib: Any, conninfo: str, statements: Sequence[str], *, connect_timeout: int = 3) -> list[Rows] | None:
    """The rows of each statement (values as text, None for NULL) in one read-only transaction; None for any
    failure or doubt."""
    with _connection(lib, conninfo, connect_timeout) as made:
        if made is None:
            return None
        conn, notices = made
        found = []
        for sql in statements:
            rows = _run(lib, conn, sql, TUPLES_OK)
            if rows is None:
                return None
            found.append(rows)
        return None if notices else found


# Each column type the tables use (storage.columns), read from its text as psycopg's loader reads it; any other
# type is a Doubt. DateStyle and TimeZone are set for the transaction, so dates and moments are ISO text.
_LOADERS: dict[int, Callable[[str], Any]] = {
    16: lambda v: v == "t",  # boolean
    20: int, 21: int, 23: int,  # bigint, smallint, integer
    700: float, 701: float,  # real, double precision
    25: str, 1043: str, 1042: str, 19: str,  # text, varchar, char, name
    1082: date.fromisoformat, 1114: datetime.fromisoformat, 1184: datetime.fromisoformat,  # date, timestamp(tz)
    114: json.loads, 3802: json.loads,  # json, jsonb
}


class Result(list[tuple[Any, ...]]):
    """A result as sqlite3's and psycopg's cursors are used here: iterated, or fetchone/fetchall."""

    def fetchone(self) -> tuple[Any, ...] | None:
        return self[0] if self else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self)


class Snapshot:
    """One read-only transaction on the server, with sqlite3's `?` placeholders and psycopg's typed values."""

    def __init__(self, lib: Any, conn: Any) -> None:
        self.lib, self.conn = lib, conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        import ctypes

        parts = sql.split("?")
        if len(parts) - 1 != len(params):
            raise Doubt("placeholders and parameters differ")
        numbered = parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], start=1))
        values = (ctypes.c_char_p * max(len(params), 1))(*(_param(value) for value in params))
        result = self.lib.PQexecParams(self.conn, numbered.encode("utf-8"), len(params), None, values, None, None, 0)
        if not result:
            raise Doubt("no result")
        lib = self.lib
        try:
            if lib.PQresultStatus(result) != TUPLES_OK:
                raise Doubt("not rows")
            loaders = []
            for col in range(lib.PQnfields(result)):
                loader = _LOADERS.get(lib.PQftype(result, col))
                if loader is None:
                    raise Doubt("a column type not read here")
                loaders.append(loader)
            return Result(tuple(None if lib.PQgetisnull(result, row, col)
                               else load(lib.PQgetvalue(result, row, col).decode("utf-8"))
                               for col, load in enumerate(loaders)) for row in range(lib.PQntuples(result)))
        except (UnicodeDecodeError, ValueError) as exc:  # not UTF-8, or "infinity" for a date: psycopg decides
            raise Doubt(str(exc)) from None
        finally:
            lib.PQclear(result)


def _param(value: Any) -> bytes | None:
    """A parameter as text for the server to read as the column's type (None: SQL NULL)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int | float | str | date):  # datetime is a date: isoformat() either way
        text = value.isoformat() if isinstance(value, date) else str(value)
        if "\x00" not in text:
            return text.encode("utf-8")
    raise Doubt(f"a parameter of type {type(value).__name__}")


@contextmanager
def snapshot(lib: Any, conninfo: str, *, connect_timeout: int = 3) -> Iterator[Snapshot | None]:
    """A read-only `Snapshot` (None when no connection can be made). Raises Doubt after the block when the
    server sent a notice (psycopg would have logged it: its path decides)."""
    with _connection(lib, conninfo, connect_timeout) as made:
        if made is None:
            yield None
            return
        conn, notices = made
        for setting in ("SET LOCAL DateStyle = 'ISO, YMD'", "SET LOCAL TimeZone = 'UTC'"):
            if _run(lib, conn, setting, COMMAND_OK) is None:
                raise Doubt(setting)
        yield Snapshot(lib, conn)
        if notices:
            raise Doubt("a notice from the server")


def _connected(lib: Any, conn: Any, timeout: float) -> bool:
    """Drive libpq's non-blocking connection (PQconnectPoll, as psycopg does) until it is made or fails, within
    `timeout` seconds in all (libpq's own connect_timeout applies only to its blocking connect)."""
    import select
    import time

    deadline = time.monotonic() + timeout
    state = POLLING_WRITING
    while True:
        if state == POLLING_OK:
            return True
        if state not in (POLLING_READING, POLLING_WRITING):
            return False
        fd, left = lib.PQsocket(conn), deadline - time.monotonic()
        if fd < 0 or left <= 0:
            return False
        ready = select.select([fd], [], [], left) if state == POLLING_READING else select.select([], [fd], [], left)
        if not any(ready):
            return False
        state = lib.PQconnectPoll(conn)


def _run(lib: Any, conn: Any, sql: str, expected: int) -> Rows | None:
    result = lib.PQexec(conn, sql.encode("utf-8"))
    if not result:
        return None
    try:
        if lib.PQresultStatus(result) != expected:
            return None
        fields = range(lib.PQnfields(result))
        return [tuple(None if lib.PQgetisnull(result, row, col) else lib.PQgetvalue(result, row, col).decode("utf-8")
                      for col in fields) for row in range(lib.PQntuples(result))]
    except UnicodeDecodeError:
        return None
    finally:
        lib.PQclear(result)
