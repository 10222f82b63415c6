"""`exams edit --json` prints the row `exams add --json` and `exams list --json` print.

Found on 5 December: edit printed the model's dump in the loaded row's own key order, so the same exam was a
different object to a script reading edit's output and list's.
"""

from __future__ import annotations

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

OET_FAIL = "300/310/290/300"


def test_edit_json_is_the_row_add_and_list_print(ctx: Context, db_url: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    added = run_cli(capsys, "exams", "add", "--db", db_url, "--exam", "OET", "--date", "2026-03-05", "--score",
                    OET_FAIL, "--json")
    assert added.code == 0, added.err
    row = added.json()
    edited = run_cli(capsys, "exams", "edit", str(row["id"]), "--db", db_url, "--date", "2026-03-06", "--json")
    assert edited.code == 0, edited.err
    listed = run_cli(capsys, "exams", "list", "--db", db_url, "--json").json()
    shape = list(row)
    assert list(listed[0]) == shape
    # edit: the same keys in the same order, then "version", which it printed before (a key once printed stays)
    assert list(edited.json()) == [*shape, "version"]
    assert {k: v for k, v in edited.json().items() if k != "version"} == listed[0] == {**row, "taken_on": "2026-03-06"}
