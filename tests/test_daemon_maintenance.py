"""Maintenance tasks run in their own thread, and one daemon of several runs each (issue 18.8)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from imgcoach.reminders.daemon.daemon import MaintenanceTask, ReminderDaemon
from imgcoach.storage.db import Database
from imgcoach.storage.leases import Leases
from tests.test_daemon_loop import RealClock, WorkList, _run, _wait


def test_a_slow_maintenance_task_does_not_delay_a_reminder() -> None:
    """A digest pass over many applicants takes seconds; the reminder due meanwhile goes out on time."""
    clock = RealClock()
    work = WorkList(clock)
    release = threading.Event()
    started = threading.Event()

    def slow_pass(now: datetime) -> None:
        started.set()
        release.wait(20)

    daemon = ReminderDaemon(work, clock, poll_interval=0.2,
                            tasks=[MaintenanceTask("digest", timedelta(hours=1), slow_pass, run_at_start=True)])
    thread = _run(daemon)
    try:
        assert started.wait(5)
        due = clock.now() + timedelta(seconds=0.3)
        work.add(due)
        assert _wait(lambda: len(work.done) == 1, 5), "the reminder waited for the maintenance task"
        assert not release.is_set()
        assert (work.done[0][1] - due).total_seconds() < 1.5
    finally:
        release.set()
        daemon.stop()
        thread.join(10)
    assert not thread.is_alive() and work.stopped


def test_one_lock_holder_per_task_until_it_lets_go(db_url: str) -> None:
    Database(db_url).close()  # the schema (and, on SQLite, the file whose folder holds the lock files)
    first, second = Leases(db_url), Leases(db_url)
    try:
        assert first.holds("digest") is True
        assert first.holds("digest") is True  # kept, not taken twice
        assert second.holds("digest") is False
        assert second.holds("shortlist-nightly") is True  # each task is elected on its own
        assert first.holds("shortlist-nightly") is False
        first.close()  # the leader stops (or dies: the server / the kernel lets go the same way)
        assert second.holds("digest") is True
    finally:
        first.close()
        second.close()


def test_two_daemons_run_each_maintenance_task_once(db_url: str) -> None:
    Database(db_url).close()
    runs: list[str] = []
    daemons, threads, leases = [], [], []
    for name in ("a", "b"):
        lease = Leases(db_url)
        clock = RealClock()
        task = MaintenanceTask("digest", timedelta(hours=1), lambda now, n=name: runs.append(n), run_at_start=True)
        daemon = ReminderDaemon(WorkList(clock), clock, poll_interval=0.1, tasks=[task], leader=lease.holds)
        daemons.append(daemon)
        leases.append(lease)
        threads.append(_run(daemon))
    try:
        assert _wait(lambda: len(runs) >= 1, 5)
        assert not _wait(lambda: len(runs) > 1, 1.0)
        assert len(runs) == 1
    finally:
        for daemon, thread, lease in zip(daemons, threads, leases, strict=True):
            daemon.stop()
            thread.join(10)
            lease.close()
