"""An idle daemon's poll (issue 17: CPU ~0): one statement when nothing changed and nothing falls due, and still
every reminder at its time, whether the clock alone brings it or a write by another process does.

Real databases on both engines (the demo's: a due progress update waits for approval, the case a cheap check must
not mistake for work), the daemon's own wake(), a FixedClock; statements are counted, never timed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text, update

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.reminders import approve_draft
from imgcoach.reminders.daemon.daemon import ReminderDaemon
from imgcoach.reminders.daemon.worker import OutboxWorker
from imgcoach.reminders.mail.settings import MailSettings
from imgcoach.storage.db import Database
from imgcoach.storage.models import Reminder
from tests.daemon_helpers import add_due_reminders, add_supervised_rotation


@contextmanager
def _daemon(ctx: Context) -> Iterator[tuple[ReminderDaemon, OutboxWorker]]:
    """The daemon as `imgcoach daemon` runs it (started: registered, its heartbeat thread alive), writing to a local
    mailbox; its wakes driven by the test. The heartbeat thread beats once an hour here, so what a poll runs is
    the poll's own."""
    worker = OutboxWorker(ctx, MailSettings(maildir=Path(tempfile.mkdtemp()) / "Maildir"), heartbeat_seconds=3600)
    daemon = ReminderDaemon(worker, ctx.clock, tasks=[])
    worker.start(ctx.clock.now())
    try:
        yield daemon, worker
    finally:
        worker.stop(ctx.clock.now())


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    """Every SQL statement the database runs meanwhile, on either engine: SQLite's own trace (it also sees what is
    run on a pooled connection's sqlite3 object directly), SQLAlchemy's cursor events on PostgreSQL."""
    seen: list[str] = []
    if db.is_sqlite:
        db.engine.dispose()  # every connection from here on is a new one, traced

        def trace(dbapi_connection: Any, record: Any) -> None:
            # "-- ..." lines are parts of a statement already counted (a trigger's body, a pragma function's query)
            dbapi_connection.set_trace_callback(lambda sql: None if sql.startswith("--") else seen.append(sql))

        event.listen(db.engine, "connect", trace)
        try:
            yield seen
        finally:
            event.remove(db.engine, "connect", trace)
            db.engine.dispose()
        return

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _settle(daemon: ReminderDaemon) -> None:
    """The first wakes send what is overdue and then look once more (their own writes changed the outbox)."""
    for _ in range(3):
        daemon.wake()


def _status(ctx: Context, rid: int) -> tuple[str, Any]:
    with ctx.db.read() as session:
        row = session.get(Reminder, rid)
        assert row is not None
        return row.status, row.sent_at


def test_an_idle_poll_runs_one_statement(demo_ctx: Context) -> None:
    """Before: 18 statements a poll (claims recovered, expiries, superseded openings, digests, a claim, the next due
    time) and an ORM heartbeat, 11-20 ms of CPU every 5 s with nothing to send. Now the one read that tells whether
    the outbox changed; the heartbeat is its thread's."""
    with _daemon(demo_ctx) as (daemon, worker):
        _settle(daemon)
        with _statements(demo_ctx.db) as seen:
            for _ in range(5):
                demo_ctx.clock.advance(timedelta(seconds=5))  # type: ignore[attr-defined]
                daemon.wake()
    assert len(seen) == 5, seen
    assert all(s.lstrip().upper().startswith("SELECT") for s in seen), seen
    assert worker.quiet_polls >= 5


def test_a_reminder_falling_due_by_the_clock_alone_is_sent_at_its_time(ctx: Context) -> None:
    """Guard (true before too): no write between the polls, only time passing."""
    rotation = add_supervised_rotation(ctx)
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    due = clock.now() + timedelta(hours=1)
    [rid] = add_due_reminders(ctx, rotation, 1, due=due)
    with _daemon(ctx) as (daemon, _):
        _settle(daemon)
        clock.set(due - timedelta(seconds=1))
        assert daemon.wake() == due
        assert _status(ctx, rid)[0] == "pending"
        clock.set(due)
        daemon.wake()
    assert _status(ctx, rid) == ("sent", due)


