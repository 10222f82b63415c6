"""Wiring: the one place that knows which features exist and plugs them together.

Faces open their context here (the calendar feed refresh hangs on every commit), the daemon gets its
maintenance tasks here and the demo its extra data. Everything is an ordinary import; the imports that
load a whole feature sit inside the functions so `imgcoach --version` and the first paint stay fast.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from imgcoach.core import clock as clocks
from imgcoach.core.clock import Clock
from imgcoach.core.record import Record
from imgcoach.core.settings import Settings, applicant_from_env, load_settings

if TYPE_CHECKING:
    # Context is a dataclass: imported where one is built, so `db status` and `db check`, which read this module
    # for their quick answers, do not load dataclasses (and inspect) for it (issue 17: 6-9 ms of each).
    from imgcoach.core.context import Context
    from imgcoach.reminders import MaintenanceTask

FEED_INTERVAL = timedelta(minutes=15)


def choose_applicant(ctx: Context, ref: str) -> int:
    """The id of the applicant `ref` names (an id or an e-mail); a UserError naming `ref` if none."""
    from imgcoach.storage.applicants import resolve_applicant

    with ctx.db.read() as session:
        return resolve_applicant(session, ref)


def open_context(
    db: str | None = None, *, clock: Clock | None = None, settings: Settings | None = None, refresh_feeds: bool = True,
    applicant: str | None = None,
) -> Context:
    """The one door faces use: --db value (or env / default), real clock, config file.

    `applicant` (an id or e-mail; default IMGCOACH_APPLICANT) chooses whom the calls act on; without
    it they act on the database's first applicant (one person's own database).

    With refresh_feeds, every committed change rewrites the subscribed calendar feeds
    (`imgcoach export --feed`), so a calendar app sees the plan as it is now.
    """
    from imgcoach.core.context import Context
    from imgcoach.storage.db import open_database  # here: `db status` reads this module without SQLAlchemy

    settings = settings or load_settings()
    ctx = Context(db=open_database(db, configured=settings.database_url), clock=clock or clocks.default_clock(), settings=settings)
    ref = applicant if applicant is not None else applicant_from_env()
    if ref:  # "" chooses nobody: commands that manage the list itself
        try:
            ctx.applicant_id = choose_applicant(ctx, ref)
        except BaseException:
            ctx.db.close()
            raise
    if refresh_feeds:
        ctx.db.after_commit.append(lambda: _refresh_feeds(ctx))
    return ctx


def _refresh_feeds(ctx: Context) -> None:
    from sqlmodel import select

    from imgcoach.storage.models import CalendarFeed

    with ctx.db.read() as session:
        if session.exec(select(CalendarFeed.id).limit(1)).first() is None:
            return  # no subscribed feed: skip loading the calendar writer at all
    from imgcoach.calendar import refresh_feed

    refresh_feed(ctx.db, ctx.settings, ctx.clock)


class RemovedApplicant(Record):  # Records, not dataclasses: this module is `db status`'s and `db check`'s
    id: int
    name: str
    email: str
    emptied_feeds: list[Path]  # the applicant's subscribed feed files, now calendars with no event
    feed_failures: list[str]  # a message for each feed file that could not be emptied
    deleted_reminders: list[Any]  # unsent reminders deleted with the applicant
    timezone: str = "UTC"  # the applicant's, where their due times are said


def remove_applicant_and_feeds(ctx: Context) -> RemovedApplicant:
    """Delete the context's applicant and their whole plan, and empty the calendar feeds they subscribed to.

    The feed rows are deleted with the applicant (the daemon stops writing those files), so the files would
    otherwise keep the deleted plan for every calendar app subscribed to them. Emptied after the delete commits:
    emptied first, a delete that failed would leave subscribers an empty calendar until the next refresh."""
    from imgcoach.calendar import empty_feeds, list_feeds
    from imgcoach.plan import remove_applicant_reporting as remove

    paths = [Path(feed.path) for feed in list_feeds(ctx)]
    removed = remove(ctx)
    gone = removed.applicant
    failed = empty_feeds(paths, name=gone.name, now=ctx.clock.now()) if paths else {}
    return RemovedApplicant(int(gone.id or 0), gone.name, gone.email, [p for p in paths if p not in failed],
                            list(failed.values()), removed.unsent_reminders, gone.timezone)


def calendar_feed_task(ctx: Context) -> MaintenanceTask:
    """Refresh the calendar feed file with ``refresh_feed(db, settings, clock)``."""
    from imgcoach.calendar import refresh_feed
    from imgcoach.reminders import MaintenanceTask

    return MaintenanceTask("calendar-feed", FEED_INTERVAL, lambda now: refresh_feed(ctx.db, ctx.settings, ctx.clock),
                           run_at_start=True)


def _task_factories() -> list[Callable[[Context], MaintenanceTask | None]]:
    """The daemon's tasks besides reminders, one line each: a factory(ctx) returning a MaintenanceTask (or None)."""
    from imgcoach.matching import changes_since_seen, nightly_task
    from imgcoach.reminders import digest_task, rederive_task

    def digest_with_shortlist(ctx: Context) -> MaintenanceTask:
        """The weekly digest, told where the shortlist's unseen changes come from (reminders sits below matching)."""
        return digest_task(ctx, shortlist_changes=changes_since_seen)

    return [rederive_task, digest_with_shortlist, nightly_task]


