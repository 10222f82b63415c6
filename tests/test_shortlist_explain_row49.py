"""`shortlist --explain 1`: the row number a person reads first is not a program id.

The list's first column is `#`, the row number; `--explain` takes the id column. `--explain 1` said only "no
program with id '1'", which reads as though the first program were missing. The refusal now says which column
--explain takes, on the full path and on the quick read of a first look after a write, and still writes nothing.
"""

from __future__ import annotations

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_command

ROW_WORDS = "no program with id '1': --explain takes a program's id (the list's id column), not its row number (#)\n"


def test_a_row_number_given_to_explain_is_refused_saying_which_column_it_takes(
        ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str, cli_clock: object) -> None:
    assert run_command(capsys, "programs", "add", "1403500001", "--name", "Example Medical Center Internal Medicine",
                       "--specialty", "IM", "--state", "NY", "--set", "visa_j1=yes", "--set", "source=program website",
                       "--set", "checked_on=2026-11-20", "--db", db_url).code == 0
    listed = run_command(capsys, "shortlist", "--db", db_url)
    assert listed.code == 0 and "\n1  1403500001  " in listed.out, listed.out  # row 1 is that program
    # Kept (nothing changed since the list was seen) and after a write (the first look stores a run): both refuse.
    for change in ([], ["profile", "set", "--budget-programs", "30"]):
        if change:
            assert run_command(capsys, *change, "--db", db_url).code == 0
        before = database_state(db_url)
        res = run_command(capsys, "shortlist", "--explain", "1", "--db", db_url)
        assert res.code == 2 and res.err == f"imgcoach: error: {ROW_WORDS}", res.err
        assert database_state(db_url) == before
    # An id that is no number keeps the plain words.
    res = run_command(capsys, "shortlist", "--explain", "NOPE", "--db", db_url)
    assert res.code == 2 and res.err == "imgcoach: error: no program with id 'NOPE'\n", res.err
