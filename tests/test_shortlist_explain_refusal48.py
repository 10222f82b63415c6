"""`shortlist --explain ID` with an id that is no program writes nothing (walk48).

The first look at the shortlist after a change to its inputs stores a new run; `--explain 999` did so, then said
"no program with id '999'" and exited 2, leaving a run in the database that the refused command had made (the
quick read refuses nothing itself and leaves a refusal to the full path, which stored first and refused after).
"""

from __future__ import annotations

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_command


def test_an_unknown_program_to_explain_is_refused_before_anything_is_stored(
        ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str, cli_clock: object) -> None:
    assert run_command(capsys, "programs", "add", "1403500001", "--name", "Example Medical Center Internal Medicine",
                       "--specialty", "IM", "--state", "NY", "--set", "visa_j1=yes", "--set", "source=program website",
                       "--set", "checked_on=2026-11-20", "--db", db_url).code == 0
    assert run_command(capsys, "shortlist", "--db", db_url).code == 0  # the first run, seen
    assert run_command(capsys, "profile", "set", "--budget-programs", "30", "--db", db_url).code == 0
    before = database_state(db_url)
    res = run_command(capsys, "shortlist", "--explain", "999", "--db", db_url)
    assert res.code == 2 and res.err.startswith("imgcoach: error: no program with id '999'"), res.err
    assert database_state(db_url) == before
    # A known program is explained as before, and that first look after the change stores its run.
    res = run_command(capsys, "shortlist", "--explain", "1403500001", "--db", db_url)
    assert res.code == 0 and res.out.startswith("1403500001  Example Medical Center Internal Medicine"), res.out
    assert database_state(db_url) != before
