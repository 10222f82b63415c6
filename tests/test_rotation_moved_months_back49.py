"""A rotation whose dates are corrected to months back says why its letter reminders will not come.

Found by send49's walk: the letter reminders of a rotation planned for next month were pending; its dates
corrected to last summer moved them past their last day and left them pending, so the daemon then marked them
missed, "the daemon was not running or delivery kept failing", which was false: nothing had been due. They are
now recorded not planned, saying why, and nothing is sent or counted missed. (A rotation *entered* long after it
ended still gets no reminder rows: README says so; that is not changed here.)
"""

from __future__ import annotations

from datetime import date, timedelta

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation, edit_rotation
from imgcoach.reminders import list_reminders
from imgcoach.reminders.rules import LETTER_LAST_CALL, LETTER_OPEN, THANK_YOU
from tests.daemon_helpers import send_due_once
from tests.smtp_server import SmtpServer


def _next_month(ctx: Context, clock: FixedClock) -> int:
    start = clock.now().date() + timedelta(days=10)
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Lakeside General (synthetic)", start_date=start,
                            end_date=start + timedelta(days=27))
    assert rotation.id is not None
    return rotation.id


def test_a_rotation_moved_months_back_says_why_its_letter_reminders_will_not_come(ctx: Context,
                                                                                  clock: FixedClock) -> None:
    rotation = _next_month(ctx, clock)  # today is 25 Nov 2026
    edit_rotation(ctx, rotation, start_date=date(2026, 7, 1), end_date=date(2026, 7, 28))
    rows = {r.kind: r for r in list_reminders(ctx) if r.rotation_id == rotation}
    for kind in (LETTER_OPEN, LETTER_LAST_CALL):
        assert (rows[kind].status, rows[kind].note) == (
            "cancelled", "not planned: planned only on 25 Nov 2026, 120 days after the rotation ended (28 Jul 2026); "
                         "it is reminded only until 11 Aug 2026"), rows[kind].note
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert server.received == [] and not [r for r in list_reminders(ctx) if r.status == "missed"]


def test_a_rotation_moved_a_week_back_keeps_its_late_reminders(ctx: Context, clock: FixedClock) -> None:
    """A guard: moved to have ended a week ago, its last call and thank-you are still of use and still pending."""
    rotation = _next_month(ctx, clock)
    end = clock.now().date() - timedelta(days=7)
    edit_rotation(ctx, rotation, start_date=end - timedelta(days=27), end_date=end)
    rows = {r.kind: r.status for r in list_reminders(ctx) if r.rotation_id == rotation}
    assert rows[LETTER_LAST_CALL] == "pending" and rows[THANK_YOU] == "pending", rows
