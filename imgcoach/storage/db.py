"""Opening the database: one door for the app, the daemon, the CLI and the tests.

SQLite is set up for two processes writing at once (the app and the daemon): WAL, foreign
keys, a busy timeout, and write transactions that start with BEGIN IMMEDIATE. A deferred
transaction that reads and then writes cannot wait for the lock and fails at once with
"database is locked" (measured: 40-52 % of contended transactions); taking the write lock at
BEGIN lets the busy timeout do its job (0 failures). Nothing outside this module knows that
the database is SQLite.

PostgreSQL (for organisations) gets the same guarantee another way, per applicant, so that one
applicant's writers do not queue behind another's. Every write transaction starts with advisory
transaction locks, chosen by what it touches (``transaction(applicant_id, rows_only=...)``):

- one applicant's data (the usual user action): the write lock SHARED, then that applicant's lock
  ``pg_advisory_xact_lock(APPLICANT_LOCK_NAMESPACE, applicant_id)``. Writers for the same applicant
  run one after another exactly as under BEGIN IMMEDIATE; writers for different applicants run at once.
- the whole database (no applicant chosen, so "the first applicant", which a concurrent writer may be
  creating; adding or importing an applicant, whose e-mail and reminder keys must be new in the whole
  database; shared tables such as programs): the write lock EXCLUSIVE, so it runs alone, as every
  writer did before.
- rows only (the daemons' claims and results, which serve every applicant): the write lock SHARED and
  nothing else; these statements are atomic by themselves (``FOR UPDATE SKIP LOCKED``, conditional
  ``UPDATE``), and a claim takes the row's applicant lock with ``pg_try_advisory_xact_lock`` or leaves
  the row for the next round (``lock_applicants_or_skip``).

Lock order is always the write lock first, then at most one applicant's lock (a claim only tries, never
waits, for the others), so these locks cannot deadlock. Plain reads take no lock. Migrations run under
a further advisory lock, so nine processes starting on an empty database migrate it once.
Each process keeps a small connection pool (``PG_POOL_SIZE`` + ``PG_MAX_OVERFLOW``, see
docs/organisations.md): an app or a daemon holds at most 4 connections to the server.

A URL shown to a person never carries its password (``safe_url``).
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DataError, DBAPIError, OperationalError
from sqlmodel import Session

from imgcoach.core.errors import UserError
from imgcoach.storage import ownership  # noqa: F401  (every flush refuses links between applicants)
from imgcoach.storage.locking import (
    APPLICANT,
    APPLICANT_LOCK_NAMESPACE,
    LOCK_SCOPE_INFO,
    MIGRATION_LOCK_KEY,
    ROWS_ONLY,
    WHOLE_DATABASE,
    WRITE_LOCK_KEY,
    WriteScope,
    locked_applicant,
)
from imgcoach.storage.quickconn import BUSY_TIMEOUT_MS
from imgcoach.storage.schema_heads import SCHEMA_HEADS

log = logging.getLogger(__name__)
SQLITE_HEADER = b"SQLite format 3\x00"
# Per process: 2 kept open, 2 more under load, then wait up to 30 s; the daemon and the app each stay
# at or under 4 server connections, so a default server (100) serves about 25 processes.
PG_POOL_SIZE = 2
PG_MAX_OVERFLOW = 2
PG_POOL_TIMEOUT_S = 30


def safe_url(url: str | URL) -> str:
    """The URL as it may be shown or logged: the password masked as ``***``."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError:
        return "<unparsable database URL>"
    return parsed.render_as_string(hide_password=True)


