"""An "Ask for a letter" its last call supersedes says so in every view, a list of one status too (stop 44).

The opening is superseded while its rotation's last call is due and pending or sending (daemon_view.
superseded_openings). `reminders list --status pending` and the Outbox's "pending" filter decided it from the rows
they show, which lack a last call in "sending" (a daemon stopped while sending it leaves it so): there the opening
was "pending, OVERDUE" (JSON: overdue true, superseded false) beside the first line's "1 “Ask for a letter” not to be
sent" and the unfiltered list's "SUPERSEDED". Real SQLite/PostgreSQL, the real CLI on both read paths, the app under
Pilot, the injected clock.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update
from textual.widgets import DataTable, Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation
from imgcoach.storage.models.outbox import Reminder
from tests.cli_helpers import Result, run_cli
from tests.tui_helpers import app_for, press, settle

OPENING, LAST_CALL = "letter_request_open", "letter_request_last_call"


def _last_call_left_sending(ctx: Context, clock: FixedClock) -> None:
    """A two-week observership entered before it began; no daemon until Wednesday 11 November, when the window has
    opened (Monday) and the last call fallen due (Tuesday); then a daemon stopped while sending the last call, which
    leaves the row as its claim made it (status sending, the owner, a lease)."""
    clock.set(datetime(2026, 10, 20, 14, tzinfo=UTC))
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Bayview (synthetic)",
                 start_date=date(2026, 11, 2), end_date=date(2026, 11, 13), hours_per_week=40)
    clock.set(datetime(2026, 11, 11, 15, tzinfo=UTC))  # Wednesday 10:00 EST
    with ctx.db.transaction(ctx.applicant_id) as session:
        done = session.execute(update(Reminder).where(Reminder.kind == LAST_CALL)  # type: ignore[arg-type]
                               .values(status="sending", claimed_by="stopped-daemon",
                                       lease_until=clock.now() + timedelta(minutes=5)))
        assert done.rowcount == 1  # type: ignore[attr-defined]


def _both_paths() -> Iterator[None]:
    for full in (False, True):
        if full:
            os.environ["IMGCOACH_FULL_READ"] = "1"
        try:
            yield
        finally:
            os.environ.pop("IMGCOACH_FULL_READ", None)


def _opening_line(listed: Result) -> str:
    (line,) = [x for x in listed.out.splitlines()[1:] if "Ask for a letter" in x]
    return line


def test_reminders_list_of_pending_calls_the_opening_superseded(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    _last_call_left_sending(ctx, cli_clock)
    db = ctx.db.url
    for _ in _both_paths():
        for status in ((), ("--status", "pending")):
            rows = run_cli(capsys, "reminders", "list", *status, "--db", db, "--json").json()
            (opening,) = [r for r in rows if r["kind"] == OPENING]
            assert (opening["superseded"], opening["overdue"]) == (True, False), (status, opening)
            listed = run_cli(capsys, "reminders", "list", *status, "--db", db)
            first = listed.out.splitlines()[0]
            assert "1 “Ask for a letter” not to be sent: its last call is due too and goes instead" in first, first
            line = _opening_line(listed)
            assert "pending, SUPERSEDED: will not be sent, the last call goes instead" in line, (status, line)


async def test_the_outbox_pending_filter_calls_the_opening_superseded(ctx: Context, clock: FixedClock) -> None:
    _last_call_left_sending(ctx, clock)
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "o")
        await settle(pilot)
        table = pilot.app.screen.query_one(DataTable)
        filters = str(pilot.app.screen.query_one("#outbox-filters", Static).render())
        labels = {str(table.get_row_at(i)[1]): str(table.get_row_at(i)[3]) for i in range(table.row_count)}
        line = str(pilot.app.screen.query_one("#outbox-daemon", Static).render())
    assert "Letter: last call" not in labels, filters  # the "pending" filter: the sending last call is not shown
    assert labels["Ask for a letter"] == "superseded", labels
    assert "goes instead" in line, line


async def test_next_up_does_not_count_the_superseded_opening_overdue(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    """The timeline's Next up (the app's first screen, its quick frame and its full load) counts overdue what
    `reminders list` and the daemon line call overdue: it read the pending and failed reminders only, so a last call
    left "sending" superseded nothing there, and the opening was one of "2 overdue" beside the Outbox's SUPERSEDED."""
    from imgcoach.plan import load_plan
    from imgcoach.storage.quickread import read_plan
    from imgcoach.tui.screens.timeline_screen import NextUpList
    from imgcoach.tui.timeline_model import build_timeline

    _last_call_left_sending(ctx, cli_clock)
    now = cli_clock.now()
    rows = run_cli(capsys, "reminders", "list", "--db", ctx.db.url, "--json").json()
    overdue = [r["label"] for r in rows if r["overdue"]]
    assert overdue == ["Ask for feedback"], rows  # the opening is superseded, not overdue
    notice = (None, "1 overdue", "reminders not sent: see Outbox")
    quick = read_plan(ctx.db.url, now)
    assert quick is not None
    for plan in (quick, load_plan(ctx)):
        upcoming = build_timeline(plan, now).upcoming
        assert upcoming[0][:3] == notice, upcoming
        assert not any(item.what == "Ask for a letter" for item in upcoming), upcoming  # no step: the last call goes
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = pilot.app.screen.query_one(NextUpList).text()
    assert shown.splitlines()[0] == "! 1 overdue", shown
