"""A rotation's log names each week by its first day (since stop 46). Moving the rotation's start left the rows
labelled by the old weeks: after `rotations edit 1 --start` from Monday 2026-10-05 to Thursday 2026-10-08,
`log list` still said "week of 2026-10-05" (before the rotation) and of Mondays no week begins on. The edit now
renames each logged week to the new week holding most of its days, in the edit's own transaction (the CLI and the
app's form both save through plan.save_rotation) and says so; a logged week the edit leaves mostly outside the
rotation is kept as logged (what was worked is the user's) and said."""

from __future__ import annotations

import json

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli


def _cli(ctx: Context, capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> tuple[str, str]:
    res = run_cli(capsys, *args, "--db", ctx.db.url)
    assert res.code == code, (res.out, res.err)
    return res.out, res.err


def _weeks(ctx: Context, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str]]:
    out, _ = _cli(ctx, capsys, "log", "list", "--json")
    return [(row["week_of"], row["activities"]) for row in json.loads(out)]


@pytest.fixture
def logged(ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> int:
    """Rotation 2026-10-05 (a Monday) to 2026-11-27, three weeks logged (today is 2026-11-25)."""
    out, _ = _cli(ctx, capsys, "rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine",
                  "--institution", "Mercy Hospital", "--city", "Chicago", "--state", "IL", "--country", "US",
                  "--start", "2026-10-05", "--end", "2026-11-27", "--hours", "40")
    rotation = int(out.strip())
    for day in ("2026-10-05", "2026-10-14", "2026-10-19"):
        _cli(ctx, capsys, "log", "add", str(rotation), "--week", day, "--hours", "40", "--did", f"typed {day}")
    assert _weeks(ctx, capsys) == [("2026-10-05", "typed 2026-10-05"), ("2026-10-12", "typed 2026-10-14"),
                                   ("2026-10-19", "typed 2026-10-19")]
    return rotation


def test_moving_the_start_renames_each_logged_week_to_a_week_of_the_rotation(
        ctx: Context, capsys: pytest.CaptureFixture[str], logged: int) -> None:
    out, _ = _cli(ctx, capsys, "rotations", "edit", str(logged), "--start", "2026-10-08")
    assert "its logged weeks now go by the new weeks holding most of their days: 2026-10-05 is now 2026-10-08, " \
           "2026-10-12 is now 2026-10-15, 2026-10-19 is now 2026-10-22" in out, out
    assert _weeks(ctx, capsys) == [("2026-10-08", "typed 2026-10-05"), ("2026-10-15", "typed 2026-10-14"),
                                   ("2026-10-22", "typed 2026-10-19")]
    # and back: every label a first day of the rotation's weeks again, nothing lost or merged
    _cli(ctx, capsys, "rotations", "edit", str(logged), "--start", "2026-10-05")
    assert [w for w, _ in _weeks(ctx, capsys)] == ["2026-10-05", "2026-10-12", "2026-10-19"]


def test_a_logged_week_left_mostly_outside_the_new_dates_is_kept_and_said(
        ctx: Context, capsys: pytest.CaptureFixture[str], logged: int) -> None:
    out, _ = _cli(ctx, capsys, "rotations", "edit", str(logged), "--start", "2026-10-09")
    assert "its logged weeks now go by the new weeks holding most of their days: 2026-10-12 is now 2026-10-09, " \
           "2026-10-19 is now 2026-10-16; its logged week of 2026-10-05 (40 h) now lies mostly outside its dates: " \
           "kept as logged" in out, out
    assert _weeks(ctx, capsys) == [("2026-10-05", "typed 2026-10-05"), ("2026-10-09", "typed 2026-10-14"),
                                   ("2026-10-16", "typed 2026-10-19")]
