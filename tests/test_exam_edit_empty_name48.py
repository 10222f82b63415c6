"""`exams edit ID --exam ""` is refused as `exams add --exam ""` is (walk48).

An empty --exam was taken for "not given": `exams edit 2 --exam ''` said "exam 2 saved", exit 0, and kept the
exam it had, while `exams add --exam ''` refused the same value naming --exam.
"""

from __future__ import annotations

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_exam_name_is_refused_by_edit_as_by_add(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                         db_url: str, cli_clock: object, value: str) -> None:
    added = run_cli(capsys, "exams", "add", "--exam", "Step 3", "--date", "2027-03-10", "--db", db_url)
    assert added.code == 0, added.err
    exam_id = added.out.strip()
    refused_add = run_cli(capsys, "exams", "add", "--exam", value, "--date", "2027-04-10", "--db", db_url)
    assert refused_add.code == 2 and refused_add.err.startswith("imgcoach: error: --exam: "), refused_add.err
    before = database_state(db_url)
    res = run_cli(capsys, "exams", "edit", exam_id, "--exam", value, "--db", db_url)
    assert (res.code, res.out) == (2, ""), res.out
    assert res.err.startswith("imgcoach: error: --exam: unknown exam"), res.err
    assert database_state(db_url) == before
