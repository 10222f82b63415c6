"""A log week is written once it is under way, and an unbounded number's help says nothing about bounds.

Found by a new user's sequence: on 3 December `log add 1 --week 2027-01-11 --hours 40` stored 40 hours for a
January week of a rotation that had not begun, and `log feedback` on such a week would have counted as feedback
received in readiness; `log add --help` showed "--hours FLOAT [x<=None; required]".
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from imgcoach.coach import add_log_entry, list_log, record_feedback
from imgcoach.coach.errors import CoachInputError
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_rotation
from tests.cli_helpers import database_state, run_cli


def _rotation_around_today(ctx: Context) -> int:
    today = ctx.clock.now().date()
    monday = today - timedelta(days=today.weekday())
    rotation = add_rotation(ctx, kind="externship", specialty="Internal Medicine",
                            institution="Riverside General (fictional)", start_date=monday - timedelta(weeks=1),
                            end_date=monday + timedelta(weeks=3, days=4))
    assert rotation.id is not None
    return rotation.id


def test_this_week_is_logged_and_next_week_is_refused(ctx: Context) -> None:
    rotation_id = _rotation_around_today(ctx)
    today = ctx.clock.now().date()
    sunday = today + timedelta(days=6 - today.weekday())  # a later day of this week: the week is under way
    assert add_log_entry(ctx, rotation_id, sunday, 38).hours == 38
    next_monday = sunday + timedelta(days=1)
    with pytest.raises(CoachInputError, match="has not begun"):
        add_log_entry(ctx, rotation_id, next_monday, 40)
    with pytest.raises(CoachInputError, match="has not begun"):
        record_feedback(ctx, rotation_id, next_monday, "Presentations too long")
    assert [e.week_of for e in list_log(ctx)] == [sunday - timedelta(days=6)]  # labelled by its first day


def test_cli_refusal_exits_2_and_changes_nothing(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                  db_url: str, cli_clock: FixedClock) -> None:
    rotation_id = _rotation_around_today(ctx)
    ahead = ctx.clock.now().date() + timedelta(weeks=2)
    before = database_state(db_url)
    refused = run_cli(capsys, "log", "add", "--db", db_url, str(rotation_id), "--week", ahead.isoformat(),
                      "--hours", "40")
    assert refused.code == 2 and "has not begun" in refused.err
    assert database_state(db_url) == before


def test_unbounded_number_help_has_no_none_range(capsys: pytest.CaptureFixture[str]) -> None:
    shown = run_cli(capsys, "log", "add", "--help")
    assert shown.code == 0
    assert "None" not in shown.out and "--hours FLOAT" in shown.out
