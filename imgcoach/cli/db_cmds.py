"""`imgcoach db upgrade` / `db status`: the schema as an explicit deploy step (organisations on PostgreSQL)."""

from __future__ import annotations

import click

from imgcoach.cli.common import State, db_option


def _url() -> str:
    """The same database every other command opens: --db, IMGCOACH_DB(_URL), config.toml, the default file."""
    from imgcoach.locations import resolve_database_url
    from imgcoach.settings import load_settings

    return resolve_database_url(click.get_current_context().ensure_object(State).db or load_settings().database_url)


@click.group()
def db() -> None:
    """The database schema: show its version, upgrade it (run once per release, before starting processes)."""


@db.command("upgrade")
@db_option
def upgrade_cmd() -> None:
    """Create or upgrade the schema to this imgcoach's version, under a lock (safe to run from several hosts)."""
    from imgcoach.storage.db import Database, safe_url, schema_state, upgrade

    database = Database(_url(), migrate=False)
    try:
        before, heads = schema_state(database.engine)
        changed = upgrade(database.engine, existing=True)
    finally:
        database.close()
    where = safe_url(database.url) if not database.is_sqlite else str(database.path)
    if changed:
        click.echo(f"{where}: schema upgraded from {', '.join(sorted(before)) or 'empty'} to {', '.join(sorted(heads))}")
    else:
        click.echo(f"{where}: schema already at {', '.join(sorted(heads))}; nothing to do")


@db.command("status")
@db_option
def status_cmd() -> None:
    """Show the schema version in the database and the one this imgcoach needs."""
    from imgcoach.storage.db import Database, schema_state

    database = Database(_url(), migrate=False)
    try:
        current, heads = schema_state(database.engine)
    finally:
        database.close()
    state = "up to date" if current == heads else ("empty" if not current else "older: run `imgcoach db upgrade`")
    click.echo(f"{database.display_name}: schema {', '.join(sorted(current)) or '(none)'}; this imgcoach needs "
               f"{', '.join(sorted(heads))}; {state}")
