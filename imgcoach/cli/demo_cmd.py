"""`imgcoach demo`: a database with the synthetic demo applicant, kept apart from yours."""

from __future__ import annotations

from pathlib import Path

import click

from imgcoach.cli.common import Command
from imgcoach.core.errors import UserError


@click.command(cls=Command)
@click.option("--db", "db_path", metavar="PATH", help="Where to write the demo database: a file or a database URL "
              "(default: IMGCOACH_DB, then IMGCOACH_DATABASE_URL, then imgcoach-demo.sqlite in the data folder).")
@click.option("--reset", is_flag=True, help="Replace an existing demo database.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
@click.pass_context
def demo(ctx: click.Context, db_path: str | None, reset: bool, quiet: bool) -> None:
    """Create the demo database (synthetic applicant, rotations, letters, reminders)."""
    from imgcoach.composition import open_context
    from imgcoach.core.locations import chosen_database, sqlite_url
    from imgcoach.demo import build_demo, demo_db_path

    # Like every command: --db, then IMGCOACH_DB, then IMGCOACH_DATABASE_URL (an organisation's server gets
    # the demo there, not a SQLite file beside it); only with none of them the separate demo file.
    target = chosen_database(db_path or ctx.find_root().params.get("db"))
    if target and "://" in target:
        _demo_into_url(target, quiet)
        return
    path = Path(target or demo_db_path()).expanduser()
    if path.exists():
        if not reset:
            raise UserError(f"{path}: already exists; use --reset to replace it")
        _refuse_unless_demo(path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    build_demo(open_context(sqlite_url(path), refresh_feeds=False))  # no feed is subscribed in a new demo
    if not quiet:
        click.echo(f"demo database written to {path}")


def _demo_into_url(url: str, quiet: bool) -> None:
    """A database URL (e.g. PostgreSQL): the demo goes into that database, which must hold no applicant yet."""
    from imgcoach.composition import open_context
    from imgcoach.core.settings import load_settings
    from imgcoach.demo import build_demo
    from imgcoach.plan import get_profile

    ctx = open_context(url, settings=load_settings(), refresh_feeds=False)
    try:
        if get_profile(ctx) is not None:
            raise UserError(f"{ctx.db.display_name}: already holds an applicant; the demo needs an empty "
                            "database (--reset replaces only demo SQLite files)")
        build_demo(ctx)
    finally:
        ctx.db.close()
    if not quiet:
        click.echo(f"demo database written to {ctx.db.display_name}")


def _refuse_unless_demo(path: Path) -> None:
    """--reset replaces only a demo database, never the user's own."""
    import sqlite3

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT synthetic FROM applicant ORDER BY id LIMIT 1").fetchone()
    except sqlite3.Error:
        row = None
    if row is not None and not row[0]:
        raise UserError(f"{path}: holds a real applicant's data; --reset only replaces a demo database")
