"""A rotation deleted and added again is the same rotation to the applicant: what it already sent is not sent again.

Found by a new user's walk: the re-added rotation is a new row, so its reminders were new rows, and the daemon sent
its "Letter: last call" a second time (the same letter request e-mail twice for the same rotation). The rule: a
reminder of the same kind for a rotation of the same kind, place and days (plan.same_rotation's "the same
rotation") that this applicant deleted after it was sent is not sent again; it shows as cancelled, saying when it
went. New dates make it another rotation, whose reminders go. Real SQLite/PostgreSQL, a real loopback SMTP server,
time from a FixedClock.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation, edit_rotation, remove_rotation
from imgcoach.reminders import list_reminders, outbox_view
from imgcoach.reminders.rules import LETTER_LAST_CALL, LETTER_OPEN
from tests.cli_helpers import run_cli
from tests.daemon_helpers import last_call_row, last_calls_received, send_due_once
from tests.smtp_server import SmtpServer

PLACE = "Lakeside General (synthetic)"


def _add(ctx: Context, start: date) -> int:
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution=PLACE,
                            start_date=start, end_date=start + timedelta(days=27))
    assert rotation.id is not None
    return rotation.id




def test_deleted_and_added_again_the_last_call_goes_once(ctx: Context, clock: FixedClock,
                                                         capsys: pytest.CaptureFixture[str],
                                                         cli_clock: FixedClock) -> None:
    start = clock.now().date() - timedelta(days=20)  # its last call is due: the daemon sends it
    first = _add(ctx, start)
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert len(last_calls_received(server)) == 1, last_calls_received(server)

    clock.advance(timedelta(hours=3))
    remove_rotation(ctx, first)  # entered twice by mistake, or deleted and thought better of
    again = _add(ctx, start)
    clock.advance(timedelta(minutes=5))
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert last_calls_received(server) == [], "the same letter request e-mail went twice for the same rotation"
    # Nor its "Ask for a letter", not sent the first time since the last call said the same.
    assert [str(r.message["Subject"]) for r in server.received] == []

    row = last_call_row(ctx, again)
    note = f"not sent: already sent on 25 Nov 2026 for rotation {first} (the same place and days), which you deleted"
    assert (row.status, row.note, row.sent_at) == ("cancelled", note, None)
    # Said alike by the list, its JSON and the app's Outbox: they all show the row's note.
    listed = run_cli(capsys, "reminders", "list", "--db", ctx.db.url).out
    assert any(note in line for line in listed.splitlines() if "last call" in line), listed
    as_json = json.loads(run_cli(capsys, "reminders", "list", "--json", "--db", ctx.db.url).out)
    (item,) = [r for r in as_json if r["id"] == row.id]
    assert (item["status"], item["note"]) == ("cancelled", note), item
    (shown,) = [r for r in outbox_view(ctx).reminders if r.id == row.id]
    assert shown.note == note

    (opening,) = [r for r in list_reminders(ctx) if r.kind == LETTER_OPEN and r.rotation_id == again]
    assert (opening.status, opening.note) == ("cancelled", f"not sent: its last call was sent on 25 Nov 2026 for "
                                                           f"rotation {first} (the same place and days), which you deleted")
    # Re-deriving (the daemon's start, a profile change) keeps it so.
    edit_rotation(ctx, again, department="Medicine")
    assert last_call_row(ctx, again).status == "cancelled"


def test_other_dates_are_another_rotation_and_its_last_call_goes(ctx: Context, clock: FixedClock) -> None:
    start = clock.now().date() - timedelta(days=20)
    first = _add(ctx, start)
    with SmtpServer() as server:
        send_due_once(ctx, server)
    remove_rotation(ctx, first)
    again = _add(ctx, start)
    assert last_call_row(ctx, again).status == "cancelled"
    # The hospital gave new dates: another rotation (another letter deadline), so its last call is owed.
    edit_rotation(ctx, again, start_date=start + timedelta(days=1), end_date=start + timedelta(days=28))
    moved = last_call_row(ctx, again)
    assert moved.status == "pending"
    clock.set(moved.due_at + timedelta(minutes=5))
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert len(last_calls_received(server)) == 1, last_calls_received(server)


def test_another_applicants_sent_reminder_is_theirs(ctx: Context, clock: FixedClock) -> None:
    """Two applicants at the same hospital on the same days (an organisation's database): one deleting and
    re-adding hers says nothing about the other's."""
    from imgcoach.plan import add_applicant

    start = clock.now().date() - timedelta(days=20)
    first = _add(ctx, start)
    with SmtpServer() as server:
        send_due_once(ctx, server)
    remove_rotation(ctx, first)
    other = add_applicant(ctx, name="Other Person", email="other@example.org", timezone="America/New_York")
    theirs = replace(ctx, applicant_id=other.id)
    rotation = _add(theirs, start)
    (row,) = [r for r in list_reminders(theirs) if r.kind == LETTER_LAST_CALL]
    assert (row.rotation_id, row.status) == (rotation, "pending")
