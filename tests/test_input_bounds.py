"""Inputs that used to break things later or end in "internal error" (exit 1): each is a one-line user
error (exit 2) naming what is wrong, and the database stays byte-identical."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from imgcoach.matching.csv_reader import ProgramCsvError, read_programs
from tests.cli_helpers import run_cli
from tests.matching_support import csv_text, row

PROFILE = ["profile", "set", "--name", "Amira Haddad", "--email", "amira@example.com", "--timezone", "Asia/Kolkata",
           "--graduation-year", "2021", "--visa", "j1"]
ADD = ["rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine", "--institution",
       "Lakeside General (synthetic)", "--start", "2026-09-01", "--end", "2026-09-28"]


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "bounds.sqlite")
    assert run_cli(capsys, "--db", path, *PROFILE).code == 0
    assert run_cli(capsys, "--db", path, *ADD).code == 0
    return path


@pytest.mark.parametrize(("args", "needle"), [
    (["rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine", "--institution", "X",
      "--start", "2026-09-01", "--end", "9999-12-31"], "outside 1950..2100"),
    (["rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine", "--institution", "X",
      "--start", "1900-01-01", "--end", "2026-09-28"], "outside 1950..2100"),
    (["rotations", "show", "99999999999999999999999"], "too large"),
    (["reminders", "cancel", "9223372036854775808"], "too large"),
])
def test_out_of_range_input_is_a_user_error(capsys: pytest.CaptureFixture[str], db: str, args: list[str],
                                            needle: str) -> None:
    before = Path(db).read_bytes()
    result = run_cli(capsys, "--db", db, *args)
    assert result.code == 2 and needle in result.err and "internal error" not in result.err, result
    assert Path(db).read_bytes() == before


def test_validation_bounds_dates_outside_the_plans_years() -> None:
    from datetime import date

    from imgcoach.plan.rules.validation import check_date_range

    assert check_date_range(date(2026, 1, 1), date(9999, 12, 31)) is not None
    assert check_date_range(date(2026, 1, 1), date(2026, 2, 1)) is None


def test_cr_only_line_endings_read_like_lf() -> None:
    text = csv_text(row(), row(program_id="P2"))
    assert [p.program_id for p in read_programs(text.replace("\n", "\r")).programs] == ["P1", "P2"]


def test_a_cell_over_128_kib_is_named_by_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: str) -> None:
    text = csv_text(row(), row(program_id="P2", name="x" * (200 * 1024)))
    with pytest.raises(ProgramCsvError, match=r"line 3: unreadable CSV: a cell is longer than 128 KiB"):
        read_programs(text)
    path = tmp_path / "programs.csv"
    path.write_text(text)
    before = Path(db).read_bytes()
    result = run_cli(capsys, "--db", db, "programs", "import", str(path))
    assert result.code == 2 and "128 KiB" in result.err
    assert Path(db).read_bytes() == before


def test_read_only_database_is_a_user_error(capsys: pytest.CaptureFixture[str], db: str) -> None:
    """SQLite itself refuses the write (query_only), as for a file the user may not write."""

    def query_only(dbapi_conn: sqlite3.Connection, record: object) -> None:
        dbapi_conn.execute("PRAGMA query_only=ON")

    conn = sqlite3.connect(db)  # everything in the main file first: a checkpoint on close is not a change
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = Path(db).read_bytes()
    event.listen(Engine, "connect", query_only)
    try:
        result = run_cli(capsys, "--db", db, *ADD)
    finally:
        event.remove(Engine, "connect", query_only)
    assert result.code == 2 and "read-only" in result.err and "internal error" not in result.err, result
    assert Path(db).read_bytes() == before
