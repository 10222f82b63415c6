"""Program files saved by Excel where the comma is the decimal mark (German, French...): semicolons between
cells, and numbers written "35,5". Found in stop 44: the semicolons were read, but every such number was "'35,5'
is not a number", so the file imported nothing.

The files here are written as Excel's "CSV UTF-8" writes them in those locales: a BOM, CRLF line ends,
semicolons, percentages as displayed ("35,5%" in German, "35,5 %" with a no-break space in French).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.matching_support import BASE_ROW, HEADER

NAMES = HEADER.split(",")


def _excel_file(path: Path, sep: str, encoding: str = "utf-8-sig", **cells: str) -> Path:
    values = {**BASE_ROW, "program_id": "DE-1", "name": "Mercy Hospital IM", "state": "MO", **cells}
    text = sep.join(NAMES) + "\r\n" + sep.join(values[n] for n in NAMES) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def _stored(capsys: pytest.CaptureFixture[str], db_url: str) -> dict[str, str]:
    res = run_cli(capsys, "programs", "list", "--json", "--db", db_url)
    listed = json.loads(res.out)
    rows = listed if isinstance(listed, list) else listed["programs"]
    assert len(rows) == 1
    return dict(rows[0])


@pytest.mark.parametrize(("sep", "encoding", "pct"), [
    (";", "utf-8-sig", "35,5%"),  # German Excel, CSV UTF-8
    (";", "utf-8-sig", "35,5\u00a0%"),  # French Excel: a no-break space before the percent sign
    ("\t", "utf-16", "35,5%"),  # Excel's "Unicode Text" in either locale: UTF-16, tabs
], ids=["de-semicolons", "fr-semicolons", "unicode-text-tabs"])
def test_a_decimal_comma_is_read_as_the_decimal_point(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str,
                                                      tmp_path: Path, sep: str, encoding: str, pct: str) -> None:
    path = _excel_file(tmp_path / "programme.csv", sep, encoding, img_share_pct=pct, us_img_pct="12,25",
                       usce_months_required="1,5", positions="12")
    res = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    assert res.code == 0, res.err
    stored = _stored(capsys, db_url)
    assert (stored["img_share_pct"], stored["us_img_pct"], stored["usce_months_required"], stored["positions"]) \
        == ("35.5", "12.25", "1.5", "12")


def test_a_thousands_separator_is_refused_at_its_cell(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                      db_url: str, tmp_path: Path) -> None:
    """"1.234,5" is 1234.5 in Germany and nothing in the U.S.: refused, saying how to write it, nothing imported."""
    path = _excel_file(tmp_path / "programme.csv", ";", applications_last_year="1.234,5")
    res = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    assert res.code == 2
    column = NAMES.index("applications_last_year") + 1
    assert f"line 2, column {column} (applications_last_year): '1.234,5' is not a number: write it without a " \
           "thousands separator, with a decimal comma (e.g. 1234,5)" in res.err


def test_a_decimal_comma_in_a_whole_number_column_is_quoted_as_written(
        ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    path = _excel_file(tmp_path / "programme.csv", ";", positions="10,5")
    res = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    assert res.code == 2
    assert f"line 2, column {NAMES.index('positions') + 1} (positions): '10,5' is not a whole number" in res.err


def test_a_comma_separated_file_keeps_the_decimal_point(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                        db_url: str, tmp_path: Path) -> None:
    """Where the comma separates cells, a quoted "35,5" is not read as 35.5: that file's locale writes 35.5."""
    path = _excel_file(tmp_path / "programs.csv", ",", img_share_pct='"35,5"')
    res = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    assert res.code == 2
    assert "(img_share_pct): '35,5' is not a number" in res.err
