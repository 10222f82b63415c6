"""A real, throw-away PostgreSQL server for the tests, started by the tests themselves.

One server per test process (each xdist worker has its own), listening on a unix socket only
(``listen_addresses=''``), in a fresh folder under /tmp, stopped and deleted at the end of the session.
PostgreSQL refuses to run as root, and CI runs as root: then initdb/pg_ctl run as the ``postgres``
system user (created by Debian's postgresql package) through ``runuser``, in a folder that user owns.
Durability settings are off (fsync, synchronous_commit, full_page_writes): the data is thrown away.

Databases: ``imgcoach_template`` is migrated once; each test gets ``CREATE DATABASE t_N TEMPLATE
imgcoach_template`` (about 0.1 s), dropped afterwards. The binaries come from the PATH, else the
newest /usr/lib/postgresql/*/bin; `make test` installs the Debian package when neither has them.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROLE = "imgcoach"
TEMPLATE = "imgcoach_template"


def find_bindir() -> Path | None:
    """Where initdb and pg_ctl are: the PATH first, else the newest Debian install."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(os.path.realpath(on_path)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(candidates[-1]).parent if candidates else None


class PostgresServer:
    """A running server; ``url(name)`` gives a SQLAlchemy URL for one of its databases."""

    def __init__(self) -> None:
        bindir = find_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL binaries (initdb, pg_ctl) not found; run `make test`, which installs "
                               "them (apt-get install -y postgresql), or install PostgreSQL 13 or newer")
        self.bindir = bindir
        self.as_root = os.geteuid() == 0
        self.base = Path(tempfile.mkdtemp(prefix="imgcoach-pg-"))
        self.data = self.base / "data"
        self.socket_dir = self.base / "sock"
        self.socket_dir.mkdir()
        self._names = itertools.count(1)
        if self.as_root:
            # /tmp/imgcoach-pg-* is 0700 root: hand the whole folder to the unprivileged server user.
            shutil.chown(self.base, "postgres", "postgres")
            shutil.chown(self.socket_dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", ROLE, "--auth=trust", "--no-sync", "-E", "UTF8",
                  "--locale=C")
        options = (f"-c listen_addresses='' -c unix_socket_directories={self.socket_dir} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
                   "-c shared_buffers=32MB")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.base / "server.log"),
                  "-w", "-t", "60", "start")
        self.admin(f'CREATE DATABASE "{TEMPLATE}"')

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bindir / tool), *args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=self.base)
        if result.returncode != 0:
            log = (self.base / "server.log")
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stderr or result.stdout}\n{tail}")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{ROLE}@/{database}?host={self.socket_dir}"

    def admin(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), user=ROLE, dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, template: str = TEMPLATE) -> str:
        name = f"t_{os.getpid()}_{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @contextmanager
    def database(self, template: str = TEMPLATE) -> Iterator[str]:
        """A fresh database cloned from ``template``; yields its URL and drops it afterwards."""
        name = self.new_database(template)
        try:
            yield self.url(name)
        finally:
            self.drop_database(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)
