"""SIGTERM stops the daemon within its deadline (10 s) whatever the SMTP server does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from imgcoach.core.context import Context
from imgcoach.reminders.daemon.daemon import STOP_DEADLINE, ReminderDaemon
from imgcoach.storage.models import Reminder
from tests.daemon_helpers import add_due_reminders, add_supervised_rotation
from tests.smtp_server import SmtpServer

IMGCOACH = str(Path(sys.executable).with_name("imgcoach"))


@pytest.mark.slow
def test_sigterm_with_a_dripping_server_exits_within_the_deadline(ctx: Context, tmp_path: Path) -> None:
    rotation_id = add_supervised_rotation(ctx)
    add_due_reminders(ctx, rotation_id, 5, due=datetime.now(UTC) - timedelta(seconds=5))
    db = ctx.db.url
    log = tmp_path / "daemon.log"
    with SmtpServer() as server:
        # every message: one byte of "reply" every 0.5 s for 10 minutes, never a whole line
        server.handler.drip = 0.5
        for i in range(5):
            server.handler.data_delays[f"<bulk.{i}@imgcoach.test>"] = 600.0
        env = {**os.environ, "IMGCOACH_SMTP_HOST": server.host, "IMGCOACH_SMTP_PORT": str(server.port),
               "IMGCOACH_SMTP_SECURITY": "none", "IMGCOACH_DAEMON_POLL": "0.5"}
        with log.open("ab") as fh:
            proc = subprocess.Popen([IMGCOACH, "daemon", "--db", db], env=env, stdout=fh, stderr=fh)
        try:
            assert server.handler.wait_for(2, 60), log.read_text()  # two lanes, both dripping
            time.sleep(1.0)
            t0 = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=STOP_DEADLINE + 20)
            took = time.monotonic() - t0
        finally:
            if proc.poll() is None:
                proc.kill()
    assert code == 0, log.read_text()
    assert took <= STOP_DEADLINE + 1.5, f"took {took:.1f} s\n{log.read_text()}"  # +interpreter teardown
    with ctx.db.read() as session:
        rows = list(session.execute(select(Reminder).where(Reminder.key.like("bulk:%"))).scalars())
    assert not [r for r in rows if r.status == "sending"], "nothing left claimed"
    dripped = [r for r in rows if r.unknown_outcomes]
    assert dripped and all(r.status == "pending" for r in dripped), [(r.status, r.last_error) for r in rows]


class _Idle:
    """A worker with nothing to do: every wake re-arms the timer at once (the re-arm/shutdown race)."""

    def start(self, now: datetime) -> None: ...

    def stop(self, now: datetime) -> None: ...

    def run_due(self, now: datetime, should_stop) -> int:  # type: ignore[no-untyped-def]
        return 0

    def next_due(self, now: datetime) -> datetime | None:
        return now  # due "now": the job re-arms with a zero delay, as fast as it can


class _Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def test_stop_while_the_job_re_arms_itself_never_deadlocks() -> None:
    for _ in range(60):
        daemon = ReminderDaemon(_Idle(), _Clock(), poll_interval=0.05, tasks=[])  # type: ignore[arg-type]
        runner = threading.Thread(target=daemon.run_forever, kwargs={"install_signal_handlers": False})
        runner.start()
        time.sleep(0.01)
        t0 = time.monotonic()
        daemon.stop()
        runner.join(STOP_DEADLINE + 2)
        assert not runner.is_alive(), "shutdown deadlocked"
        assert time.monotonic() - t0 < STOP_DEADLINE
