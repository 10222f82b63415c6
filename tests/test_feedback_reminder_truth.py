"""The mid-rotation feedback reminder reads the fact readiness reads: once the feedback is asked or received, it is
not sent.

Found walking the demo: Lakeview's feedback was recorded as asked (Readiness: "asked 22 Nov 2026"), yet the Outbox
had "Ask for feedback" overdue for that rotation and the daemon would have e-mailed the applicant to ask again.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from imgcoach.coach import record_feedback
from imgcoach.coach.actions import readiness
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_rotation, edit_rotation
from imgcoach.reminders.rules import MID_FEEDBACK
from imgcoach.storage.models import Reminder, Rotation
from tests.cli_helpers import run_cli
from tests.clock_helpers import clock_at

# Started three weeks before the tests' day (25 Nov 2026); its midpoint (16 Nov) has passed (entered on its first
# day: one entered after its mid-point plans no feedback reminder, rules.late_plan_reason).
STARTED = {"kind": "externship", "specialty": "Internal Medicine", "institution": "Riverside (fictional)",
           "start_date": date(2026, 11, 2), "end_date": date(2026, 11, 30)}


def _feedback_reminders(ctx: Context, rotation_id: int) -> list[tuple[str, str]]:
    with ctx.db.read() as session:
        rows = session.exec(select(Reminder).where(Reminder.rotation_id == rotation_id,
                                                   Reminder.kind == MID_FEEDBACK)).all()
        return [(r.status, r.note) for r in rows]


def _rotation(ctx: Context) -> int:
    with clock_at(ctx, datetime(2026, 11, 2, 14, 0, tzinfo=UTC)):  # entered on its first day: its mid-point ahead
        rotation = add_rotation(ctx, **STARTED)
    assert rotation.id is not None
    assert _feedback_reminders(ctx, rotation.id) == [("pending", "")]  # due 16 Nov: overdue until settled
    return rotation.id


def test_the_demo_outbox_does_not_ask_for_feedback_readiness_says_was_asked(
        demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    with demo_ctx.db.read() as session:
        lakeview = session.exec(select(Rotation).where(Rotation.institution.startswith("Lakeview"))).one()  # type: ignore[union-attr]
    check = next(c for c in readiness(demo_ctx).checks if c.key == "feedback")
    assert any("Lakeview" in line and "asked 2026-11-22" in line for line in check.evidence)
    assert _feedback_reminders(demo_ctx, lakeview.id) == [  # type: ignore[arg-type]
        ("cancelled", "not sent: feedback already asked on 22 Nov 2026")]
    listed = run_cli(capsys, "reminders", "list", "--db", str(demo_ctx.db.url), "--json")
    assert listed.code == 0
    row = next(r for r in json.loads(listed.out) if r["kind"] == MID_FEEDBACK and r["rotation_id"] == lakeview.id)
    assert (row["status"], row["note"]) == ("cancelled", "not sent: feedback already asked on 22 Nov 2026")


def test_recording_the_feedback_cancels_the_pending_reminder_at_once(ctx: Context) -> None:
    rotation_id = _rotation(ctx)
    record_feedback(ctx, rotation_id, date(2026, 11, 18), "Lead with the assessment")
    assert _feedback_reminders(ctx, rotation_id) == [
        ("cancelled", "not sent: feedback already received (in the log, week of 16 Nov 2026)")]


def test_cli_log_feedback_cancels_it_too(ctx: Context, capsys: pytest.CaptureFixture[str],
                                         cli_clock: FixedClock) -> None:
    rotation_id = _rotation(ctx)
    done = run_cli(capsys, "log", "feedback", "--db", str(ctx.db.url), str(rotation_id), "--week", "2026-11-18",
                   "--feedback", "Lead with the assessment")
    assert done.code == 0, done.err
    listed = run_cli(capsys, "reminders", "list", "--db", str(ctx.db.url))
    line = next(ln for ln in listed.out.splitlines() if "Ask for feedback" in ln)  # the kind as the app names it
    assert "cancelled" in line and "not sent: feedback already received (in the log, week of 16 Nov 2026)" in line


def test_the_reason_follows_the_asked_day_and_clearing_it_brings_the_reminder_back(ctx: Context) -> None:
    rotation_id = _rotation(ctx)
    edit_rotation(ctx, rotation_id, feedback_requested_on=date(2026, 11, 16))
    assert _feedback_reminders(ctx, rotation_id) == [("cancelled", "not sent: feedback already asked on 16 Nov 2026")]
    edit_rotation(ctx, rotation_id, feedback_requested_on=date(2026, 11, 17))
    assert _feedback_reminders(ctx, rotation_id) == [("cancelled", "not sent: feedback already asked on 17 Nov 2026")]
    edit_rotation(ctx, rotation_id, feedback_requested_on=None)  # recorded by mistake: still to ask
    assert _feedback_reminders(ctx, rotation_id) == [("pending", "")]


def test_a_reminder_already_sent_stays_as_it_is(ctx: Context, clock: FixedClock) -> None:
    rotation_id = _rotation(ctx)
    with ctx.db.transaction(ctx.applicant_id) as session:
        row = session.exec(select(Reminder).where(Reminder.kind == MID_FEEDBACK)).one()
        row.status, row.sent_at = "sent", clock.now() - timedelta(days=9)
        session.add(row)
    record_feedback(ctx, rotation_id, date(2026, 11, 18), "Lead with the assessment")
    assert _feedback_reminders(ctx, rotation_id) == [("sent", "")]


async def test_the_apps_record_feedback_cancels_it_as_the_cli_does(demo_ctx: Context) -> None:
    from imgcoach.tui.widgets.form import FormScreen
    from tests.tui_helpers import SIZE, app_for, fill, press

    with demo_ctx.db.read() as session:
        lakeview = session.exec(select(Rotation).where(Rotation.institution.startswith("Lakeview"))).one()  # type: ignore[union-attr]
    assert lakeview.id is not None
    edit_rotation(demo_ctx, lakeview.id, feedback_requested_on=None)  # not asked
    # The demo enters Lakeview after its mid-point: its reminder was never planned (rules.late_plan_reason).
    assert _feedback_reminders(demo_ctx, lakeview.id) == [
        ("cancelled", "not planned: the rotation was added after its mid-point (23 Nov 2026)")]
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "y", "a")  # Readiness, Add feedback: the current rotation (Lakeview) and today
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, feedback="Lead with the assessment")
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, FormScreen)
    (status, note), = _feedback_reminders(demo_ctx, lakeview.id)  # the reason follows: the feedback came
    assert status == "cancelled" and note.startswith("not sent: feedback already received (in the log, week of ")
