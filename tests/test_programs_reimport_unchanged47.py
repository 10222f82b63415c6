"""`programs import` of a file whose programs are all stored as it has them already recorded a second import
("imported p.csv: 0 added, 0 updated, 18 unchanged") and re-ranked every shortlist: the new import's id is part
of the program data's version, so the shortlists read it as new program data. It now says the file is unchanged,
records no import and ranks nothing again, as the calendar import does with a file unchanged since its last
import; a file that changes one program is recorded as before."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.matching_support import csv_text, row

pytestmark = pytest.mark.sqlite_only  # counts the rows of the SQLite file itself


def _imports(db_path: Path) -> list[tuple[int, int, int]]:
    with sqlite3.connect(db_path) as con:
        return con.execute("SELECT added, updated, unchanged FROM program_import ORDER BY id").fetchall()


def test_an_unchanged_programs_file_is_said_unchanged_and_not_recorded(
        ctx: Context, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    path = tmp_path / "programs.csv"
    path.write_text(csv_text(row(program_id="P1", state="CT"), row(program_id="P2", state="NY")))
    first = run_cli(capsys, "programs", "import", str(path), "--db", str(db_path))
    assert first.code == 0 and first.out.startswith(f"imported {path}: 2 added"), first
    again = run_cli(capsys, "programs", "import", str(path), "--db", str(db_path))
    assert again.code == 0, again
    assert again.out.splitlines()[0] == f"{path}: unchanged (2 programs stored as the file has them); nothing written"
    assert _imports(db_path) == [(2, 0, 0)]
    data = run_cli(capsys, "programs", "import", str(path), "--json", "--db", str(db_path)).json()
    assert (data["status"], data["import_id"], data["unchanged"], data["shortlists_refreshed"]) == (
        "unchanged", None, 2, 0), data
    assert _imports(db_path) == [(2, 0, 0)]
    # one program changed: recorded, and said, as before
    path.write_text(csv_text(row(program_id="P1", state="CT"), row(program_id="P2", state="NJ")))
    changed = run_cli(capsys, "programs", "import", str(path), "--db", str(db_path))
    assert changed.out.startswith(f"imported {path}: 0 added, 1 updated, 1 unchanged, 0 skipped"), changed
    assert _imports(db_path) == [(2, 0, 0), (0, 1, 1)]
