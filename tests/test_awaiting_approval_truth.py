"""A progress update waits for the applicant's approval: no daemon sends it before. Every screen says so in the
same words (reminders.AWAITING_WORDS) and none calls it overdue.

Found walking the demo as a new applicant: "Next up" listed "Progress update" as if it would simply go out, and a
day later the timeline, the Outbox, `reminders list` and `daemon status` counted it overdue and said "start
`imgcoach daemon`", which sends nothing of it. Real SQLite/PostgreSQL on the demo data, the app under Pilot,
time from the context's FixedClock, the CLI's too (cli_clock): on the real clock the demo's own reminders, built
for 25 Nov 2026, fell due or expired as the weeks passed, and what `daemon --once` had left changed with the date.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select
from textual.widgets import DataTable, Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.storage.models import Reminder
from tests.cli_helpers import run_cli
from tests.tui_helpers import app_for, press, settle


def _progress_update(ctx: Context) -> Reminder:
    with ctx.db.read() as session:
        row = session.exec(select(Reminder).where(Reminder.kind == "progress_update")).one()
    assert row.requires_approval and row.approved_at is None and row.status == "pending"
    return row


def _sendable_overdue(ctx: Context, now: datetime) -> int:
    """Pending reminders a daemon would have sent by `now` (not drafts waiting for approval)."""
    with ctx.db.read() as session:
        rows = session.exec(select(Reminder).where(Reminder.status == "pending")).all()
    return sum(1 for r in rows if r.due_at < now and not (r.requires_approval and r.approved_at is None))


def test_next_up_says_a_progress_update_awaits_approval_and_never_counts_it_overdue(
        demo_ctx: Context, clock: FixedClock) -> None:
    from imgcoach.plan import load_plan, read_plan_quickly
    from imgcoach.tui.timeline_model import build_timeline

    draft = _progress_update(demo_ctx)
    clock.set(draft.due_at + timedelta(days=1))  # a day after its time, unapproved
    now = clock.now()
    overdue = _sendable_overdue(demo_ctx, now)
    quick = read_plan_quickly(demo_ctx.db.url, now)
    assert quick is not None
    for plan in (load_plan(demo_ctx, conflicts=False), quick):  # the first frame and the full load agree
        items = build_timeline(plan, now).upcoming
        mine = [i for i in items if i.kind == "reminder" and i.ref == draft.id]
        assert [i.what for i in mine] == ["Progress update: to approve"], items
        notice = items[0]
        assert notice.kind == "notice" and notice.what == f"{overdue} overdue", (notice, overdue)


def test_the_cli_lists_it_as_awaiting_approval_and_the_counts_agree(demo_ctx: Context, cli_clock: FixedClock,
                                                                      capsys) -> None:  # type: ignore[no-untyped-def]
    draft = _progress_update(demo_ctx)
    with demo_ctx.db.transaction() as session:  # its time two hours ago
        row = session.get(Reminder, draft.id)
        assert row is not None
        row.due_at = cli_clock.now() - timedelta(hours=2)
        row.expires_at = cli_clock.now() + timedelta(days=20)
        session.add(row)
    db = demo_ctx.db.url
    listed = run_cli(capsys, "reminders", "list", "--db", db, "--json").json()
    mine = next(r for r in listed if r["id"] == draft.id)
    assert mine["awaiting_approval"] is True and mine["overdue"] is False and mine["status"] == "pending", mine
    assert not any(r["awaiting_approval"] for r in listed if r["id"] != draft.id)
    table = run_cli(capsys, "reminders", "list", "--db", db).out
    line = next(x for x in table.splitlines() if x.startswith(f"{draft.id} "))
    assert "pending, awaits your approval" in line and "OVERDUE" not in line, line
    overdue = sum(r["overdue"] for r in listed)
    status = run_cli(capsys, "daemon", "status", "--db", db, "--json").json()
    assert status["overdue"] == overdue, (status, overdue)
    first = table.splitlines()[0]
    assert (f"; {overdue} overdue" in first) if overdue else ("overdue" not in first), first
    shown = run_cli(capsys, "rotations", "show", str(draft.rotation_id), "--db", db).out
    assert "Progress update: pending, awaits your approval" in shown, shown


async def test_the_outbox_says_awaits_approval_not_overdue(demo_ctx: Context, clock: FixedClock) -> None:
    draft = _progress_update(demo_ctx)
    clock.set(draft.due_at + timedelta(days=1))
    overdue = _sendable_overdue(demo_ctx, clock.now())
    with demo_ctx.db.read() as session:
        first_pending = session.exec(select(Reminder).where(Reminder.status == "pending", ~col(
            Reminder.requires_approval)).order_by(col(Reminder.due_at))).first()
    assert first_pending is not None and first_pending.due_at < clock.now()
    async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "o")
        table = pilot.app.screen.query_one(DataTable)
        assert str(table.get_row(str(draft.id))[3]) == "to approve"
        assert str(table.get_row(str(first_pending.id))[3]) == "overdue"
        line = str(pilot.app.screen.query_one("#outbox-daemon", Static).render())
        assert f"; {overdue} overdue" in line, (line, overdue)


def test_a_draft_nobody_approved_expires_without_blaming_the_daemon(demo_ctx: Context, clock: FixedClock,
                                                                    capsys, cli_clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    from imgcoach.reminders import outbox

    draft = _progress_update(demo_ctx)
    assert draft.expires_at is not None
    clock.set(draft.expires_at + timedelta(minutes=1))
    assert outbox.expire_missed(demo_ctx, clock.now()) >= 1
    with demo_ctx.db.read() as session:
        row = session.get(Reminder, draft.id)
    assert row is not None and row.status == "missed"
    assert row.last_error == ("expired before you approved it: a message to someone else goes only once you "
                              "approve it"), row.last_error
    assert "daemon" not in row.last_error
    shown = run_cli(capsys, "rotations", "show", str(draft.rotation_id), "--db", demo_ctx.db.url).out
    assert "Progress update: missed (expired before you approved it" in shown, shown


async def test_an_approved_supervisor_draft_is_not_listed_as_the_reminder_again(demo_ctx: Context) -> None:
    """Approving "Ask for feedback" queues the e-mail to the supervisor as a row of the same kind: the Outbox and
    Next up listed a second "Ask for feedback", dated today, read as the reminder coming again."""
    from imgcoach.plan import load_plan, read_plan_quickly
    from imgcoach.reminders import approve_draft, outbox_view
    from imgcoach.tui.timeline_model import build_timeline

    view = outbox_view(demo_ctx, "pending")  # a feedback reminder ahead whose rotation has a supervisor to write to
    feedback = next(r for r in view.reminders if r.kind == "mid_rotation_feedback" and r.id in view.awaiting
                    and r.due_at > demo_ctx.clock.now())
    draft = approve_draft(demo_ctx, feedback.id)  # type: ignore[arg-type]
    now = demo_ctx.clock.now()
    quick = read_plan_quickly(demo_ctx.db.url, now)
    assert quick is not None
    for plan in (load_plan(demo_ctx, conflicts=False), quick):
        items = {i.ref: i.what for i in build_timeline(plan, now).upcoming if i.kind == "reminder"}
        assert items.get(draft.id) == "Approved: Ask for feedback", items
        assert items.get(feedback.id, "Ask for feedback") == "Ask for feedback", items
    async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "o")
        table = pilot.app.screen.query_one(DataTable)
        assert str(table.get_row(str(draft.id))[1]) == "Approved: Ask for feedback"
        assert str(table.get_row(str(feedback.id))[1]) == "Ask for feedback"


def test_daemon_once_does_not_say_nothing_is_due_of_a_draft_waiting_for_approval(
        demo_ctx: Context, cli_clock: FixedClock, capsys) -> None:  # type: ignore[no-untyped-def]
    draft = _progress_update(demo_ctx)
    with demo_ctx.db.transaction() as session:  # due an hour ago
        row = session.get(Reminder, draft.id)
        assert row is not None
        row.due_at = cli_clock.now() - timedelta(hours=1)
        row.expires_at = cli_clock.now() + timedelta(days=20)
        session.add(row)
    out = run_cli(capsys, "daemon", "--once", "--db", demo_ctx.db.url).out
    left = next(line for line in out.splitlines() if line.startswith("left: "))
    assert left.endswith("; 1 due message to someone else waits for your approval (`imgcoach reminders list`)"), out
    with demo_ctx.db.read() as session:
        assert session.get(Reminder, draft.id).status == "pending"  # type: ignore[union-attr]
