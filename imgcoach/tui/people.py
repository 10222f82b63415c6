"""Edit and delete supervisors, letter requests and cases: the forms and confirmations the Rotations
screen (its "people and cases" dialog) and the Letters board share. Each save is one service call."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text

from imgcoach.core.ids import saved_id
from imgcoach.core.words import counted
from imgcoach.plan import CASE_TAGS, CONTACT_ROLES
from imgcoach.reminders import rotation_kind_label
from imgcoach.tui import dates
from imgcoach.tui.widgets.dialogs import ConfirmScreen
from imgcoach.tui.widgets.form import DATE_HINT, FormField
from imgcoach.tui.widgets.items import Item

if TYPE_CHECKING:
    from imgcoach.core.context import Context

PERSON_FORM = [
    FormField("name", "Name", required=True, placeholder="Dr. …"),
    FormField("title", "Title", placeholder="MD, Attending Physician"),
    FormField("email", "E-mail"),
    FormField("role", "Role", "choice", tuple((r.replace("_", " "), r) for r in CONTACT_ROLES)),
]
CASE_FORM = [
    FormField("title", "Case", required=True, placeholder="One line you will recognise at an interview"),
    FormField("summary", "What happened"),
    FormField("tags", "Tags", "list", placeholder=", ".join(CASE_TAGS[:3])),
    FormField("occurred_on", "Date", "date", placeholder=DATE_HINT),
]
Refresh = Callable[[], object]  # e.g. a @work method, which returns its Worker


def rotation_items(ctx: Context, rotation_id: int) -> list[Item]:
    """The rotation's supervisors, letter requests and cases, for the items dialog (worker thread)."""
    from imgcoach.plan import rotation_detail

    detail = rotation_detail(ctx, rotation_id)
    items = [Item("supervisor", saved_id(c.id), Text.assemble(("Person  ", "dim"), (c.name, "bold"),
                                                    f"  {role.replace('_', ' ')}  {c.email}"), (c, role))
             for c, role in detail.supervisors]
    items += [Item("letter", saved_id(lt.id), Text.assemble(("Letter  ", "dim"), (w.name, "bold"), f"  {lt.status}",
                                                  f"  due {dates.day(lt.due_on)}" if lt.due_on else ""), (lt, w))
              for lt, w in detail.letters]
    items += [Item("case", saved_id(case.id), Text.assemble(("Case    ", "dim"), (case.title, "bold"),
                                                  f"  [{', '.join(case.tags)}]" if case.tags else ""), case)
              for case in detail.cases]
    return items


def edit_item(screen: Any, rotation_id: int | None, item: Item, refresh: Refresh) -> None:
    if item.kind == "supervisor":
        contact, role = item.record
        edit_person(screen, contact, rotation_id, role, refresh)
    elif item.kind == "letter":
        edit_letter(screen, item.ref, refresh)
    else:
        edit_case(screen, item.record, refresh)


def delete_item(screen: Any, item: Item, refresh: Refresh) -> None:
    if item.kind == "supervisor":
        delete_person(screen, item.ref, refresh)
    elif item.kind == "letter":
        letter, writer = item.record
        delete_letter(screen, letter, writer.name, refresh)
    else:
        delete_case(screen, item.record, refresh)


def _undoable(screen: Any, refresh: Refresh) -> Callable[[Any], None]:
    """After a delete: the toast says how to undo it (ctrl+z), and the list under it reloads."""
    def done(record: Any) -> None:
        screen.undoable(record)
        refresh()

    return done


def _then(screen: Any, message: str, refresh: Refresh) -> Callable[[Any], None]:
    def done(_: Any) -> None:
        screen.notify(message)
        refresh()  # the screen under the dialogs reloads when it is current again

    return done


def _confirm(screen: Any, title: str, message: str, work: Callable[[Context], Any], done: Callable[[Any], None]) -> None:
    def answered(yes: bool | None) -> None:
        if yes:
            screen.act(work, done)

    screen.app.push_screen(ConfirmScreen(title, message, yes="Delete"), answered)


def edit_person(screen: Any, contact: Any, rotation_id: int | None, role: str | None, refresh: Refresh) -> None:
    from imgcoach.coach import edit_contact_and_drafts

    values = {"name": contact.name, "title": contact.title, "email": contact.email, "role": role or "supervisor"}
    fields = PERSON_FORM if rotation_id is not None else PERSON_FORM[:-1]

    def save(ctx: Context, v: dict[str, Any]) -> Any:
        role_value = v.pop("role", None)
        return edit_contact_and_drafts(ctx, contact.id, rotation_id=rotation_id, role=role_value, **v)

    def saved(edited: Any) -> None:  # a new address or name: what it did to the e-mails to them (ContactEdited)
        words = edited.words()
        _then(screen, f"Saved; {words}" if words else "Saved", refresh)(edited)

    screen.open_form(f"Edit {contact.name}", fields, values, save, then=saved, loaded=contact.model_dump())


