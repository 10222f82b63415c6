"""`imgcoach daemon [--once] [--poll S]`, `daemon status`, `mail test`, `reminders retry|approve`."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from imgcoach.cli.common import FiniteFloat, db_option, get_context, group, json_option, print_json
from imgcoach.cli.reminder_cmds import reminders
from imgcoach.core.errors import UserError
from imgcoach.core.words import counted

if TYPE_CHECKING:
    from imgcoach.reminders import MailSettings

def _mail_settings(ctx):
    from imgcoach.core.locations import data_dir
    from imgcoach.reminders import load_mail_settings

    return load_mail_settings(ctx.settings.extra, data_dir=data_dir())


@group(invoke_without_command=True)
@db_option
@click.option("--once", is_flag=True, help="Send what is due, then exit (for cron).")
@click.option("-q", "--quiet", is_flag=True,
              help="With --once: print only what went wrong in this run (cron mails its owner any output).")
@click.option("--poll", type=FiniteFloat(min=0.05, max=5.0), default=None, metavar="SECONDS",
              help="How often to re-check the outbox (default 5, or IMGCOACH_DAEMON_POLL).")
@click.pass_context
def daemon(click_ctx: click.Context, once: bool, quiet: bool, poll: float | None) -> None:
    """Send reminder e-mails as they fall due (foreground; SIGTERM or Ctrl-C stops it cleanly)."""
    if click_ctx.invoked_subcommand is not None:
        return
    from imgcoach.composition import daemon_tasks, maintenance_leader
    from imgcoach.reminders import OutboxWorker, ReminderDaemon, daemon_poll_seconds, user_renderer

    if quiet and not once:
        raise UserError("--quiet goes with --once (a running daemon's log is its journal)")
    poll = poll or daemon_poll_seconds()  # it and _mail_settings are the checks `daemon status` reports
    # --once says what it did on stdout, in the applicant's words; its INFO lines said it again on stderr ("sent 1
    # reminder, failed 0 in 0.13 s"), stamped in the machine's zone. Only what went wrong is logged, unstamped
    # (cron dates its mail). A running daemon's log is its journal: every line, with its time.
    logging.basicConfig(level=logging.WARNING if quiet or once else logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s" if once
                        else "%(asctime)s %(levelname)s %(name)s: %(message)s")
    if once:  # a failure its summary says (left, failed, unconfirmed, the last problem) is not said twice
        for handler in logging.getLogger().handlers:
            handler.addFilter(lambda record: not getattr(record, "summarised", False))
    for noisy in ("alembic", "apscheduler"):  # a line per wake or per migration plugin is noise
        logging.getLogger(noisy).setLevel(logging.WARNING)
    ctx = get_context()
    # The daemon refreshes calendar feeds on its own schedule (a maintenance task), not after
    # every "sent" it records.
    ctx.db.after_commit.clear()
    settings = _mail_settings(ctx)
    renderer = user_renderer()
    worker = OutboxWorker(ctx, settings, renderer=renderer, poll_seconds=poll)
    for path, near in renderer.unused_overrides():  # a misnamed override would leave the built-in words unsaid
        logging.getLogger("imgcoach.daemon").warning(
            "%s is never used: no built-in template has that name%s", path, f"; did you mean {near}?" if near else "")
    # --once (cron) runs the start-up tasks too, so cron users also get the weekly digest and feed.
    leader, release = maintenance_leader(ctx)  # one daemon of several runs each maintenance task
    runner = ReminderDaemon(worker, ctx.clock, poll_interval=poll, tasks=daemon_tasks(ctx), leader=leader)
    target = worker.delivers_to
    try:
        if once:
            _run_once(ctx, runner, worker, quiet=quiet)
            return
        said = logging.getLogger("imgcoach.daemon")
        said.info("daemon %s started; mail goes to %s; polling every %s s", worker.owner, target, poll)
        runner.run_forever()
        # The journal said when a daemon started and never that it stopped: a SIGTERM read as a daemon still there.
        said.info("daemon %s stopped; sent %s since it started", worker.owner, counted(runner.sent, "e-mail"))
    finally:
        release()
        if runner.clean_exit:  # --once too, on every way out (a stuck thread's exit below skips it)
            # Closing the pool's connections checkpoints SQLite's WAL into the file and removes it: left open, the
            # last writes stayed in imgcoach.sqlite-wal after the daemon stopped, lost to a `cp` of the file alone.
            ctx.db.close()
    if not runner.clean_exit:
        # A thread is still stuck on a server that will not let go: exit now rather than wait for it
        # (the stop deadline is a promise to systemd and to the user pressing Ctrl-C).
        logging.shutdown()
        os._exit(0)


def _run_once(ctx, runner, worker, *, quiet: bool = False) -> None:
    """Cron mode: say what was delivered, how, and what is left; exit 1 when nothing due could be delivered.

    `quiet`: only what went wrong in this run (due and not delivered, failed, missed or left unconfirmed now): cron
    mails its owner whatever a job prints, so "sent 0" every five minutes would be an e-mail every five minutes."""
    from imgcoach.reminders import (
        awaiting_due_count,
        daemon_status,
        due_now_count,
        missed_words,
        sent_words,
        superseded_words,
    )

    now = ctx.clock.now()
    due_before = due_now_count(ctx, now)
    before = daemon_status(ctx, now).counts
    failed_before, unconfirmed_before = before["failed"], before["unconfirmed"]
    sent = runner.run_once()
    end = ctx.clock.now()
    state = daemon_status(ctx, end)
    left = due_now_count(ctx, end)
    how = ("sent {n} by e-mail via {where}" if worker.via == "email" else
           "wrote {n} to the local mailbox {where} (not e-mailed: no SMTP host is set)")
    where = worker.delivers_to.split(" via ", 1)[-1] if worker.via == "email" else str(worker.mail_settings.maildir)
    newly_failed = max(0, state.counts["failed"] - failed_before)
    trouble = bool(left or newly_failed or state.counts["unconfirmed"] > unconfirmed_before or (due_before and not sent)
                   or worker.total_missed)
    if quiet and not trouble:
        return
    # what went, not "N reminders" for digests and approved e-mails to supervisors too (reminders.sent_words)
    sent_kinds = worker.total_sent_kinds or {"reminder": sent}  # nothing sent: "0 reminders"
    click.echo(how.format(n=sent_words(sent_kinds), where=where))
    if worker.total_superseded:
        click.echo(superseded_words(worker.total_superseded))
    if worker.total_missed:  # never sent: without this line "left: nothing due" read as if all had gone out
        # named as what they were (a digest, an approved e-mail, a draft nobody approved), as the sent line does
        missed = worker.total_missed_kinds or {"reminder": worker.total_missed}
        click.echo(f"missed: {missed_words(missed)} (`imgcoach reminders list --status missed`)")
    parts = [f"{left} due and not delivered"] if left else []
    if newly_failed:
        parts.append(f"{newly_failed} failed now (`imgcoach reminders list --status failed`)")
    if state.counts["unconfirmed"]:
        parts.append(f"{state.counts['unconfirmed']} unconfirmed (`imgcoach reminders list --status unconfirmed`)")
    shown = parts or ["nothing due"]
    if waiting := awaiting_due_count(ctx, end):  # no daemon sends these: "nothing due" read as if they had gone
        shown.append(f"{counted(waiting, 'due message')} to someone else {'waits' if waiting == 1 else 'wait'} for your approval "
                     "(`imgcoach reminders list`)")
    click.echo("left: " + "; ".join(shown))
    if (left or newly_failed) and state.last_error:
        click.echo(f"last problem: {state.last_error}")
    if due_before and not sent:
        raise SystemExit(1)  # cron mails its owner: nothing due could be delivered


@daemon.command("status")
@db_option
@json_option
def status(as_json: bool) -> None:
    """Whether a daemon runs on this database, when it last ran, the outbox counts, and why one cannot start.

    Exits 0 whatever the state (no daemon running too): scripts read `--json`'s "running" (true or false) and
    "cannot_start" (why `imgcoach daemon` would refuse to start with this config file and environment, or null).
    """
    from imgcoach.core.locations import data_dir
    from imgcoach.plan import get_profile
    from imgcoach.reminders import daemon_start_problem, daemon_status

    ctx = get_context()
    state = daemon_status(ctx, ctx.clock.now()).with_start_problem(
        daemon_start_problem(ctx.settings.extra, data_dir=data_dir()))
    if as_json:
        print_json(state.as_dict())
        return
    profile = get_profile(ctx)
    for line in state.report_lines(ZoneInfo(profile.timezone if profile else "UTC")):  # as the quick read prints
        click.echo(line)


@group()
def mail() -> None:
    """E-mail settings and checks."""


def _recipient(ctx, to_addr: str | None) -> str:
    from imgcoach.plan import get_profile

    profile = get_profile(ctx)
    to_addr = to_addr or (profile.email if profile else None)
    if not to_addr:
        raise UserError("mail test: no recipient; pass --to ADDRESS or set your profile e-mail")
    return to_addr


@mail.command("test")
@db_option
@click.option("--to", "to_addr", metavar="ADDRESS", help="Recipient (default: your own address).")
def mail_test(to_addr: str | None) -> None:
    """Send one message through the configured transport and report the result in one line."""
    from imgcoach.reminders import send_test_message

    ctx = get_context()
    to_addr = _recipient(ctx, to_addr)
    settings = _mail_settings(ctx)
    _said_test(settings, to_addr, send_test_message(ctx, settings, to_addr))


@mail.command("setup")
@db_option
@click.option("--local", is_flag=True, help="Write reminders to a local mailbox (a Maildir folder): not e-mail.")
@click.option("--host", metavar="HOST", help="Send e-mail through this SMTP server (your provider's).")
@click.option("--port", type=click.IntRange(1, 65535), help="SMTP port (default: 587 starttls, 465 tls, 25 none).")
@click.option("--security", type=click.Choice(["starttls", "tls", "none"]), default="starttls", show_default=True,
              help="'none' only for a server on this machine.")
@click.option("--user", metavar="NAME", help="SMTP login; the password goes to the system keyring, never the file.")
@click.option("--from", "sender", metavar="ADDRESS", help="From address (default: your own).")
@click.option("--test/--no-test", default=True, show_default=True, help="Send a test message to yourself after.")
@click.option("--to", "to_addr", metavar="ADDRESS", help="Test recipient (default: your own address).")
def mail_setup(local: bool, host: str | None, port: int | None, security: str, user: str | None,
               sender: str | None, test: bool, to_addr: str | None) -> None:
    """Choose where reminders go (local mailbox or SMTP), save it in the config file, and test it."""
    import sys

    from imgcoach.core.locations import config_file, data_dir
    from imgcoach.core.settings import load_settings
    from imgcoach.reminders import MailChoice, configure_mail, send_test_message

    if local and host:
        raise UserError("mail setup: choose one of --local and --host")
    interactive = not local and not host
    if interactive:
        if not sys.stdin.isatty():
            raise UserError("mail setup: choose --local (a mailbox folder on this computer, not e-mail) or "
                            "--host HOST (your provider's SMTP server)")
        choice = click.prompt("Where should reminders go?\n  1  e-mail, through your provider's SMTP server\n"
                              "  2  a local mailbox folder (nothing is e-mailed; you open it with a mail program)\n",
                              type=click.Choice(["1", "2"]), default="1")
        if choice == "1":
            host = click.prompt("SMTP server (e.g. smtp.gmail.com)").strip()
            security = click.prompt("Security", type=click.Choice(["starttls", "tls"]), default="starttls")
            user = click.prompt("Login (e-mail address; empty for none)", default="", show_default=False) or None
        else:
            local = True
    path = config_file()
    setup = configure_mail(path, MailChoice(host=None if local else host, port=port, security=security,
                                            user=user, sender=sender),
                           config=dict(load_settings(path).extra), data_dir=data_dir())
    saved, settings = setup.saved, setup.effective
    if saved.smtp is None:
        click.echo(f"saved in {path}: reminders go to the local mailbox {saved.maildir}")
    else:
        smtp = saved.smtp
        click.echo(f"saved in {path}: reminders are e-mailed via {smtp.host}:{smtp.port} ({smtp.security})"
                   + (f" as {smtp.user}" if smtp.user else ""))
    # An IMGCOACH_SMTP_* variable wins over the file: say so, and test what the daemon will really use.
    override = setup.override_line()
    if override:
        click.echo(f"  {override}")
    if settings.smtp is None:
        click.echo("  this is not e-mail: open it with a mail program (e.g. `mutt -f "
                   f"{settings.maildir}`), or choose SMTP: `imgcoach mail setup --host HOST`")
    if saved.smtp is not None and saved.smtp.user:
        _store_password(saved.smtp.user, interactive)
    if test:
        ctx = get_context()
        to_addr = _recipient(ctx, to_addr)
        _said_test(settings, to_addr, send_test_message(ctx, settings, to_addr))


def _said_test(settings: MailSettings, to_addr: str, where: str) -> None:
    """Where the test message went: "sent ... to you@example.com via Maildir ..." read as e-mail that arrived
    in the applicant's inbox, of a file written to a folder on this machine."""
    if settings.smtp is None:
        click.echo(f"wrote a test message for {to_addr} to the local mailbox {settings.maildir} "
                   "(not e-mailed: no SMTP host is set; `imgcoach mail setup --host HOST` e-mails it)")
    else:
        click.echo(f"sent a test message to {to_addr} via {where}")


