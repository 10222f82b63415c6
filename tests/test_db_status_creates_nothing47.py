"""`db status` is a question, yet given a path in a missing folder it made the folder and an empty database there
("schema (none); ... empty", exit 0), and given an empty file (say a mistyped notes.csv) it wrote SQLite's header
into it, after which `rotations list` no longer saw an empty file and wrote the whole schema into it. It now says
"no database at PATH", as `db check` and every read command do, and creates and writes nothing (`db check` on an
empty file too). A command that starts a database (`profile set`) still makes a missing folder, and now says so:
sqlite3 itself refuses one."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from tests.cli_helpers import run_cli

pytestmark = pytest.mark.sqlite_only  # SQLite files and folders themselves


def test_db_status_of_a_path_in_a_missing_folder_creates_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    path = tmp_path / "missing" / "imgcoach.sqlite"
    res = run_cli(capsys, "db", "status", "--db", str(path))
    assert (res.code, res.out) == (2, ""), res
    assert f"no database at {path}" in res.err, res.err
    assert not path.parent.exists()


@pytest.mark.parametrize("command", [("db", "status"), ("db", "check")])
def test_db_status_and_check_of_an_empty_file_write_nothing_into_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, command: tuple[str, ...]) -> None:
    path = tmp_path / "notes.csv"
    path.write_bytes(b"")
    res = run_cli(capsys, *command, "--db", str(path))
    assert (res.code, res.out) == (2, ""), res
    assert f"no database at {path}: it is an empty file" in res.err, res.err
    assert path.read_bytes() == b"" and sorted(p.name for p in tmp_path.iterdir()) == ["notes.csv"]
    again = run_cli(capsys, "rotations", "list", "--db", str(path))  # the guard that the header used to defeat
    assert again.code == 2 and path.read_bytes() == b"", again


def test_a_new_database_in_a_missing_folder_says_it_made_the_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    path = tmp_path / "new folder" / "plan.sqlite"
    res = run_cli(capsys, "profile", "set", "--name", "Ana Silva", "--email", "ana@example.com", "--timezone",
                  "America/New_York", "--db", str(path))
    assert res.code == 0, res
    assert f"imgcoach: note: {path.parent} did not exist: created it for the new database plan.sqlite" in res.err
    assert path.is_file()
    status = run_cli(capsys, "db", "status", "--db", str(path))
    assert status.code == 0 and status.out.endswith("up to date\n"), status
