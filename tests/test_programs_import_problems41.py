"""`programs import` of a file with many problems said them as indented lines, which the CLI's one-line error
(cli.quick.one_line) flattened into runs of spaces; past 1,000 characters it then elided the middle, cutting
problems in half and hiding some that the "... and 16 more" count implied were shown. Now: one line, "; "
between problems, each naming its line and column, as many as fit whole, then how many more; exit 2, the
database byte-identical."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from tests.cli_helpers import database_state, run_cli
from tests.matching_support import csv_text, row


@pytest.mark.sqlite_only
def test_many_problems_read_as_one_line_each_named_with_a_count_of_the_rest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], db_url: str, cli_clock: FixedClock) -> None:
    assert run_cli(capsys, "--db", db_url, "profile", "set", "--name", "A", "--email", "a@example.com").code == 0
    path = tmp_path / "programs.csv"
    bad = [row(program_id=f"P{n}", positions="ten", state="XX") for n in range(2, 20)]  # lines 3..20, 2 each
    path.write_text(csv_text(row(), *bad))
    before = database_state(db_url)
    result = run_cli(capsys, "--db", db_url, "programs", "import", str(path))
    assert result.code == 2 and result.out == "", result
    assert result.err.count("\n") == 1, result.err
    message = result.err.removeprefix("imgcoach: error: ").rstrip("\n")
    assert message.startswith(f"{path}: 36 problems, nothing imported: line 3, column 6 (state): unknown state 'XX'; ")
    assert "  " not in message and "[..." not in message, message
    head, _, more = message.rpartition("; and ")
    problems = head.split("nothing imported: ", 1)[1].split("; ")
    assert all(re.fullmatch(r"line \d+, column \d+ \((state|positions)\): .+", p) for p in problems), problems
    assert more == f"{36 - len(problems)} more problems"
    assert database_state(db_url) == before


def test_one_problem_is_said_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str], db_url: str,
                                   cli_clock: FixedClock) -> None:
    assert run_cli(capsys, "--db", db_url, "profile", "set", "--name", "A", "--email", "a@example.com").code == 0
    path = tmp_path / "programs.csv"
    path.write_text(csv_text(row(), row(program_id="P2", state="XX")))
    before = database_state(db_url)
    result = run_cli(capsys, "--db", db_url, "programs", "import", str(path))
    assert result.code == 2
    assert result.err == (f"imgcoach: error: {path}: 1 problem, nothing imported: "
                          "line 3, column 6 (state): unknown state 'XX'\n")
    assert database_state(db_url) == before
