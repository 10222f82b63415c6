"""Program files with day.month.year dates written with dots ("15.10.2027"), as German Excel saves a date cell:
found in stop 45, every such file was refused ("'15.10.2027' is not a date YYYY-MM-DD or MM/DD/YYYY"), though no
locale writes month.day with dots, so the date has one reading. Slashes stay as they were in a comma-separated
file (month first, as U.S. program data writes them); in a semicolon-separated file, which Excel writes where
slashes are day first (France, Spain, Italy), "03/04/2027" read as March 4 was a guess stored without a word: it is
refused, naming both readings.

The files are written as German Excel's "CSV UTF-8" writes them: a BOM, CRLF line ends, semicolons, a decimal
comma. Real SQLite and PostgreSQL, the real CLI in process, the injected clock (the import's day bounds
checked_on).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.matching_support import BASE_ROW, HEADER

NAMES = [*HEADER.split(","), "positions_source", "positions_checked_on"]


def _excel_file(path: Path, sep: str, **cells: str) -> Path:
    values = {**BASE_ROW, "program_id": "DE-1", "name": "Mercy Hospital IM", "state": "MO",
              "positions_source": "program website", "positions_checked_on": "2026-10-01", **cells}
    text = sep.join(NAMES) + "\r\n" + sep.join(values[n] for n in NAMES) + "\r\n"
    path.write_bytes(text.encode("utf-8-sig"))
    return path


def test_a_german_excel_file_with_dotted_dates_imports_them_day_first(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    path = _excel_file(tmp_path / "programme.csv", ";", application_deadline="15.10.2027", checked_on="3.11.2026",
                       positions_checked_on="02.10.2026", img_share_pct="35,5%")
    res = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    assert res.code == 0, res.err
    listed = run_cli(capsys, "programs", "list", "--json", "--db", db_url).json()
    rows = listed if isinstance(listed, list) else listed["programs"]
    assert [(r["application_deadline"], r["checked_on"], r["img_share_pct"]) for r in rows] \
        == [("2027-10-15", "2026-11-03", "35.5")], rows
    explained = run_cli(capsys, "shortlist", "--explain", "DE-1", "--db", db_url)
    assert "2026-10-02" in explained.out, explained  # the positions fact's own check, day first too


def test_an_impossible_dotted_date_is_refused_at_its_cell(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    path = _excel_file(tmp_path / "programme.csv", ";", application_deadline="31.02.2027")
    res = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    column = NAMES.index("application_deadline") + 1
    # Said by the part out of range (walk54), not as if the cell were in no date's form
    assert res.code == 2 and (f"line 2, column {column} (application_deadline): '31.02.2027' is not a date: "
                              "February 2027 has 28 days") in res.err, res


def test_a_slash_date_that_reads_two_ways_is_refused_in_a_semicolon_file(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    """French Excel writes 3 April 2027 as 03/04/2027: stored as March 4, a deadline a month early or late."""
    path = _excel_file(tmp_path / "programme.csv", ";", application_deadline="03/04/2027",
                       positions_checked_on="01/10/2026")
    res = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    assert res.code == 2, res
    column = NAMES.index("application_deadline") + 1
    assert (f"line 2, column {column} (application_deadline): '03/04/2027' could be 3 April 2027 (day first, as "
            "French, Spanish or Italian Excel writes it in a semicolon-separated file) or 4 March 2027 (month "
            "first, as U.S. data does): write it 2027-04-03 or 2027-03-04") in res.err, res
    assert "'01/10/2026' could be 1 October 2026" in res.err, res  # the per-fact checked_on: the same rule
    assert run_cli(capsys, "programs", "list", "--json", "--db", db_url).json() in ([], {"programs": []})


def test_slashes_keep_their_one_reading(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    """A comma-separated file's 03/04/2027 is March 4 as before (U.S. data, documented); in a semicolon file a
    slash date with one possible reading is read so."""
    comma = _excel_file(tmp_path / "programs.csv", ",", application_deadline="03/04/2027")
    assert run_cli(capsys, "programs", "import", str(comma), "--db", db_url).code == 0
    semi = _excel_file(tmp_path / "programme.csv", ";", program_id="DE-2", application_deadline="15/10/2027")
    res = run_cli(capsys, "programs", "import", str(semi), "--db", db_url)
    assert res.code == 0, res.err
    listed = run_cli(capsys, "programs", "list", "--json", "--db", db_url).json()
    rows = listed if isinstance(listed, list) else listed["programs"]
    assert sorted((r["program_id"], r["application_deadline"]) for r in rows) \
        == [("DE-1", "2027-03-04"), ("DE-2", "2027-10-15")], rows
