"""A rotation entered long after it ended says why none of its reminders will come.

Found by a new user's walk: README says a reminder whose day had passed when its rotation was entered "shows as
cancelled, 'not planned: ...', saying why", but a rotation entered more than 30 days after its end (its last
reminder's expiry) got no reminder rows at all: `reminders list`, `rotations show` and the Outbox said nothing,
and the user could not tell a past rotation from one the daemon had forgotten. Now each of its reminders is
recorded not planned, with why.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation, edit_rotation
from imgcoach.reminders import list_reminders
from imgcoach.reminders.rules import LETTER_LAST_CALL, LETTER_OPEN, MID_FEEDBACK, THANK_YOU
from tests.cli_helpers import run_cli
from tests.daemon_helpers import send_due_once
from tests.smtp_server import SmtpServer


def test_each_reminder_of_a_rotation_entered_months_after_it_ended_says_why(
        ctx: Context, clock: FixedClock, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    # Today is 25 Nov 2026; the observership ran 1-28 Sep 2026 (58 days ago).
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Lakeside General (synthetic)", start_date=date(2026, 9, 1),
                            end_date=date(2026, 9, 28))
    rows = {r.kind: r for r in list_reminders(ctx) if r.rotation_id == rotation.id}
    assert sorted(rows) == sorted((MID_FEEDBACK, LETTER_OPEN, LETTER_LAST_CALL, THANK_YOU)), rows
    assert {r.status for r in rows.values()} == {"cancelled"}
    assert rows[MID_FEEDBACK].note == "not planned: the rotation was added after its mid-point (14 Sep 2026)"
    assert rows[THANK_YOU].note == ("not planned: the rotation was added 58 days after it ended (28 Sep 2026); a "
                                    "late thank-you is reminded only within 14 days of the end")
    for kind in (LETTER_OPEN, LETTER_LAST_CALL):
        assert rows[kind].note == ("not planned: the rotation was added 58 days after it ended (28 Sep 2026); it "
                                   "is reminded only until 12 Oct 2026"), rows[kind].note
    shown = run_cli(capsys, "reminders", "list", "--json", "--db", ctx.db.url).out
    assert sum(1 for r in json.loads(shown) if r["note"].startswith("not planned: ")) == 4, shown

    # Nothing is sent, nothing is counted as missed, and re-deriving (an edit, the daemon's start) keeps it so.
    edit_rotation(ctx, rotation.id, department="Medicine")
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert server.received == []
    after = {r.kind: (r.status, r.note) for r in list_reminders(ctx) if r.rotation_id == rotation.id}
    assert after == {kind: (row.status, row.note) for kind, row in rows.items()}


def test_one_entered_a_week_after_it_ended_still_gets_its_late_reminders(ctx: Context, clock: FixedClock) -> None:
    """A guard: within the reminders' last days the letter request and the thank-you are still planned."""
    end = clock.now().date() - timedelta(days=7)
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Lakeside General (synthetic)", start_date=end - timedelta(days=27),
                            end_date=end)
    rows = {r.kind: r.status for r in list_reminders(ctx) if r.rotation_id == rotation.id}
    assert rows[LETTER_LAST_CALL] == "pending" and rows[THANK_YOU] == "pending", rows


def test_a_rotation_moved_months_back_says_why_its_letter_reminders_will_not_come(ctx: Context,
                                                                                  clock: FixedClock) -> None:
    """Its dates corrected to last summer: the letter reminders, pending for next month, were left pending past
    their last day, and the daemon then marked them missed, "the daemon was not running or delivery kept failing"."""
    start = clock.now().date() + timedelta(days=10)
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Lakeside General (synthetic)", start_date=start,
                            end_date=start + timedelta(days=27))
    edit_rotation(ctx, rotation.id, start_date=date(2026, 7, 1), end_date=date(2026, 7, 28))
    rows = {r.kind: r for r in list_reminders(ctx) if r.rotation_id == rotation.id}
    for kind in (LETTER_OPEN, LETTER_LAST_CALL):
        assert (rows[kind].status, rows[kind].note) == (
            "cancelled", "not planned: planned only on 25 Nov 2026, 120 days after the rotation ended (28 Jul 2026); "
                         "it is reminded only until 11 Aug 2026"), rows[kind].note
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert server.received == [] and not [r for r in list_reminders(ctx) if r.status == "missed"]
