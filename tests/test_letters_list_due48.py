"""`letters list` says the due day `letters add --due` took (walk48).

`letters add --writer 1 --rotation 2 --due 2027-01-15` kept the day: `letters list --json` had "due_on" and
`rotations show` "planned, due 15 Jan 2027", but the list's table (writer, rotation, status, requested, ERAS id)
left it out, on both paths (the quick read and the full one).
"""

from __future__ import annotations

import os

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_command


@pytest.mark.parametrize("full", [False, True], ids=["quick", "full"])
def test_the_letters_table_shows_the_due_day(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str,
                                             rotation_under_way: int, cli_clock: object,
                                             monkeypatch: pytest.MonkeyPatch, full: bool) -> None:
    assert run_command(capsys, "contacts", "add", "--name", "Dr. Ada Okafor", "--rotation", str(rotation_under_way),
                       "--db", db_url).code == 0
    assert run_command(capsys, "letters", "add", "--writer", "1", "--rotation", str(rotation_under_way),
                       "--due", "2027-01-15", "--db", db_url).code == 0
    if full:
        monkeypatch.setitem(os.environ, "IMGCOACH_FULL_READ", "1")
    res = run_command(capsys, "letters", "list", "--db", db_url)
    assert res.code == 0, res.err
    header, _, row = res.out.splitlines()
    assert header.split() == ["id", "writer", "rotation", "status", "due", "requested", "eras", "id"], header
    assert row.split()[-2:] == ["planned", "2027-01-15"], row
