"""`daemon status` counts the messages that wait for the applicant's approval, as `reminders list` and the Outbox
show them: its --json had no such key, so a script read "pending: 14, overdue: 3" and could not tell that one of
the pending would never go out until the applicant approved it (`reminders list --json` marks it
`awaiting_approval`, the Outbox "to approve"). Real SQLite/PostgreSQL on the demo data, the app under Pilot.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.reminders import daemon_status
from tests.cli_helpers import run_cli
from tests.tui_helpers import app_for, press, settle


def test_daemon_status_counts_what_awaits_approval_as_the_list_and_the_outbox_do(
        demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    db = demo_ctx.db.url
    listed = run_cli(capsys, "reminders", "list", "--db", db, "--json").json()
    awaiting = sum(r["awaiting_approval"] for r in listed)
    assert awaiting == 1  # the demo's progress update to a former supervisor
    status = run_cli(capsys, "daemon", "status", "--db", db, "--json").json()
    full = daemon_status(demo_ctx, demo_ctx.clock.now()).as_dict()  # the full path, as the quick read's rule
    for key in ("pending", "sending", "sent", "failed", "unconfirmed", "missed"):
        assert status[key] == full[key] == sum(r["status"] == key for r in listed), key
    assert status["awaiting_approval"] == full["awaiting_approval"] == awaiting
    text = run_cli(capsys, "daemon", "status", "--db", db).out
    assert f"awaiting approval: {awaiting}" in text, text


async def test_the_outbox_shows_as_many_to_approve_as_daemon_status_counts(demo_ctx: Context) -> None:
    counted = daemon_status(demo_ctx, demo_ctx.clock.now()).counts["awaiting_approval"]
    async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "o")
        table = pilot.app.screen.query_one(DataTable)
        labels = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
    assert labels.count("to approve") == counted == 1, labels


def test_daemon_status_says_its_counts_are_every_applicants(demo_ctx: Context,
                                                            capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """`daemon status` counts the whole outbox (the daemon sends everyone's): beside one applicant's `reminders
    list` its "pending: 18" read as a contradiction of the list's 14 rows, with nothing saying whose they were."""
    from datetime import date

    from imgcoach.plan.profile import add_applicant
    from imgcoach.plan.rotations import add_rotation

    other = add_applicant(demo_ctx, name="Second Applicant (synthetic)", email="second@example.com",
                          timezone="America/Chicago")
    demo_ctx.applicant_id = other.id
    add_rotation(demo_ctx, kind="observership", specialty="Internal Medicine", institution="Elm Hospital (fictional)",
                 start_date=date(2027, 1, 4), end_date=date(2027, 1, 31))
    db = demo_ctx.db.url
    each = [run_cli(capsys, "--applicant", who, "reminders", "list", "--db", db, "--json").json()
            for who in ("amina.rahman@example.com", "second@example.com")]
    assert all(each)
    status = run_cli(capsys, "daemon", "status", "--db", db, "--json").json()
    full = daemon_status(demo_ctx, demo_ctx.clock.now()).as_dict()
    assert status["applicants"] == full["applicants"] == 2
    assert status["pending"] == full["pending"] == sum(r["status"] == "pending" for rows in each for r in rows)
    text = run_cli(capsys, "daemon", "status", "--db", db).out
    assert "counts of all 2 applicants' reminders (`reminders list` and the Outbox show one applicant's)" in text
    alone = run_cli(capsys, "daemon", "status", "--db", db, "--applicant", "amina.rahman@example.com").out
    assert "applicants' reminders" in alone  # --applicant chooses no scope here: the daemon sends everyone's
