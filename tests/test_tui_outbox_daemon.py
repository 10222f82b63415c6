"""The Outbox says whether a daemon is running, where mail goes and what is overdue (issue 12, point 3;
issue 16, point 7): without it, a pending reminder nobody will send looks like one on its way."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select
from textual.widgets import DataTable, Static

from imgcoach.core.context import Context
from imgcoach.reminders import outbox
from imgcoach.storage.models import Reminder
from tests.tui_helpers import SIZE, app_for, press, settle


def _daemon_line(pilot) -> str:  # type: ignore[no-untyped-def]
    return str(pilot.app.screen.query_one("#outbox-daemon", Static).render())


def _make_overdue(ctx: Context) -> int:
    with ctx.db.transaction() as session:
        row = session.exec(select(Reminder).where(Reminder.status == "pending").order_by(Reminder.due_at)).first()
        assert row is not None
        row.due_at = ctx.clock.now() - timedelta(hours=3)
        return row.id  # type: ignore[return-value]


async def test_no_daemon_and_an_overdue_reminder_are_said_in_the_outbox(demo_ctx: Context) -> None:
    overdue_id = _make_overdue(demo_ctx)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "o")
        line = _daemon_line(pilot)
        assert "daemon: NOT running" in line and "overdue: start `imgcoach daemon`" in line, line
        table = pilot.app.screen.query_one(DataTable)
        row = table.get_row(str(overdue_id))
        assert str(row[3]) == "overdue"


async def test_a_running_daemon_and_its_last_problem_appear_after_a_reload(demo_ctx: Context) -> None:
    owner = outbox.new_owner()  # this process: alive, on this host
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "o")
        assert "NOT running" in _daemon_line(pilot)
        outbox.register_daemon(demo_ctx, owner, demo_ctx.clock.now(), 5.0, "e-mail via smtp.example.org:587")
        outbox.record_problem(demo_ctx, owner, demo_ctx.clock.now(), "delivery paused: 535 login refused",
                              paused_until=demo_ctx.clock.now() + timedelta(minutes=5))
        pilot.app.screen.reload()  # type: ignore[attr-defined]
        await settle(pilot)
        line = _daemon_line(pilot)
        assert "daemon: running" in line and "smtp.example.org:587" in line, line
        assert "PAUSED until" in line and "535 login refused" in line, line