class Database:
    """An opened, migrated imgcoach database."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.path: Path | None = Path(url.split(":///", 1)[1]) if self.is_sqlite else None
        if self.path is not None:
            _check_sqlite_file(self.path)
        try:
            self.engine = _make_engine(url)
        except (ArgumentError, ImportError) as exc:
            raise UserError(f"{safe_url(url)}: cannot use this database URL: {exc}") from None
        # Same pool; the option tells the begin hook to take the write lock at BEGIN.
        self.write_engine = self.engine.execution_options(imgcoach_write=True)
        # Run after each committed user action (e.g. refresh a subscribed calendar feed).
        self.after_commit: list[Callable[[], object]] = []
        # Commits made through this object (its transactions and write_alone): the app's screens keep what they
        # show while it and the database's change marker stay as they were when they loaded.
        self.commits = 0
        self._commits_lock = threading.Lock()
        self._thread_commits = threading.local()  # the same, per thread: what one worker's own call committed
        self._in_hooks = threading.local()
        self._prepared: dict[int, tuple[Any, Any, tuple[tuple[str, Any], ...]]] = {}  # _write_alone_sqlite's
        if migrate:
            try:
                # SQLite (one person's file) upgrades itself; a PostgreSQL schema shared by many processes is
                # created when empty, and otherwise upgraded only by the explicit deploy step `imgcoach db upgrade`.
                upgrade(self.engine, existing=self.is_sqlite)
            except DatabaseError as exc:
                self.engine.dispose()
                raise UserError(f"{self.display_name}: cannot open as an imgcoach database: {exc.orig}") from None
            except BaseException:
                self.engine.dispose()
                raise

    @property
    def display_name(self) -> str:
        return str(self.path) if self.path else safe_url(self.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; it never writes."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def transaction(self, applicant_id: int | None = None, *, rows_only: bool = False) -> Iterator[Session]:
        """One user action: commits at the end, rolls back everything on any error.

        `applicant_id`: the one applicant whose rows it writes (pass ``ctx.applicant_id``); None (no applicant
        chosen, or several, or shared data) locks the whole database. `rows_only`: statements that are atomic
        by themselves (the daemons'). SQLite ignores both: BEGIN IMMEDIATE serialises every writer there.
        """
        scope: WriteScope = (ROWS_ONLY if rows_only else WHOLE_DATABASE if applicant_id is None
                             else (APPLICANT, int(applicant_id)))
        with Session(self.write_engine, expire_on_commit=False, info={LOCK_SCOPE_INFO: scope}) as session:
            try:
                if not self.is_sqlite:
                    # Begin now, with the scope's locks (the begin hook); SQLite keeps its BEGIN IMMEDIATE at the
                    # first statement, as before.
                    session.connection(execution_options={"imgcoach_write": scope})
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
        self._committed()
        self._run_after_commit()

    def write_alone(self, statement: Any, params: dict[str, Any]) -> int:
        """One statement that is atomic by itself (a daemon's result for one message), committed on its own;
        returns the number of rows it changed. The same locks as ``transaction(rows_only=True)``, without an
        ORM session: the daemon records every message this way, and setting up a Session was about half of
        that record's cost (bench/bench_daemon.py)."""
        if self.is_sqlite:
            changed = self._write_alone_sqlite(statement, params)
        else:
            with self.write_engine.connect() as conn:
                conn = conn.execution_options(imgcoach_write=ROWS_ONLY)
                with conn.begin():
                    changed = conn.execute(statement, params).rowcount
        self._committed()
        self._run_after_commit()
        return int(changed)

    def _write_alone_sqlite(self, statement: Any, params: dict[str, Any]) -> int:
        """SQLite: the statement alone, in autocommit, on a pooled connection's sqlite3 connection.

        The statement is compiled by SQLAlchemy once (its SQL and, per parameter, the column type's own bind
        processor); a call only fills in the values. The engine's connection, transaction and result layers
        were two thirds of a daemon's "sent" record (0.2 ms of 0.3). Errors come out as SQLAlchemy's, as
        from ``transaction``.
        """
        prepared = self._prepared.get(id(statement))
        if prepared is None or prepared[0] is not statement:
            dialect = self.engine.dialect
            compiled = statement.compile(dialect=dialect)
            if compiled.positiontup is None:
                raise ValueError("write_alone needs a statement with positional parameters on SQLite")
            order = tuple((name, compiled.binds[name].type.bind_processor(dialect))
                          for name in compiled.positiontup)
            prepared = (statement, compiled, order)
            self._prepared[id(statement)] = prepared
        _, compiled, order = prepared
        values = compiled.construct_params(params)
        args = tuple(values[name] if process is None else process(values[name]) for name, process in order)
        raw = self.write_engine.raw_connection()
        try:
            conn = raw.driver_connection
            assert conn is not None
            try:
                if conn.in_transaction:  # never left open by the pool (it rolls back on return); be sure
                    conn.execute("ROLLBACK")
                # Outside a transaction (isolation_level None) one write statement is its own transaction:
                # SQLite takes the write lock when the statement starts, waiting through the busy handler as
                # BEGIN IMMEDIATE does, and commits when it ends. One call instead of three, each of which
                # gave the GIL away and waited to get it back while the lanes sent.
                changed = conn.execute(compiled.string, args).rowcount
            except sqlite3.Error as exc:
                raise DBAPIError.instance(compiled.string, args, exc, sqlite3.Error,
                                          hide_parameters=True) from exc
        finally:
            raw.close()
        return int(changed)

    def _committed(self) -> None:
        with self._commits_lock:
            self.commits += 1
        self._thread_commits.count = self.commits_in_this_thread() + 1

    def commits_in_this_thread(self) -> int:
        """Commits made through this object by the calling thread (a worker's own writes, told apart from the
        other threads')."""
        return int(getattr(self._thread_commits, "count", 0))

    def _run_after_commit(self) -> None:
        """The action is committed: a failing hook is logged, never turned into the action's failure."""
        if not self.after_commit or getattr(self._in_hooks, "active", False):
            return  # hooks that write (a feed records its hash) must not re-trigger themselves
        self._in_hooks.active = True
        try:
            for hook in self.after_commit:
                try:
                    hook()
                except Exception:
                    log.warning("after-commit hook %r failed", hook, exc_info=True)
        finally:
            self._in_hooks.active = False

    def lock_applicants_or_skip(self, session: Session, applicant_ids: set[int]) -> set[int]:
        """In a ROWS_ONLY transaction, take each applicant's lock if it is free now; returns those taken.

        A row claimed this way cannot change under a writer of its applicant that has read it and is about to
        write it (that writer holds the lock; the claim leaves the row for the next round). Never waits, so
        holding row locks meanwhile cannot deadlock. SQLite: BEGIN IMMEDIATE already excludes every writer.
        """
        if self.is_sqlite or not applicant_ids:
            return set(applicant_ids)
        scope = session.info.get(LOCK_SCOPE_INFO)
        if scope == WHOLE_DATABASE:
            return set(applicant_ids)  # the exclusive write lock already excludes every applicant's writers
        if scope != ROWS_ONLY:
            raise RuntimeError(f"lock_applicants_or_skip needs a rows-only transaction, not {scope!r}")
        taken: set[int] = set()
        for applicant_id in sorted(applicant_ids):
            got = session.execute(text("SELECT pg_try_advisory_xact_lock(:ns, :id)"),
                                  {"ns": APPLICANT_LOCK_NAMESPACE, "id": applicant_id}).scalar()
            if got:
                taken.add(applicant_id)
        return taken

    def wait_for_applicant(self, applicant_id: int) -> None:
        """Return once the applicant's current writer (if any) has finished: after a claim skipped their rows."""
        if self.is_sqlite:
            return
        with self.transaction(applicant_id):
            pass

    def close(self) -> None:
        if self.engine.dialect.name == "postgresql":
            from imgcoach.storage.write_notices import stop_listening

            stop_listening(self.engine)  # the app's change marker's connection (plan.change_marker)
        self.engine.dispose()


def open_database(db: str | None = None, *, migrate: bool = True, configured: str | None = None) -> Database:
    """Open by --db value (path or URL), else IMGCOACH_DB / IMGCOACH_DATABASE_URL, else `configured` (config.toml),
    else the default."""
    from imgcoach.core.locations import resolve_database_url

    return Database(resolve_database_url(db, configured), migrate=migrate)


def _check_sqlite_file(path: Path) -> None:
    if path.is_dir():
        raise UserError(f"{path}: is a folder, not a database file")
    if path.exists():
        try:
            with path.open("rb") as fh:
                header = fh.read(16)
        except OSError as exc:
            raise UserError(f"{path}: cannot read the database file: {exc.strerror}") from None
        if header and header != SQLITE_HEADER:
            raise UserError(f"{path}: not an imgcoach database (not a SQLite file)")
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"{path}: cannot create the database folder: {exc.strerror}") from None


def _make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return _make_server_engine(url)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, record: Any) -> None:
        # Let us emit BEGIN ourselves (pysqlite's own BEGIN is deferred and sometimes late).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("imgcoach_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _make_server_engine(url: str) -> Engine:
    """PostgreSQL: a bounded pool; write transactions serialised by advisory locks (see the module doc)."""
    connect_args: dict[str, Any] = {}
    if make_url(url).get_backend_name() == "postgresql":
        # A writer waits at most as long as SQLite's busy timeout, then fails instead of hanging forever.
        connect_args["options"] = f"-c lock_timeout={BUSY_TIMEOUT_MS}"
    engine = create_engine(url, pool_pre_ping=True, pool_size=PG_POOL_SIZE, max_overflow=PG_MAX_OVERFLOW,
                           pool_timeout=PG_POOL_TIMEOUT_S, hide_parameters=True, connect_args=connect_args)
    if engine.dialect.name != "postgresql":
        return engine

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        scope = conn.get_execution_options().get("imgcoach_write", False)
        if not scope:
            return  # a read
        if scope is True or scope == WHOLE_DATABASE:  # True: write_engine used directly (migrations, tests)
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
            return
        # Always the write lock (shared) first, then at most one applicant's: one order, no deadlock. One round
        # trip for both: the outer call runs on the row of the inner query (OFFSET 0 keeps the planner from
        # merging the two into one target list, whose order of evaluation is not promised).
        applicant_id = locked_applicant(scope)
        if applicant_id is None:
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock_shared({WRITE_LOCK_KEY})")
        else:
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({APPLICANT_LOCK_NAMESPACE}, {applicant_id}) FROM "
                                 f"(SELECT pg_advisory_xact_lock_shared({WRITE_LOCK_KEY}) OFFSET 0) AS write_lock_first")

    return engine


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("imgcoach.storage") / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


