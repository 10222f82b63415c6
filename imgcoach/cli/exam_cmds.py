"""`imgcoach exams list|add|edit|remove`."""

from __future__ import annotations

from typing import Any

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


def warn_study_past(ctx: Any, exam: str, block_id: int | None = None) -> None:
    """On stderr (stdout stays what scripts read): the study blocks a booking saved just now leaves after the exam
    (`block_id`: the one block `study add` saved just now, which `study list` warned of and the add did not)."""
    from imgcoach.cli.quick import study_past_line
    from imgcoach.plan import study_past_exam

    for past in study_past_exam(ctx, exam=exam):
        if block_id is None or past.block_id == block_id:
            click.echo(study_past_line(past), err=True)


def warn_overlaps(ctx: Any, row: Any) -> None:
    """On stderr, as `rotations add` warns of its overlaps: the full-time rotations whose working day it falls on."""
    from imgcoach.plan import exam_overlap_warnings

    for warning in exam_overlap_warnings(ctx, row):
        warn(warning)


@group()
def exams() -> None:
    """Exam results and booked exam dates (USMLE, OET, MCCQE, PLAB...)."""


@exams.command("list")
@db_option
@json_option
def list_(as_json: bool) -> None:
    """Exam results and booked sittings, each with its attempt number."""
    # Usually answered before click by cli.quick (the same output without SQLAlchemy); this is the full path.
    from imgcoach.cli.quick import EMPTY, EXAM_HEADERS, exam_cells
    from imgcoach.plan import list_exams

    rows = list_exams(get_context())
    if as_json:
        print_json([row_json(r) for r in rows])
        return
    print_table(EXAM_HEADERS, [exam_cells(row_json(r)) for r in rows], empty=EMPTY["exams"])


@exams.command("add")
@db_option
@click.option("--exam", required=True, help="Step 1, Step 2 CK, Step 3, OET, MCCQE Part I, PLAB 1, PLAB 2, AMC MCQ, "
              "AMC Clinical (common spellings understood)")
@click.option("--date", "taken_on", type=DATE, required=True, help=DATE_HELP)
@click.option("--score", help="Step 2 CK / Step 3: 1-300; OET: four sub-test scores, e.g. 350/360/300/370")
@click.option("--result", type=click.Choice(["pass", "fail"]))
@click.option("--attempt", type=int, help="Which attempt at this exam [default: the next after the sittings "
              "recorded before this date]")
@json_option
def add(exam: str, taken_on, score, result, attempt: int | None, as_json: bool) -> None:
    """Record an exam result (or a booked date, with no score or result yet); prints its id."""
    from imgcoach.plan import add_exam

    ctx = get_context()
    with fields_as_options():  # "--date: after today", as typed, not the column taken_on
        row = add_exam(ctx, exam, taken_on, score=score, result=result, attempt=attempt)
    if as_json:
        print_json(row_json(row))
    else:
        click.echo(row.id)
    warn_study_past(ctx, row.exam)
    warn_overlaps(ctx, row)


@exams.command("edit")
@db_option
@click.argument("exam_id", type=int)
@click.option("--exam", help="Change the exam (same names as `exams add`).")
@click.option("--date", "taken_on", type=DATE, help=f"Change the date: {DATE_HELP}")
@click.option("--score", help="Set the score (clears the result); an empty string clears the score.")
@click.option("--result", type=click.Choice(["pass", "fail", "none"]), help="Set the result (none: clear it); a score no standard decides (Step 2 CK 214-218) is kept beside it.")
@click.option("--attempt", type=int)
@json_option
def edit(exam_id: int, exam: str | None, taken_on, score: str | None, result: str | None, attempt: int | None,
         as_json: bool) -> None:
    """Change one exam row: a booking that now has its score, a wrong date. Unnamed fields keep their value."""
    from imgcoach.core.errors import NotFound
    from imgcoach.plan import edit_exam, list_exams, renumbered_line

    ctx = get_context()
    rows_before = list_exams(ctx)
    row = next((r for r in rows_before if r.id == exam_id), None)
    if row is None:
        raise NotFound(f"no exam {exam_id}")
    new_score: int | str | None = score
    new_result = None if result == "none" else result
    if score is None and result is None:  # neither named: keep what is recorded (a score decides its result)
        recorded = row.score if row.score is not None else row.sub_scores  # OET's sub-tests decide its result
        new_score, new_result = (recorded, None) if recorded is not None else (None, row.result)
    elif score is None and new_result is not None and row.score is not None and row.result is None:
        # A result for a score no standard decided (stored without one; readiness asks for it): the score stays.
        new_score = row.score
    with fields_as_options():
        saved = edit_exam(ctx, exam_id, row.exam if exam is None else exam, taken_on or row.taken_on, score=new_score,
                          result=new_result, attempt=attempt)
    if as_json:
        # The row shape `exams add` and `exams list` print (row_json), with "version" kept: edit printed it
        # before (model_dump), and a key once printed is a contract.
        print_json({**row_json(saved), "version": saved.version})
    else:
        click.echo(f"exam {exam_id} saved")
        # A new date puts the attempt numbers in date order again (plan.exams.in_date_order): each renumbered
        # row is named, so a number that changed under another id is never a surprise in `exams list`.
        was = {r.id: r.attempt for r in rows_before}
        for other in list_exams(ctx):
            if other.id != exam_id and was.get(other.id, other.attempt) != other.attempt:
                click.echo(renumbered_line(other))
        if saved.attempt != row.attempt:
            click.echo(renumbered_line(saved))
    warn_study_past(ctx, saved.exam)
    warn_overlaps(ctx, saved)


@exams.command("remove")
@db_option
@click.argument("exam_id", type=int)
@json_option
def remove(exam_id: int, as_json: bool) -> None:
    """Remove exam EXAM_ID (`imgcoach exams list` shows the ids); the later attempts at its exam move up one."""
    from imgcoach.plan import list_exams, removal_reach, remove_exam, renumbered_line

    ctx = get_context()
    # --json: read before it goes, the row as `exams list` prints it and what goes with it.
    gone = next((row_json(r) for r in list_exams(ctx) if r.id == exam_id), None) if as_json else None
    reach = removal_reach(ctx, "exam_result", [exam_id], events_of="exam") if as_json else None
    renumbered = remove_exam(ctx, exam_id)
    if gone is not None and reach is not None:
        print_json({"removed": exam_id, "exam": gone, "renumbered": [row_json(r) for r in renumbered],
                    "deleted_with": reach.deleted, "unlinked": reach.unlinked})
        return
    click.echo(f"exam {exam_id} removed")
    for row in renumbered:
        click.echo(renumbered_line(row))
