"""Readiness's words follow what the plan records, not what it lacks a record of.

Found walking a new applicant's first rotations on 5 December: with an externship planned for next week and no
supervisor filed for it, the letters check said "Plan a rotation with an attending who will supervise you directly
and can write", as if the plan had no rotation; and an observership added after it ended read "ended 2026-09-28
without mid-rotation feedback", when all that is known is that none was written down (and nothing said how to).
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.coach.models import Letter
from imgcoach.coach.readiness import check_feedback, check_letters
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.test_coach_readiness import SEASON, TODAY, T, plan, rot

WINDOW = (date(2025, 4, 21), date(2025, 4, 25))


def test_a_planned_rotation_with_no_writer_asks_who_supervises_it() -> None:
    upcoming = rot(7, date(2025, 4, 7), 4, letter_window=WINDOW)  # no supervisor filed, no letter planned
    action = check_letters(plan(upcoming), TODAY, T, SEASON).action
    assert action is not None
    assert "Plan a rotation" not in action.text, action.text
    assert action.text.startswith("Record who supervises you on ") and "--rotation 7" in action.text, action.text
    assert "ask between 2025-04-21 and 2025-04-25" in action.text, action.text
    assert action.when() == "by 2025-04-21", action  # recorded before the window opens


def test_past_the_last_call_it_says_ask_now() -> None:
    upcoming = rot(7, date(2025, 4, 7), 4, letter_window=WINDOW)
    action = check_letters(plan(upcoming), date(2025, 5, 1), T, SEASON).action
    assert action is not None and "ask now: the last call was 2025-04-25" in action.text, action.text
    assert action.when() == "by 2025-05-01", action


def test_with_no_rotation_ahead_it_still_says_plan_one() -> None:
    """The advice stays where it is true: every rotation is over, or each has its writer."""
    over = rot(1, date(2024, 11, 4), 4)
    assert "Plan a rotation" in check_letters(plan(over), TODAY, T, SEASON).action.text
    named = rot(7, date(2025, 4, 7), 4, supervisor="Dr Named", letter_window=WINDOW)
    text = check_letters(plan(named, letters=[Letter("Dr Named", "planned", 7)]), TODAY, T, SEASON).action.text
    assert text.startswith("Ask Dr Named"), text


def test_a_rotation_over_with_no_log_is_not_said_to_have_had_no_feedback() -> None:
    over = rot(1, date(2024, 11, 4), 4, supervisor="Dr Past")
    result = check_feedback(plan(over), TODAY, T, SEASON)
    line = next(x for x in result.evidence if "Hospital 1" in x)
    assert "without mid-rotation feedback" not in line and line.endswith("no mid-rotation feedback recorded"), line
    assert result.action is not None, "nothing said how to write down feedback that was had"
    assert "If Dr Past gave you feedback during" in result.action.text
    assert "imgcoach log feedback 1 --week DATE" in result.action.text


def test_the_cli_says_it_for_a_new_applicant(capsys: pytest.CaptureFixture[str], ctx: Context,
                                            cli_clock: FixedClock) -> None:
    """The walk itself: profile, a past observership, an externship ahead; readiness on the test's day."""
    db = ("--db", ctx.db.url)
    assert run_cli(capsys, "profile", "set", "--name", "Sam", "--email", "sam@example.org", *db).code == 0
    assert run_cli(capsys, "rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine",
                   "--institution", "Mercy Hospital", "--start", "-12w", *db).code == 0
    assert run_cli(capsys, "rotations", "add", "--kind", "externship", "--specialty", "Internal Medicine",
                   "--institution", "Mercy Hospital", "--start", "+2w", "--hands-on", *db).code == 0
    out = run_cli(capsys, "readiness", *db).out
    assert "Plan a rotation with an attending" not in out, out
    assert "next: Record who supervises you on Clinical Externship in Internal Medicine, Mercy Hospital" in out, out
    assert "no mid-rotation feedback recorded" in out, out
