"""`imgcoach daemon [--once] [--poll S]`, `daemon status`, `mail test`, `reminders retry|approve`."""

from __future__ import annotations

import logging
import os
from zoneinfo import ZoneInfo

import click

from imgcoach.cli.common import db_option, get_context, json_option, print_json
from imgcoach.cli.reminder_cmds import reminders
from imgcoach.core.errors import UserError

POLL_ENV = "IMGCOACH_DAEMON_POLL"


def _poll_default() -> float:
    raw = os.environ.get(POLL_ENV, "5")
    try:
        value = float(raw)
    except ValueError:
        raise UserError(f"{POLL_ENV}: {raw!r} is not a number of seconds") from None
    if not 0 < value <= 5:
        raise UserError(f"{POLL_ENV}: must be more than 0 and at most 5 seconds, got {raw}")
    return value


def _mail_settings(ctx):  # type: ignore[no-untyped-def]
    from imgcoach.core.locations import data_dir
    from imgcoach.reminders import load_mail_settings

    return load_mail_settings(ctx.settings.extra, data_dir=data_dir())


@click.group(invoke_without_command=True)
@db_option
@click.option("--once", is_flag=True, help="Send what is due, then exit (for cron).")
@click.option("--poll", type=click.FloatRange(min=0.05, max=5.0), default=None, metavar="SECONDS",
              help="How often to re-check the outbox (default 5, or IMGCOACH_DAEMON_POLL).")
@click.pass_context
def daemon(click_ctx: click.Context, once: bool, poll: float | None) -> None:
    """Send reminder e-mails as they fall due (foreground; SIGTERM or Ctrl-C stops it cleanly)."""
    if click_ctx.invoked_subcommand is not None:
        return
    from imgcoach.composition import daemon_tasks, maintenance_leader
    from imgcoach.core.locations import config_dir
    from imgcoach.reminders import MailRenderer, OutboxWorker, ReminderDaemon

    poll = poll or _poll_default()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("alembic", "apscheduler"):  # a line per wake or per migration plugin is noise
        logging.getLogger(noisy).setLevel(logging.WARNING)
    ctx = get_context()
    # The daemon refreshes calendar feeds on its own schedule (a maintenance task), not after
    # every "sent" it records.
    ctx.db.after_commit.clear()
    settings = _mail_settings(ctx)
    worker = OutboxWorker(ctx, settings, renderer=MailRenderer(override_dir=config_dir()), poll_seconds=poll)
    # --once (cron) runs the start-up tasks too, so cron users also get the weekly digest and feed.
    leader, release = maintenance_leader(ctx)
    runner = ReminderDaemon(worker, ctx.clock, poll_interval=poll, tasks=daemon_tasks(ctx), leader=leader)
    target = settings.smtp.host if settings.smtp else settings.maildir
    try:
        if once:
            sent = runner.run_once()
            click.echo(f"sent {sent} reminder(s) via {target}")
            return
        logging.getLogger("imgcoach.daemon").info("daemon %s started; mail goes to %s; polling every %s s",
                                                 worker.owner, target, poll)
        runner.run_forever()
    finally:
        release()


@daemon.command("status")
@db_option
@json_option
def status(as_json: bool) -> None:
    """Whether a daemon runs on this database, when it last ran, and the outbox counts."""
    from imgcoach.plan import get_profile
    from imgcoach.reminders import daemon_status

    ctx = get_context()
    state = daemon_status(ctx, ctx.clock.now())
    if as_json:
        print_json(state.as_dict())
        return
    profile = get_profile(ctx)
    tz = ZoneInfo(profile.timezone if profile else "UTC")

    def local(value):  # type: ignore[no-untyped-def]
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z") if value else "never"

    running = f"running ({', '.join(state.owners)})" if state.running else "not running"
    click.echo(f"daemon:   {running}")
    click.echo(f"last run: {local(state.last_run_at)}")
    click.echo("  ".join(f"{k}: {v}" for k, v in state.counts.items()))


@click.group()
def mail() -> None:
    """E-mail settings and checks."""


@mail.command("test")
@db_option
@click.option("--to", "to_addr", metavar="ADDRESS", help="Recipient (default: your own address).")
def mail_test(to_addr: str | None) -> None:
    """Send one message through the configured transport and report the result in one line."""
    from imgcoach.plan import get_profile
    from imgcoach.reminders import DeliveryError, InvalidAddressError, Mailbox, build_message, open_transport

    ctx = get_context()
    settings = _mail_settings(ctx)
    profile = get_profile(ctx)
    to_addr = to_addr or (profile.email if profile else None)
    if not to_addr:
        raise UserError("mail test: no recipient; pass --to ADDRESS or set your profile e-mail")
    now = ctx.clock.now()
    transport = open_transport(settings)
    try:
        msg = build_message(
            sender=Mailbox("imgcoach", settings.sender or to_addr), recipient=Mailbox("", to_addr),
            subject="imgcoach test message", text="If you can read this, imgcoach can send you reminders.\n",
            html=None, message_id=f"<test.{int(now.timestamp())}.{os.getpid()}@imgcoach.local>", date=now,
        )
        with transport:
            transport.send(msg)
    except (DeliveryError, InvalidAddressError) as exc:
        raise UserError(f"mail test via {transport.description} failed: {exc}") from None
    click.echo(f"sent a test message to {to_addr} via {transport.description}")


@reminders.command("retry")
@db_option
@click.argument("reminder_id", type=int)
def retry(reminder_id: int) -> None:
    """Put a failed reminder back in the outbox."""
    from imgcoach.reminders import retry_reminder

    retry_reminder(get_context(), reminder_id)
    click.echo(f"reminder {reminder_id} is pending again")


@reminders.command("approve")
@db_option
@click.argument("reminder_id", type=int)
def approve(reminder_id: int) -> None:
    """Approve sending the supervisor draft of a reminder (nothing reaches a supervisor otherwise)."""
    from imgcoach.reminders import approve_draft

    row = approve_draft(get_context(), reminder_id)
    click.echo(f"draft approved: reminder {row.id} will be sent to {row.recipient}")
