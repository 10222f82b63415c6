"""`imgcoach demo`: a database with the synthetic demo applicant, kept apart from yours."""

from __future__ import annotations

from pathlib import Path

import click

from imgcoach.core.errors import UserError


@click.command()
@click.option("--db", "db_path", metavar="PATH", help="Where to write the demo database (default: imgcoach-demo.sqlite in the data folder).")
@click.option("--reset", is_flag=True, help="Replace an existing demo database.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
@click.pass_context
def demo(ctx: click.Context, db_path: str | None, reset: bool, quiet: bool) -> None:
    """Create the demo database (synthetic applicant, rotations, letters, reminders)."""
    from imgcoach.composition import open_context
    from imgcoach.core.locations import sqlite_url
    from imgcoach.demo import build_demo, demo_db_path

    parent_db = ctx.find_root().params.get("db")
    path = Path(db_path or parent_db or demo_db_path()).expanduser()
    if path.exists():
        if not reset:
            raise UserError(f"{path}: already exists; use --reset to replace it")
        _refuse_unless_demo(path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    build_demo(open_context(sqlite_url(path), refresh_feeds=False))  # no feed is subscribed in a new demo
    if not quiet:
        click.echo(f"demo database written to {path}")


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
