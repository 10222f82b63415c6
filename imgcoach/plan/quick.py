"""The plan as the app's first frame reads it: stdlib sqlite3 only, no SQLAlchemy (storage.quickread).

Offered through the plan API so the app (a face) never imports storage; the loaded screen then switches
to the ordinary use cases (load_plan), and reads the timeline's rows through the same reader on a SQLite file
(read_plan_rows).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from imgcoach.storage.quickread import has_no_applicant as no_applicant_yet
from imgcoach.storage.quickread import read_plan as read_plan_quickly
from imgcoach.storage.quickread import sqlite_file

if TYPE_CHECKING:
    from imgcoach.core.context import Context

__all__ = ["local_database_file", "missing_database_file", "no_applicant_yet", "read_plan_quickly", "read_plan_rows"]


def missing_database_file(url: str) -> Path | None:
    """The SQLite file `url` names when nothing is there yet: opening it would create a new, empty database,
    so a face asks first (a mistyped --db must not leave an empty database behind). None otherwise."""
    path = sqlite_file(url)
    return path if path is not None and not path.exists() else None



def local_database_file(url: str) -> Path | None:
    """The SQLite file `url` names when it is there: a quick read of it is local (no server to wait for)."""
    path = sqlite_file(url)
    return path if path is not None and path.is_file() else None


def read_plan_rows(ctx: Context, events: tuple[date, date] | None = None) -> Any:
    """The plan's rows as the timeline reads them (the attributes QuickPlan and PlanSnapshot share), for the
    context's applicant, once the context is open (its database checked and migrated).

    On a SQLite file through the quick reader: the ORM objects load_plan builds (200 rotations and 100 study
    blocks on bench_tui's plan) were about 45 ms of CPU of 55 on the app's path to the timeline's full snapshot,
    for rows the timeline copies into bars. Anything the quick reader cannot trust (a server, another schema, no
    such applicant) is load_plan's, which says what it says (no applicant: None, the set-up)."""
    if ctx.db.path is not None:  # a SQLite file; the quick read on a server would open a second connection
        ref = str(ctx.applicant_id) if ctx.applicant_id is not None else None
        rows = read_plan_quickly(ctx.db.url, ctx.clock.now(), applicant=ref, events=events)
        if rows is not None:
            return rows
    from imgcoach.plan.plan import load_plan

    plan = load_plan(ctx, events=events, conflicts=False)  # the reader finds the conflicts in its own date words
    return plan if plan.applicant is not None else None

