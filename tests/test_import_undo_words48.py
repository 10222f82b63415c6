"""What an import of several files says about undoing them (walk48).

`imgcoach import a.ics b.ics` printed "import 1: undo with `imgcoach import --undo`" under the first file, and
"import 2: ..." under the second; but `import --undo` reverts the last import, so the command printed under import 1
undid import 2. Each import of the run is named, and the run says once that `--undo` takes the newest first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

DATA = Path(__file__).resolve().parent / "data" / "ics"
FIRST, SECOND = str(DATA / "floating_no_xwr.ics"), str(DATA / "allday_multiday.ics")


def test_a_run_of_two_imports_says_undo_takes_the_newest_first(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                                db_url: str, cli_clock: object) -> None:
    res = run_cli(capsys, "import", FIRST, SECOND, "--db", db_url)
    assert res.code == 0, res.err
    first_block, second_block = res.out.split(f"{SECOND}:")
    # No line under the first file offers a command that would undo the second.
    assert "--undo" not in first_block, res.out
    assert "  import 1\n" in first_block and "  import 2\n" in second_block, res.out
    assert ("imports 1 and 2: `imgcoach import --undo` undoes the newest of them (import 2) first; run it once more "
            "for each earlier one") in res.out, res.out
    undone = run_cli(capsys, "import", "--undo", "--db", db_url)
    assert undone.code == 0 and undone.out.startswith(f"undid import 2 of {SECOND}"), undone.out
    undone = run_cli(capsys, "import", "--undo", "--db", db_url)
    assert undone.code == 0 and undone.out.startswith(f"undid import 1 of {FIRST}"), undone.out


def test_one_import_keeps_its_undo_line(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str,
                                        cli_clock: object) -> None:
    """A guard: one file, one import, the line it always had; and a run where one file of two was unchanged
    recorded one import, which the line under it names as `--undo`'s."""
    assert run_cli(capsys, "import", FIRST, "--db", db_url).out.endswith(
        "  import 1: undo with `imgcoach import --undo`\n")
    res = run_cli(capsys, "import", FIRST, SECOND, "--db", db_url)
    assert res.code == 0, res.err
    assert f"{FIRST}: unchanged since its last import" in res.out
    assert res.out.endswith("  import 2\nimport 2: undo with `imgcoach import --undo`\n"), res.out
