"""An edit that moves a start past the end it keeps blames the start (stop 45's walk).

`rotations edit 3 --start 2027-03-20` on a rotation ending 2027-03-19 said "--end: ends before it starts
(2027-03-20) (got '2027-03-19')": an option not typed, "got" a value the person never gave. The error is now the
start's, saying the end is kept and to change it too; an edit that gives the end (or both) is refused on the end as
before. The study block edit (the app's) has the same rule. Real SQLite and PostgreSQL, the real CLI in process.
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import ValidationError
from imgcoach.plan.rotations import add_rotation
from imgcoach.plan.study import add_study_blocks, edit_study_block
from tests.cli_helpers import database_state, run_cli


def test_a_start_moved_past_the_kept_end_is_the_starts_error(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    rid = add_rotation(ctx, kind="externship", specialty="Family Medicine", institution="Prairie Clinic (synthetic)",
                       start_date=date(2027, 2, 22), end_date=date(2027, 3, 19), hours_per_week=40).id
    db = ctx.db.url
    before = database_state(db)
    moved = run_cli(capsys, "rotations", "edit", str(rid), "--start", "2027-03-20", "--db", db)
    assert moved.code == 2, moved
    assert ("--start: is after the end (2027-03-19), which this change keeps: change the end too "
            "(got '2027-03-20')") in moved.err, moved.err
    assert "--end" not in moved.err, moved.err
    assert database_state(db) == before
    both = run_cli(capsys, "rotations", "edit", str(rid), "--start", "2027-03-20", "--end", "2027-03-19", "--db", db)
    assert both.code == 2 and "--end: ends before it starts (2027-03-20) (got '2027-03-19')" in both.err, both.err
    end = run_cli(capsys, "rotations", "edit", str(rid), "--end", "2027-02-21", "--db", db)
    assert end.code == 2 and "--end: ends before it starts (2027-02-22) (got '2027-02-21')" in end.err, end.err
    assert database_state(db) == before


def test_a_study_blocks_start_moved_past_its_end_is_the_starts_error(ctx: Context) -> None:
    (block,) = add_study_blocks(ctx, [{"exam": "Step 3", "start_date": date(2027, 1, 4),
                                       "end_date": date(2027, 1, 31), "hours_per_week": 30, "weekly_goal": ""}])
    with pytest.raises(ValidationError) as refused:
        edit_study_block(ctx, int(block.id or 0), start_date=date(2027, 2, 1))
    (error,) = refused.value.errors
    assert (error.field, error.value) == ("start_date", "2027-02-01"), error
    assert error.message == "is after the end (2027-01-31), which this change keeps: change the end too"