class SchemaOutOfDate(UserError):
    """The database schema is older than this imgcoach and this process may not upgrade it."""


def schema_state(engine: Engine) -> tuple[set[str], set[str]]:
    """(revisions in the database, newest revisions this imgcoach knows); refuses a foreign or newer schema."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    try:
        connection = engine.connect()
    except OperationalError as exc:  # no such server or database: the words every other command says it in
        shown = engine.url.database if engine.dialect.name == "sqlite" else safe_url(engine.url)
        raise UserError(f"{shown}: cannot open as an imgcoach database: {exc.orig}") from None
    with connection as conn:
        script = ScriptDirectory.from_config(_alembic_config(conn))
        current = set(MigrationContext.configure(conn).get_current_heads())
        conn.rollback()
        if not current and engine.dialect.name == "sqlite":
            tables = conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).all()
            conn.rollback()
            if tables:
                raise UserError(f"{engine.url.database}: not an imgcoach database (it has other tables)")
        known = {rev.revision for rev in script.walk_revisions()}
        unknown = current - known
        if unknown:
            raise UserError(
                f"{engine.url.database if engine.dialect.name == 'sqlite' else safe_url(engine.url)}: the database "
                f"schema ({', '.join(sorted(unknown))}) is newer than this imgcoach knows; install a newer imgcoach"
            )
        return current, set(script.get_heads())


def stored_revisions(engine: Engine) -> set[str] | None:
    """The revisions recorded in ``alembic_version``, with one query; None if there is no such table yet.

    Alembic's MigrationContext does the same read but costs Alembic's import; this is the fast answer
    to "is a migration due?" (compared with schema_heads.SCHEMA_HEADS). Anything unexpected returns None and
    the caller asks Alembic, which gives the precise error.
    """
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
            conn.rollback()
    except DatabaseError:
        return None
    return {row[0] for row in rows}


def upgrade(engine: Engine, *, existing: bool = True) -> bool:
    """Bring the schema to the newest version in place, under a lock; True if anything changed.

    ``existing=False`` creates the schema in an empty database but refuses (SchemaOutOfDate) to upgrade
    an older one: on a server that many processes share, upgrading is the explicit `imgcoach db upgrade`.
    Concurrent starters wait for each other: SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock; the
    version is read again under the lock, so the second one finds the work done.
    """
    if stored_revisions(engine) == SCHEMA_HEADS:
        return False  # the common case, decided with one query and without importing Alembic
    current, heads = schema_state(engine)
    if current == heads:
        return False
    if current and not existing:
        raise SchemaOutOfDate(
            f"{safe_url(engine.url)}: the database schema ({', '.join(sorted(current))}) is older than this "
            f"imgcoach ({', '.join(sorted(heads))}); run `imgcoach db upgrade` once (the deploy step), then start again"
        )
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        # Batch migrations copy and drop tables; with foreign keys on, DROP TABLE would run
        # ON DELETE CASCADE and lose child rows. The pragma only works outside a transaction.
        is_sqlite = engine.dialect.name == "sqlite"
        raw = conn.connection.driver_connection
        assert raw is not None  # an open connection always has its DB-API connection
        if is_sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.execution_options(imgcoach_write=True).begin():
                if engine.dialect.name == "postgresql":
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
                now = set(MigrationContext.configure(conn).get_current_heads())
                if now == heads:
                    return False  # another process migrated while we waited for the lock
                if now and not existing:
                    raise SchemaOutOfDate(f"{safe_url(engine.url)}: the database schema is older than this "
                                          "imgcoach; run `imgcoach db upgrade` once, then start again")
                command.upgrade(_alembic_config(conn), "heads")
                if is_sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        finally:
            if is_sqlite:
                raw.execute("PRAGMA foreign_keys=ON")
    return True


def table_counts(db: Database) -> dict[str, int]:
    """Row counts by table, for status displays and tests."""
    from sqlmodel import SQLModel

    from imgcoach.storage.models import register_all

    register_all()
    counts: dict[str, int] = {}
    with db.engine.connect() as conn:
        for name in sorted(SQLModel.metadata.tables):
            try:
                counts[name] = conn.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
            except OperationalError:
                counts[name] = 0
    return counts


# Database errors that are about the user's file, machine or another writer, not a bug: (text in the error, what to tell).
_BUSY = "the database stayed busy (another imgcoach is writing): try again in a moment (nothing was saved)"
_STORAGE_ERRORS = (
    ("readonly database", "the database is read-only: check the file's and its folder's permissions (SQLite also "
                          "writes DB-wal and DB-shm next to it)"),
    ("disk is full", "the disk is full: free some space, then try again (nothing was saved)"),
    ("database is locked", _BUSY),
    ("lock timeout", _BUSY),  # PostgreSQL: the write lock was not free within lock_timeout
    ("disk i/o error", "the disk reported an error: check it, then run `imgcoach db check`"),
    ("malformed", "the database file is damaged: run `imgcoach db check`, then restore a backup "
                  "(`imgcoach db restore PATH`)"),
    ("not a database", "the file is not a database or is damaged: run `imgcoach db check`"),
    ("unable to open database", "cannot open the database file: check the path and permissions"),
)


# The database's own refusal of a row linking two applicants' data (migration 0005_owner_triggers).
_CROSS_LINK = re.compile(r"cross-applicant link: (?:(\w+)\.(\w+) names a (\w+) of another applicant"
                         r"|a (\w+) keeps its applicant)")


def _ownership_refusal(text: str) -> str | None:
    found = _CROSS_LINK.search(text)
    if found is None:
        return None
    child, column, parent, fixed = found.groups()
    if fixed:
        return (f"refused: a {fixed.replace('_', ' ')} cannot move to another applicant, other rows may name it "
                "(nothing was saved)")
    return (f"refused: that {parent.replace('_', ' ')} belongs to another applicant ({child}.{column}); "
            "nothing was saved")


def storage_error_message(exc: BaseException, where: str = "") -> str | None:
    """A one-line user message for an error caused by the file or the machine, or for the database's refusal of
    a link between two applicants' rows; None for anything else.

    Also covers a number too large for SQLite's 64-bit integers (a mistyped id), which Python reports
    as OverflowError before SQLite sees it, and PostgreSQL's lock timeout (the same busy database).
    """
    if isinstance(exc, OverflowError) and "SQLite INTEGER" in str(exc):
        return f"a number is too large (at most {2**63 - 1})"
    if not isinstance(exc, DatabaseError | sqlite3.Error):
        return None
    text = str(getattr(exc, "orig", None) or exc).lower()
    refusal = _ownership_refusal(text)
    if refusal is not None:
        return f"{where}: {refusal}" if where else refusal
    if isinstance(exc, DataError) and "integer out of range" in text:  # PostgreSQL's INTEGER: 32 bits
        return f"a number is too large (at most {2**31 - 1})"
    for needle, message in _STORAGE_ERRORS:
        if needle in text:
            return f"{where}: {message}" if where else message
    return None


def quick_check(db: Database, *, full: bool = False) -> list[str]:
    """The problems SQLite finds in the file (PRAGMA quick_check, or integrity_check with ``full``); [] if sound.

    A damaged file can go on accepting writes for a while; this is how `imgcoach db check` and the daemon find
    out. The check itself is storage.quickcheck.file_problems, which `db check`'s quick read runs too.
    """
    if not db.is_sqlite or db.path is None:
        return []
    from imgcoach.storage.quickcheck import file_problems

    return file_problems(db.path, full=full, timeout=BUSY_TIMEOUT_MS / 1000)
