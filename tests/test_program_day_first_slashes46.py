"""A comma-separated program file with a day-first slash date ("15/10/2027") says why it is refused.

Comma-separated files read slashes month first, as U.S. program data writes them (docs/matching-model.md, 2d):
"15/10/2027" has no month 15, and the import said only "'15/10/2027' is not a date YYYY-MM-DD, MM/DD/YYYY or
D.M.YYYY", though the person had typed a date, day first. It now says how slashes are read, that 15 is not a
month, and the ISO spelling of the day it likely meant, at the file, line and column as other cell errors are.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.matching_support import BASE_ROW, HEADER


def _comma_file(path: Path, **cells: str) -> Path:
    values = {**BASE_ROW, **cells}
    names = HEADER.split(",")
    path.write_text(",".join(names) + "\n" + ",".join(values[n] for n in names) + "\n", encoding="utf-8")
    return path


def test_a_day_first_slash_date_in_a_comma_file_says_why(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    path = _comma_file(tmp_path / "programs.csv", application_deadline="15/10/2027")
    res = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    column = HEADER.split(",").index("application_deadline") + 1
    assert res.code == 2, res
    assert "programs.csv" in res.err and (
        f"line 2, column {column} (application_deadline): '15/10/2027' is not a date: slashes are read month "
        "first (MM/DD/YYYY, as U.S. program data writes them) and 15 is not a month; if it is 15 October 2027, "
        "write it 2027-10-15") in res.err, res
    assert run_cli(capsys, "programs", "list", "--json", "--db", db_url).json() in ([], {"programs": []})


def test_a_slash_date_with_no_reading_keeps_the_plain_refusal(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    # 15/31/2027 is no day either way round: nothing to suggest.
    path = _comma_file(tmp_path / "programs.csv", application_deadline="15/31/2027")
    res = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    assert res.code == 2 and "'15/31/2027' is not a date YYYY-MM-DD, MM/DD/YYYY or D.M.YYYY" in res.err, res
