"""Opening the Textual app (`imgcoach` with no command, or `imgcoach app`)."""

from __future__ import annotations

import click

from imgcoach.cli.common import APPLICANT_HELP


def run_app(db: str | None, applicant: str | None = None) -> None:
    # Only the app module here: the database stack loads in a worker after the first paint.
    from imgcoach.core.settings import applicant_from_env
    from imgcoach.tui.app import make_app

    ref = applicant or applicant_from_env()
    if ref is not None:
        # An unknown applicant is a one-line error before the app starts, not a blank app: this pays the
        # database import before the first paint, only when an applicant is chosen.
        from imgcoach.composition import open_context

        ctx = open_context(db, applicant=ref, refresh_feeds=False)
        ref = str(ctx.applicant_id)
        ctx.db.close()
    app = make_app(db=db, applicant=ref)
    app.run()
    if app.return_code:  # an unexpected error closed the app: the shell and cron must see it
        raise SystemExit(app.return_code)


@click.command()
@click.option("--db", "db_path", metavar="PATH")
@click.option("--applicant", "applicant", metavar="ID|EMAIL", help=APPLICANT_HELP)
@click.pass_context
def app(ctx: click.Context, db_path: str | None, applicant: str | None) -> None:
    """Open the planner."""
    root = ctx.find_root().params
    run_app(db_path or root.get("db"), applicant or root.get("applicant"))
