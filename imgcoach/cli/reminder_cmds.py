"""`imgcoach reminders list|cancel` (the daemon adds retry and approve)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import click

from imgcoach.cli.common import db_option, get_context, group, json_option, print_json, print_table
from imgcoach.cli.quick import REMINDER_HEADERS, reminder_cells
from imgcoach.cli.shapes import reminder_json
from imgcoach.reminders import REMINDER_STATUSES


@group()
def reminders() -> None:
    """The reminder outbox."""


@reminders.command("list")
@db_option
@click.option("--status", type=click.Choice(REMINDER_STATUSES))
@json_option
def list_(status: str | None, as_json: bool) -> None:
    """Reminders by due time, shown in your time zone."""
    from imgcoach.plan import get_profile
    from imgcoach.reminders import daemon_status, list_reminders, superseded_openings

    ctx = get_context()
    now = ctx.clock.now()
    rows = list_reminders(ctx, status)
    tz = ZoneInfo(get_profile(ctx).timezone)  # type: ignore[union-attr]
    # Unfiltered, the rows hold every last call; a `--status pending` list lacks a sending one, which the daemon
    # status (read over every pending and sending reminder) holds.
    daemon = None if as_json and status is None else daemon_status(ctx, now, mine=True)
    gone = superseded_openings(rows, now) if daemon is None else daemon.superseded
    data = [reminder_json(r, tz, now, gone) for r in rows]
    if as_json or daemon is None:
        print_json(data, tz)
        return
    click.echo(daemon.summary(tz))
    print_table(REMINDER_HEADERS, [reminder_cells(d, tz) for d in data])  # the one definition both paths print


@reminders.command("cancel")
@db_option
@click.argument("reminder_id", type=int)
@json_option
def cancel(reminder_id: int, as_json: bool) -> None:
    """Cancel one pending or failed reminder."""
    from imgcoach.cli.common import output_zone
    from imgcoach.reminders import cancel_reminder

    ctx = get_context()
    row = cancel_reminder(ctx, reminder_id)
    if as_json:  # the row as `reminders list --json` prints it
        print_json(reminder_json(row, output_zone(), ctx.clock.now(), ()))  # cancelled: superseded by nothing
    else:
        click.echo(f"reminder {reminder_id} cancelled")
