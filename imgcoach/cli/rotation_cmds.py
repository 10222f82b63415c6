"""`imgcoach rotations list|add|edit|remove|show`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from imgcoach.cli.common import (
    DATE,
    DATE_HELP,
    DAY_OR_NONE,
    NOT_SET,
    assumed_hours_note,
    db_option,
    default_end_note,
    fields_as_options,
    get_context,
    group,
    json_option,
    print_json,
    print_table,
    say_place,
    warn,
)
from imgcoach.cli.shapes import rotation_json
from imgcoach.plan import ROTATION_KINDS, SETTINGS

if TYPE_CHECKING:
    from imgcoach.core.context import Context


@group()
def rotations() -> None:
    """Clinical rotations: observerships, externships, clinical jobs, research, volunteering."""




def rotation_options(required: bool):
    def decorate(f):
        opts = [
            click.option("--kind", type=click.Choice(ROTATION_KINDS), required=required),
            click.option("--specialty", required=required),
            click.option("--institution", required=required),
            click.option("--department"),
            click.option("--city"),
            click.option("--state"),
            click.option("--country"),
            click.option("--start", "start_date", type=DATE, required=required, help=DATE_HELP),
            # Not required on add: left out, the end is start + 4 weeks, the app form's default (plan.default_end).
            click.option("--end", "end_date", type=DATE,
                         help=f"{DATE_HELP}{' (default: the last day of four weeks from --start)' if required else ''}"),
            click.option("--hours", "hours_per_week", type=int,
                         help="Hours per week (1-80)" + ("; left out, 40 is assumed, which the weekly load counts" if required else "")),
            click.option("--hands-on/--observing", "hands_on", default=None, help="Hands-on care or observing only"),
            click.option("--setting", type=click.Choice(SETTINGS),
                         help="left out: not said, and the CV leaves it out" if required else None),
            click.option("--responsibilities"),
            click.option("--learned", help="What you learned (for the CV)"),
        ]
        for opt in reversed(opts):
            f = opt(f)
        return f

    return decorate


@rotations.command("list")
@db_option
@json_option
def list_(as_json: bool) -> None:
    """List rotations by start date."""
    # Usually answered before click by cli.quick (the same output without SQLAlchemy); this is the full path.
    from imgcoach.cli.quick import EMPTY, ROTATION_HEADERS, rotation_cells
    from imgcoach.plan import list_rotations

    data = [rotation_json(r) for r in list_rotations(get_context())]
    if as_json:
        print_json(data)
        return
    print_table(ROTATION_HEADERS, [rotation_cells(r) for r in data], empty=EMPTY["rotations"])


def _say_specialty(typed: str | None, department: str | None) -> None:
    from imgcoach.plan import specialty_note

    note = specialty_note(typed, department)
    if note:
        click.echo(f"note: {note}", err=True)


def _warn_overlaps(ctx: Context, rotation: Any) -> None:
    from imgcoach.plan import overlap_warnings

    for warning in overlap_warnings(ctx, rotation):
        warn(warning)


@rotations.command("add")
@db_option
@rotation_options(required=True)
@json_option
def add(as_json: bool, **values: Any) -> None:
    """Add a rotation; prints its id. Its reminders are derived at once."""
    from imgcoach.plan import add_rotation, default_end

    ctx = get_context()
    end_assumed = values.get("end_date") is None
    if end_assumed:
        values["end_date"] = default_end(values["start_date"])
    with fields_as_options():
        rotation = add_rotation(ctx, **{k: v for k, v in values.items() if v is not None})
    _warn_overlaps(ctx, rotation)
    _say_specialty(values.get("specialty"), values.get("department"))
    say_place(ctx, rotation)
    if end_assumed:  # an assumption is said where it is made
        click.echo(default_end_note(rotation), err=True)
    if rotation.hours_assumed:
        click.echo(assumed_hours_note(rotation), err=True)
    if as_json:
        print_json(rotation_json(rotation))
    else:
        click.echo(rotation.id)


@rotations.command("edit")
@db_option
@click.argument("rotation_id", type=int)
@rotation_options(required=False)
@click.option("--feedback-asked", "feedback_requested_on", type=DAY_OR_NONE, metavar="YYYY-MM-DD|none",
              help="The day you asked for mid-rotation feedback: the reminder to ask is then not sent (none: not "
                   f"asked; a day: {DATE_HELP}). Feedback received: `imgcoach log feedback`.")
@json_option
def edit(rotation_id: int, as_json: bool, **values: Any) -> None:
    """Change a rotation; its pending reminders move with its dates."""
    from imgcoach.plan import PLACE_FIELDS, save_rotation

    ctx = get_context()
    changes = {k: v for k, v in values.items() if v is not None}
    if changes.get("feedback_requested_on") == NOT_SET:
        changes["feedback_requested_on"] = None
    with fields_as_options():
        saved = save_rotation(ctx, rotation_id, **changes)
    rotation = saved.rotation
    _warn_overlaps(ctx, rotation)
    _say_specialty(changes.get("specialty"), changes.get("department"))
    if PLACE_FIELDS & changes.keys():
        say_place(ctx, rotation)
    # The words are the use case's (plan.RotationSaved): the app's edit form says the same after a save.
    if as_json:  # the rotation as `rotations show --json` prints it (one shape per object); the reminders on stderr
        print_json(rotation_json(rotation))
        if moved := saved.reminders.rotation_words():
            click.echo(f"imgcoach: note: {moved}", err=True)
        if log := saved.log_words():
            click.echo(f"imgcoach: note: {log}", err=True)
    else:
        click.echo(saved.saved_words())


@rotations.command("remove")
@db_option
@click.argument("rotation_id", type=int)
@json_option
def remove(rotation_id: int, as_json: bool) -> None:
    """Delete a rotation with its cases, weekly log and links to people; cancel its pending (and failed) reminders."""
    from imgcoach.plan import list_rotations, remove_rotation, rotation_reach
    from imgcoach.reminders import CANCELLED_FROM, counted_by_status

    ctx = get_context()
    reach = rotation_reach(ctx, rotation_id)  # what the app's confirmation names: the rows that go with it
    # --json names the row too, as `rotations list` printed it, as every other remove does ("rotation": added key).
    gone = next((rotation_json(r) for r in list_rotations(ctx) if r.id == rotation_id), None) if as_json else None
    cancelled = remove_rotation(ctx, rotation_id)
    if as_json:
        print_json({"removed": rotation_id, "rotation": gone, "cancelled_reminders": [r.id for r in cancelled],
                    "deleted_with": reach.deleted, "unlinked": reach.unlinked})
    else:
        was = [r.payload.get(CANCELLED_FROM, "pending") for r in cancelled]  # a failed one is not "pending"
        kept = reach.kept("rotation")
        click.echo(f"rotation {rotation_id} removed" + (f" with {reach.gone()}" if reach.gone() else "")
                   + f"; {counted_by_status(was)} cancelled" + (f"; {kept}" if kept else ""))


@rotations.command("show")
@db_option
@click.argument("rotation_id", type=int)
@json_option
def show(rotation_id: int, as_json: bool) -> None:
    """A rotation: what, where, when, hours, mode; its supervisors, letters, cases and reminders (in your zone)."""
    from zoneinfo import ZoneInfo

    from imgcoach.cli.shapes import rotation_show_json
    from imgcoach.cli.show_text import rotation_lines
    from imgcoach.plan import NO_PROFILE, get_profile, request_window, rotation_detail

    ctx = get_context()
    d = rotation_detail(ctx, rotation_id)
    applicant = get_profile(ctx)
    if applicant is None:
        from imgcoach.core.errors import UserError

        raise UserError(NO_PROFILE)
    tz, now = ZoneInfo(applicant.timezone), ctx.clock.now()
    window = request_window(ctx, d.rotation)  # the one letter window the board, reminders and mails use
    if not as_json:  # the quick read prints the same lines from the same rows (cli.quick._rotation_show)
        for line in rotation_lines(d, tz, applicant.timezone, window, now):
            click.echo(line)
        return
    print_json(rotation_show_json(d, tz, window, now), tz)
