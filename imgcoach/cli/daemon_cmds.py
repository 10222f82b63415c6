"""`imgcoach daemon [--once] [--poll S]`, `daemon status`, `mail test`, `reminders retry|approve`."""

from __future__ import annotations

import logging
import os
from zoneinfo import ZoneInfo

import click

from imgcoach.cli.common import FiniteFloat, db_option, get_context, json_option, print_json
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


def _mail_settings(ctx):
    from imgcoach.core.locations import data_dir
    from imgcoach.reminders import load_mail_settings

    return load_mail_settings(ctx.settings.extra, data_dir=data_dir())


@click.group(invoke_without_command=True)
@db_option
@click.option("--once", is_flag=True, help="Send what is due, then exit (for cron).")
@click.option("--poll", type=FiniteFloat(min=0.05, max=5.0), default=None, metavar="SECONDS",
              help="How often to re-check the outbox (default 5, or IMGCOACH_DAEMON_POLL).")
@click.pass_context
def daemon(click_ctx: click.Context, once: bool, poll: float | None) -> None:
    """Send reminder e-mails as they fall due (foreground; SIGTERM or Ctrl-C stops it cleanly)."""
    if click_ctx.invoked_subcommand is not None:
        return
    from imgcoach.composition import daemon_tasks, maintenance_leader
    from imgcoach.reminders import OutboxWorker, ReminderDaemon, user_renderer

    poll = poll or _poll_default()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("alembic", "apscheduler"):  # a line per wake or per migration plugin is noise
        logging.getLogger(noisy).setLevel(logging.WARNING)
    ctx = get_context()
    # The daemon refreshes calendar feeds on its own schedule (a maintenance task), not after
    # every "sent" it records.
    ctx.db.after_commit.clear()
    settings = _mail_settings(ctx)
    worker = OutboxWorker(ctx, settings, renderer=user_renderer(), poll_seconds=poll)
    # --once (cron) runs the start-up tasks too, so cron users also get the weekly digest and feed.
    leader, release = maintenance_leader(ctx)  # one daemon of several runs each maintenance task
    runner = ReminderDaemon(worker, ctx.clock, poll_interval=poll, tasks=daemon_tasks(ctx), leader=leader)
    target = worker.delivers_to
    try:
        if once:
            _run_once(ctx, runner, worker)
            return
        logging.getLogger("imgcoach.daemon").info("daemon %s started; mail goes to %s; polling every %s s",
                                                 worker.owner, target, poll)
        runner.run_forever()
    finally:
        release()
    if not runner.clean_exit:
        # A thread is still stuck on a server that will not let go: exit now rather than wait for it
        # (the stop deadline is a promise to systemd and to the user pressing Ctrl-C).
        logging.shutdown()
        os._exit(0)


def _run_once(ctx, runner, worker) -> None:
    """Cron mode: say what was delivered, how, and what is left; exit 1 when nothing due could be delivered."""
    from imgcoach.reminders import daemon_status, due_now_count

    now = ctx.clock.now()
    due_before = due_now_count(ctx, now)
    failed_before = daemon_status(ctx, now).counts["failed"]
    sent = runner.run_once()
    end = ctx.clock.now()
    state = daemon_status(ctx, end)
    left = due_now_count(ctx, end)
    how = ("sent {n} reminder(s) by e-mail via {where}" if worker.via == "email" else
           "wrote {n} reminder(s) to the local mailbox {where} (not e-mailed: no SMTP host is set)")
    where = worker.delivers_to.split(" via ", 1)[-1] if worker.via == "email" else str(worker.mail_settings.maildir)
    click.echo(how.format(n=sent, where=where))
    newly_failed = max(0, state.counts["failed"] - failed_before)
    parts = [f"{left} due and not delivered"] if left else []
    if newly_failed:
        parts.append(f"{newly_failed} failed now (`imgcoach reminders list --status failed`)")
    if state.counts["unconfirmed"]:
        parts.append(f"{state.counts['unconfirmed']} unconfirmed (`imgcoach reminders list --status unconfirmed`)")
    click.echo("left: " + ("; ".join(parts) if parts else "nothing due"))
    if (left or newly_failed) and state.last_error:
        click.echo(f"last problem: {state.last_error}")
    if due_before and not sent:
        raise SystemExit(1)  # cron mails its owner: nothing due could be delivered


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

    def local(value):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z") if value else "never"

    running = f"running ({', '.join(state.owners)})" if state.running else "not running"
    click.echo(f"daemon:   {running}")
    click.echo(f"heartbeat: {local(state.last_heartbeat_at)}")
    click.echo(f"last run: {local(state.last_run_at)}")
    if state.delivers_to:
        click.echo(f"delivers: {state.delivers_to}")
    if state.paused_until:
        click.echo(f"PAUSED until {local(state.paused_until)}: reminders stay pending until this is fixed")
    if state.last_error:
        click.echo(f"last problem ({local(state.last_error_at)}): {state.last_error}")
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
@click.argument("reminder_id", type=int, required=False)
@click.option("--all-failed", is_flag=True, help="Put every failed reminder (not yet expired) back in the outbox.")
def retry(reminder_id: int | None, all_failed: bool) -> None:
    """Put a failed or unconfirmed reminder back in the outbox."""
    from imgcoach.reminders import retry_all_failed, retry_reminder

    if all_failed == (reminder_id is not None):
        raise UserError("reminders retry: give one reminder ID or --all-failed")
    ctx = get_context()
    if reminder_id is not None:
        retry_reminder(ctx, reminder_id)
        click.echo(f"reminder {reminder_id} is pending again")
        return
    requeued, expired = retry_all_failed(ctx)
    click.echo(f"{len(requeued)} failed reminder(s) pending again" + (f": {', '.join(map(str, requeued))}"
                                                                      if requeued else ""))
    if expired:
        click.echo(f"{len(expired)} expired and stay failed: {', '.join(map(str, expired))}")


@reminders.command("approve")
@db_option
@click.argument("reminder_id", type=int)
def approve(reminder_id: int) -> None:
    """Approve sending the supervisor draft of a reminder (nothing reaches a supervisor otherwise)."""
    from imgcoach.reminders import approve_draft

    row = approve_draft(get_context(), reminder_id)
    click.echo(f"draft approved: reminder {row.id} will be sent to {row.recipient}")
