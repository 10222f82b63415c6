"""`imgcoach exams list|add|remove`."""

from __future__ import annotations

import click

from imgcoach.cli.common import DATE, db_option, get_context, group, json_option, print_json, print_table
from imgcoach.cli.shapes import row_json


@group()
def exams() -> None:
    """Exam results and booked exam dates (USMLE, OET, MCCQE, PLAB...)."""


@exams.command("list")
@db_option
@json_option
def list_(as_json: bool) -> None:
    from imgcoach.plan import list_exams

    rows = list_exams(get_context())
    if as_json:
        print_json([row_json(r) for r in rows])
        return
    print_table(["id", "exam", "date", "score", "result", "attempt"],
                [[r.id, r.exam, r.taken_on, r.score, r.result, r.attempt] for r in rows])


@exams.command("add")
@db_option
@click.option("--exam", required=True, help="Step 1, Step 2 CK, Step 3, OET, MCCQE Part I, PLAB 1, PLAB 2, AMC MCQ, "
              "AMC Clinical (common spellings understood)")
@click.option("--date", "taken_on", type=DATE, required=True)
@click.option("--score", help="Step 2 CK / Step 3: 1-300; OET: four sub-test scores, e.g. 350/360/300/370")
@click.option("--result", type=click.Choice(["pass", "fail"]))
@click.option("--attempt", type=int, default=1, show_default=True)
@json_option
def add(exam: str, taken_on, score, result, attempt: int, as_json: bool) -> None:
    """Record an exam result (or a booked date, with no score or result yet); prints its id."""
    from imgcoach.plan import add_exam

    row = add_exam(get_context(), exam, taken_on, score=score, result=result, attempt=attempt)
    if as_json:
        print_json(row_json(row))
    else:
        click.echo(row.id)


@exams.command("remove")
@db_option
@click.argument("exam_id", type=int)
def remove(exam_id: int) -> None:
    from imgcoach.plan import remove_exam

    remove_exam(get_context(), exam_id)
    click.echo(f"exam {exam_id} removed")
