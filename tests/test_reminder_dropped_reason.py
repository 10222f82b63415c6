"""Each rotation reminder no longer planned is cancelled with its real reason.

Found on 5 December: every kind not planned was noted "no longer needed: the letter was requested". A rotation
shortened to a few days has a one-day letter window (the opening is the last call), so its "window opens" reminder
was cancelled saying a letter was requested that nobody had requested.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from imgcoach.core.context import Context
from imgcoach.plan import add_rotation, edit_rotation
from imgcoach.reminders.rules import LETTER_LAST_CALL, LETTER_OPEN
from imgcoach.storage.models import Reminder


def _rows(ctx: Context, rotation_id: int) -> dict[str, Reminder]:
    with ctx.db.read() as session:
        return {r.kind: r for r in session.exec(select(Reminder).where(Reminder.rotation_id == rotation_id)).all()}


def test_a_window_opening_dropped_by_shorter_dates_does_not_say_the_letter_was_requested(ctx: Context) -> None:
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside (synthetic)",
                            start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    assert rotation.id is not None
    assert _rows(ctx, rotation.id)[LETTER_OPEN].status == "pending"
    edit_rotation(ctx, rotation.id, end_date=date(2027, 1, 6))  # Monday to Wednesday: the window is one day
    rows = _rows(ctx, rotation.id)
    assert (rows[LETTER_OPEN].status, rows[LETTER_OPEN].note) == (
        "cancelled", "no longer needed: the letter window is one day, so only the last call reminds you")
    assert rows[LETTER_LAST_CALL].status == "pending"
    edit_rotation(ctx, rotation.id, end_date=date(2027, 1, 29))  # longer again: it is planned again
    assert _rows(ctx, rotation.id)[LETTER_OPEN].status == "pending"
