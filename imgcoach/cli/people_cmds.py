"""`imgcoach contacts ...` and `imgcoach letters ...`."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from imgcoach.cli.common import (
    DATE,
    DATE_HELP,
    db_option,
    get_context,
    group,
    json_option,
    print_json,
    print_table,
    warn,
)
from imgcoach.cli.shapes import contact_json, letter_json
from imgcoach.core.errors import UserError
from imgcoach.core.ids import saved_id
from imgcoach.plan import CONTACT_ROLES, LETTER_STATUSES


@group()
def contacts() -> None:
    """Supervisors, attendings and coordinators."""


@contacts.command("list")
@db_option
@json_option
def contacts_list(as_json: bool) -> None:
    """Supervisors, attendings and coordinators, with their institution."""
    # Usually answered before click by cli.quick (the same output without SQLAlchemy); this is the full path.
    from imgcoach.cli.quick import CONTACT_HEADERS, EMPTY, contact_cells
    from imgcoach.plan import list_contacts

    rows = list_contacts(get_context())
    if as_json:
        print_json([contact_json(r) for r in rows])
        return
    print_table(CONTACT_HEADERS, [contact_cells(contact_json(r)) for r in rows], empty=EMPTY["contacts"])


@contacts.command("add")
@db_option
@click.option("--name", required=True)
@click.option("--title", default="")
@click.option("--email", default="")
@click.option("--institution", default="")
@click.option("--rotation", "rotation_id", type=int, help="Link to this rotation")
@click.option("--role", type=click.Choice(CONTACT_ROLES), default="supervisor", show_default=True)
@json_option
def contacts_add(name: str, rotation_id: int | None, role: str, as_json: bool, **values: str) -> None:
    """Add a person; prints the id."""
    from imgcoach.plan import add_contact

    contact = add_contact(get_context(), name, rotation_id=rotation_id, role=role, **values)
    if as_json:
        print_json(contact_json(contact))
    else:
        click.echo(contact.id)


@contacts.command("edit")
@db_option
@click.argument("contact_id", type=int)
@click.option("--name")
@click.option("--title")
@click.option("--email", help="Their address; \"\" removes it. E-mails to them not sent yet follow it; one you "
              "approved for the old address waits for your approval again")
@click.option("--phone")
@click.option("--institution")
@click.option("--notes")
@click.option("--rotation", "rotation_id", type=int, help="With --role: the rotation whose role changes")
@click.option("--role", type=click.Choice(CONTACT_ROLES), help="Their role on --rotation")
@json_option
def contacts_edit(contact_id: int, rotation_id: int | None, role: str | None, as_json: bool,
                  **values: str | None) -> None:
    """Change a person's name, title, e-mail... (the rest stays); the app's person form does the same. A new name
    is carried into the e-mails to them not sent yet; one you approved waits for your approval again."""
    from imgcoach.coach import edit_contact_and_drafts

    if (rotation_id is None) != (role is None):
        raise UserError("--rotation and --role: give both, the rotation whose role changes and the role")
    given: dict[str, Any] = {key: value for key, value in values.items() if value is not None}  # only what was typed
    if not given and role is None:
        raise UserError("nothing to change: give --name, --title, --email, --phone, --institution, --notes, or "
                        "--rotation with --role")
    edited = edit_contact_and_drafts(get_context(), contact_id, rotation_id=rotation_id, role=role, **given)
    if as_json:
        print_json({"contact": contact_json(edited.contact),
                    "readdressed": edited.readdressed.as_json() if edited.readdressed is not None else None,
                    "redrafted": edited.redrafted.as_json() if edited.redrafted is not None else None})
        return
    words = edited.words()
    click.echo(f"contact {contact_id} ({edited.contact.name}) updated" + (f"; {words}" if words else ""))


@contacts.command("remove")
@db_option
@click.argument("contact_id", type=int)
@json_option
def contacts_remove(contact_id: int, as_json: bool) -> None:
    """Delete a person with their links to rotations and letter requests; the letter reminders of those rotations
    are worked out again, and any e-mail to them not sent yet is cancelled. (Cases and outreach entries name no
    person: they stay as they are.)"""
    from imgcoach.plan import delete_with_undo

    # The app's delete (plan.delete_with_undo): the same rule, and what it did read from the rows it changed.
    record = delete_with_undo(get_context(), "contact", contact_id)
    reach, contact = record.reach, record.result
    if as_json:
        print_json({"removed": contact_id, "contact": contact_json(contact), "deleted_with": reach.deleted,
                    "unlinked": reach.unlinked, "cancelled_reminders": record.reminder_ids(cancelled=True),
                    "pending_again_reminders": record.reminder_ids(cancelled=False)})
        return
    words = record.reminder_words()
    click.echo(f"contact {contact_id} ({contact.name}) removed" + (f" with {reach.gone()}" if reach.gone() else "")
               + (f"; {words}" if words else ""))


@group()
def letters() -> None:
    """Letters of recommendation."""


def letter_row(ctx: Any, letter_id: int) -> dict[str, Any] | None:
    """The letter as `letters list --json` prints it (its writer's name and rotation's label); None if none."""
    from imgcoach.plan import list_letters

    return next((letter_json(lt, c, r) for lt, c, r in list_letters(ctx) if lt.id == letter_id), None)


@letters.command("list")
@db_option
@json_option
def letters_list(as_json: bool) -> None:
    """Letters of recommendation: writer, rotation, status, due day, day requested and ERAS id."""
    # Usually answered before click by cli.quick (the same output without SQLAlchemy); this is the full path.
    from imgcoach.cli.quick import EMPTY, LETTER_HEADERS, letter_cells
    from imgcoach.plan import list_letters

    rows = list_letters(get_context())
    data = [letter_json(lt, c, r) for lt, c, r in rows]
    if as_json:
        print_json(data)
        return
    print_table(LETTER_HEADERS, [letter_cells(d) for d in data], empty=EMPTY["letters"])


@letters.command("add")
@db_option
@click.option("--writer", "writer_id", type=int, required=True, help="Contact id of the letter writer")
@click.option("--rotation", "rotation_id", type=int)
@click.option("--status", type=click.Choice(LETTER_STATUSES), default="planned", show_default=True)
@click.option("--due", "due_on", type=DATE, help=DATE_HELP)
@json_option
def letters_add(writer_id: int, rotation_id: int | None, status: str, due_on, as_json: bool) -> None:
    """Plan a letter request; prints its id."""
    from imgcoach.plan import plan_letter_request

    ctx = get_context()
    saved = plan_letter_request(ctx, writer_id, rotation_id=rotation_id, status=status, due_on=due_on)
    letter = saved.letter
    if as_json:
        print_json(letter_row(ctx, saved_id(letter.id)))
    else:
        click.echo(letter.id)
    _warn_due(saved)


@letters.command("edit")
@db_option
@click.argument("letter_id", type=int)
@click.option("--writer", "writer_id", type=int, help="Contact id of the letter writer")
@click.option("--rotation", "rotation_id", type=int,
              help="The rotation the letter comes from (readiness counts a host-country letter by it)")
@click.option("--no-rotation", is_flag=True, help="Tie the letter to no rotation")
@click.option("--due", "due_on", type=DATE, help=f"When the letter is due: {DATE_HELP}")
@click.option("--no-due", is_flag=True, help="Clear the due date")
@click.option("--notes")
@json_option
def letters_edit(letter_id: int, writer_id: int | None, rotation_id: int | None, no_rotation: bool,
                 due_on: date | None, no_due: bool, notes: str | None, as_json: bool) -> None:
    """Change a letter's writer, rotation, due date or notes (the rest stays); reminders follow."""
    from imgcoach.plan import save_letter_edit

    if rotation_id is not None and no_rotation:
        raise UserError("--rotation and --no-rotation: give one of them")
    if due_on is not None and no_due:
        raise UserError("--due and --no-due: give one of them")
    given: dict[str, Any] = {}  # only what was typed: edit_letter keeps the rest
    if writer_id is not None:
        given["writer_id"] = writer_id
    if rotation_id is not None or no_rotation:
        given["rotation_id"] = rotation_id
    if due_on is not None or no_due:
        given["due_on"] = due_on
    if notes is not None:
        given["notes"] = notes
    if not given:
        raise UserError("nothing to change: give --writer, --rotation, --no-rotation, --due, --no-due or --notes")
    ctx = get_context()
    saved = save_letter_edit(ctx, letter_id, **given)
    if as_json:
        print_json(letter_row(ctx, letter_id))
    else:
        click.echo(f"letter {saved.letter.id} updated")
    _warn_due(saved)


