"""A blank --applicant is refused, naming the option, on a database of several applicants. It was read as "not
given": `imgcoach --applicant "$WHO" rotations add ...` with $WHO unset acted on the database's first applicant,
someone else on an organisation's database (walk48 noticed). Both the quick read (`rotations list`) and the full
path refuse it, before the group's word and after the leaf's, and nothing is written."""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from tests.cli_helpers import database_state, run_cli
from tests.test_applicants import ROTATION, _add_two

BLANK = [
    ("--applicant", "", "rotations", "list"),
    ("rotations", "list", "--json", "--applicant", " "),
    ("--applicant=", "readiness", "--json"),
    ("--applicant", "", *ROTATION),
    (*ROTATION, "--applicant", "\t"),
]


@pytest.mark.parametrize("args", BLANK, ids=["quick read, top", "quick read, leaf", "full read", "write, top",
                                             "write, leaf"])
def test_a_blank_applicant_is_refused_and_nothing_is_written(capsys: pytest.CaptureFixture[str], db_url: str,
                                                             cli_clock: FixedClock, args: tuple[str, ...]) -> None:
    _add_two(capsys, db_url)
    before = database_state(db_url)
    result = run_cli(capsys, "--db", db_url, *args)
    assert result.code == 2, result
    assert "Invalid value for '--applicant'" in result.err and "names no applicant" in result.err, result.err
    assert result.out == ""
    assert database_state(db_url) == before
    # What was meant still works: the second applicant named, their empty plan; no one's rows were touched.
    named = run_cli(capsys, "--db", db_url, "--applicant", "ben@example.org", "rotations", "list", "--json")
    assert named.code == 0 and named.json() == []