def _store_password(user: str, interactive: bool) -> None:
    """Ask for the password and keep it in the system keyring (never in the config file or a flag)."""
    import keyring
    from keyring.errors import KeyringError

    from imgcoach.cli.common import warn
    from imgcoach.reminders import KEYRING_SERVICE, password_source

    hint = f"set IMGCOACH_SMTP_PASSWORD, or store it: `keyring set {KEYRING_SERVICE} {user}`"
    if not interactive:
        source = password_source(user)
        if source == "IMGCOACH_SMTP_PASSWORD":
            click.echo("  password: from IMGCOACH_SMTP_PASSWORD in this environment; a daemon started elsewhere "
                       f"(systemd, cron) needs it in its own, or store it: `keyring set {KEYRING_SERVICE} {user}`")
        elif source:
            click.echo(f"  password: in {source} (service '{KEYRING_SERVICE}')")
        else:
            click.echo(f"  password: {hint}")
        return
    password = click.prompt(f"Password for {user} (kept in the system keyring; Enter to skip)", default="",
                            hide_input=True, show_default=False)
    if not password:
        click.echo(f"  password: {hint}")
        return
    try:
        keyring.set_password(KEYRING_SERVICE, user, password)
    except (KeyringError, RuntimeError) as exc:
        warn(f"the system keyring refused the password ({exc}); {hint}")


