"""A case recorded without a summary (`cases add 1 TITLE`, --summary is optional) is written as its title alone.

Found walking (walk54): the letter writer's packet listed "- Sepsis in elderly: " with nothing after the colon, as if a
summary had been lost on its way to the writer, and `stories` printed a blank indented line under the case. The app's
rotation details already left the empty summary out (tui.details).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_cli


def _rotation_with_a_bare_case(capsys: pytest.CaptureFixture[str], ctx: Context) -> None:
    db = ("--db", ctx.db.url)
    for words in (("rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine", "--institution",
                   "Mercy Hospital", "--state", "NY", "--start", "2026-10-05", "--end", "2026-10-30", "--hours", "40"),
                  ("contacts", "add", "--name", "Dr Ana Ruiz", "--rotation", "1", "--email", "ana@example.org"),
                  ("cases", "add", "1", "Sepsis in elderly", "--tags", "teamwork", "--on", "2026-10-12")):
        result = run_cli(capsys, *words, *db)
        assert result.code == 0, result


def test_the_packet_lists_the_case_by_its_title(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                tmp_path: Path) -> None:
    _rotation_with_a_bare_case(capsys, ctx)
    made = run_cli(capsys, "packet", "Dr Ana Ruiz", "-o", str(tmp_path), "--db", ctx.db.url)
    assert made.code == 0, made
    summary = next(tmp_path.glob("*.md")).read_text()
    lines = [line for line in summary.splitlines() if "Sepsis in elderly" in line]
    assert lines and all(line.rstrip().endswith("Sepsis in elderly") for line in lines), lines


def test_stories_print_no_empty_line_for_it(capsys: pytest.CaptureFixture[str], ctx: Context) -> None:
    _rotation_with_a_bare_case(capsys, ctx)
    said = run_cli(capsys, "stories", "--db", ctx.db.url)
    assert said.code == 0, said
    assert "Sepsis in elderly" in said.out, said.out
    blank = [line for line in said.out.splitlines() if line and not line.strip()]
    assert not blank, said.out  # groups are parted by empty lines; an indented blank line was the missing summary