def daemon_tasks(ctx: Context) -> list[MaintenanceTask]:
    """Registered tasks plus the built-in ones, for one daemon run."""
    from imgcoach.reminders import MAINTENANCE_TASKS, MaintenanceTask

    made: list[MaintenanceTask] = []
    for factory in _task_factories():
        try:
            task = factory(ctx)
        except Exception:
            import logging  # here: the quick reads (db status|check, applicants export) load this module

            logging.getLogger(__name__).exception("cannot build maintenance task %s", factory.__qualname__)
            continue
        if isinstance(task, MaintenanceTask):
            made.append(task)
    names = {t.name for t in made}
    return [t for t in MAINTENANCE_TASKS if t.name not in names] + made + [calendar_feed_task(ctx)]


def demo_extensions() -> list[Callable[[Context], None]]:
    """Other features' demo data, added after the plan's own (see imgcoach.demo.build_demo)."""
    from imgcoach.coach import extend_demo as coach_demo
    from imgcoach.matching import extend_demo as matching_demo

    return [coach_demo, matching_demo]


# --- The schema as an explicit deploy step (`imgcoach db upgrade|status`), for faces that must not touch storage.


class SchemaState(Record):
    where: str  # the database as it may be shown: a file path, or a URL with the password masked
    current: frozenset[str]
    heads: frozenset[str]
    changed: bool = False
    cross_links: tuple[str, ...] = ()  # rows from before the owner triggers that link two applicants


def upgrade_schema(url: str) -> SchemaState:
    """Create or upgrade the schema under the migration lock; safe to run from several hosts at once."""
    from imgcoach.storage.db import Database, schema_state, upgrade

    database = Database(url, migrate=False)
    try:
        before, heads = schema_state(database.engine)
        changed = upgrade(database.engine, existing=True)
        links = _cross_links(database)
    finally:
        database.close()
    return SchemaState(database.display_name, frozenset(before), frozenset(heads), changed, links)


def _cross_links(database: Any) -> tuple[str, ...]:
    """Rows written before the schema refused cross-applicant links (migration 0005), each described."""
    from imgcoach.storage.db import schema_state
    from imgcoach.storage.ownership import find_cross_links

    current, heads = schema_state(database.engine)
    if set(current) != set(heads):
        return ()  # an empty or older schema: `db status` says so; the tables may not be there to read
    with database.engine.connect() as conn:
        return tuple(link.describe() for link in find_cross_links(conn))


def schema_status(url: str) -> SchemaState:
    """The schema version in the database and the one this imgcoach needs, without migrating anything."""
    from imgcoach.storage.db import Database, schema_state

    if sqlite_file(url) is not None:
        # a status asks; it does not create: a missing file made its folder and an empty database, and an empty
        # file was written SQLite's header (then the next command wrote the whole schema into, say, notes.csv)
        _sqlite_file(url)
    database = Database(url, migrate=False)
    try:
        current, heads = schema_state(database.engine)
    finally:
        database.close()
    return SchemaState(database.display_name, frozenset(current), frozenset(heads))


def schema_status_quickly(url: str) -> SchemaState | None:
    """`schema_status` with sqlite3 or libpq alone (storage.quickpq: importing psycopg cost 4x `python -c pass`),
    no SQLAlchemy or Alembic (issue 17: a read command within 5x `python -c pass`), for the common case only: a
    plain SQLite file or a PostgreSQL database whose recorded revisions are exactly this code's heads (storage.schema_heads, checked against Alembic's by a test), named
    as the full path names it (a server URL as SQLAlchemy renders it, password masked: only the plain URLs
    storage.quickconn.shown_server_url is sure of). None for anything else, then ask `schema_status`: an older,
    newer or foreign schema (Alembic names them), a missing file or an unreachable server (the full path says
    what it makes of it), any other URL."""
    from imgcoach.storage.quickconn import rows_at_current_schema
    from imgcoach.storage.schema_heads import SCHEMA_HEADS

    where = _shown_quickly(url)
    if where is None or rows_at_current_schema(url, ()) is None:
        return None
    return SchemaState(where, SCHEMA_HEADS, SCHEMA_HEADS)


