"""A few parameter-free queries on PostgreSQL through libpq itself, loaded with ctypes (issue 17).

Why: importing psycopg costs about 95 ms (its C module pulls in asyncio, ssl and importlib.metadata), four times
Python's own start-up and more than all the rest of `imgcoach db status|check`; ctypes and libpq cost about 6 ms.
The library loaded is the very libpq psycopg itself would use (psycopg_binary's bundled copy), so the connection
is made by the same code with the same defaults: PG* variables, ~/.pgpass, SSL and GSS as the full path gets them.

Only what `db status` and `db check` need: rows read as text, in one read-only transaction. Anything unexpected
(another psycopg implementation chosen, no such library, a failed connection, a result that is not rows, a notice
from the server, text that is not UTF-8) is None, and the caller takes its psycopg or full path. Stdlib only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
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
            ("PQntuples", num, [p]), ("PQnfields", num, [p]),
            ("PQgetisnull", num, [p, num, num]), ("PQgetvalue", text, [p, num, num]),
        ):
            function = getattr(lib, name)
            function.restype, function.argtypes = result, args
    except (OSError, AttributeError):
        return None
    return lib


def server_rows(lib: Any, conninfo: str, statements: Sequence[str], *, connect_timeout: int = 3) -> list[Rows] | None:
    """The rows of each statement (values as text, None for NULL) in one read-only transaction, connected as
    psycopg.connect(conninfo, connect_timeout=...) connects (the keyword overrides the URL's, as psycopg's
    keywords do); None for any failure or doubt."""
    import ctypes

    notices: list[bytes] = []
    # A notice is printed to stderr by libpq's default processor (psycopg logs it instead): noted, then None.
    notice_type = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_char_p)
    on_notice = notice_type(lambda _arg, message: notices.append(message or b""))
    keywords = (ctypes.c_char_p * 3)(b"dbname", b"connect_timeout", None)
    values = (ctypes.c_char_p * 3)(conninfo.encode("utf-8"), str(connect_timeout).encode(), None)
    conn = lib.PQconnectStartParams(keywords, values, 1)  # 1: the dbname value is a URI, expanded first
    if not conn:
        return None
    try:
        # Before connecting: a server sends notices at start-up too (psycopg's handler is set this early as well).
        lib.PQsetNoticeProcessor(conn, ctypes.cast(on_notice, ctypes.c_void_p), None)
        if not _connected(lib, conn, connect_timeout) or lib.PQstatus(conn) != CONNECTION_OK:
            return None
        if _run(lib, conn, "BEGIN READ ONLY", COMMAND_OK) is None:
            return None
        found = []
        for sql in statements:
            rows = _run(lib, conn, sql, TUPLES_OK)
            if rows is None:
                return None
            found.append(rows)
        return None if notices else found
    finally:
        lib.PQfinish(conn)  # closing rolls the read-only transaction back


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
