"""A lasting database error (writes refused, as on a full disk) while the daemon runs: no busy loop, one log
line per distinct error with a count, a message already sent is recorded later (never resent), nothing is
left claimed. The failure is real SQLite refusing writes (an authorizer on every pooled connection)."""

from __future__ import annotations

import logging
import sqlite3
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.reminders.daemon.daemon import ReminderDaemon
from imgcoach.reminders.daemon.worker import OutboxWorker
from imgcoach.reminders.mail.settings import MailSettings, SmtpSettings
from imgcoach.storage.models import Reminder
from tests.daemon_helpers import add_due_reminders, add_supervised_rotation, inserted_only
from tests.smtp_server import SmtpServer

WRITES = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}


class WriteFailure:
    """While ``on``, every write on the database's connections fails inside SQLite."""

    def __init__(self, ctx: Context) -> None:
        self.on = False

        def authorizer(action: int, *args: object) -> int:
            return sqlite3.SQLITE_DENY if self.on and action in WRITES else sqlite3.SQLITE_OK

        @event.listens_for(ctx.db.engine, "connect")
        def _install(dbapi_conn: sqlite3.Connection, record: object) -> None:
            dbapi_conn.set_authorizer(authorizer)

        ctx.db.engine.dispose()  # every connection from now on has the authorizer


def _statuses(ctx: Context) -> dict[str, str]:
    with ctx.db.read() as session:
        return {r.message_id: r.status for r in session.execute(inserted_only(select(Reminder))).scalars()}


@pytest.fixture
def rotation_id(ctx: Context) -> int:
    return add_supervised_rotation(ctx)


@pytest.mark.sqlite_only  # fails writes with SQLite's authorizer hook
def test_failing_database_backs_off_logs_once_per_error_and_records_later(
        ctx: Context, clock: FixedClock, rotation_id: int, caplog: pytest.LogCaptureFixture) -> None:
    add_due_reminders(ctx, rotation_id, 6, due=clock.now())
    failure = WriteFailure(ctx)
    with SmtpServer() as server:
        original = server.handler.handle_DATA

        async def fail_after_first(*args: object) -> str:  # the disk fills up while the first message is sent
            reply = await original(*args)  # type: ignore[arg-type]
            if len(server.received) == 1:
                failure.on = True
            return reply

        server.handler.handle_DATA = fail_after_first  # type: ignore[method-assign]
        smtp = SmtpSettings(host=server.host, port=server.port, security="none", timeout=5)
        worker = OutboxWorker(ctx, MailSettings(maildir=Path(tempfile.mkdtemp()) / "M", smtp=smtp,  # type: ignore[union-attr]
                                                sender="r@example.org"), lanes=1)
        daemon = ReminderDaemon(worker, ctx.clock, poll_interval=1.0, tasks=[])
        worker.start(clock.now())
        try:
            caplog.set_level(logging.INFO)
            daemon.wake()  # first message goes out, then every write fails
            assert len(server.received) == 1
            delays = []
            for _ in range(40):
                daemon.wake()
                delays.append(daemon.seconds_until_next_wake(clock.now()))
            assert delays[0] >= 1.0 and delays[-1] == 300.0 and delays == sorted(delays), "backs off, no spin"
            errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
            assert len(errors) <= 12, [r.getMessage() for r in errors]  # one per distinct error, then 2, 4, 8...
            assert all("\n" not in r.getMessage() for r in errors)
            assert any("time" in r.getMessage() and "not authorized" in r.getMessage() for r in errors)
            failure.on = False  # space is back
            daemon.wake()
            assert daemon.errors.streak == 0
        finally:
            worker.stop(clock.now())
    statuses = _statuses(ctx)
    assert set(statuses.values()) == {"sent"}, statuses
    ids = server.handler.message_ids()
    assert len(ids) == 6 == len(set(ids)), "the message sent during the failure was recorded, not resent"


def test_corruption_hint_runs_quick_check(ctx: Context, caplog: pytest.LogCaptureFixture) -> None:
    from sqlalchemy.exc import DatabaseError

    from imgcoach.reminders.daemon.backoff import suggests_corruption

    exc = DatabaseError("UPDATE", {}, sqlite3.DatabaseError("database disk image is malformed"))
    assert suggests_corruption(exc)
    assert not suggests_corruption(DatabaseError("x", {}, sqlite3.OperationalError("database or disk is full")))
    worker = OutboxWorker(ctx, MailSettings(maildir=Path(tempfile.mkdtemp()) / "M"))  # type: ignore[union-attr]
    assert worker.check_integrity() == []  # a sound file: nothing logged
    assert clock_free(caplog)


def clock_free(caplog: pytest.LogCaptureFixture) -> bool:
    return not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_seconds_until_next_wake_with_no_errors_is_the_poll(ctx: Context, clock: FixedClock) -> None:
    worker = OutboxWorker(ctx, MailSettings(maildir=Path(tempfile.mkdtemp()) / "M"))  # type: ignore[union-attr]
    daemon = ReminderDaemon(worker, ctx.clock, poll_interval=2.0, tasks=[])
    assert daemon.seconds_until_next_wake(clock.now() + timedelta(hours=1)) == 2.0
