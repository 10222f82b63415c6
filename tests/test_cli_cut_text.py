"""CLI tables cut long text to a column: the cut is shown ("…"), and a synthetic program keeps its
"(synthetic)" whatever its name's length (every row of synthetic data says so)."""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.coach import add_log_entry
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.words import clip
from tests.cli_helpers import run_cli


def test_clip_says_when_it_cut() -> None:
    assert clip("Rounds on the teaching service", 30) == "Rounds on the teaching service"
    assert clip("Continuity clinic under supervision", 30) == "Continuity clinic under super…"
    assert len(clip("x" * 100, 30)) == 30


def test_programs_list_keeps_synthetic_on_every_row(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """`programs list` cut names at 48 characters: "Bayland Health System Family Medicine Program (s"."""
    result = run_cli(capsys, "programs", "list", "--db", demo_ctx.db.url)
    assert result.code == 0, result.err
    *rows, note = result.out.splitlines()[2:]  # the last line says how many the limit left out
    assert note.startswith("showing the first 50 of ")
    assert len(rows) >= 10
    long_names = [line for line in rows if "…" in line]
    assert long_names, "the demo has names longer than the column"
    assert all("(synthetic)" in line for line in rows), next(line for line in rows if "(synthetic)" not in line)


def test_log_list_shows_where_it_cut(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """"Continuity clinic under superv" read as the whole entry."""
    add_log_entry(demo_ctx, 2, date(2026, 11, 16), 40, activities="Continuity clinic under supervision, then notes",
                  feedback="Presentations too long; lead with the assessment")
    result = run_cli(capsys, "log", "list", "--rotation", "2", "--db", demo_ctx.db.url)
    assert result.code == 0, result.err
    assert "Continuity clinic under super…" in result.out and "Presentations too long; lead …" in result.out
