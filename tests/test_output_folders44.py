"""A file written where the user names it goes in a folder that exists, or nothing is written (stop 44).

`export -o`, `export --feed` and `cv -o` made every missing folder of the path without a word, so a typo in a
folder's name ("exprots/plan.ics") wrote the file where the user did not look; `applicants export -o` refused with
"cannot write: No such file or directory". Each now refuses as cp does: exit 2, the missing folder named, nothing
written, no folder made. `packet -o DIR` names the packet's own folder: made when the folder it goes in exists, and
said ("created folder DIR"); refused when that is missing too. Real SQLite/PostgreSQL, the real CLI.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli


@pytest.mark.parametrize("command", [
    ("export", "-o"), ("export", "--feed"), ("cv", "-o"), ("cv", "--format", "pdf", "-o"), ("applicants", "export", "-o"),
], ids=["export", "feed", "cv", "cv-pdf", "applicants-export"])
def test_a_file_in_a_missing_folder_is_refused_naming_it(demo_ctx: Context, cli_clock: FixedClock,
                                                         capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                         command: tuple[str, ...]) -> None:
    home = tmp_path / "home"
    (home / "exports").mkdir(parents=True)
    typo = home / "exprots" / "2027"
    target = typo / "plan.out"
    before = database_state(demo_ctx.db.url)
    res = run_cli(capsys, *command, str(target), "--db", demo_ctx.db.url)
    assert res.code == 2, (res.out, res.err)
    assert f"{target}: no folder {typo}; nothing written (check its name, or create it first)" in res.err, res.err
    assert sorted(p.name for p in home.iterdir()) == ["exports"]
    assert database_state(demo_ctx.db.url) == before  # no feed remembered either


def test_the_packet_folder_is_made_and_said_but_not_a_missing_one_above_it(
        demo_ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    made = run_cli(capsys, "packet", "Dr. James Whitaker (fictional)", "-o", str(tmp_path / "packets"),
                   "--db", demo_ctx.db.url)
    assert made.code == 0, made.err
    assert made.out.splitlines()[0] == f"created folder {tmp_path / 'packets'}", made.out
    assert any(p.suffix == ".pdf" for p in (tmp_path / "packets").iterdir())
    again = run_cli(capsys, "packet", "Dr. James Whitaker (fictional)", "-o", str(tmp_path / "packets"),
                    "--db", demo_ctx.db.url)
    assert again.code == 0 and "created folder" not in again.out, again.out  # there now: nothing made
    typo = tmp_path / "pakcets" / "whitaker"
    refused = run_cli(capsys, "packet", "Dr. James Whitaker (fictional)", "-o", str(typo), "--db", demo_ctx.db.url)
    assert refused.code == 2
    assert f"{typo}: no folder {tmp_path / 'pakcets'}; nothing written (check its name, or create it first)" \
        in refused.err, refused.err
    assert not (tmp_path / "pakcets").exists()
