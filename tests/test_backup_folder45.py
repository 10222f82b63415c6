"""`imgcoach db backup` to a path whose folder is missing refuses as every other command that writes a file the user
names (`export -o`, `cv -o`: test_output_folders44): exit 2, the missing folder named, nothing written, no folder
made (stop 45). It said "X: no such folder" in words of its own, and said the same of a file standing where a
folder of the path should be, which is not missing. Real SQLite (a backup is SQLite's: PostgreSQL has pg_dump),
the real CLI in process.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

pytestmark = pytest.mark.sqlite_only


def test_a_backup_in_a_missing_folder_is_refused_as_export_refuses_it(
        demo_ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "backups").mkdir(parents=True)
    typo = home / "bakcups" / "2027"
    target = typo / "plan.sqlite"
    res = run_cli(capsys, "db", "backup", str(target), "--db", demo_ctx.db.url)
    assert res.code == 2, (res.out, res.err)
    assert f"{target}: no folder {typo}; nothing written (check its name, or create it first)" in res.err, res.err
    exported = run_cli(capsys, "export", "-o", str(typo / "plan.ics"), "--db", demo_ctx.db.url)
    assert exported.err.replace("plan.ics", "plan.sqlite") == res.err  # one refusal, word for word
    assert sorted(p.name for p in home.iterdir()) == ["backups"]


def test_a_file_where_a_folder_should_be_is_named_as_such(
        demo_ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Not a missing folder: "no such folder" was said of a folder that exists, as a file."""
    blocker = tmp_path / "backups"
    blocker.write_text("notes\n")
    target = blocker / "plan.sqlite"
    res = run_cli(capsys, "db", "backup", str(target), "--db", demo_ctx.db.url)
    assert res.code == 2, (res.out, res.err)
    assert f"{target}: {blocker} is a file, not a folder; nothing written" in res.err, res.err
    assert "no such folder" not in res.err and blocker.read_text() == "notes\n"