def delete_person(screen: Any, contact_id: int, refresh: Refresh) -> None:
    from imgcoach.plan import contact_use, delete_with_undo

    def ask(use: Any) -> None:
        lines = [f"Delete {use.contact.name}?", ""]
        if use.rotations:
            lines.append("They are on: " + "; ".join(use.rotations) + ".")
        if use.letters:
            lines.append(f"This also deletes their {counted(use.letters, 'letter request')}; the letter reminders of "
                         "those rotations are worked out again.")
        else:
            lines.append("They have no letter requests.")
        if use.approved_emails:  # cancelled with their letters: the toast counts them among the cancelled reminders
            one = use.approved_emails == 1
            lines.append(f"{counted(use.approved_emails, 'approved e-mail')} asking them for a letter, not sent yet, "
                         f"{'is' if one else 'are'} cancelled.")
        if use.other_emails:  # a progress update to them, an approved feedback request: cancelled with them too
            one = use.other_emails == 1
            noun = "other e-mail" if use.approved_emails else "e-mail"
            lines.append(f"{counted(use.other_emails, noun)} to them, not sent yet, {'is' if one else 'are'} cancelled.")
        _confirm(screen, "Delete person", "\n".join(lines), lambda ctx: delete_with_undo(ctx, "contact", contact_id),
                 _undoable(screen, refresh))

    screen.act(lambda ctx: contact_use(ctx, contact_id), ask, reload=False)


def edit_letter(screen: Any, letter_id: int, refresh: Refresh) -> None:
    """Writer, rotation, due date and notes; the form's choices come from a worker."""

    def fetch(ctx: Context) -> tuple[Any, list[Any], list[Any]]:
        from imgcoach.core.errors import NotFound
        from imgcoach.plan import list_contacts, list_letters, list_rotations

        letter = next((lt for lt, _, _ in list_letters(ctx) if lt.id == letter_id), None)
        if letter is None:
            raise NotFound(f"no letter request with id {letter_id}")
        return letter, list_contacts(ctx), list_rotations(ctx)

    def form(data: tuple[Any, list[Any], list[Any]]) -> None:
        from imgcoach.plan import save_letter_edit

        letter, contacts, rotations = data
        fields = letter_fields(contacts, rotations)
        values = {"writer_id": letter.writer_id, "rotation_id": letter.rotation_id, "due_on": letter.due_on,
                  "notes": letter.notes}
        def done(saved: Any) -> None:
            say_letter_saved(screen, saved, "Letter request saved; reminders follow")
            refresh()  # the screen under the dialogs reloads when it is current again

        screen.open_form("Edit letter request", fields, values, lambda ctx, v: save_letter_edit(ctx, letter_id, **v),
                         then=done)

    screen.act(fetch, form, reload=False)


def say_letter_saved(screen: Any, saved: Any, message: str) -> None:
    """After a letter form's save: `message`, and a due date already passed as `letters add/edit` say it
    (plan.LetterSaved), the field named as the form names it."""
    screen.notify(message)
    if warning := saved.due_warning("Due date", "edit the letter request to change it"):
        screen.notify(warning, severity="warning", timeout=15)


def letter_fields(contacts: list[Any], rotations: list[Any]) -> list[FormField]:
    return [
        FormField("writer_id", "Writer", "choice", tuple((c.name, c.id) for c in contacts)),
        FormField("rotation_id", "Rotation", "choice",
                  # days first: a choice cut at 80 columns kept "Family Medicine, Lakeview…" and lost what tells two apart
                  tuple((f"{dates.day_range(r.start_date, r.end_date)} · {r.specialty}, {r.institution}", r.id)
                        for r in rotations)),
        FormField("due_on", "Due date", "date", placeholder="optional; e.g. +3w"),
        FormField("notes", "Notes"),
    ]


def delete_letter(screen: Any, letter: Any, writer: str, refresh: Refresh) -> None:
    from imgcoach.plan import delete_with_undo

    message = (f"Delete the letter request from {writer} ({letter.status})?\n\n"
               "The rotation's reminders are worked out again: if no other letter from it has been "
               "asked for and its time to ask has not passed, the 'time to ask' reminders come back. "
               f"An approved e-mail asking {writer} for it, not sent yet, is cancelled.")
    _confirm(screen, "Delete letter request", message, lambda ctx: delete_with_undo(ctx, "letter", letter.id),
             _undoable(screen, refresh))


def edit_case(screen: Any, case: Any, refresh: Refresh) -> None:
    from imgcoach.plan import edit_case as save_case

    values = {"title": case.title, "summary": case.summary, "tags": case.tags, "occurred_on": case.occurred_on}
    screen.open_form("Edit case", CASE_FORM, values, lambda ctx, v: save_case(ctx, case.id, **v),
                     hint="Tags: " + ", ".join(CASE_TAGS), then=_then(screen, "Case saved", refresh))


def delete_case(screen: Any, case: Any, refresh: Refresh) -> None:
    from imgcoach.plan import delete_with_undo

    _confirm(screen, "Delete case", f"Delete the case “{case.title}”?",
             lambda ctx: delete_with_undo(ctx, "case", case.id), _undoable(screen, refresh))


def rotation_title(rotation: Any) -> str:
    return f"People, letters and cases: {rotation.specialty} {rotation_kind_label(rotation.kind)}, {rotation.institution}"
