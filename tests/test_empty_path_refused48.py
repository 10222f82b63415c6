"""An empty path is refused, naming its option or argument (walk48).

pathlib reads "" as ".", the current folder: `packet 1 -o ""` (an unset shell variable in `-o "$DIR"`) wrote the
letter-writer packet into whatever folder the command ran in, exit 0; `export -o ""` failed with ".: cannot write the
calendar file: Device or resource busy", `db backup ""` said ".: already exists; choose another path or pass
--force", `db restore ""` ".: no such file", `import ""` ".: cannot be read: Is a directory". Each now exits 2 with
click's line naming what was typed empty, writes nothing and leaves the database as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli

CASES = [
    (["export", "-o", ""], "'-o' / '--output'"),
    (["export", "--feed", ""], "'--feed'"),
    (["export", ""], "'[FILE]'"),
    (["cv", "-o", ""], "'-o' / '--output'"),
    (["packet", "Dr. Ada Okafor", "-o", ""], "'-o' / '--output'"),
    (["applicants", "export", "-o", ""], "'-o' / '--output'"),
    (["applicants", "import", ""], "'FILE'"),
    (["import", ""], "'[FILES]...'"),
    (["programs", "import", ""], "'FILE'"),
    (["db", "backup", ""], "'DEST'"),
    (["db", "backup", " ", "--force"], "'DEST'"),
    (["db", "restore", ""], "'SRC'"),
]


@pytest.mark.parametrize(("args", "named"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_an_empty_path_is_refused_naming_it(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str,
                                            rotation_under_way: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            cli_clock: object, args: list[str], named: str) -> None:
    assert run_cli(capsys, "contacts", "add", "--name", "Dr. Ada Okafor", "--email", "okafor@example.org",
                   "--rotation", str(rotation_under_way), "--db", db_url).code == 0
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    before = database_state(db_url)
    res = run_cli(capsys, *args, "--db", db_url)
    assert res.code == 2, (res.out, res.err)
    error = res.err.strip().splitlines()[-1]
    assert f"Invalid value for {named}: " in error and "is an empty path: give a file or folder name" in error, res.err
    assert list(here.iterdir()) == []  # nothing written where the command ran
    assert database_state(db_url) == before