def _shown_quickly(url: str) -> str | None:
    """Database.display_name without SQLAlchemy: a SQLite file's path (the URL's text after sqlite:///), a plain
    PostgreSQL URL as safe_url renders it (storage.quickconn.shown_server_url); None for any other URL."""
    from imgcoach.storage.quickconn import shown_server_url, sqlite_file

    path = sqlite_file(url)
    return str(path) if path is not None else shown_server_url(url)


# --- The database file itself (`imgcoach db check|backup|restore`).


class CheckResult(Record):
    where: str
    problems: list[str]  # damage SQLite finds in the file
    cross_links: list[str]  # rows linking two applicants (written before 0005)
    checked: str = ""  # what was checked, as it may be shown


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL, None for a server database (the storage rule, for faces)."""
    from imgcoach.storage.quickread import sqlite_file as file_of

    return file_of(url)


def _sqlite_file(url: str, *, must_exist: bool = True) -> Path:
    """The SQLite file behind `url`; PostgreSQL gets the pg_dump advice, a mistyped path "no database at"."""
    from imgcoach.core.errors import UserError
    from imgcoach.storage.backup import PG_DUMP_ADVICE

    path = sqlite_file(url)
    if path is None:
        raise UserError(PG_DUMP_ADVICE)
    if must_exist and not path.exists():
        raise UserError(f"no database at {path}")  # nothing is created for a mistyped path
    if must_exist and empty_database_file(path):  # opening it wrote SQLite's header: the next command, its schema
        raise UserError(f"no database at {path}: it is an empty file")
    return path


def empty_database_file(path: Path) -> bool:
    """A file of 0 bytes with no write-ahead log beside it holding its pages: nothing SQLite has written."""
    try:
        if not path.is_file() or path.stat().st_size:
            return False
        wal = path.with_name(path.name + "-wal")
        return not wal.exists() or wal.stat().st_size == 0
    except OSError:
        return False  # opening it says what is wrong


def check_database(url: str, *, full: bool = False) -> CheckResult:
    """Is the database sound? SQLite: quick_check (integrity_check with full) and its foreign keys; both
    engines: no row links two applicants. Opened without migrating."""
    from imgcoach.storage.db import Database, quick_check

    path = sqlite_file(url)
    if path is not None:
        _sqlite_file(url)  # "no database at" for a mistyped path: nothing is created
    database = Database(url, migrate=False)
    try:
        problems = quick_check(database, full=full) if path is not None else []
        links = () if problems else _cross_links(database)
    finally:
        database.close()
    return CheckResult(str(path) if path is not None else database.display_name, problems, list(links),
                       _checked(full, sqlite=path is not None))


def _checked(full: bool, *, sqlite: bool) -> str:
    """What `db check` checked, as it says so."""
    file_checks = f"{'integrity_check' if full else 'quick_check'}, foreign keys and " if sqlite else ""
    return f"{file_checks}no row links two applicants"


def check_database_quickly(url: str, *, full: bool = False) -> CheckResult | None:
    """`check_database` with sqlite3 or libpq alone (issue 17; storage.quickconn.rows_at_current_schema), for the common case only: a SQLite file that is
    sound, or a PostgreSQL database (named as schema_status_quickly names it), at this code's schema, with no
    row linking two applicants (storage.quickcheck). None for anything else: then `check_database` checks
    again and names what it finds."""
    from imgcoach.storage.quickcheck import no_cross_links_quickly, sound_quickly
    from imgcoach.storage.quickconn import sqlite_file as file_of

    if file_of(url) is None:  # PostgreSQL: no file to check (with or without --full), the same cross-link queries
        where = _shown_quickly(url)
        if where is None or not no_cross_links_quickly(url):
            return None
        return CheckResult(where, [], [], _checked(full, sqlite=False))
    path = sound_quickly(url, full=full)
    return None if path is None else CheckResult(str(path), [], [], _checked(full, sqlite=True))


def backup_database(url: str, dest: Path, *, overwrite: bool = False) -> tuple[Path, int]:
    """Copy the live database with SQLite's online backup API (safe while the app and daemon write)."""
    from imgcoach.storage.backup import backup_sqlite

    source = _sqlite_file(url)
    return source, backup_sqlite(source, dest, overwrite=overwrite)