def test_a_draft_expiring_by_the_clock_alone_is_marked_missed(ctx: Context) -> None:
    """Guard: a message nobody approved sends nothing and falls due for nothing, yet its expiry is a poll's work."""
    rotation = add_supervised_rotation(ctx)
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    expires = clock.now() + timedelta(hours=2)
    [rid] = add_due_reminders(ctx, rotation, 1, due=clock.now() - timedelta(hours=1), expires=expires)
    with ctx.db.transaction() as session:
        session.execute(update(Reminder).where(Reminder.id == rid).values(requires_approval=True))
    with _daemon(ctx) as (daemon, _):
        _settle(daemon)
        clock.set(expires - timedelta(seconds=1))
        daemon.wake()
        assert _status(ctx, rid)[0] == "pending"
        clock.set(expires)
        daemon.wake()
    assert _status(ctx, rid)[0] == "missed"


def test_a_lease_running_out_by_the_clock_alone_puts_the_row_back(ctx: Context) -> None:
    """Guard: a row claimed by a daemon on another host (killed, say) goes back to pending when its lease runs out,
    and is sent by the same poll."""
    rotation = add_supervised_rotation(ctx)
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    [rid] = add_due_reminders(ctx, rotation, 1, due=clock.now() - timedelta(minutes=1))
    lease = clock.now() + timedelta(minutes=10)
    with ctx.db.transaction() as session:
        session.execute(update(Reminder).where(Reminder.id == rid).values(
            status="sending", claimed_by="elsewhere|1|cafe", lease_until=lease, attempts=1))
    with _daemon(ctx) as (daemon, _):
        _settle(daemon)
        assert _status(ctx, rid)[0] == "sending"
        clock.set(lease + timedelta(seconds=1))
        daemon.wake()
    assert _status(ctx, rid)[0] == "sent"


def test_a_write_by_another_process_is_seen_by_the_next_poll(demo_ctx: Context) -> None:
    """Guard, on both engines' change markers: `reminders approve` in another process (its own database connection)
    between two quiet polls; and an edit in place that moves a reminder's time forward to now."""
    with _daemon(demo_ctx) as (daemon, _):
        _settle(daemon)
        with demo_ctx.db.read() as session:
            draft = session.execute(select(Reminder.id).where(
                Reminder.status == "pending", Reminder.requires_approval.is_(True),
                Reminder.approved_at.is_(None), Reminder.due_at <= demo_ctx.clock.now())).scalar_one()
            later = session.execute(select(Reminder.id).where(
                Reminder.status == "pending", Reminder.requires_approval.is_(False),
                Reminder.due_at > demo_ctx.clock.now() + timedelta(days=2)).order_by(Reminder.due_at)).scalars().first()
        assert later is not None
        daemon.wake()
        other = Database(demo_ctx.db.url)
        try:
            approve_draft(Context(db=other, clock=demo_ctx.clock, settings=Settings()), draft)
            daemon.wake()
            assert _status(demo_ctx, draft)[0] == "sent"
            _settle(daemon)
            with other.transaction() as session:
                session.execute(update(Reminder).where(Reminder.id == later).values(due_at=demo_ctx.clock.now()))
        finally:
            other.close()
        daemon.wake()
    assert _status(demo_ctx, later)[0] == "sent"


@pytest.mark.sqlite_only
def test_without_the_counting_triggers_every_poll_looks_in_full(ctx: Context) -> None:
    """A file whose reminder writes are not counted (a trigger dropped by hand) cannot say that nothing changed:
    every poll runs in full, and a write the counter missed is still sent at the next poll."""
    rotation = add_supervised_rotation(ctx)
    [rid] = add_due_reminders(ctx, rotation, 1, due=ctx.clock.now() + timedelta(days=3))
    with ctx.db.transaction() as session:
        session.execute(text("DROP TRIGGER read_version_reminder_update"))
    with _daemon(ctx) as (daemon, _):
        _settle(daemon)
        with ctx.db.transaction() as session:
            session.execute(update(Reminder).where(Reminder.id == rid).values(due_at=ctx.clock.now()))
        daemon.wake()
    assert _status(ctx, rid)[0] == "sent"
