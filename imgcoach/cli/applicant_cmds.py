"""`imgcoach applicants add|list|show|remove|export|import`: several applicants in one database (an organisation).

`--applicant ID|EMAIL` (or IMGCOACH_APPLICANT) chooses whom every other command acts on; these commands
manage the list itself and move one applicant's whole plan between databases as JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from imgcoach.cli.common import (
    GivenPath,
    State,
    db_option,
    echo_profile,
    fail,
    fields_as_options,
    get_context,
    group,
    json_option,
    kept_answer,
    print_json,
    print_table,
    warn,
)
from imgcoach.cli.quick import APPLICANT_HEADERS as _SHOWN  # one list for both paths
from imgcoach.cli.quick import NO_APPLICANTS
from imgcoach.cli.shapes import applicant_json
from imgcoach.core.errors import UserError


@group()
def applicants() -> None:
    """The applicants in this database (advisers and organisations)."""


def _ctx_for(ref: str | None):
    """The context acting on `ref` when given (the command's argument beats --applicant)."""
    if ref is not None:
        click.get_current_context().ensure_object(State).applicant = ref
    return get_context()


def _ctx_for_nobody():
    """The context of a command that manages the list itself: --applicant / IMGCOACH_APPLICANT do not apply."""
    click.get_current_context().ensure_object(State).applicant = ""
    return get_context()


@applicants.command("list")
@db_option
@json_option
def list_(as_json: bool) -> None:
    """Every applicant, oldest first."""
    from imgcoach.plan import list_applicants

    rows = [applicant_json(a) for a in list_applicants(_ctx_for_nobody())]  # the profile's shape, as `show`
    if as_json:
        print_json(rows)
    elif not rows:
        click.echo(NO_APPLICANTS)
    else:
        print_table([c.replace("_", " ") for c in _SHOWN], [[r[c] for c in _SHOWN] for r in rows])


@applicants.command("add")
@db_option
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--timezone", default="UTC", show_default=True, help="IANA zone, e.g. Asia/Kolkata")
@click.option("--school-country", default="")
@json_option
def add(as_json: bool, **fields: str) -> None:
    """Add an applicant beside the others."""
    from imgcoach.plan import add_applicant

    with fields_as_options():  # "--email: ...", the option typed, as `profile set` says it
        applicant = add_applicant(_ctx_for_nobody(), **fields)
    if as_json:
        print_json(applicant_json(applicant))
    else:
        click.echo(f"applicant {applicant.id} added: {applicant.name} <{applicant.email}>")


@applicants.command("show")
@click.argument("applicant", required=False, metavar="[ID|EMAIL]")
@db_option
@json_option
def show(applicant: str | None, as_json: bool) -> None:
    """One applicant's profile (default: --applicant, then the first)."""
    from imgcoach.plan import NO_PROFILE, get_profile

    ctx = _ctx_for(applicant)
    with kept_answer():  # kept for the quick read (imgcoach.cli.quick, issue 17), for the applicant shown
        row = get_profile(ctx)
        if row is None:
            raise UserError(NO_PROFILE)
        echo_profile(row, as_json)


@applicants.command("remove")
@click.argument("applicant", metavar="ID|EMAIL")
@click.option("--yes", is_flag=True, help="Do not ask: the applicant's whole plan is deleted.")
@db_option
@json_option
def remove(applicant: str, yes: bool, as_json: bool) -> None:
    """Delete an applicant and their whole plan (export it first to keep a copy)."""
    from imgcoach.composition import remove_applicant_and_feeds
    from imgcoach.plan import get_profile, removal_reach

    ctx = _ctx_for(applicant)
    if not yes:  # with --json the question goes to stderr: stdout holds only the JSON
        click.confirm(f"delete applicant {ctx.applicant_id} and their whole plan?", abort=True, err=as_json)
    # --json: read before it goes, the row as `applicants list` prints it and what goes with it.
    before = (get_profile(ctx), removal_reach(ctx, "applicant", [ctx.applicant_id])) if as_json else None
    gone = remove_applicant_and_feeds(ctx)
    if before is not None:
        row, reach = before
        print_json({"removed": gone.id, "applicant": applicant_json(row), "deleted_with": reach.deleted,
                    "unlinked": reach.unlinked, "emptied_feeds": [str(p) for p in gone.emptied_feeds],
                    "deleted_reminders": [r.id for r in gone.deleted_reminders]})
    else:
        from imgcoach.core.datewords import moment_words
        from imgcoach.reminders import counted_by_status, reminder_label

        # Its unsent reminders go with it: said, as `rotations remove` says the ones it cancels.
        click.echo(f"applicant {gone.id} removed: {gone.name} <{gone.email}>; "
                   f"{counted_by_status([r.status for r in gone.deleted_reminders])} deleted")
        for r in gone.deleted_reminders:
            click.echo(f"  reminder {r.id} ({r.status}): {reminder_label(r.kind, r.template_key, approved=r.approved_at is not None)} "
                       f"to {r.recipient}, due {moment_words(r.due_at, gone.timezone)}")
        for path in gone.emptied_feeds:
            click.echo(f"  calendar feed {path}: now a calendar with no event, so subscribed apps drop the plan")
    for failure in gone.feed_failures:
        warn(f"{failure}: it still holds the removed plan; delete the file or stop subscribing to it")


@applicants.command("export")
@click.argument("applicant", required=False, metavar="[ID|EMAIL]")
@click.option("-o", "--output", type=GivenPath(dir_okay=False, path_type=Path), help="File to write (default: stdout)")
@db_option
def export(applicant: str | None, output: Path | None) -> None:
    """Write one applicant's whole plan as JSON (for `imgcoach applicants import` into another database)."""
    from imgcoach.composition import applicant_export_text, export_applicant
    from imgcoach.core.locations import refuse_missing_folder

    if output is not None:  # before the export is read; the words every writing command gives
        refuse_missing_folder(output)
    text = applicant_export_text(export_applicant(_ctx_for(applicant)))  # as cli.quick prints it
    if output is None:
        click.echo(text)
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror}")
    click.echo(f"exported to {output}")


@applicants.command("import")
@click.argument("file", type=GivenPath(dir_okay=False, path_type=Path))
@db_option
@json_option
def import_(file: Path, as_json: bool) -> None:
    """Add the applicant in FILE (from `imgcoach applicants export`) to this database, with new ids."""
    from imgcoach.composition import import_applicant
    from imgcoach.core.textfile import hand_saved_text

    # Windows PowerShell 5's `applicants export > plan.json` writes UTF-16, Notepad a UTF-8 BOM: read as any file
    # saved by hand is (it was "not JSON (Unexpected UTF-8 BOM...)", "... can't decode byte 0xff in position 0")
    text = hand_saved_text(file, "the export", "save it as UTF-8, or export it again with -o FILE")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"{file}: not JSON ({exc})") from None
    new_id = import_applicant(_ctx_for_nobody(), data, source=str(file))
    if as_json:
        print_json({"id": new_id})
    else:
        click.echo(f"imported {file} as applicant {new_id}")
