"""`shortlist --budget N` with every eligible program already on the list said "the last program still adds 3.24
points of match chance per $100: more money can still help" under "chosen 8 of 8 eligible programs" (stop 45's
walk): no program was left to spend more on. It now says every eligible program is on the list and more money
adds none; a list the budget cut short still says more money can help. The CLI, `--json` and the app's budget
picture read one StopAdvice. Real SQLite and PostgreSQL, the real CLI in process, the injected clock.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.matching_support import csv_text, row

STILL = "more money can still help"
ALL = "and every eligible program is on the list: more money adds no program to it"


def _three_programs(ctx: Context, capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path) -> None:
    path = tmp_path / "programs.csv"
    path.write_text(csv_text(*[row(program_id=f"IM{i}", name=f"Program {i} IM", img_share_pct=str(40 + i),
                                   yog_cutoff_years="none") for i in range(3)]))
    assert run_cli(capsys, "programs", "import", str(path), "--db", db).code == 0


def test_a_budget_past_every_eligible_program_does_not_say_more_money_helps(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    _three_programs(ctx, capsys, db_url, tmp_path)
    wide = run_cli(capsys, "shortlist", "--budget", "10", "--db", db_url)
    assert wide.code == 0, wide.err
    assert "chosen 3 of 3 eligible programs" in wide.out, wide.out
    assert STILL not in wide.out and "the last program adds " in wide.out and ALL in wide.out, wide.out
    data = run_cli(capsys, "shortlist", "--budget", "10", "--json", "--db", db_url).json()
    assert ALL in data["stop_here"]["text"] and STILL not in data["stop_here"]["text"], data["stop_here"]
    assert ALL in data["curve"]["stop_text"], data["curve"]  # what the app's budget picture prints


def test_a_budget_that_leaves_eligible_programs_out_still_says_it(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    _three_programs(ctx, capsys, db_url, tmp_path)
    narrow = run_cli(capsys, "shortlist", "--budget", "2", "--db", db_url)
    assert narrow.code == 0, narrow.err
    assert "chosen 2 of 3 eligible programs" in narrow.out and STILL in narrow.out and ALL not in narrow.out, \
        narrow.out
