"""A failed rotation reminder follows its rotation: moved dates give it the new moment, a deleted rotation
cancels it.

Found by walking the outbox as an applicant: the server refused the mid-rotation feedback (550 on RCPT); the
hospital then moved the observership two weeks later. The pending reminders moved, but the failed feedback kept
its old date and no new one was made, so the moved rotation would never get its feedback reminder, and
`reminders retry` would have sent it "late" for a midpoint the rotation no longer has. Real SQLite/PostgreSQL,
a real loopback SMTP server, time from a FixedClock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import col, select

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.people import add_contact
from imgcoach.plan.rotations import add_rotation, edit_rotation
from imgcoach.reminders.rules import MID_FEEDBACK
from imgcoach.storage.models import Reminder
from tests.cli_helpers import run_cli
from tests.daemon_helpers import send_due_once
from tests.smtp_server import SmtpServer


def _feedback(ctx: Context, rotation_id: int) -> list[Reminder]:
    with ctx.db.read() as session:
        return list(session.exec(select(Reminder).where(Reminder.rotation_id == rotation_id,
                                                        Reminder.kind == MID_FEEDBACK).order_by(col(Reminder.id))))


def _refused_feedback(ctx: Context, clock: FixedClock) -> int:
    """A 2 to 29 November observership whose feedback (Monday 16 November, 09:00 EST) the server refused."""
    clock.set(datetime(2026, 11, 1, 14, 0, tzinfo=UTC))
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Lakeside General (synthetic)", start_date=date(2026, 11, 2),
                            end_date=date(2026, 11, 29), hours_per_week=40)
    assert rotation.id is not None
    rotation_id = rotation.id
    add_contact(ctx, "Dr. Jane Okafor", rotation_id=rotation_id, role="supervisor",
                email="jane.okafor@hospital.example")
    clock.set(datetime(2026, 11, 16, 14, 5, tzinfo=UTC))
    with SmtpServer() as server:
        server.handler.rcpt_replies.append("550 5.1.1 mailbox unavailable")
        send_due_once(ctx, server)
    (row,) = _feedback(ctx, rotation_id)
    assert row.status == "failed"
    return rotation_id


def test_a_failed_feedback_moves_with_its_rotation_and_goes_at_the_new_midpoint(
        ctx: Context, clock: FixedClock) -> None:
    rotation_id = _refused_feedback(ctx, clock)
    # The hospital postpones it by two weeks: 16 November to 13 December, midpoint Monday 30 November.
    edit_rotation(ctx, rotation_id, start_date=date(2026, 11, 16), end_date=date(2026, 12, 13))
    (row,) = _feedback(ctx, rotation_id)
    assert (row.status, row.due_at) == ("pending", datetime(2026, 11, 30, 14, 0, tzinfo=UTC))
    clock.set(datetime(2026, 11, 30, 14, 1, tzinfo=UTC))
    with SmtpServer() as server:
        assert send_due_once(ctx, server) >= 1
    (sent,) = [r for r in server.received if "Ask for feedback" in r.message["Subject"]]
    assert not sent.message["Subject"].startswith("[late]")
    text = " ".join(sent.message.get_body(("plain",)).get_content().split())
    assert "16 November 2026 to 13 December 2026" in text and "LATE" not in text


def test_deleting_the_rotation_cancels_its_failed_reminder_and_says_so(
        ctx: Context, clock: FixedClock, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    # Kept "failed", it stayed in every "1 failed" count (`daemon status`, `reminders list`) for a rotation that no
    # longer exists, and `reminders retry` took it back only for the daemon to fail it again ("has no rotation").
    rotation_id = _refused_feedback(ctx, clock)
    (feedback,) = _feedback(ctx, rotation_id)
    removed = run_cli(capsys, "rotations", "remove", str(rotation_id), "--db", ctx.db.url)
    assert removed.code == 0, removed.err
    assert removed.out.strip() == (f"rotation {rotation_id} removed with 1 link to a person; 3 pending and 1 failed "
                                   "reminders cancelled")
    with ctx.db.read() as session:
        row = session.get(Reminder, feedback.id)
    assert row is not None and row.status == "cancelled" and "was deleted" in row.note
    status = run_cli(capsys, "daemon", "status", "--db", ctx.db.url, "--json").json()
    assert status["failed"] == 0
    retried = run_cli(capsys, "reminders", "retry", str(row.id), "--db", ctx.db.url)
    assert retried.code == 2 and "is cancelled" in retried.err


async def test_the_apps_delete_dialog_names_the_failed_reminder_it_cancels(ctx: Context, clock: FixedClock) -> None:
    from textual.widgets import Static

    from imgcoach.tui.widgets.dialogs import ConfirmScreen
    from tests.tui_helpers import SIZE, app_for, press

    _refused_feedback(ctx, clock)
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "d")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmScreen)
        message = str(dialog.query_one("#confirm-message", Static).render())
        assert "This cancels 3 pending and 1 failed reminders:" in message
        assert "16 Nov 2026 09:00  Ask for feedback (failed)" in message and "Ask for a letter\n" in message


def test_undoing_the_deletion_brings_the_failed_reminder_back_as_it_was(ctx: Context, clock: FixedClock) -> None:
    from imgcoach.plan.undo import delete_with_undo, undo_change

    rotation_id = _refused_feedback(ctx, clock)
    (before,) = _feedback(ctx, rotation_id)
    record = delete_with_undo(ctx, "rotation", rotation_id)
    assert "cancelled 4 reminders" in record.done
    undone = undo_change(ctx, record)
    assert "3 reminders are pending again" in undone.message, undone.message
    (after,) = _feedback(ctx, rotation_id)
    assert (after.status, after.last_error, after.payload) == ("failed", before.last_error, before.payload)


def test_a_failed_reminder_past_its_expiry_is_missed_with_its_failure_and_asks_for_nothing(
        ctx: Context, clock: FixedClock) -> None:
    """It stayed "failed" for good: "1 failed" on every status line and the Outbox's "needs attention", while
    `reminders retry` refused it ("expired ... it would be missed"). The daemon's next run after its expiry (the
    feedback's: the rotation's last day) marks it missed, the server's refusal kept as its reason."""
    from imgcoach.reminders import daemon_status

    rotation_id = _refused_feedback(ctx, clock)
    clock.set(datetime(2026, 12, 1, 14, 0, tzinfo=UTC))  # past the feedback's expiry (end of 29 November)
    assert daemon_status(ctx, clock.now()).needs_attention()
    with SmtpServer() as server:
        send_due_once(ctx, server)
    (row,) = _feedback(ctx, rotation_id)
    assert row.status == "missed"
    assert row.last_error.startswith("failed, then expired before a retry: ") and "550" in row.last_error
    status = daemon_status(ctx, clock.now())
    assert status.counts.get("failed", 0) == 0 and status.counts.get("missed") == 1
    assert "failed" not in status.summary(UTC) and not status.needs_attention()
