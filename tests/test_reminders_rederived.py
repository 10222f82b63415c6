"""Pending rotation reminders follow today's rules and settings, not the ones of the day they were derived.

A reminder is derived when its rotation is saved. After the upgrade that moved reminders off weekends, an
applicant's existing rotations kept their Saturday and Sunday reminders, and the daemon would have sent them
there; a changed `[reminders] hour` in config.toml likewise reached only rotations saved afterwards. The
daemon now re-derives them at start and daily (`rotation-reminders` task).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy import update
from sqlmodel import select

from imgcoach.composition import daemon_tasks
from imgcoach.core.context import Context
from imgcoach.core.settings import ReminderTiming, Settings
from imgcoach.plan import add_rotation
from imgcoach.reminders import rederive_rotation_reminders
from imgcoach.reminders.rules import LETTER_LAST_CALL, MID_FEEDBACK, THANK_YOU
from imgcoach.storage.models import Reminder

FOUR_WEEKS = {"kind": "externship", "specialty": "Internal Medicine", "institution": "Riverside (fictional)",
              "start_date": date(2027, 1, 4), "end_date": date(2027, 1, 29)}


def _due(ctx: Context) -> dict[str, tuple[datetime, str]]:
    with ctx.db.read() as session:
        return {r.kind: (r.due_at.astimezone(UTC), r.status) for r in session.exec(select(Reminder)).all()}


def _as_before_the_upgrade(ctx: Context) -> None:
    """The rows an older imgcoach derived: feedback on Saturday 16 Jan, last call on Saturday 23 Jan (09:00 New
    York), and the thank-you already sent on Sunday 31 Jan."""
    with ctx.db.transaction(ctx.applicant_id) as session:
        for kind, due in ((MID_FEEDBACK, datetime(2027, 1, 16, 14, tzinfo=UTC)),
                          (LETTER_LAST_CALL, datetime(2027, 1, 23, 14, tzinfo=UTC))):
            session.execute(update(Reminder).where(Reminder.kind == kind).values(due_at=due))
        session.execute(update(Reminder).where(Reminder.kind == THANK_YOU)
                        .values(due_at=datetime(2027, 1, 31, 14, tzinfo=UTC), status="sent"))


def test_the_daemon_task_moves_old_weekend_reminders_and_never_touches_a_sent_one(ctx: Context) -> None:
    add_rotation(ctx, **FOUR_WEEKS)
    _as_before_the_upgrade(ctx)
    (task,) = [t for t in daemon_tasks(ctx) if t.name == "rotation-reminders"]
    assert task.run_at_start
    assert task.run(ctx.clock.now()) == 2
    due = _due(ctx)
    assert due[MID_FEEDBACK] == (datetime(2027, 1, 15, 14, tzinfo=UTC), "pending")  # Friday
    assert due[LETTER_LAST_CALL] == (datetime(2027, 1, 22, 14, tzinfo=UTC), "pending")  # Friday
    assert due[THANK_YOU] == (datetime(2027, 1, 31, 14, tzinfo=UTC), "sent")  # history stays
    assert rederive_rotation_reminders(ctx) == 0, "a second run changes nothing"


def test_a_changed_reminder_hour_reaches_existing_rotations(ctx: Context) -> None:
    add_rotation(ctx, **FOUR_WEEKS)
    assert _due(ctx)[MID_FEEDBACK][0] == datetime(2027, 1, 15, 14, tzinfo=UTC)  # 09:00 New York
    old = ctx.settings  # a record: built again with the hour changed (dataclasses.replace takes no record)
    later = replace(ctx, settings=Settings(ReminderTiming(hour=7), old.import_max_bytes, old.database_url, old.extra,
                                           old.warnings))
    assert old.reminders == ReminderTiming()
    assert rederive_rotation_reminders(later) == 4
    assert _due(ctx)[MID_FEEDBACK][0] == datetime(2027, 1, 15, 12, tzinfo=UTC)  # 07:00 New York


def test_readiness_names_the_day_the_feedback_reminder_falls_due(ctx: Context) -> None:
    """Readiness kept its own midpoint (Saturday 16 January) while the reminder came on Friday the 15th."""
    from imgcoach.coach import check_readiness

    add_rotation(ctx, **FOUR_WEEKS)
    check = next(c for c in check_readiness(ctx).checks if c.key == "feedback")
    assert any("ask at the midpoint, 2027-01-15" in line for line in check.evidence), check.evidence
    assert _due(ctx)[MID_FEEDBACK][0].date() == date(2027, 1, 15)


def test_a_row_of_the_same_kind_made_another_way_is_not_moved(ctx: Context) -> None:
    """Only rows derived from the rotation (key rotation:{id}:...) follow its dates; the daemon's start-up
    re-derivation moved the newest of 500 scripted thank-you rows, which then expired as "missed"."""
    from tests.daemon_helpers import add_due_reminders

    rotation = add_rotation(ctx, **FOUR_WEEKS)
    assert rotation.id is not None
    due = datetime(2026, 11, 25, 14, tzinfo=UTC)
    add_due_reminders(ctx, rotation.id, 3, due=due)
    assert rederive_rotation_reminders(ctx) == 0
    with ctx.db.read() as session:
        scripted = session.exec(select(Reminder).where(Reminder.key.startswith("bulk:"))).all()  # type: ignore[attr-defined]
    assert [(r.due_at.astimezone(UTC), r.status) for r in scripted] == [(due, "pending")] * 3
