"""After an approval or a retry, the app said "the daemon sends it" with no daemon running, right under the
Outbox's own "daemon: NOT running"; nothing sends it until one runs. And with no SMTP host set, an approved message
to a supervisor "will be sent to" them (the CLI) though the daemon writes it to the local Maildir. The app and the
CLI now say what happens by one rule (reminders.queued_words): no SMTP host, no daemon running, or a running daemon
that sends it at its next pass or at its time. Real SQLite/PostgreSQL on the demo data, the Outbox under Pilot, a daemon's own state row for "running"
(this process, alive on this host).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.reminders import outbox
from imgcoach.storage.models import Reminder
from tests.cli_helpers import run_cli
from tests.tui_helpers import app_for, press, settle

NO_DAEMON = "no daemon is running: it goes out once `imgcoach daemon` (or `imgcoach daemon --once`) runs"
NO_SMTP = ("no SMTP host is set: a daemon would write it to your local mailbox, never send it to j.whitaker@example.com;"
           " set one with `imgcoach mail setup`")


def _progress_update(ctx: Context) -> Reminder:
    with ctx.db.read() as session:
        return session.exec(select(Reminder).where(Reminder.kind == "progress_update")).one()


async def _approve_in_the_outbox(ctx: Context) -> list[str]:
    draft = _progress_update(ctx)
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "o")
        screen = app.screen
        table = screen.query_one("#outbox-table")
        table.move_cursor(row=table.get_row_index(str(draft.id)))  # type: ignore[attr-defined]
        await settle(pilot)
        assert screen.selected_id() == draft.id  # type: ignore[attr-defined]
        await press(pilot, "A", "y")
        await settle(pilot)
        return [n.message for n in app._notifications]


async def test_approving_with_no_daemon_running_says_nothing_sends_it_yet(demo_ctx: Context,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMGCOACH_SMTP_HOST", "smtp.example.org")
    said = await _approve_in_the_outbox(demo_ctx)
    assert f"Approved: it goes to j.whitaker@example.com; {NO_DAEMON}" in said, said
    assert not any("the daemon sends it" in s for s in said), said


async def test_approving_with_a_daemon_running_says_it_sends_it(demo_ctx: Context) -> None:
    owner = outbox.new_owner()  # this process: alive, on this host, heartbeat now
    outbox.register_daemon(demo_ctx, owner, demo_ctx.clock.now(), 5.0, "e-mail via smtp.example.org:587")
    said = await _approve_in_the_outbox(demo_ctx)
    assert "Approved: it goes to j.whitaker@example.com; the running daemon sends it at its next pass" in said, said


@pytest.mark.parametrize("daemon", [False, True], ids=["no-daemon", "daemon-to-maildir"])
async def test_approving_with_no_smtp_host_says_it_never_reaches_the_supervisor(demo_ctx: Context,
                                                                              daemon: bool) -> None:
    """With no SMTP host the daemon writes every message to the local Maildir: an approved message to a supervisor
    never reaches them, and the row then reads "in local mailbox (not e-mailed)"."""
    if daemon:
        outbox.register_daemon(demo_ctx, outbox.new_owner(), demo_ctx.clock.now(), 5.0,
                               "local mailbox /tmp/Maildir (no SMTP host set)")
    said = await _approve_in_the_outbox(demo_ctx)
    assert f"Approved: it goes to j.whitaker@example.com; {NO_SMTP}" in said, said


def test_the_cli_says_the_same(demo_ctx: Context, cli_clock: FixedClock, capsys) -> None:  # type: ignore[no-untyped-def]
    draft = _progress_update(demo_ctx)
    with demo_ctx.db.transaction() as session:  # due in an hour, not expired
        row = session.get(Reminder, draft.id)
        assert row is not None
        now = cli_clock.now()
        row.due_at, row.expires_at = now + timedelta(hours=1), now + timedelta(days=20)
        session.add(row)
    out = run_cli(capsys, "reminders", "approve", str(draft.id), "--db", demo_ctx.db.url)
    assert out.code == 0, out.err
    assert out.out.strip() == f"draft approved: reminder {draft.id} will be sent to j.whitaker@example.com; {NO_SMTP}"
