"""One letter, one e-mail at a time: when "the letter window is open" and its last call fall due together, only
the last call goes out.

Found by using it as a new applicant: a rotation entered on its 20th day got "Time to ask Dr. Okafor for a
letter" and "Last call: letter of recommendation from Dr. Okafor" in the same minute, the first saying the
window had just opened, the second that it was closing. The same happened after the daemon was down through the
window. Real SQLite/PostgreSQL, a real loopback SMTP server, time from a FixedClock.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.people import add_contact
from imgcoach.plan.rotations import add_rotation, edit_rotation
from imgcoach.reminders import list_reminders
from imgcoach.reminders.rules import LETTER_LAST_CALL, LETTER_OPEN
from tests.cli_helpers import run_cli
from tests.daemon_helpers import add_supervised_rotation, send_due_once
from tests.smtp_server import SmtpServer

OPENS = "Ask for a letter from Dr. Jane Okafor"
LAST_CALL = "Letter: last call to ask Dr. Jane Okafor"


def _subjects(server: SmtpServer) -> list[str]:
    return [str(received.message["Subject"]) for received in server.received]


def _row(ctx: Context, kind: str):  # type: ignore[no-untyped-def]
    (row,) = [r for r in list_reminders(ctx) if r.kind == kind]
    return row


def _ahead(ctx: Context, clock: FixedClock) -> None:
    """A 4-week observership with its supervisor, starting in 3 days (no case yet: none can be logged ahead)."""
    start = clock.now().date() + timedelta(days=3)
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Lakeside General (synthetic)", start_date=start,
                            end_date=start + timedelta(days=27))
    add_contact(ctx, "Dr. Jane Okafor", rotation_id=rotation.id, role="supervisor",
                email="jane.okafor@hospital.example")


def _entered_on_day_20(ctx: Context, clock: FixedClock) -> tuple[int, date]:
    today = clock.now().date()  # 2026-11-25, 09:00 in New York
    start = today - timedelta(days=20)
    return add_supervised_rotation(ctx, start=start, end=start + timedelta(days=27)), start


def test_a_rotation_entered_late_gets_the_last_call_alone(ctx: Context, clock: FixedClock) -> None:
    rotation_id, _start = _entered_on_day_20(ctx, clock)
    assert _row(ctx, LETTER_OPEN).due_at <= clock.now() and _row(ctx, LETTER_LAST_CALL).due_at <= clock.now()
    with SmtpServer() as server:
        send_due_once(ctx, server)
    subjects = _subjects(server)
    assert any(LAST_CALL in s for s in subjects), subjects
    assert not any(OPENS in s for s in subjects), subjects
    # Its mid-point had passed when it was entered: the feedback is recorded as not planned (rules.late_plan_reason).
    assert not any("Ask for feedback" in s for s in subjects), subjects
    assert _row(ctx, "mid_rotation_feedback").note.startswith("not planned: the rotation was added after its mid-point")
    opening = _row(ctx, LETTER_OPEN)
    assert (opening.status, opening.sent_at) == ("cancelled", None)
    assert "last call" in opening.note and "says the same" in opening.note
    assert _row(ctx, LETTER_LAST_CALL).status == "sent"

    # Editing the rotation (same dates) does not revive the opening to send it late after its last call.
    edit_rotation(ctx, rotation_id, institution="Lakeside General Hospital (synthetic)")
    assert _row(ctx, LETTER_OPEN).status == "cancelled"
    clock.advance(timedelta(minutes=5))
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert not any(OPENS in s for s in _subjects(server)), _subjects(server)


def test_new_dates_ahead_revive_the_opening(ctx: Context, clock: FixedClock) -> None:
    rotation_id, _start = _entered_on_day_20(ctx, clock)
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert _row(ctx, LETTER_OPEN).status == "cancelled"
    # The hospital moves it: it starts next month, so its window is ahead again.
    start = clock.now().date() + timedelta(days=30)
    edit_rotation(ctx, rotation_id, start_date=start, end_date=start + timedelta(days=27))
    opening = _row(ctx, LETTER_OPEN)
    assert opening.status == "pending" and opening.due_at > clock.now()
    assert "says the same" not in opening.note


def test_after_downtime_through_the_window_only_the_last_call_goes_out(ctx: Context, clock: FixedClock) -> None:
    _ahead(ctx, clock)
    clock.set(_row(ctx, LETTER_LAST_CALL).due_at + timedelta(hours=2))  # no daemon ran meanwhile
    with SmtpServer() as server:
        send_due_once(ctx, server)
    subjects = _subjects(server)
    assert any(LAST_CALL in s for s in subjects) and not any(OPENS in s for s in subjects), subjects


def test_a_daemon_that_runs_sends_both_each_at_its_time(ctx: Context, clock: FixedClock) -> None:
    """The control: the opening is sent when it falls due, and the last call later, as planned."""
    _ahead(ctx, clock)
    clock.set(_row(ctx, LETTER_OPEN).due_at + timedelta(minutes=1))
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert any(OPENS in s for s in _subjects(server)), _subjects(server)
    clock.set(_row(ctx, LETTER_LAST_CALL).due_at + timedelta(minutes=1))
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert any(LAST_CALL in s for s in _subjects(server)), _subjects(server)
    assert _row(ctx, LETTER_OPEN).status == "sent"


def test_daemon_once_says_what_it_did_not_send_and_why(ctx: Context, cli_clock: FixedClock,
                                                       capsys: pytest.CaptureFixture[str],
                                                       isolated_user_dirs: Path) -> None:
    """`daemon --once` (the CLI, to the local mailbox): the opening left out is said, not silent.

    On the fixed clock: on the real one, day 20 put the last call (moved to a working day) after today on some
    weekdays, and the test failed on those days (CI, Sunday 6 Dec 2026)."""
    start = cli_clock.now().date() - timedelta(days=20)
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside General (synthetic)",
                 start_date=start, end_date=start + timedelta(days=27))
    result = run_cli(capsys, "daemon", "--once", "--db", ctx.db.url)
    assert result.code == 0, result.err
    assert "1 “Ask for a letter” reminder not sent: its “Letter: last call” was due too and says the same" \
        in result.out, result.out
    assert "left: nothing due" in result.out
    quiet = run_cli(capsys, "daemon", "--once", "--quiet", "--db", ctx.db.url)
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")


def test_the_rotation_says_why_the_opening_was_not_sent(ctx: Context, clock: FixedClock,
                                                        capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """`rotations show` and the app's rotation pane said only "cancelled": the applicant had to guess which
    e-mail would not come, and why."""
    from zoneinfo import ZoneInfo

    from imgcoach.plan import rotation_detail
    from imgcoach.tui.details import rotation_text

    rotation_id, _start = _entered_on_day_20(ctx, clock)
    with SmtpServer() as server:
        send_due_once(ctx, server)
    shown = run_cli(capsys, "rotations", "show", str(rotation_id), "--db", ctx.db.url).out
    (line,) = [line for line in shown.splitlines() if "Ask for a letter" in line]  # the app's name for it
    assert line.endswith("Ask for a letter: cancelled (not sent: the last call for this letter was due too, "
                         "and says the same)"), line
    pane = rotation_text(rotation_detail(ctx, rotation_id), ZoneInfo("America/New_York")).plain
    assert "cancelled (not sent: the last call for this letter was due too, and says the same)" in pane
