"""Maintenance tasks the daemon runs besides reminders; other modules add theirs with register_maintenance_task."""

from __future__ import annotations

import importlib
import importlib.util
import logging
from datetime import timedelta

from imgcoach.context import Context
from imgcoach.scheduler.daemon import MAINTENANCE_TASKS, MaintenanceTask

log = logging.getLogger(__name__)

FEED_MODULE = "imgcoach.services.calendar_export"
FEED_INTERVAL = timedelta(minutes=15)

# Where the daemon's tasks come from, one line each: "module" is imported so it can call
# register_maintenance_task() at import; "module:factory" names a function factory(ctx) returning a
# MaintenanceTask (or None), for tasks that need the database.
TASK_MODULES: list[str] = [
    "imgcoach.services.digest:digest_task",
    "imgcoach.services.shortlist:nightly_task",
]


def calendar_feed_task(ctx: Context) -> MaintenanceTask | None:
    """Refresh the calendar feed file with ``refresh_feed(db, settings, clock)`` when that service exists."""
    if importlib.util.find_spec(FEED_MODULE) is None:
        return None
    refresh = getattr(importlib.import_module(FEED_MODULE), "refresh_feed", None)
    if refresh is None:
        return None
    return MaintenanceTask("calendar-feed", FEED_INTERVAL, lambda now: refresh(ctx.db, ctx.settings, ctx.clock),
                           run_at_start=True)


def _from_factory(spec: str, ctx: Context) -> MaintenanceTask | None:
    module_name, _, factory_name = spec.partition(":")
    if importlib.util.find_spec(module_name) is None:
        return None  # a feature not installed in this build
    factory = getattr(importlib.import_module(module_name), factory_name, None)
    if factory is None:
        log.warning("maintenance task factory %s not found; skipped", spec)
        return None
    task = factory(ctx)
    return task if isinstance(task, MaintenanceTask) else None


def daemon_tasks(ctx: Context) -> list[MaintenanceTask]:
    """Registered tasks plus the built-in ones, for one daemon run."""
    made: list[MaintenanceTask] = []
    for spec in TASK_MODULES:
        try:
            if ":" in spec:
                task = _from_factory(spec, ctx)
                if task is not None:
                    made.append(task)
            else:
                importlib.import_module(spec)
        except Exception:
            log.exception("cannot load maintenance tasks from %s", spec)
    names = {t.name for t in made}
    tasks = [t for t in MAINTENANCE_TASKS if t.name not in names] + made
    feed = calendar_feed_task(ctx)
    if feed is not None:
        tasks.append(feed)
    return tasks
