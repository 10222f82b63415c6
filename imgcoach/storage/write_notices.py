"""What PostgreSQL tells a listening connection about committed writes: the app's change marker without a table read.

Migration 0017_write_notices gives each table a screen shows a statement trigger that calls pg_notify on one
channel. The server delivers a notification only once its transaction has committed and is visible to new
snapshots (a listener skips a queue entry whose transaction is still in its snapshot), in commit order, and
never for a rollback. So a connection that LISTENs before the data it covers is read hears of every later
write by any process: the app, the daemon, the CLI, raw SQL.

`WriteNotices.generation` is a number raised for every notification received (and for anything that may have
hidden one: a new connection, a trigger dropped, disabled or made again); each call is one round trip on the
listening connection that reads only the catalogs (are the triggers there, enabled, calling this function
with this body), and psycopg takes the notifications that arrived before its answer. None when it cannot vouch:
the triggers are not all there or the connection failed; the caller then reads its full marker for that call.
"""

from __future__ import annotations

import threading
from typing import Any
from weakref import WeakKeyDictionary

# As migration 0017 writes them (a migration keeps its day's text; tests/test_pg_write_notices53.py compares).
CHANNEL = "imgcoach_writes"
FUNCTION = "imgcoach_write_notice"
TRIGGER = "imgcoach_write_notice"
BODY = f" BEGIN PERFORM pg_notify('{CHANNEL}', ''); RETURN NULL; END "
# pg_trigger.tgtype of AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT (4 | 8 | 16 | 32)
STATEMENT_AFTER_EVERY_WRITE = 60

# The watched tables' triggers, enabled for ordinary sessions ('O' origin, 'A' always), calling the function with
# this body; and what would change if any were made again or altered (row ids and the transactions that wrote
# the catalog rows), so a trigger dropped and made again between two calls is not missed.
_TRIGGERS_IN_PLACE = (
    "SELECT count(*), coalesce(sum(t.oid::bigint + t.xmin::text::bigint + p.oid::bigint + p.xmin::text::bigint), 0) "
    "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
    "WHERE t.tgname = %(trigger)s AND t.tgtype = %(kind)s AND t.tgenabled IN ('O', 'A') AND p.proname = %(function)s "
    "AND p.prosrc = %(body)s AND c.relname = ANY(%(tables)s) AND pg_table_is_visible(c.oid)")


class WriteNotices:
    """One listening connection for one engine, opened on first use (before the caller reads its data)."""

    def __init__(self, engine: Any) -> None:
        self._connect_args = engine.dialect.create_connect_args(engine.url)
        self._lock = threading.Lock()  # the app's poll and its screens' workers ask from several threads
        self._connection: Any = None
        self._received = 0  # raised by psycopg's handler for each notification, during our own round trip
        self._generation = 0
        self._catalog: tuple[int, int] | None = None

    def generation(self, tables: tuple[str, ...]) -> int | None:
        """Raised since the last call by every committed write to `tables` the server told of; None: not vouched
        for now (read the tables instead)."""
        import psycopg

        with self._lock:
            try:
                if self._connection is None:
                    self._connection = self._listen()
                    self._generation += 1  # what was written before LISTEN is for the caller's read to see
                row = self._connection.execute(_TRIGGERS_IN_PLACE, {
                    "trigger": TRIGGER, "kind": STATEMENT_AFTER_EVERY_WRITE, "function": FUNCTION, "body": BODY,
                    "tables": list(tables)}).fetchone()
            except psycopg.Error:
                self._close()
                self._generation += 1
                return None
            catalog = (int(row[0]), int(row[1]))
            if catalog != self._catalog:
                self._catalog = catalog
                self._generation += 1
            self._generation += self._received
            self._received = 0
            return self._generation if catalog[0] == len(set(tables)) else None

    def _listen(self) -> Any:
        import psycopg

        args, params = self._connect_args
        connection = psycopg.connect(*args, **params, autocommit=True, application_name="imgcoach write notices")
        try:
            connection.add_notify_handler(self._notified)
            connection.execute(f"LISTEN {CHANNEL}")  # autocommit: listening from here, before anything is read
        except BaseException:
            connection.close()
            raise
        return connection

    def _notified(self, notice: Any) -> None:
        self._received += 1  # called inside execute(), under self._lock

    def _close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None
                self._catalog = None

    def close(self) -> None:
        with self._lock:
            self._close()
            self._generation += 1  # a connection opened later may have missed what came meanwhile


_LISTENERS: WeakKeyDictionary[Any, WriteNotices] = WeakKeyDictionary()
_LISTENERS_LOCK = threading.Lock()


def write_generation(engine: Any, tables: tuple[str, ...]) -> int | None:
    """`WriteNotices.generation` of this engine's listener (made on first use)."""
    with _LISTENERS_LOCK:
        notices = _LISTENERS.get(engine)
        if notices is None:
            notices = _LISTENERS[engine] = WriteNotices(engine)
    return notices.generation(tables)


def stop_listening(engine: Any) -> None:
    """Close this engine's listening connection, if it has one (Database.close). The listener itself stays, with
    its generation: a marker taken before must not come back equal after a write made while nobody listened."""
    with _LISTENERS_LOCK:
        notices = _LISTENERS.get(engine)
    if notices is not None:
        notices.close()
