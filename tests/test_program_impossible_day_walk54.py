"""A program file's day the calendar lacks is refused by the part out of range, as `exams add` refuses it.

Found walking a new user's sequence (walk54): a programs.csv with checked_on 2027-02-29 was refused with
"'2027-02-29' is not a date YYYY-MM-DD, MM/DD/YYYY or D.M.YYYY", a form it was already in (`exams add --date
2027-02-29` says "February 2027 has 28 days": plan.out_of_range, one rule for both). The same for the month-first
slashes and the day-first dots the file may hold; a cell with no reading keeps the plain refusal (a guard).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli
from tests.matching_support import BASE_ROW, HEADER


def _comma_file(path: Path, **cells: str) -> Path:
    values = {**BASE_ROW, **cells}
    names = HEADER.split(",")
    path.write_text(",".join(names) + "\n" + ",".join(values[n] for n in names) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("cell", "said"), [
    ("2027-02-29", "'2027-02-29' is not a date: February 2027 has 28 days"),
    ("02/30/2027", "'02/30/2027' is not a date: February 2027 has 28 days"),
    ("31.04.2027", "'31.04.2027' is not a date: April 2027 has 30 days"),
    ("2027-13-01", "'2027-13-01' is not a date: there is no month 13 (months run 01 to 12)"),
], ids=["iso", "slashes", "dots", "month"])
def test_a_day_the_calendar_lacks_is_said_by_its_part(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path,
        cell: str, said: str) -> None:
    path = _comma_file(tmp_path / "programs.csv", application_deadline=cell)
    before = database_state(db_url)
    res = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    column = HEADER.split(",").index("application_deadline") + 1
    assert res.code == 2, res
    assert f"programs.csv: 1 problem, nothing imported: line 2, column {column} (application_deadline): {said}" \
        in res.err, res.err
    assert "Traceback" not in res.err
    assert database_state(db_url) == before


def test_a_cell_in_no_date_shape_keeps_the_plain_refusal(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    """A guard: "next week" is in no shape the file's dates take; the forms are named."""
    path = _comma_file(tmp_path / "programs.csv", application_deadline="next week")
    res = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    assert res.code == 2 and "'next week' is not a date YYYY-MM-DD, MM/DD/YYYY or D.M.YYYY" in res.err, res
