"""`imgcoach db upgrade` / `db status`: the schema as an explicit deploy step (organisations on PostgreSQL)."""

from __future__ import annotations

import click

from imgcoach.cli.common import State, db_option


def _url() -> str:
    """The same database every other command opens: --db, IMGCOACH_DB(_URL), config.toml, the default file."""
    from imgcoach.core.locations import resolve_database_url
    from imgcoach.core.settings import load_settings

    return resolve_database_url(click.get_current_context().ensure_object(State).db or load_settings().database_url)


@click.group()
def db() -> None:
    """The database schema: show its version, upgrade it (run once per release, before starting processes)."""


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


@db.command("status")
@db_option
def status_cmd() -> None:
    """Show the schema version in the database and the one this imgcoach needs."""
    from imgcoach.composition import schema_status

    state = schema_status(_url())
    verdict = ("up to date" if state.current == state.heads
               else ("empty" if not state.current else "older: run `imgcoach db upgrade`"))
    click.echo(f"{state.where}: schema {', '.join(sorted(state.current)) or '(none)'}; this imgcoach needs "
               f"{', '.join(sorted(state.heads))}; {verdict}")
