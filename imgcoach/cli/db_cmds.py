"""`imgcoach db check|backup|restore`: the database file itself.

Each command is a plain function on the `db` group; add another (e.g. `db upgrade`) with ``@db.command``.
"""

from __future__ import annotations

from pathlib import Path

import click

from imgcoach.cli.common import db_option
from imgcoach.core.errors import UserError


@click.group()
def db() -> None:
    """Check, back up and restore the database."""


def _database(*, must_exist: bool = True):  # type: ignore[no-untyped-def]
    """The selected database, opened without migrating (a damaged or old file must still be checkable).

    A mistyped path is "no database at PATH": nothing is created.
    """
    from imgcoach.cli.common import State
    from imgcoach.core.locations import resolve_database_url
    from imgcoach.storage.db import Database

    url = resolve_database_url(click.get_current_context().ensure_object(State).db)
    if must_exist and url.startswith("sqlite:///") and not Path(url.split(":///", 1)[1]).exists():
        raise UserError(f"no database at {url.split(':///', 1)[1]}")
    return Database(url, migrate=False)


def _sqlite_path(database) -> Path:  # type: ignore[no-untyped-def]
    from imgcoach.storage.backup import PG_DUMP_ADVICE

    if not database.is_sqlite or database.path is None:
        raise UserError(PG_DUMP_ADVICE)
    return database.path


@db.command("check")
@db_option
@click.option("--full", is_flag=True, help="PRAGMA integrity_check (slower) instead of quick_check.")
def check(full: bool) -> None:
    """Ask SQLite whether the file is sound; exit 2 naming the damage if not."""
    from imgcoach.storage.db import quick_check

    database = _database()
    try:
        path = _sqlite_path(database)
        problems = quick_check(database, full=full)
    finally:
        database.close()
    if problems:
        shown = "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
        raise UserError(f"{path}: DAMAGED: {shown}. Stop the daemon and the app, then restore a backup with "
                        "`imgcoach db restore PATH`")
    click.echo(f"{path}: ok ({'integrity_check' if full else 'quick_check'} and foreign keys)")


@db.command("backup")
@db_option
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
def backup(dest: Path, force: bool) -> None:
    """Copy the live database to DEST (safe while the app and the daemon run)."""
    from imgcoach.storage.backup import backup_sqlite

    database = _database()
    try:
        source = _sqlite_path(database)
        pages = backup_sqlite(source, dest.expanduser(), overwrite=force)
    finally:
        database.close()
    click.echo(f"backed up {source} to {dest} ({pages} pages, checked)")


@db.command("restore")
@db_option
@click.argument("src", type=click.Path(dir_okay=False, path_type=Path))
def restore(src: Path) -> None:
    """Replace the database with the backup SRC (the current one is kept as a .before-restore copy)."""
    from imgcoach.core.clock import SystemClock
    from imgcoach.reminders.outbox import daemon_status
    from imgcoach.storage.backup import restore_sqlite
    from imgcoach.storage.db import Database

    database = _database(must_exist=False)
    try:
        live = _sqlite_path(database)
        if live.exists():
            try:
                from imgcoach.core.context import Context
                from imgcoach.core.settings import Settings

                state = daemon_status(Context(db=database, clock=SystemClock(), settings=Settings()),
                                      SystemClock().now())
            except Exception:
                state = None
            if state is not None and state.running:
                raise UserError("a reminder daemon is running on this database; stop it before restoring")
    finally:
        database.close()
    safety = restore_sqlite(src.expanduser(), live)
    Database(f"sqlite:///{live}").close()  # bring an older backup's schema up to date
    kept = f"; the previous data is kept in {safety}" if safety != live else ""
    click.echo(f"restored {live} from {src}{kept}")
