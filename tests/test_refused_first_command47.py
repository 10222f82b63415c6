"""A refused command that would have started a new database leaves nothing behind.

`profile set --db new.sqlite --email bad` exited 2 and left a 356 KB database with no profile (and the folders made
for it): the next `rotations list --db new.sqlite` then found "a database" where the user had made none. A refused
command promises to change nothing; for a new database that means no file and no folder. truth47 noticed it.
The real CLI (cli.main, as the `imgcoach` command runs it) on real paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import run_cli

GOOD = ("--name", "Amina Rahman", "--email", "amina@example.org", "--timezone", "Africa/Cairo")


def test_a_refused_profile_set_leaves_no_new_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite"
    refused = run_cli(capsys, "profile", "set", "--db", str(db), "--email", "bad")
    assert refused.code == 2 and "not a valid e-mail address" in refused.err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no file, no -wal or -shm beside it
    assert run_cli(capsys, "rotations", "list", "--db", str(db)).code == 2  # still "no database at"


def test_the_folders_made_for_it_go_too_and_the_user_is_told_after_the_error(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "plans" / "2028" / "mine.sqlite"
    refused = run_cli(capsys, "profile", "set", "--db", str(db), "--email", "bad")
    assert refused.code == 2
    assert list(tmp_path.iterdir()) == []
    lines = refused.err.splitlines()
    assert lines[0].startswith("imgcoach: note:") and "created it" in lines[0]
    assert lines[1].startswith("imgcoach: error:")
    assert lines[2] == f"imgcoach: note: removed {tmp_path / 'plans'} again: nothing was saved"


def test_a_database_that_was_there_is_never_removed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "mine.sqlite"
    assert run_cli(capsys, "profile", "set", "--db", str(db), *GOOD).code == 0
    before = db.read_bytes()
    assert run_cli(capsys, "profile", "set", "--db", str(db), "--email", "bad").code == 2
    assert db.exists() and db.read_bytes() == before
    assert run_cli(capsys, "profile", "show", "--db", str(db)).code == 0


def test_a_successful_first_command_keeps_its_new_database_and_folder(capsys: pytest.CaptureFixture[str],
                                                                       tmp_path: Path) -> None:
    db = tmp_path / "plans" / "mine.sqlite"
    made = run_cli(capsys, "profile", "set", "--db", str(db), *GOOD)
    assert made.code == 0 and db.exists() and "removed" not in made.err
