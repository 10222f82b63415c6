"""`imgcoach db ...`: the database itself: schema version and upgrade (a deploy step for organisations on
PostgreSQL), integrity check, online backup and restore. Each command is a plain function on the `db` group."""

from __future__ import annotations

from pathlib import Path

import click

from imgcoach.cli.common import GivenPath, State, db_option, group, warn
from imgcoach.core.errors import UserError
from imgcoach.core.words import counted


def _url() -> str:
    """The same database every other command opens: --db, IMGCOACH_DB(_URL), config.toml, the default file."""
    from imgcoach.core.locations import resolve_database_url
    from imgcoach.core.settings import load_settings

    return resolve_database_url(click.get_current_context().ensure_object(State).db, load_settings().database_url)


@group()
def db() -> None:
    """The database: schema version and upgrade, integrity check, backup and restore."""


@db.command("upgrade")
@db_option
def upgrade_cmd() -> None:
    """Create or upgrade the schema to this imgcoach's version, under a lock (safe to run from several hosts)."""
    from imgcoach.composition import upgrade_schema

    state = upgrade_schema(_url())
    if state.changed:
        click.echo(f"{state.where}: schema upgraded from {', '.join(sorted(state.current)) or 'empty'} to "
                   f"{', '.join(sorted(state.heads))}")
    else:
        click.echo(f"{state.where}: schema already at {', '.join(sorted(state.heads))}; nothing to do")
    if state.cross_links:
        warn(_cross_link_message(state.where, state.cross_links))


@db.command("status")
@db_option
def status_cmd() -> None:
    """Show the schema version in the database and the one this imgcoach needs."""
    from imgcoach.cli.quick import schema_status_line
    from imgcoach.composition import schema_status

    state = schema_status(_url())
    click.echo(schema_status_line(state.where, state.current, state.heads))  # the quick read's line too


@db.command("check")
@db_option
@click.option("--full", is_flag=True, help="PRAGMA integrity_check (slower) instead of quick_check.")
def check(full: bool) -> None:
    """Is the database sound? Exit 2 naming the damage, or the rows that link two applicants, if not.

    SQLite: the file's own check and its foreign keys. Both engines: no row of one applicant names a row of
    another (the schema refuses new ones; rows written before that are found here)."""
    from imgcoach.cli.quick import check_ok_line
    from imgcoach.composition import check_database

    result = check_database(_url(), full=full)
    if result.problems:
        problems = result.problems
        shown = "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
        raise UserError(f"{result.where}: DAMAGED: {shown}. Stop the daemon and the app, then restore a backup with "
                        "`imgcoach db restore PATH`")
    if result.cross_links:
        raise UserError(_cross_link_message(result.where, result.cross_links))
    click.echo(check_ok_line(result.where, result.checked))  # the quick read's line too


def _cross_link_message(where: str, links: list[str] | tuple[str, ...]) -> str:
    shown = "; ".join(links[:5]) + (f" (and {len(links) - 5} more)" if len(links) > 5 else "")
    return (f"{where}: {counted(len(links), 'row')} link{'s' if len(links) == 1 else ''} two applicants, written before imgcoach refused such links: "
            f"{shown}. Each is kept as it was: remove it, or point it at the right applicant's row (with "
            "--applicant)")


@db.command("backup")
@db_option
@click.argument("dest", type=GivenPath(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
def backup(dest: Path, force: bool) -> None:
    """Copy the live database to DEST (safe while the app and the daemon run)."""
    from imgcoach.composition import backup_database

    source, pages = backup_database(_url(), dest.expanduser(), overwrite=force)
    click.echo(f"backed up {source} to {dest} ({pages} pages, checked)")


@db.command("restore")
@db_option
@click.argument("src", type=GivenPath(dir_okay=False, path_type=Path))
def restore(src: Path) -> None:
    """Replace the database with the backup SRC (the current one is kept as a .before-restore copy)."""
    from imgcoach.composition import restore_database

    live, safety = restore_database(_url(), src.expanduser())
    kept = f"; the previous data is kept in {safety}" if safety != live else ""
    click.echo(f"restored {live} from {src}{kept}")
