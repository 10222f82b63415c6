"""`study add` warns of the block it saves after the exam, as `study list` then does (walk48).

With Step 3 booked for 10 March 2027, `study add --exam "Step 3" --start 2027-03-01 --end 2027-03-20` printed its
id and nothing else; the next `study list` warned "study block Step 3 (01 Mar 2027 to 20 Mar 2027) ends after the
Step 3 booked for 10 Mar 2027: remove it with ...". The add says it on stderr, in the same words, at once.
"""

from __future__ import annotations

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_cli


def test_a_block_saved_past_its_exam_is_warned_of_by_the_add(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                             db_url: str, cli_clock: object) -> None:
    assert run_cli(capsys, "exams", "add", "--exam", "Step 3", "--date", "2027-03-10", "--db", db_url).code == 0
    early = run_cli(capsys, "study", "add", "--exam", "Step 3", "--start", "2027-02-01", "--end", "2027-03-05",
                    "--hours", "30", "--db", db_url)
    assert (early.code, early.err) == (0, ""), early.err  # a guard: a block before its exam is not warned of
    res = run_cli(capsys, "study", "add", "--exam", "Step 3", "--start", "2027-03-01", "--end", "2027-03-20",
                  "--hours", "20", "--db", db_url)
    assert (res.code, res.out) == (0, "2\n"), res.err
    listed = run_cli(capsys, "study", "list", "--db", db_url)
    assert listed.err and res.err == listed.err, (res.err, listed.err)
    assert "ends after the Step 3 booked for 10 Mar 2027: remove it with `imgcoach study remove 2`" in res.err
