"""A rotation's log names each week by its first day (since stop 46). Moving the rotation's start left the rows
labelled by the old weeks: after `rotations edit 1 --start` from Monday 2026-10-05 to Thursday 2026-10-08,
`log list` still said "week of 2026-10-05" (before the rotation) and of Mondays no week begins on. The edit now
renames each logged week to the new week holding most of its days, in the edit's own transaction (the CLI and the
app's form both save through plan.save_rotation) and says so; an edit that would leave a logged week mostly
outside the rotation is refused, naming the day that keeps it, and changes nothing."""

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


def test_an_edit_leaving_a_logged_week_outside_the_rotation_is_refused(
        ctx: Context, capsys: pytest.CaptureFixture[str], logged: int) -> None:
    _, err = _cli(ctx, capsys, "rotations", "edit", str(logged), "--start", "2026-10-09", code=2)
    assert "the log's week of 2026-10-05 (40 h) would then lie mostly outside the rotation (2026-10-09 to " \
           "2026-11-27); a start on or before 2026-10-08 keeps it in" in err, err
    _, err = _cli(ctx, capsys, "rotations", "edit", str(logged), "--end", "2026-10-20", code=2)
    assert "an end on or after 2026-10-22 keeps it in" in err, err
    out, _ = _cli(ctx, capsys, "rotations", "show", str(logged), "--json")
    shown = json.loads(out)["rotation"]
    assert (shown["start_date"], shown["end_date"]) == ("2026-10-05", "2026-11-27")
    assert [w for w, _ in _weeks(ctx, capsys)] == ["2026-10-05", "2026-10-12", "2026-10-19"]
