"""`log add` on a week already logged says it replaced it, and what is no longer logged.

Found walking the demo: `log add 2 --week 2026-11-29 --hours 40` on the week logged with 42 hours of "Continuity clinic
under supervision" said only "log entry 7: rotation 2, week of 2026-11-29, 40 h", and the activities were gone; on
the week that holds the observership's feedback, the feedback (which readiness counts) went the same silent way.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from imgcoach.coach import list_log
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_rotation
from tests.cli_helpers import run_cli


def _feedback_week(ctx: Context) -> tuple[int, date]:
    week = next(e for e in list_log(ctx) if e.feedback)
    assert week.change_after_feedback and week.procedures_observed and week.activities
    return week.rotation_id, week.week_of


def test_replacing_a_logged_week_says_what_is_gone(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    rotation, week = _feedback_week(demo_ctx)
    before = next(e for e in list_log(demo_ctx) if e.week_of == week and e.rotation_id == rotation)
    out = run_cli(capsys, "log", "add", str(rotation), "--week", (week + timedelta(days=1)).isoformat(),
                  "--hours", "38", "--did", "Rounds", "--db", demo_ctx.db.url)
    assert out.code == 0
    assert out.out.strip() == (f"log entry {before.id}: rotation {rotation}, week of {week}, 38 h (replaced the week "
                               f"logged before, {before.hours:g} h; not given again, so no longer logged: --observed, "
                               "--feedback, --changed)")
    after = next(e for e in list_log(demo_ctx) if e.id == before.id)
    assert (after.hours, after.activities, after.feedback) == (38, "Rounds", "")  # what the words say happened


def test_a_full_replacement_names_nothing_lost(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    rotation, week = _feedback_week(demo_ctx)
    out = run_cli(capsys, "log", "add", str(rotation), "--week", week.isoformat(), "--hours", "36", "--did", "Rounds",
                  "--observed", "lumbar puncture", "--feedback", "Shorter", "--changed", "Shorter", "--db",
                  demo_ctx.db.url)
    assert out.code == 0 and out.out.strip().endswith(" 36 h (replaced the week logged before, 40 h)")


def test_a_new_week_says_only_what_was_logged(ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    today = ctx.clock.now().date()
    rotation = add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="Riverside (fictional)",
                            start_date=today - timedelta(weeks=3), end_date=today + timedelta(weeks=1))
    out = run_cli(capsys, "log", "add", str(rotation.id), "--week", (today - timedelta(weeks=3)).isoformat(),
                  "--hours", "40", "--db", ctx.db.url)
    assert out.code == 0 and out.out.strip().endswith(f"week of {today - timedelta(weeks=3)}, 40 h")
