"""The readiness "next action" day says what it is: "by" the last day to act, "from" the first.

The letters action showed "by 2026-11-25" (today, the ask window open) while the window ran to 2026-12-02, and
"by" the day a window opens for one not yet open: read as deadlines, both were false. The CLI text, its JSON and
the app's Readiness screen say the same day with the same word (one rule: NextAction.when).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from textual.widgets import DataTable, Static

from imgcoach.coach.models import Letter
from imgcoach.coach.readiness import check_feedback, check_letters
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.test_coach_readiness import SEASON, TODAY, T, plan, rot

WINDOW = (date(2025, 4, 21), date(2025, 4, 27))


def _letters_action(today: date):
    nxt = rot(9, date(2025, 4, 7), 4, supervisor="Dr Next", letter_window=WINDOW)
    result = check_letters(plan(nxt, letters=[Letter("Dr Next", "planned", 9)]), today, T, SEASON)
    assert result.action is not None
    return result.action


def test_letter_window_open_is_due_by_its_last_call() -> None:
    action = _letters_action(date(2025, 4, 23))
    assert action.when() == "by 2025-04-27", action  # was "by 2025-04-23": today, not the last day to ask


def test_letter_window_not_open_says_from() -> None:
    action = _letters_action(TODAY)
    assert action.when() == "from 2025-04-21", action  # was "by 2025-04-21": the day asking may start


def test_letter_window_gone_is_due_now() -> None:
    action = _letters_action(date(2025, 4, 30))
    assert action.when() == "by 2025-04-30" and "the last call was 2025-04-27" in action.text


def test_feedback_at_a_midpoint_ahead_says_from() -> None:
    r = rot(1, date(2025, 3, 3), 4, supervisor="Dr Mid")
    result = check_feedback(plan(r), TODAY, T, SEASON)
    assert result.action is not None and result.action.when() == f"from {r.midpoint.isoformat()}"


def _cli(capsys: pytest.CaptureFixture[str], ctx: Context, *args: str) -> str:
    result = run_cli(capsys, *args, "--db", ctx.db.url)
    assert result.code == 0, (args, result.err)
    return result.out


def test_cli_text_and_json_say_the_last_day_to_ask(capsys: pytest.CaptureFixture[str], demo_ctx: Context,
                                                   cli_clock: FixedClock) -> None:
    """The demo on 2026-11-25: Dr. Priya Nair's ask window runs 2026-11-24 to 2026-12-02."""
    text = _cli(capsys, demo_ctx, "readiness")
    line = next(x for x in text.splitlines() if "next: Ask Dr. Priya Nair" in x)
    assert "between 2026-11-24 and 2026-12-02" in line and line.endswith("(by 2026-12-02)"), line
    data = json.loads(_cli(capsys, demo_ctx, "readiness", "--json"))
    letters = next(c for c in data["checks"] if c["key"] == "letters")["action"]
    assert letters["due"] == "2026-12-02" and letters["due_word"] == "by"
    assert all(set(c["action"]) == {"text", "due", "due_word"} for c in data["checks"] if c["action"])


async def test_app_says_the_same_day_and_word(demo_ctx: Context) -> None:
    from imgcoach.coach import check_readiness
    from imgcoach.tui import dates
    from tests.tui_helpers import SIZE, app_for, settle

    expected = {c.key: c.action.when(dates.day) for c in check_readiness(demo_ctx).checks if c.action}
    assert expected["letters"] == "by 02 Dec 2026", expected
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        pilot.app.switch_mode("readiness")
        await settle(pilot)
        table = pilot.app.screen.query_one("#readiness-table", DataTable)
        assert [str(col.label) for col in table.columns.values()] == ["Status", "Check", "Next action"]
        shown = {str(key.value): str(table.get_row(key)[2]) for key in table.rows}
        assert {k: v for k, v in shown.items() if v} == expected
        table.move_cursor(row=table.get_row_index("letters"))
        await settle(pilot)
        detail = str(pilot.app.screen.query_one("#readiness-detail", Static).render())
        assert "(by 02 Dec 2026)" in detail, detail