def restore_database(url: str, src: Path, clock: Clock | None = None) -> tuple[Path, Path]:
    """Replace the database with a backup, refusing while a daemon runs; returns (live file, safety copy).

    The plan rows that differ from the database replaced are marked changed at the restore (`clock`), so the
    feed and the next export publish them as newer versions, never older ones (calendar.mark_restored)."""
    from imgcoach.core.context import Context
    from imgcoach.core.errors import UserError
    from imgcoach.reminders import daemon_status
    from imgcoach.storage.backup import restore_sqlite
    from imgcoach.storage.db import Database

    live = _sqlite_file(url, must_exist=False)
    clock = clock or clocks.default_clock()  # the daemon check too: it read the wall clock whatever clock was given
    if live.exists():
        database = Database(url, migrate=False)
        try:
            try:
                state = daemon_status(Context(db=database, clock=clock, settings=Settings()), clock.now())
            except Exception:  # a damaged file is exactly what one restores over: no status is fine
                state = None
            if state is not None and state.running:
                raise UserError("a reminder daemon is running on this database; stop it before restoring")
        finally:
            database.close()
    safety = restore_sqlite(src, live)
    restored = Database(f"sqlite:///{live}")  # bring an older backup's schema up to date
    try:
        _mark_restored(restored, safety if safety != live else None, clock.now())
        # Subscribed feeds show the restored plan now, not after the next change or the daemon's next pass.
        _refresh_feeds(Context(db=restored, clock=clock, settings=Settings()))
    except UserError as exc:  # the restore is done; a feed file that cannot be written is worth a warning
        import logging

        logging.getLogger(__name__).warning("calendar feed not updated after the restore: %s", exc)
    finally:
        restored.close()
    return live, safety


def _mark_restored(restored: Any, previous: Path | None, now: datetime) -> None:
    """calendar.mark_restored against the replaced database, read from its safety copy (read-only)."""
    import sqlite3

    from sqlalchemy import create_engine
    from sqlmodel import Session

    from imgcoach.calendar import mark_restored

    def read_only() -> sqlite3.Connection:  # as_uri: a "?" or "#" in the path is no URI syntax
        assert previous is not None
        return sqlite3.connect(f"{previous.resolve().as_uri()}?mode=ro", uri=True)

    engine = create_engine("sqlite://", creator=read_only) if previous is not None else None
    try:
        with restored.transaction() as session:
            if engine is None:
                mark_restored(session, None, now)
            else:
                with Session(engine) as before:
                    mark_restored(session, before, now)
    finally:
        if engine is not None:
            engine.dispose()


def storage_error_message(exc: BaseException) -> str | None:
    """A face's one-line message for an error the file or the machine caused (read-only, full, damaged, huge id)."""
    from imgcoach.storage.db import storage_error_message as message

    return message(exc)


# --- Moving one applicant between databases (`imgcoach applicants export|import`): every feature's tables.


def export_applicant(ctx: Context) -> dict[str, object]:
    """The context's applicant and all their rows as JSON-ready data (see imgcoach.storage.transfer)."""
    from imgcoach.storage.transfer import export_applicant as export

    with ctx.db.read() as session:
        return export(session, ctx)


def applicant_export_text(data: dict[str, object]) -> str:
    """The export as `applicants export` prints and writes it, on both paths (without the final newline)."""
    from imgcoach.storage.quicktransfer import export_text

    return export_text(data)


def export_applicant_quickly(url: str, applicant: str | None) -> str | None:
    """`applicant_export_text(export_applicant(...))` read with sqlite3 or psycopg alone (issue 17), for the
    applicant `applicant` names; None when only the full path can answer (then ask export_applicant). Raises
    the full path's UserError for an unknown applicant or none at all."""
    from imgcoach.storage.quicktransfer import export_text, read_export

    data = read_export(url, applicant)
    return None if data is None else export_text(data)


def import_applicant(ctx: Context, data: object, *, source: str = "the file") -> int:
    """Add an exported applicant to this database with new ids, in one transaction; returns the new id."""
    from imgcoach.storage.transfer import import_applicant as insert

    with ctx.db.transaction() as session:  # a new applicant, whose e-mail and reminder keys must be new everywhere
        return insert(session, data, source=source)


def maintenance_leader(ctx: Context) -> tuple[Callable[[str], bool], Callable[[], None]]:
    """(leader(task name), release) for a daemon: one daemon of several runs each maintenance task
    (a PostgreSQL advisory lock, a file lock beside a SQLite file; see imgcoach.storage.leases)."""
    from imgcoach.storage.leases import Leases

    leases = Leases(ctx.db.url)
    return leases.holds, leases.close
