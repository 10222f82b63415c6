"""The daemon's timer loop (APScheduler as a rebuildable timer) against an in-memory work list.

The database-backed outbox has its own tests; here only the wake-up behaviour is checked: wake at the
next due time, see new work within the poll interval, survive failures, stop cleanly, follow the wall clock.

Timing is judged by the injected clock as the daemon read it at each wake (``WorkList.wakes``), and "nothing
happened yet" by counting wakes, never by sleeping a fixed real time: on a loaded machine a thread may run
late, which must not fail a test of what the daemon decided. Real time appears only as a generous hang guard.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from imgcoach.reminders.daemon.daemon import MaintenanceTask, ReminderDaemon


class RealClock:
    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


class WorkList:
    """Due times; run_due 'sends' each due one once, recording when it actually happened."""

    def __init__(self, clock: RealClock, *, per_item: float = 0.0, fail_first: int = 0) -> None:
        self.clock = clock
        self.due: list[datetime] = []
        self.done: list[tuple[datetime, datetime]] = []
        self.per_item = per_item
        self.fail_first = fail_first
        self.lock = threading.Lock()
        self.started = self.stopped = False
        self.wakes: list[datetime] = []  # the injected clock's reading at each run_due

    def start(self, now: datetime) -> None:
        self.started = True

    def stop(self, now: datetime) -> None:
        self.stopped = True

    def add(self, when: datetime) -> None:
        with self.lock:
            self.due.append(when)

    def run_due(self, now: datetime, should_stop: Callable[[], bool]) -> int:
        self.wakes.append(now)
        if self.fail_first:
            self.fail_first -= 1
            raise RuntimeError("database unavailable")
        sent = 0
        while not should_stop():
            with self.lock:
                ready = sorted(d for d in self.due if d <= now)
                if not ready:
                    return sent
                self.due.remove(ready[0])
            time.sleep(self.per_item)
            self.done.append((ready[0], now))
            sent += 1
        return sent

    def next_due(self, now: datetime) -> datetime | None:
        with self.lock:
            return min(self.due, default=None)


def _run(daemon: ReminderDaemon) -> threading.Thread:
    thread = threading.Thread(target=daemon.run_forever, kwargs={"install_signal_handlers": False}, daemon=True)
    thread.start()
    return thread


HANG_GUARD = 30.0  # seconds: only to end a test that would otherwise hang; no bound on the daemon's timing


def _wait(predicate: Callable[[], bool], timeout: float = HANG_GUARD) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def test_wakes_at_next_due_time_not_at_the_poll_interval() -> None:
    clock = RealClock()
    work = WorkList(clock)
    work.add(clock.now() + timedelta(seconds=0.5))
    daemon = ReminderDaemon(work, clock, poll_interval=30.0, tasks=[])
    thread = _run(daemon)
    try:
        assert _wait(lambda: len(work.done) == 1)
        due, woke = work.done[0]
        # Never early; and woken by the due time, not by the 30 s poll (a wide margin for a loaded machine).
        assert timedelta(0) <= woke - due < timedelta(seconds=10)
        assert len(work.wakes) <= 3, "a wake at start and one at the due time: no polling in between"
    finally:
        daemon.stop()
        thread.join(10)
    assert not thread.is_alive() and work.started and work.stopped


def test_work_added_from_outside_is_seen_within_the_poll_interval() -> None:
    clock = RealClock()
    work = WorkList(clock)
    daemon = ReminderDaemon(work, clock, poll_interval=0.3, tasks=[])
    thread = _run(daemon)
    try:
        assert _wait(lambda: len(work.wakes) >= 2), "the daemon is polling"
        added = clock.now()
        work.add(added)  # the daemon does not know; only its poll can find it
        assert _wait(lambda: len(work.done) == 1)
        first_wake_after = next(w for w in work.wakes if w >= added)
        assert work.done[0][1] == first_wake_after, "found by the first poll after it was added"
    finally:
        daemon.stop()
        thread.join(10)


def test_stop_lets_the_current_item_finish_and_leaves_the_rest() -> None:
    clock = RealClock()
    work = WorkList(clock, per_item=0.1)
    for _ in range(50):
        work.add(clock.now())
    daemon = ReminderDaemon(work, clock, poll_interval=0.2, tasks=[])
    thread = _run(daemon)
    assert _wait(lambda: len(work.done) >= 3)
    daemon.stop()
    thread.join(5)
    assert not thread.is_alive()
    assert len(work.done) + len(work.due) == 50 and len(work.due) > 0


def test_failures_and_broken_maintenance_tasks_do_not_stop_the_daemon() -> None:
    clock = RealClock()
    work = WorkList(clock, fail_first=2)
    runs: list[datetime] = []

    def broken(now: datetime) -> None:
        runs.append(now)
        raise ValueError("shortlist service down")

    task = MaintenanceTask("refresh", timedelta(seconds=0.2), broken, run_at_start=True)
    daemon = ReminderDaemon(work, clock, poll_interval=0.1, tasks=[task])
    work.add(clock.now())
    thread = _run(daemon)
    try:
        assert _wait(lambda: len(work.done) == 1 and len(runs) >= 3)
    finally:
        daemon.stop()
        thread.join(10)


def test_a_forward_clock_jump_sends_each_item_once() -> None:
    clock = RealClock()
    work = WorkList(clock)
    soon, later = clock.now() + timedelta(minutes=30), clock.now() + timedelta(hours=3)
    work.add(soon)
    work.add(later)
    daemon = ReminderDaemon(work, clock, poll_interval=0.1, tasks=[])
    thread = _run(daemon)
    try:
        assert _wait(lambda: len(work.wakes) >= 3), "a few polls"
        assert work.done == []
        clock.offset = timedelta(hours=1)  # resume from suspend: the wall clock leapt ahead
        assert _wait(lambda: len(work.done) == 1)
        seen = len(work.wakes)
        assert _wait(lambda: len(work.wakes) >= seen + 2), "two more polls after the jump"
        assert [d for d, _ in work.done] == [soon] and work.due == [later]
    finally:
        daemon.stop()
        thread.join(10)


def test_backward_clock_jump_does_not_repeat_or_stall() -> None:
    clock = RealClock()
    work = WorkList(clock)
    daemon = ReminderDaemon(work, clock, poll_interval=0.1, tasks=[])
    thread = _run(daemon)
    try:
        work.add(clock.now())
        assert _wait(lambda: len(work.done) == 1)
        clock.offset = -timedelta(hours=1)
        work.add(clock.now())
        assert _wait(lambda: len(work.done) == 2)
        seen = len(work.wakes)
        assert _wait(lambda: len(work.wakes) >= seen + 2), "two more polls"
        assert len(work.done) == 2 and work.due == [], "each item sent once"
    finally:
        daemon.stop()
        thread.join(10)


def test_run_once_sends_what_is_due_and_returns() -> None:
    clock = RealClock()
    work = WorkList(clock)
    for minutes in (-90, -1, 60):
        work.add(clock.now() + timedelta(minutes=minutes))
    assert ReminderDaemon(work, clock, tasks=[]).run_once() == 2
    assert len(work.due) == 1 and work.stopped
