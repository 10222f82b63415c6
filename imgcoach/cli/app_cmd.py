"""Opening the Textual app (`imgcoach` with no command, or `imgcoach app`)."""

from __future__ import annotations

import click


def run_app(db: str | None) -> None:
    # Only the app module here: the database stack loads in a worker after the first paint.
    from imgcoach.tui.app import make_app

    app = make_app(db=db)
    app.run()
    if app.return_code:  # an unexpected error closed the app: the shell and cron must see it
        raise SystemExit(app.return_code)


@click.command()
@click.option("--db", "db_path", metavar="PATH")
@click.pass_context
def app(ctx: click.Context, db_path: str | None) -> None:
    """Open the planner."""
    run_app(db_path or ctx.find_root().params.get("db"))
