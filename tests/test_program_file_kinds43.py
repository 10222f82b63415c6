"""Program files as spreadsheets save them: semicolon-separated (Excel where the comma is the decimal mark),
UTF-16 with tabs (Excel's "Unicode Text"), UTF-8 with a BOM; a Windows-1252 file is refused at its line.

Found in stop 43: a semicolon file was "missing column 'program_id'", 'name', 'specialty' and four more, all of
them there; a UTF-16 file was "not UTF-8 text (byte 0)"; a Windows-1252 accent "not UTF-8 text (byte 336)",
which left the person counting bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.matching_support import BASE_ROW, HEADER

NAMES = HEADER.split(",")


def _rows(sep: str, name: str = "Mercy Hospital St. Louis IM") -> str:
    values = {**BASE_ROW, "program_id": "MO-1", "name": name, "state": "MO"}
    return sep.join(NAMES) + "\n" + sep.join(values[n] for n in NAMES) + "\n"


@pytest.mark.parametrize(("file_name", "data"), [
    ("semicolons.csv", _rows(";").encode("utf-8")),
    ("unicode_text.txt", _rows("\t").encode("utf-16")),  # Excel's "Unicode Text": UTF-16 with its BOM, tabs
    ("bom.csv", b"\xef\xbb\xbf" + _rows(",").encode("utf-8")),
], ids=["semicolons", "utf16-tabs", "utf8-bom"])
def test_a_spreadsheets_file_is_read_as_the_comma_one(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str,
                                                       tmp_path: Path, file_name: str, data: bytes) -> None:
    path = tmp_path / file_name
    path.write_bytes(data)
    res = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    assert res.code == 0, res.err
    res = run_cli(capsys, "programs", "list", "--json", "--db", db_url)
    listed = json.loads(res.out)
    rows = listed if isinstance(listed, list) else listed["programs"]
    assert [(p["program_id"], p["name"], p["state"]) for p in rows] == [("MO-1", "Mercy Hospital St. Louis IM", "MO")]


def test_a_windows_1252_file_is_refused_at_its_line(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str,
                                                    tmp_path: Path) -> None:
    path = tmp_path / "cp1252.csv"
    path.write_bytes(_rows(",", name="Hôpital Mercy IM").encode("cp1252"))
    res = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    assert res.code == 2
    assert f"{path}: line 2: not UTF-8 text (byte 0xF4, perhaps Windows-1252 or Latin-1): save the file as CSV " \
           "UTF-8" in res.err
