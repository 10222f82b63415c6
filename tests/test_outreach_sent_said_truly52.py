"""What adding or marking an outreach e-mail sent says of its follow-up, when the e-mail went weeks ago.

`outreach set-status N sent --on <a day weeks ago>` said "follow-up due 11 Nov 2026 if no answer comes by then (a
reminder is scheduled)" on 25 Nov: a day already past, read as still to come. `outreach add ... --status sent` and
the app's add form said only "(sent)", where marking it sent says when the follow-up falls due. Each now says the
use case's words (coach.outreach_added_said, the status change's own): a follow-up due ahead with its reminder, or
due since a past day. Real SQLite/PostgreSQL, the CLI in-process and the app through Pilot, the tests' FixedClock
(25 Nov 2026, New York).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from imgcoach.coach.thresholds import load_thresholds
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.tui import dates
from imgcoach.tui.widgets.form import FormScreen
from tests.cli_helpers import run_cli
from tests.test_coach_outreach_tui import open_outreach
from tests.tui_helpers import SIZE, app_for, fill, press, record_toasts

TODAY = date(2026, 11, 25)  # conftest.FIXED_NOW in New York


def _days() -> int:
    return load_thresholds().follow_up_days


def test_marked_sent_weeks_ago_says_the_follow_up_is_due_since(ctx: Context, db_url: str, cli_clock: FixedClock,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    added = run_cli(capsys, "outreach", "add", "Eastside Health (fictional)", "--db", db_url)
    assert added.code == 0, added.err
    on = TODAY - timedelta(days=_days() + 3)
    sent = run_cli(capsys, "outreach", "set-status", "1", "sent", "--on", on.isoformat(), "--db", db_url)
    assert sent.code == 0, sent.err
    due = on + timedelta(days=_days())
    assert sent.out == (f"outreach 1: sent {on:%d %b %Y}; follow-up due since {due:%d %b %Y} if no answer has "
                        "come\n"), sent.out


def test_a_follow_up_due_today_says_today(ctx: Context, db_url: str, cli_clock: FixedClock,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    on = TODAY - timedelta(days=_days())
    added = run_cli(capsys, "outreach", "add", "Eastside Health (fictional)", "--status", "sent", "--written-on",
                    on.isoformat(), "--db", db_url)
    assert added.out == (f"outreach 1: Eastside Health (fictional) (sent {on:%d %b %Y}); follow-up due today if no "
                         "answer has come\n"), added.out


def test_added_as_sent_says_when_the_follow_up_falls_due(ctx: Context, db_url: str, cli_clock: FixedClock,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    added = run_cli(capsys, "outreach", "add", "Eastside Health (fictional)", "--status", "sent", "--db", db_url)
    due = TODAY + timedelta(days=_days())
    assert added.out == (f"outreach 1: Eastside Health (fictional) (sent {TODAY:%d %b %Y}); follow-up due "
                         f"{due:%d %b %Y} if no answer comes by then (a reminder is scheduled)\n"), added.out
    drafted = run_cli(capsys, "outreach", "add", "Mercy (fictional)", "--db", db_url)
    assert drafted.out == "outreach 2: Mercy (fictional) (drafted)\n", "a drafted entry reads as before (a guard)"


async def test_the_apps_add_form_says_the_same_words(demo_ctx: Context, cli_clock: FixedClock) -> None:
    on = TODAY - timedelta(days=2)
    due = on + timedelta(days=_days())
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await open_outreach(pilot)
        toasts = record_toasts(pilot.app)
        await press(pilot, "a")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, institution="Harbor View Hospital (fictional)", written_on=on.isoformat())
        form.query_one("#field-status").value = "sent"  # type: ignore[attr-defined]
        await press(pilot, "ctrl+s")
    assert (f"Added Harbor View Hospital (fictional) (sent {dates.day(on)}); follow-up due {dates.day(due)} if no "
            "answer comes by then (a reminder is scheduled)") in toasts, toasts


def test_the_last_follow_up_recorded_weeks_later_says_its_closing_day_passed(
        ctx: Context, db_url: str, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    """The last follow-up, recorded weeks after it went: "if no answer comes by <a past day>, it is better closed"
    read as still to come."""
    t = load_thresholds()
    first = TODAY - timedelta(days=(t.max_follow_ups + 3) * t.follow_up_days)
    added = run_cli(capsys, "outreach", "add", "St. Brigid (fictional)", "--status", "sent", "--written-on",
                    first.isoformat(), "--db", db_url)
    assert added.code == 0, added.err
    for n in range(1, t.max_follow_ups + 1):
        on = first + timedelta(days=n * t.follow_up_days)
        out = run_cli(capsys, "outreach", "set-status", "1", "sent", "--on", on.isoformat(), "--db", db_url).out
    due = on + timedelta(days=t.follow_up_days)
    assert due < TODAY
    assert out.endswith(f"no reminder asks for another; with no answer since {due:%d %b %Y}, it is better closed\n"), \
        out
