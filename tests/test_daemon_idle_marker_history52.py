"""An idle daemon's look at a PostgreSQL outbox that is mostly history (issue 17, organisations' scale).

The idle poll's one read (reminders.outbox_watch) summed the xmin of every reminder row: a sequential scan of the
whole table every 5 s, though a sent, missed or cancelled row is history no poll acts on (5 ms with 10,800
reminders, 62-70 ms with 108,000 in a probe; docs/performance.md, `pgidle52`). It now reads the rows a poll acts
on, through the status index. Rows read are counted (EXPLAIN ANALYZE of the statement the poll ran), never timed;
the guards show a row coming back to life, or leaving, is still seen by the next poll on both engines.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, text, update

from imgcoach.core.context import Context
from imgcoach.storage.db import Database
from imgcoach.storage.models import Reminder
from tests.daemon_helpers import add_due_reminders, add_supervised_rotation
from tests.test_daemon_idle_poll51 import _daemon, _settle, _status

HISTORY = 3000


def _history(ctx: Context, rotation_id: int) -> None:
    """HISTORY reminders sent long ago, each with a body-sized payload, as months of a real outbox leave."""
    ids = add_due_reminders(ctx, rotation_id, HISTORY, due=ctx.clock.now() - timedelta(days=90), prefix="old")
    with ctx.db.transaction() as session:
        session.execute(update(Reminder).where(Reminder.id.in_(ids)).values(
            status="sent", sent_at=ctx.clock.now() - timedelta(days=90), payload={"text": "x" * 1500}))


@contextmanager
def _statements_with_parameters(db: Database) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)


def _reminder_rows_read(plan: dict[str, Any]) -> int:
    """Rows the plan's nodes on the reminder table visited: those they returned and those their filter dropped."""
    read = 0
    if plan.get("Relation Name") == "reminder":
        read += (plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)
                 + plan.get("Rows Removed by Index Recheck", 0)) * plan.get("Actual Loops", 1)
    return read + sum(_reminder_rows_read(child) for child in plan.get("Plans", []))


@pytest.mark.postgresql_only
def test_an_idle_poll_reads_the_live_rows_not_the_history(ctx: Context) -> None:
    rotation = add_supervised_rotation(ctx)
    live = add_due_reminders(ctx, rotation, 5, due=ctx.clock.now() + timedelta(days=3))
    _history(ctx, rotation)
    with ctx.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE reminder"))
    with _daemon(ctx) as (daemon, _):
        _settle(daemon)
        with _statements_with_parameters(ctx.db) as seen:
            ctx.clock.advance(timedelta(seconds=5))  # type: ignore[attr-defined]
            daemon.wake()
    assert len(seen) == 1, [s for s, _ in seen]
    statement, parameters = seen[0]
    with ctx.db.engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters)
        plan = cursor.fetchone()[0][0]["Plan"]
    read = _reminder_rows_read(plan)
    assert read <= len(live) + 10, f"{read} reminder rows read for {len(live)} live ones: {plan}"


def test_a_cancelled_reminder_brought_back_by_another_process_is_sent_at_the_next_poll(ctx: Context) -> None:
    """Guard: a row coming back from history (an undo of a delete, by its own connection) enters the rows the marker
    reads, and one leaving them (cancelled meanwhile) is not sent; both seen by the poll after the write."""
    rotation = add_supervised_rotation(ctx)
    back, gone = add_due_reminders(ctx, rotation, 2, due=ctx.clock.now() + timedelta(days=3))
    _history(ctx, rotation)
    with ctx.db.transaction() as session:
        session.execute(update(Reminder).where(Reminder.id == back).values(status="cancelled"))
    with _daemon(ctx) as (daemon, _):
        _settle(daemon)
        other = Database(ctx.db.url)
        try:
            with other.transaction() as session:
                session.execute(update(Reminder).where(Reminder.id == back).values(
                    status="pending", due_at=ctx.clock.now()))
                session.execute(update(Reminder).where(Reminder.id == gone).values(status="cancelled"))
        finally:
            other.close()
        daemon.wake()
        assert _status(ctx, back)[0] == "sent"
        assert _status(ctx, gone)[0] == "cancelled"
