"""Marking an outreach e-mail sent schedules its follow-up reminder, yet neither face said when it falls due:
the CLI printed "outreach 3: sent" and the app's `b Mark sent` "Eastside ...: marked sent". Both now print the
use case's words (coach.change_outreach_status): the day sent and the follow-up's due day, or, after the last
allowed follow-up, that no reminder asks for another."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import DataTable

from imgcoach.coach.thresholds import load_thresholds
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.tui import dates
from tests.cli_helpers import run_cli
from tests.tui_helpers import app_for, press

TODAY = date(2026, 11, 25)  # conftest.FIXED_NOW in New York


def _add(capsys: pytest.CaptureFixture[str], db_url: str, name: str, *extra: str) -> str:
    added = run_cli(capsys, "outreach", "add", name, "--db", db_url, "--specialty", "Internal Medicine", *extra)
    assert added.code == 0, added.err
    return added.out.split(":")[0].split()[1]


def test_the_cli_says_when_the_follow_up_is_due(ctx: Context, db_url: str, cli_clock: FixedClock,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    days = load_thresholds().follow_up_days
    entry = _add(capsys, db_url, "Eastside Health (fictional)")
    sent = run_cli(capsys, "outreach", "set-status", entry, "sent", "--db", db_url)
    due = TODAY + timedelta(days=days)
    assert sent.out == (f"outreach {entry}: sent {TODAY:%d %b %Y}; follow-up due {due:%d %b %Y} if no answer "
                        "comes by then (a reminder is scheduled)\n"), sent
    listed = {r["id"]: r for r in run_cli(capsys, "outreach", "list", "--db", db_url, "--json").json()}
    assert listed[int(entry)]["follow_up_due"] == due.isoformat()


def test_after_the_last_follow_up_no_reminder_is_promised(ctx: Context, db_url: str, cli_clock: FixedClock,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    t = load_thresholds()
    first = TODAY - timedelta(days=(t.max_follow_ups + 1) * t.follow_up_days)
    entry = _add(capsys, db_url, "St. Brigid (fictional)", "--status", "sent", "--written-on", first.isoformat())
    for n in range(1, t.max_follow_ups + 1):
        on = first + timedelta(days=n * t.follow_up_days)
        out = run_cli(capsys, "outreach", "set-status", entry, "sent", "--on", on.isoformat(), "--db", db_url).out
        due = on + timedelta(days=t.follow_up_days)
        if n < t.max_follow_ups:  # recorded weeks later: its day has passed (test_outreach_sent_said_truly52)
            assert due < TODAY and out.endswith(f"; follow-up due since {due:%d %b %Y} if no answer has come\n"), out
    assert out == (f"outreach {entry}: sent {on:%d %b %Y}; that was the last follow-up ({t.max_follow_ups} of "
                   f"{t.max_follow_ups}): no reminder asks for another; if no answer comes by {due:%d %b %Y}, it is "
                   "better closed\n"), out


async def test_the_apps_mark_sent_says_the_same_words(ctx: Context, db_url: str, cli_clock: FixedClock,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    _add(capsys, db_url, "Eastside Health (fictional)")
    due = TODAY + timedelta(days=load_thresholds().follow_up_days)
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "u")
        table = pilot.app.screen.query_one(DataTable)
        table.move_cursor(row=0)
        await press(pilot, "b")
        said = [str(n.message) for n in pilot.app._notifications]
    assert f"Eastside Health (fictional): sent {dates.day(TODAY)}; follow-up due {dates.day(due)} if no answer comes by " \
           "then (a reminder is scheduled)" in said, said
