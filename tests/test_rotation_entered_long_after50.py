"""A rotation entered long after it ended says why none of its reminders will come.

README said a reminder whose day had passed when its rotation was entered "shows as cancelled, 'not planned: ...',
saying why", but a rotation entered more than 30 days after its end (its last reminder's expiry) got no reminder
rows at all: `reminders list`, `rotations show` and the Outbox said nothing, and the user could not tell a past
rotation from one the daemon had forgotten (stop 49 wrote the fix, c9c1a8a, and reverted it for the daemon tests'
sake; README then admitted the gap). Each of its reminders is now recorded not planned, with why. The moved half
(a pending reminder moved past its last day) is tests/test_rotation_moved_months_back49.py.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import delete

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.profile import set_profile
from imgcoach.plan.rotations import add_rotation, edit_rotation
from imgcoach.reminders import list_reminders, rederive_rotation_reminders
from imgcoach.reminders.rules import LETTER_LAST_CALL, LETTER_OPEN, MID_FEEDBACK, THANK_YOU
from imgcoach.storage.models import Reminder
from tests.cli_helpers import run_cli
from tests.daemon_helpers import send_due_once
from tests.smtp_server import SmtpServer

KINDS = sorted((MID_FEEDBACK, LETTER_OPEN, LETTER_LAST_CALL, THANK_YOU))
# The observership ran 1-28 Sep 2026; the clock says 25 Nov 2026 (58 days after), in America/New_York.
LETTERS_58 = "not planned: the rotation was added 58 days after it ended (28 Sep 2026); it is reminded only until 12 Oct 2026"
THANKS_58 = ("not planned: the rotation was added 58 days after it ended (28 Sep 2026); a late thank-you is reminded "
             "only within 14 days of the end")
FEEDBACK = "not planned: the rotation was added after its mid-point (14 Sep 2026)"


def _september(ctx: Context) -> int:
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Lakeside General (synthetic)", start_date=date(2026, 9, 1),
                            end_date=date(2026, 9, 28))
    assert rotation.id is not None
    return rotation.id


def _notes(ctx: Context, rotation_id: int) -> dict[str, tuple[str, str]]:
    return {r.kind: (r.status, r.note) for r in list_reminders(ctx) if r.rotation_id == rotation_id}


def test_each_reminder_of_a_rotation_entered_months_after_it_ended_says_why(
        ctx: Context, clock: FixedClock, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    rotation_id = _september(ctx)
    rows = _notes(ctx, rotation_id)
    assert sorted(rows) == KINDS, rows  # before: no row at all
    assert rows == {MID_FEEDBACK: ("cancelled", FEEDBACK), THANK_YOU: ("cancelled", THANKS_58),
                    LETTER_OPEN: ("cancelled", LETTERS_58), LETTER_LAST_CALL: ("cancelled", LETTERS_58)}
    listed = json.loads(run_cli(capsys, "reminders", "list", "--json", "--db", ctx.db.url).out)
    assert sorted(r["note"] for r in listed) == sorted(note for _, note in rows.values())
    shown = run_cli(capsys, "rotations", "show", str(rotation_id), "--db", ctx.db.url).out
    assert "it is reminded only until 12 Oct 2026" in shown, shown

    # Nothing is sent, nothing is counted missed, and re-deriving (an edit, a changed zone, the daemon's start) keeps
    # each reason as it was: no second row, no reason rewritten as of another day.
    edit_rotation(ctx, rotation_id, department="Medicine")
    set_profile(ctx, timezone="Asia/Kolkata")
    clock.advance(timedelta(days=40))
    rederive_rotation_reminders(ctx)
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert server.received == []
    assert len([r for r in list_reminders(ctx) if r.rotation_id == rotation_id]) == 4
    assert _notes(ctx, rotation_id) == rows


def test_an_older_rotation_with_no_rows_is_judged_by_the_day_it_was_entered(ctx: Context, clock: FixedClock) -> None:
    """A database from before this rule: the rotation was entered on 25 Nov and got no rows. The daemon's re-derivation
    a month later (the start of an upgraded daemon) records them, counted from the day it was entered, not from today."""
    rotation_id = _september(ctx)
    with ctx.db.transaction() as session:
        session.execute(delete(Reminder).where(Reminder.rotation_id == rotation_id))  # type: ignore[arg-type]
    clock.advance(timedelta(days=31))
    assert rederive_rotation_reminders(ctx) == 4
    assert _notes(ctx, rotation_id)[LETTER_LAST_CALL] == ("cancelled", LETTERS_58)


def test_a_kind_an_edited_rotation_never_had_is_still_left_out(ctx: Context, clock: FixedClock) -> None:
    """A guard: a rotation with rows that later plans a kind whose last day has passed (a 1-day rotation, whose
    window opens on its last call, lengthened after the fact) adds no row for it: no reminder of it was ever planned,
    so there is nothing to say "not planned" about, and nothing was sent."""
    end = clock.now().date() - timedelta(days=40)
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Lakeside General (synthetic)", start_date=end, end_date=end)
    assert rotation.id is not None
    before = _notes(ctx, rotation.id)
    edit_rotation(ctx, rotation.id, start_date=end - timedelta(days=27))
    after = _notes(ctx, rotation.id)
    assert set(after) == set(before), (before, after)


def test_its_reasons_follow_its_dates_when_they_are_corrected(ctx: Context) -> None:
    """Entered months late, then its dates corrected (still months back): each reason names the new mid-point and
    end, not the ones the rotation no longer has."""
    rotation_id = _september(ctx)
    edit_rotation(ctx, rotation_id, start_date=date(2026, 8, 3), end_date=date(2026, 8, 31))  # a month end
    rows = _notes(ctx, rotation_id)
    assert rows[MID_FEEDBACK] == ("cancelled", "not planned: planned only on 25 Nov 2026, after the rotation's "
                                               "mid-point (17 Aug 2026)"), rows
    assert rows[LETTER_LAST_CALL] == ("cancelled", "not planned: planned only on 25 Nov 2026, 86 days after the "
                                                   "rotation ended (31 Aug 2026); it is reminded only until 14 Sep 2026")
    assert rows[THANK_YOU][1].endswith("86 days after the rotation ended (31 Aug 2026); a late thank-you is reminded "
                                       "only within 14 days of the end"), rows
