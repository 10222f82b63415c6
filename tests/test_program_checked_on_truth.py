"""A program file's checked_on is the day its values were checked: one after the import's day cannot be true,
yet `programs import` took 2027-11-01 from a file imported on 25 Nov 2026 and `shortlist --explain` showed the
program's facts as "checked 2027-11-01". Now such a row is bad input: the file, line and column named, exit 2,
the database byte-identical; the same for a per-fact <field>_checked_on and for `programs add --set`."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from tests.cli_helpers import run_cli
from tests.matching_support import HEADER, csv_text, row


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> str:
    path = str(tmp_path / "checked.sqlite")
    assert run_cli(capsys, "--db", path, "profile", "set", "--name", "A", "--email", "a@example.com").code == 0
    return path


@pytest.mark.parametrize(("rows", "header", "where"), ids=["row", "per-fact"], argvalues=[
    ([row(), row(program_id="P2", checked_on="2027-11-01")], HEADER, "line 3, column 25 (checked_on)"),
    ([row(img_share_pct_checked_on="2028-01-01")], HEADER + ",img_share_pct_checked_on",
     "line 2, column 26 (img_share_pct_checked_on)"),
])
def test_a_check_after_the_import_day_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], db: str, rows: list[dict[str, str]], header: str, where: str
) -> None:
    path = tmp_path / "programs.csv"
    path.write_text(csv_text(*rows, header=header))
    before = Path(db).read_bytes()
    result = run_cli(capsys, "--db", db, "programs", "import", str(path))
    assert result.code == 2 and f"{path}: 1 problem, nothing imported" in result.err, result
    assert where in result.err and "is after today (2026-11-25)" in result.err and "cannot be in the future" in result.err
    assert Path(db).read_bytes() == before


def test_the_import_day_and_the_day_after_are_taken(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: str) -> None:
    """A day of slack: the user's own today may be a day ahead of the clock's date."""
    path = tmp_path / "programs.csv"
    path.write_text(csv_text(row(checked_on="2026-11-25"), row(program_id="P2", checked_on="2026-11-26")))
    assert run_cli(capsys, "--db", db, "programs", "import", str(path)).code == 0


def test_programs_add_refuses_a_future_check(capsys: pytest.CaptureFixture[str], db: str) -> None:
    before = Path(db).read_bytes()
    result = run_cli(capsys, "--db", db, "programs", "add", "P9", "--name", "Nine", "--specialty", "IM",
                     "--state", "NY", "--set", "checked_on=2027-01-05")
    assert result.code == 2 and "checked_on" in result.err and "cannot be in the future" in result.err, result
    assert Path(db).read_bytes() == before
