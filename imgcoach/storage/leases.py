"""Which daemon runs each maintenance task: an election that ends when the leader's process does.

Several daemons may serve one database for availability; each sends reminders (the claims keep every
message exactly-once), but a maintenance task (the weekly digest pass, the nightly shortlist refresh,
the calendar feed) should run in one of them only, or a thousand applicants' refresh is done once per
daemon. A daemon asks `holds(name)` before each run: the first to ask takes the task's lock and keeps it
until it stops or dies, the others get False and ask again later, so a surviving daemon takes over
within one retry of the leader's death.

- PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock(namespace, crc32(name))`) on one
  connection of its own, outside the pool (the pool stays for the sending thread); the server releases
  it when the connection closes, including when the process is killed.
- SQLite: an exclusive `flock` on a file beside the database (`<db>.maintenance-<name>.lock`); the
  kernel releases it when the process exits. The holder removes the file when it lets the lock go (a
  `daemon --once` from cron left three empty files beside the user's database on every run): it unlinks the
  path while it still holds the lock on the file the path names, and a daemon that took a lock checks that the
  path still names the file it locked (else the holder removed it meanwhile, and it tries the new one), so two
  daemons never both lead and none removes a file another holds. A daemon killed keeps its file (the next
  holder takes it over). Elsewhere (no fcntl, an in-memory database) every daemon is its own leader, as one
  daemon per machine is the single-user case.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import zlib
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

LEASE_NAMESPACE = 0x1A6C0AC4  # the first key of the two-key advisory locks; the second is crc32(task name)


def _key(name: str) -> int:
    """crc32 as a signed 32-bit int (advisory lock keys are int4 in the two-key form)."""
    value = zlib.crc32(name.encode())
    return value - (1 << 32) if value >= 1 << 31 else value


class Leases:
    """The maintenance locks this process holds on one database; `close()` gives them all back."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._held: dict[str, Any] = {}
        self._lock = threading.Lock()
        parsed = make_url(url)
        self._server = parsed.get_backend_name() != "sqlite"
        self._engine = create_engine(url, poolclass=NullPool, hide_parameters=True) if self._server else None
        self._conn: Any = None
        database = parsed.database or ""
        self._folder = Path(database).parent if not self._server and database not in ("", ":memory:") else None
        self._stem = Path(database).name

    def holds(self, name: str) -> bool:
        """True if this process runs task `name` now: it held the lock already, or just took it."""
        with self._lock:
            try:
                return self._server_holds(name) if self._server else self._file_holds(name)
            except Exception:
                log.warning("maintenance lock %s unavailable; not running it this time", name, exc_info=True)
                self._drop_connection()
                return False

    def _server_holds(self, name: str) -> bool:
        if self._conn is not None and name in self._held:
            alive = self._conn.execute(text(
                "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
                "AND classid = :ns AND objid = :key AND granted"),
                {"ns": LEASE_NAMESPACE & 0xFFFFFFFF, "key": _key(name) & 0xFFFFFFFF}).first()
            self._conn.rollback()
            if alive:
                return True
            self._held.pop(name, None)
        if self._conn is None:
            assert self._engine is not None
            self._conn = self._engine.connect()
            self._held.clear()
        got = bool(self._conn.execute(text("SELECT pg_try_advisory_lock(:ns, :key)"),
                                      {"ns": _signed(LEASE_NAMESPACE), "key": _key(name)}).scalar())
        self._conn.commit()  # session-level lock: it outlives the transaction
        if got:
            self._held[name] = True
        return got

    def _file_holds(self, name: str) -> bool:
        if name in self._held:
            return True
        try:
            import fcntl
        except ImportError:  # not POSIX: every daemon leads (one per machine)
            return True
        if self._folder is None:
            return True
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        path = self._folder / f"{self._stem}.maintenance-{safe}.lock"
        for _ in range(3):  # the holder may remove the file between our open and our lock: take the new one
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                return False
            if _names(path, fd):
                self._held[name] = (fd, path)
                return True
            os.close(fd)  # we locked a file its holder removed as it let go: not the lock the path stands for
        return False

    def _drop_connection(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):  # a dead connection: the server let the locks go already
                self._conn.close()
            self._conn = None
            self._held.clear()

    def close(self) -> None:
        with self._lock:
            if self._server:
                self._drop_connection()  # closing the session releases its advisory locks
                if self._engine is not None:
                    self._engine.dispose()
            else:
                for held in self._held.values():
                    if isinstance(held, tuple):
                        fd, path = held
                        if _names(path, fd):  # still ours (we hold its lock): no other daemon's file is removed
                            with contextlib.suppress(OSError):
                                path.unlink()
                        os.close(fd)  # closing the descriptor releases the flock
                self._held.clear()


def _names(path: Path, fd: int) -> bool:
    """Whether `path` still names the file open as `fd`."""
    try:
        here, held = os.stat(path), os.fstat(fd)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (held.st_dev, held.st_ino)


def _signed(value: int) -> int:
    return value - (1 << 32) if value >= 1 << 31 else value