@reminders.command("retry")
@db_option
@click.argument("reminder_id", type=int, required=False)
@click.option("--all-failed", is_flag=True, help="Put every failed reminder (not yet expired) back in the outbox.")
@json_option
def retry(reminder_id: int | None, all_failed: bool, as_json: bool) -> None:
    """Put a failed or unconfirmed reminder back in the outbox."""
    from imgcoach.reminders import queued_words, retry_all_failed, retry_reminder

    if all_failed == (reminder_id is not None):
        raise UserError("reminders retry: give one reminder ID or --all-failed")
    ctx = get_context()
    if reminder_id is not None:
        row = retry_reminder(ctx, reminder_id)
        if as_json:
            print_json({"retried": [reminder_id], "expired": [], "cancelled": []})
            return
        click.echo(f"reminder {reminder_id} is pending again; {queued_words(ctx, row)}")
        return
    done = retry_all_failed(ctx)
    if as_json:
        print_json({"retried": done.requeued, "expired": done.expired,
                    "cancelled": [{"id": i, "reason": why} for i, why in done.cancelled.items()],
                    "superseded": done.superseded,
                    "after_last_call": [{"id": i, "reason": why} for i, why in done.after_last_call.items()]})
        return
    requeued = done.requeued
    click.echo(f"{counted(len(requeued), 'failed reminder')} pending again" + (f": {', '.join(map(str, requeued))}"
                                                                      if requeued else ""))
    # Cancelled rather than retried (their purpose is done): said, or they simply vanished from "failed".
    if done.cancelled:
        click.echo(f"{counted(len(done.cancelled), 'failed reminder')} cancelled instead, with nothing left to ask:")
        for reminder, why in done.cancelled.items():
            click.echo(f"  reminder {reminder}: {why}")
    if done.expired:
        click.echo(f"{len(done.expired)} expired and stay failed: {', '.join(map(str, done.expired))}")
    if done.superseded:
        click.echo(done.superseded_words())
    for reminder, why in done.after_last_call.items():
        click.echo(f"reminder {reminder} stays failed: {why}")


@reminders.command("approve")
@db_option
@click.argument("reminder_id", type=int)
@json_option
def approve(reminder_id: int, as_json: bool) -> None:
    """Approve sending the supervisor draft of a reminder (nothing reaches a supervisor otherwise)."""
    from imgcoach.cli.common import output_zone
    from imgcoach.cli.shapes import reminder_json
    from imgcoach.reminders import approve_draft, queued_words

    ctx = get_context()
    row = approve_draft(ctx, reminder_id)
    if as_json:  # the row as `reminders list --json` prints it
        # an approved draft (the row, or the supervisor draft queued for it) is never a letter-window opening
        print_json(reminder_json(row, output_zone(), ctx.clock.now(), ()))
        return
    click.echo(f"draft approved: reminder {row.id} will be sent to {row.recipient}; {queued_words(ctx, row)}")
