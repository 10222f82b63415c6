"""Opening the Textual app (`imgcoach` with no command, or `imgcoach app`)."""

from __future__ import annotations

import click

from imgcoach.cli.common import APPLICANT, APPLICANT_HELP, Command
from imgcoach.core.errors import UserError


def run_app(db: str | None, applicant: str | None = None) -> None:
    # Only the app module here: the database stack loads in a worker after the first paint.
    from imgcoach.core.settings import applicant_from_env
    from imgcoach.tui.app import make_app

    ref = applicant or applicant_from_env()
    if ref is not None:
        from imgcoach.core.locations import resolve_database_url
        from imgcoach.core.settings import load_settings
        from imgcoach.plan import missing_database_file

        missing = missing_database_file(resolve_database_url(db, load_settings().database_url))
        if missing is not None:  # nobody to choose in a database that is not there: create nothing
            raise UserError(f"no database at {missing}")
        # An unknown applicant is a one-line error before the app starts, not a blank app: this pays the
        # database import before the first paint, only when an applicant is chosen.
        from imgcoach.composition import open_context

        ctx = open_context(db, applicant=ref, refresh_feeds=False)
        ref = str(ctx.applicant_id)
        ctx.db.close()
    app = make_app(db=db, applicant=ref)
    try:
        app.run()
    finally:
        if app.context is not None:
            # As the daemon does: closing checkpoints SQLite's WAL into the file, so what the person saved is in
            # imgcoach.sqlite itself once the app is gone (a `cp` of the file alone, a sync folder), not in -wal.
            app.context.db.close()
    if app.refused_new_database is not None:  # the person said no to a new database at a --db path
        raise UserError(f"no database at {app.refused_new_database}")
    if app.return_code:  # an unexpected error closed the app: the shell and cron must see it
        raise SystemExit(app.return_code)


@click.command(cls=Command)
@click.option("--db", "db_path", metavar="PATH")
@click.option("--applicant", "applicant", type=APPLICANT, metavar="ID|EMAIL", help=APPLICANT_HELP)
@click.pass_context
def app(ctx: click.Context, db_path: str | None, applicant: str | None) -> None:
    """Open the planner."""
    root = ctx.find_root().params
    run_app(db_path or root.get("db"), applicant or root.get("applicant"))
