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

# Modules imported when the daemon starts so they can call register_maintenance_task(); one line each.
TASK_MODULES: list[str] = []


def calendar_feed_task(ctx: Context) -> MaintenanceTask | None:
    """Refresh the calendar feed file with ``refresh_feed(db, settings, clock)`` when that service exists."""
    if importlib.util.find_spec(FEED_MODULE) is None:
        return None
    refresh = getattr(importlib.import_module(FEED_MODULE), "refresh_feed", None)
    if refresh is None:
        return None
    return MaintenanceTask("calendar-feed", FEED_INTERVAL, lambda now: refresh(ctx.db, ctx.settings, ctx.clock),
                           run_at_start=True)


def daemon_tasks(ctx: Context) -> list[MaintenanceTask]:
    """Registered tasks plus the built-in ones, for one daemon run."""
    for module in TASK_MODULES:
        try:
            importlib.import_module(module)
        except Exception:
            log.exception("cannot load maintenance tasks from %s", module)
    tasks = list(MAINTENANCE_TASKS)
    feed = calendar_feed_task(ctx)
    if feed is not None:
        tasks.append(feed)
    return tasks
