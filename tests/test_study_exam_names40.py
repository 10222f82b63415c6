"""A study block names its exam as `exams add` does, and `study add` names the option it refuses (study40).

Found on a fresh database: `study add --exam "Step 9"` saved a block for an exam that does not exist (`exams add
--exam "Step 9"` refuses it), and `--exam step2ck` was listed as "step2ck" beside the exams' "Step 2 CK": neither
block was ever matched with its booking, so a booking moved before the block's end went unsaid. The app's "Generate
plan" took any exam too. And `study add --hours -5` said "hours_per_week: ...", a column the user never typed.
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import ValidationError
from imgcoach.plan import add_exam, add_study_block, edit_study_block, list_study_blocks, propose_plan
from tests.cli_helpers import database_state, run_cli

BLOCK = ("--start", "2027-02-01", "--end", "2027-02-28")


@pytest.mark.parametrize(("args", "option", "column"), [
    (("--exam", "Step 9", *BLOCK, "--hours", "20"), "--exam", None),
    (("--exam", "Step 2 CK", *BLOCK, "--hours", "-5"), "--hours", "hours_per_week"),
    (("--exam", "Step 2 CK", "--start", "2027-03-01", "--end", "2027-02-01", "--hours", "20"), "--end", "end_date"),
])
def test_study_add_refuses_in_one_line_naming_the_option(ctx: Context, db_url: str, cli_clock: FixedClock,
                                                          capsys: pytest.CaptureFixture[str], args: tuple[str, ...],
                                                          option: str, column: str | None) -> None:
    before = database_state(db_url)
    result = run_cli(capsys, "study", "add", "--db", db_url, *args)
    assert result.code == 2, result
    assert result.out == ""
    assert result.err.startswith(f"imgcoach: error: {option}: "), result.err
    assert result.err.count("\n") == 1
    if column:
        assert column not in result.err
    assert database_state(db_url) == before


def test_a_block_is_stored_in_the_exams_spelling_and_meets_its_booking(ctx: Context, db_url: str,
                                                                        cli_clock: FixedClock,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    add_exam(ctx, "Step 2 CK", date(2027, 2, 15))  # booked; the block below runs past it
    added = run_cli(capsys, "study", "add", "--db", db_url, "--exam", "step2ck", *BLOCK, "--hours", "20")
    assert added.code == 0, added
    assert [b.exam for b in list_study_blocks(ctx)] == ["Step 2 CK"]
    listed = run_cli(capsys, "study", "list", "--db", db_url)
    assert "step2ck" not in listed.out
    assert "ends after the Step 2 CK booked for 15 Feb 2027" in listed.err, listed.err


def test_the_app_and_the_generator_take_the_same_exam_names(ctx: Context) -> None:
    with pytest.raises(ValidationError) as refused:
        add_study_block(ctx, exam="Step 9", start_date=date(2027, 2, 1), end_date=date(2027, 2, 28),
                        hours_per_week=20)
    assert [e.field for e in refused.value.errors] == ["exam"]
    block = add_study_block(ctx, exam="USMLE Step 3", start_date=date(2027, 2, 1), end_date=date(2027, 2, 28),
                            hours_per_week=20)
    assert block.exam == "Step 3"
    with pytest.raises(ValidationError) as edited:
        edit_study_block(ctx, block.id or 0, exam="Step 9")
    assert [e.field for e in edited.value.errors] == ["exam"]
    assert edit_study_block(ctx, block.id or 0, exam="Step 3", hours_per_week=25).hours_per_week == 25
    with pytest.raises(ValidationError) as generated:
        propose_plan(ctx, exam="Step 9", exam_date=date(2027, 4, 1), hours_per_day=4, rest_days="sun")
    assert [e.field for e in generated.value.errors] == ["exam"]
    proposal = propose_plan(ctx, exam="step 2 ck", exam_date=date(2027, 4, 1), hours_per_day=4, rest_days="sun")
    assert proposal.blocks and {b.exam for b in proposal.blocks} == {"Step 2 CK"}
