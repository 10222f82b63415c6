"""`imgcoach study list|add|remove`."""

from __future__ import annotations

import click

from imgcoach.cli.common import (
    DATE,
    DATE_HELP,
    db_option,
    fields_as_options,
    get_context,
    group,
    json_option,
    print_json,
    print_table,
    warn,
)
from imgcoach.cli.shapes import row_json
from imgcoach.core.ids import saved_id


@group()
def study() -> None:
    """Dedicated study blocks."""


@study.command("list")
@db_option
@json_option
def list_(as_json: bool) -> None:
    """Study blocks: exam, dates, hours a week and weekly goal."""
    # Usually answered before click by cli.quick (the same output without SQLAlchemy); this is the full path.
    from imgcoach.cli.quick import EMPTY, STUDY_HEADERS, study_cells, study_past_line
    from imgcoach.plan import list_study_blocks, study_past_exam

    ctx = get_context()
    rows = list_study_blocks(ctx)
    if as_json:
        print_json([row_json(r) for r in rows])
    else:
        print_table(STUDY_HEADERS, [study_cells(row_json(r)) for r in rows], empty=EMPTY["study"])
    if rows:  # blocks after their booked exam (the date moved earlier), as the quick read says them
        for past in study_past_exam(ctx):  # the rule on the applicant's today, as the quick read's
            click.echo(study_past_line(past), err=True)


@study.command("add")
@db_option
@click.option("--exam", required=True, help="The exam it prepares for, named as `exams add` names it (Step 2 CK, OET…)")
@click.option("--start", "start_date", type=DATE, required=True, help=DATE_HELP)
@click.option("--end", "end_date", type=DATE, required=True, help=DATE_HELP)
@click.option("--hours", "hours_per_week", type=int, required=True, help="Hours per week (1-80), not per day")
@click.option("--goal", "weekly_goal", default="")
@json_option
def add(as_json: bool, **values) -> None:
    """Add a study block; prints its id."""
    from imgcoach.plan import add_study_block, block_overlap_warnings

    ctx = get_context()
    with fields_as_options():  # "--hours: ...", the option typed, not the column hours_per_week
        row = add_study_block(ctx, **values)
    if as_json:
        print_json(row_json(row))
    else:
        click.echo(row.id)
    for warning in block_overlap_warnings(ctx, row):  # stderr, as `rotations add` warns of its overlaps
        warn(warning)
    from imgcoach.cli.exam_cmds import warn_study_past

    warn_study_past(ctx, row.exam, saved_id(row.id))


@study.command("remove")
@db_option
@click.argument("block_id", type=int)
@json_option
def remove(block_id: int, as_json: bool) -> None:
    """Remove study block BLOCK_ID (`imgcoach study list` shows the ids)."""
    from imgcoach.plan import list_study_blocks, removal_reach, remove_study_block

    ctx = get_context()
    # --json: read before it goes, the row as `study list` prints it and what goes with it.
    row = next((row_json(r) for r in list_study_blocks(ctx) if r.id == block_id), None) if as_json else None
    reach = removal_reach(ctx, "study_block", [block_id], events_of="study_block") if as_json else None
    remove_study_block(ctx, block_id)
    if row is not None and reach is not None:
        print_json({"removed": block_id, "study_block": row, "deleted_with": reach.deleted,
                    "unlinked": reach.unlinked})
        return
    click.echo(f"study block {block_id} removed")
