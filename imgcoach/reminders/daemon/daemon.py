"""Daemon loop: APScheduler wakes us, the outbox (behind ``Worker``) decides what is due.

APScheduler only drives wake-ups: one in-memory job, rescheduled after every wake at
``min(next due, now + poll)``, with ``misfire_grace_time=None`` and ``coalesce=True`` so a late wake
still runs. Each wake reads the wall clock again, so a suspend/resume or a clock change neither skips
nor repeats a reminder (the outbox rows record what is sent). A watchdog in the main thread re-arms the
timer if the wall clock moved backwards, and handles SIGTERM/SIGINT: the message being sent may finish,
but the daemon is gone within ``STOP_DEADLINE`` seconds whatever the server does (connections still
waiting are broken; a message whose reply never came is recorded as unknown and retried once).

A wake that fails (the database is full, locked for long, or damaged) is logged once per distinct error
with a count, and the next wake backs off (doubling up to 5 minutes) instead of spinning.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from imgcoach.reminders.daemon.backoff import RepeatedErrors, suggests_corruption

log = logging.getLogger(__name__)

DEFAULT_POLL_SECONDS = 5.0  # app changes must be seen within 10 s
LEADER_RETRY = timedelta(seconds=30)  # a daemon that is not a task's leader asks again this often
JOB_ID = "imgcoach-wake"
STOP_DEADLINE = 10.0  # seconds from SIGTERM to exit, whatever the SMTP server does
STOP_GRACE = 5.0  # of which the message in flight may use this much to finish normally
ERROR_BACKOFF_CAP = 300.0


class Clock(Protocol):
    def now(self) -> datetime: ...


class Worker(Protocol):
    """The outbox side of the daemon (implemented over the database by the outbox service)."""

    def start(self, now: datetime) -> None: ...

    def run_due(self, now: datetime, should_stop: Callable[[], bool]) -> int: ...

    def next_due(self, now: datetime) -> datetime | None: ...

    def stop(self, now: datetime) -> None: ...


@dataclass
class MaintenanceTask:
    """Periodic work other modules hang on the daemon (nightly shortlist refresh, calendar feed...)."""

    name: str
    interval: timedelta
    run: Callable[[datetime], object]
    run_at_start: bool = False
    next_run: datetime | None = field(default=None, compare=False)


MAINTENANCE_TASKS: list[MaintenanceTask] = []


def register_maintenance_task(task: MaintenanceTask) -> MaintenanceTask:
    """Add a task to every daemon started afterwards in this process; the same name replaces the old one."""
    MAINTENANCE_TASKS[:] = [t for t in MAINTENANCE_TASKS if t.name != task.name]
    MAINTENANCE_TASKS.append(task)
    return task


class ReminderDaemon:
    def __init__(
        self,
        worker: Worker,
        clock: Clock,
        *,
        poll_interval: float = DEFAULT_POLL_SECONDS,
        tasks: list[MaintenanceTask] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        leader: Callable[[str], bool] | None = None,
    ) -> None:
        """`leader(task name)` says whether this daemon runs that task now (one daemon of several wins a
        lock per task, see imgcoach.storage.leases); without it this daemon runs every task."""
        if poll_interval <= 0:
            raise ValueError("poll interval must be positive")
        self.worker = worker
        self.clock = clock
        self.poll_interval = poll_interval
        self.tasks = [MaintenanceTask(t.name, t.interval, t.run, t.run_at_start) for t in
                      (MAINTENANCE_TASKS if tasks is None else tasks)]
        self._monotonic = monotonic
        self._stop = threading.Event()
        self._wake_lock = threading.Lock()
        self._last_wall: datetime | None = None
        self._last_mono: float | None = None
        self._last_activity = monotonic()
        self.wakes = 0
        self.sent = 0
        self._scheduler: Any = None  # an APScheduler BackgroundScheduler (untyped library) while running
        self.errors = RepeatedErrors(log, "sending due reminders")
        self._task_error_logs: dict[str, RepeatedErrors] = {}
        self._armed_delay = 0.0
        self._arms = 0
        self.stop_deadline = STOP_DEADLINE
        self._stopped_at: float | None = None
        self._leader = leader or (lambda name: True)
        self._maintenance: threading.Thread | None = None  # run_forever runs the tasks in their own thread

    # --- one wake -------------------------------------------------------------------------------
    def should_stop(self) -> bool:
        return self._stop.is_set()

    def _check_clock(self, now: datetime) -> None:
        mono = self._monotonic()
        if self._last_wall is not None and self._last_mono is not None:
            drift = (now - self._last_wall).total_seconds() - (mono - self._last_mono)
            if abs(drift) > 2.0:
                log.info("wall clock moved %+.0f s against the monotonic clock (suspend or clock change); "
                         "re-checking the outbox", drift)
        self._last_wall, self._last_mono = now, mono

    def _run_tasks(self, now: datetime) -> None:
        for task in self.tasks:
            if task.next_run is None:
                task.next_run = now if task.run_at_start else now + task.interval
            if now < task.next_run or self.should_stop():
                continue
            if not self._leads(task.name):
                task.next_run = now + min(task.interval, LEADER_RETRY)  # another daemon runs it; ask again
                continue
            task.next_run = now + task.interval
            try:
                task.run(now)
                self._task_errors(task.name).success()
            except Exception as exc:  # one line per distinct error, with a count; the daemon carries on
                self._task_errors(task.name).report(exc)

    def _task_errors(self, name: str) -> RepeatedErrors:
        if name not in self._task_error_logs:
            self._task_error_logs[name] = RepeatedErrors(log, f"maintenance task {name}")
        return self._task_error_logs[name]

    def _leads(self, name: str) -> bool:
        try:
            return self._leader(name)
        except Exception:
            log.exception("cannot tell whether this daemon runs %s; skipping it this time", name)
            return False

    def _maintenance_loop(self) -> None:
        """The maintenance tasks in their own thread: a digest pass over a thousand applicants never delays
        a reminder that falls due meanwhile."""
        while not self.should_stop():
            self._run_tasks(self.clock.now())
            now = self.clock.now()
            waits = [(t.next_run - now).total_seconds() for t in self.tasks if t.next_run is not None]
            self._stop.wait(max(min([self.poll_interval, *waits]), 0.05))

    def wake(self) -> datetime | None:
        """Send what is due now, run due maintenance tasks; return the next due time known to the outbox."""
        with self._wake_lock:
            now = self.clock.now()
            self._check_clock(now)
            self.wakes += 1
            try:
                self.sent += self.worker.run_due(now, self.should_stop)
                self.errors.success()
            except Exception as exc:
                if self.errors.report(exc) and suggests_corruption(exc):
                    check = getattr(self.worker, "check_integrity", None)
                    if check is not None:
                        check()
                return None  # the error backoff decides the next wake; a past due time would spin
            if self._maintenance is None:  # run_once (cron) and tests drive wake() alone
                self._run_tasks(self.clock.now())
            try:
                return self.worker.next_due(self.clock.now())
            except Exception as exc:
                self.errors.report(exc)
                return None

    def seconds_until_next_wake(self, next_due: datetime | None) -> float:
        """Never sleep longer than the poll interval: the app may add reminders, the machine may sleep."""
        if self.errors.streak:
            return self.errors.delay(self.poll_interval, ERROR_BACKOFF_CAP)
        delay = self.poll_interval
        now = self.clock.now()
        if next_due is not None:
            delay = min(delay, (next_due - now).total_seconds())
        if self._maintenance is None:
            for task in self.tasks:
                if task.next_run is not None:
                    delay = min(delay, (task.next_run - now).total_seconds())
        return max(delay, 0.0)

    # --- APScheduler as the timer ---------------------------------------------------------------
    def _job(self) -> None:
        next_due: datetime | None = None
        try:
            next_due = self.wake()
        finally:
            self._last_activity = self._monotonic()
            if not self.should_stop():
                self._arm(self.seconds_until_next_wake(next_due))

    def _arm(self, delay: float) -> None:
        from apscheduler.triggers.date import DateTrigger

        scheduler = self._scheduler
        if scheduler is None or self.should_stop():
            return
        run_at = datetime.now(UTC) + timedelta(seconds=delay)
        self._armed_delay = delay
        self._arms += 1
        try:
            # A new id each time: with one id, a job that re-arms itself before APScheduler has removed the
            # finished one-off run gets removed in its place (or APScheduler's thread dies of JobLookupError).
            scheduler.add_job(
                self._job, DateTrigger(run_date=run_at, timezone=UTC), id=f"{JOB_ID}-{self._arms}",
                misfire_grace_time=None, coalesce=True, max_instances=1,
            )
        except Exception:  # the scheduler is shutting down under us (SIGTERM between the check and here)
            if not self.should_stop():
                raise

    def _build_scheduler(self):  # noqa: ANN202 - APScheduler has no type hints
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.jobstores.memory import MemoryJobStore
        from apscheduler.schedulers.background import BackgroundScheduler

        return BackgroundScheduler(
            jobstores={"default": MemoryJobStore()},
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
            timezone=UTC,
        )

    def stop(self, *_: object) -> None:
        """Ask the daemon to stop; the message being sent finishes first. Safe from a signal handler."""
        self._stop.set()

    def run_forever(self, *, install_signal_handlers: bool = True) -> None:
        """Run in the foreground until stop() (SIGTERM, Ctrl-C)."""
        if install_signal_handlers:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        self.worker.start(self.clock.now())
        if self.tasks:
            self._maintenance = threading.Thread(target=self._maintenance_loop, name="imgcoach-maintenance",
                                                 daemon=True)
            self._maintenance.start()
        self._scheduler = self._build_scheduler()
        self._scheduler.start()
        self._arm(0)
        try:
            self._last_activity = self._monotonic()
            while not self._stop.wait(self.poll_interval):
                # Watchdog: if the wall clock went backwards the DateTrigger lies far in the future; re-arm.
                idle = self._monotonic() - self._last_activity - self._armed_delay
                pending = self._scheduler.get_jobs() if self._scheduler is not None else []
                if idle > 3 * self.poll_interval and not self._wake_lock.locked() and not pending:
                    log.info("no wake for %.1f s (wall clock moved back?); re-arming the timer", idle)
                    self._arm(0)
                    self._last_activity = self._monotonic()
        finally:
            self._stop.set()
            self.clean_exit = self._shutdown()

    def _shutdown(self) -> bool:
        """Stop within ``stop_deadline`` seconds of the stop request, whatever the server does.

        Never ``scheduler.shutdown(wait=True)``: it waits for a job that may be re-arming itself or
        reading a dripping server. The wake in progress gets ``STOP_GRACE`` seconds to finish its
        message, then every connection is broken; returns False if the wake still did not end (the
        caller then exits the process without waiting for its threads).
        """
        started = self._monotonic()
        deadline = started + self.stop_deadline
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            try:
                scheduler.pause()
            except Exception:
                log.debug("scheduler pause failed", exc_info=True)
        finished = self._wake_lock.acquire(timeout=min(STOP_GRACE, self.stop_deadline / 2))
        abort = getattr(self.worker, "abort", None)
        if abort is not None:
            abort()  # break connections still waiting (the wake in flight, and detached lanes)
        if not finished:
            finished = self._wake_lock.acquire(timeout=max(0.1, deadline - self._monotonic() - 1.0))
        wait_detached = getattr(self.worker, "wait_for_detached", None)
        if wait_detached is not None:
            wait_detached(max(0.0, deadline - self._monotonic() - 0.5))
        maintenance, self._maintenance = self._maintenance, None
        if maintenance is not None:  # a task in progress gets what is left of the deadline, then ends with the process
            maintenance.join(timeout=max(0.0, deadline - self._monotonic() - 0.5))
        try:
            self.worker.stop(self.clock.now())
        except Exception as exc:
            log.error("stopping the worker failed: %s", RepeatedErrors.key(exc))
        if scheduler is not None:
            # Not shutdown(): it empties the job store under a run APScheduler may still be processing
            # (its thread then dies with JobLookupError). Paused, its daemon thread and idle pool just end
            # with the process; wake up its executor so an idle pool does not hold the exit.
            with contextlib.suppress(Exception):
                scheduler._executors["default"].shutdown(wait=False)
        if finished:
            self._wake_lock.release()
        else:
            log.error("the wake in progress did not end within %.0f s of the stop request; exiting anyway",
                      self.stop_deadline)
        return finished

    clean_exit = True

    def run_once(self) -> int:
        """Send what is due and return (cron mode).

        Start-up tasks run first, so a digest due now is created and sent in the same run.
        """
        self.worker.start(self.clock.now())
        try:
            self._run_tasks(self.clock.now())
            before = self.sent
            worker_before = getattr(self.worker, "total_sent", None)
            self.wake()
            # A message waiting for a slow server's reply (detached) is seen through to its end.
            wait_detached = getattr(self.worker, "wait_for_detached", None)
            if wait_detached is not None:
                wait_detached(None)
            if worker_before is not None:
                return int(self.worker.total_sent) - worker_before  # type: ignore[attr-defined]
            return self.sent - before
        finally:
            self.worker.stop(self.clock.now())