def _warn_due(saved: Any) -> None:
    """A due date already passed: kept, and said (plan.LetterSaved, the app's letter forms say the same)."""
    if warning := saved.due_warning("--due", f"`imgcoach letters edit {saved.letter.id} --due YYYY-MM-DD` changes it"):
        warn(warning)


@letters.command("remove")
@db_option
@click.argument("letter_id", type=int)
@json_option
def letters_remove(letter_id: int, as_json: bool) -> None:
    """Delete a letter request; cancel approved e-mails asking its writer for it; its rotation's reminders follow."""
    from imgcoach.plan import removal_reach, remove_letter
    from imgcoach.reminders import CANCELLED_FROM, counted_by_status

    ctx = get_context()
    # --json: read before it goes, the row as `letters list` prints it and what goes with it.
    before = (letter_row(ctx, letter_id), removal_reach(ctx, "letter_request", [letter_id])) if as_json else None
    removed = remove_letter(ctx, letter_id)
    was = [r.payload.get(CANCELLED_FROM, "pending") for r in removed.cancelled]  # as `rotations remove` counts them
    if before is not None:
        row, reach = before
        print_json({"removed": letter_id, "letter": row, "deleted_with": reach.deleted, "unlinked": reach.unlinked,
                    "cancelled_reminders": [r.id for r in removed.cancelled]})
        return
    click.echo(f"letter {letter_id} removed; {counted_by_status(was)} cancelled")


@letters.command("set-status")
@db_option
@click.argument("letter_id", type=int)
@click.argument("status", type=click.Choice(LETTER_STATUSES))
@click.option("--on", "on", type=DATE, help=f"Date of the change (default today): {DATE_HELP}")
@click.option("--eras-id", "eras_letter_id")
@json_option
def letters_set_status(letter_id: int, status: str, on, eras_letter_id: str | None, as_json: bool) -> None:
    """Move a letter (planned, requested, agreed, uploaded, declined); reminders follow."""
    from imgcoach.plan import set_letter_status

    ctx = get_context()
    set_letter_status(ctx, letter_id, status, on=on, eras_letter_id=eras_letter_id)
    if as_json:
        print_json(letter_row(ctx, letter_id))
    else:
        click.echo(f"letter {letter_id} is now {status}")
