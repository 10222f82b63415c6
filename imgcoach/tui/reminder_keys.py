"""Approve, cancel and retry one reminder, with the confirmation each asks first: the Outbox's keys and the
Next-up dialog's (issue 15: Enter on a reminder anywhere shows it with its actions) run these, so both ask the
same question and call the same use case. What is offered is the reminders package's rule
(reminders.offered_actions); each use case refuses anything else with a message, shown by `screen.act`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from imgcoach.tui import dates, render
from imgcoach.tui.widgets.dialogs import ConfirmScreen

if TYPE_CHECKING:
    from imgcoach.tui.screens.base import PlannerScreen


def retry(screen: PlannerScreen[Any], reminder_id: int) -> None:
    from imgcoach.reminders import queued_words, retry_reminder

    def work(ctx: Any) -> str:
        return queued_words(ctx, retry_reminder(ctx, reminder_id))

    screen.act(work, lambda words: screen.notify(f"Queued again: {words}"))


def cancel(screen: PlannerScreen[Any], reminder: Any, tz: Any) -> None:
    """After a yes: the reminder is cancelled for good (editing its rotation will not bring it back)."""
    from imgcoach.reminders import cancel_reminder

    reminder_id = reminder.id

    def answered(yes: bool | None) -> None:
        if yes:
            screen.act(lambda ctx: cancel_reminder(ctx, reminder_id), lambda r: screen.notify("Reminder cancelled"))

    when = dates.moment(reminder.due_at, tz)
    label = render.reminder_label(reminder.kind, reminder.template_key, approved=reminder.approved_at is not None)
    message = (f"Cancel “{label}” due {when}?\n"
               "Editing the rotation later will not bring it back.")
    screen.app.push_screen(ConfirmScreen("Cancel reminder", message, yes="Cancel it"), answered)


def approve(screen: PlannerScreen[Any], reminder: Any, rotation: str | None, tz: Any, *, read: bool = False,
            to: str = "") -> None:
    """After a yes, one message to someone other than the applicant: nothing else ever leaves for a supervisor.
    `rotation` names it ("Specialty, Institution"): the demo has "Ask for feedback" for three rotations, and
    which supervisor would be written to was not said. `read`: asked from the dialog that showed the e-mail, where
    "read it first with v" was advice for a message just read (and the timeline has no v for a reminder). `to`:
    whom a rotation reminder's draft goes to (reminders.addressees: a letter request to its planned writer)."""
    from imgcoach.reminders import approve_draft, queued_words

    reminder_id = reminder.id
    label = render.reminder_label(reminder.kind, reminder.template_key, approved=reminder.approved_at is not None)
    what = (f"“{label}”{f' for {rotation}' if rotation else ''} due "
            f"{dates.moment(reminder.due_at, tz)}")
    if reminder.requires_approval:
        target = reminder.payload.get("draft_to_name") or reminder.recipient
        question = f"Send this message to {target} <{reminder.recipient}>?"
    else:
        # It said "to the rotation's supervisor" of a letter request drafted to the planned letter's writer.
        question = f"Send its draft to {to}?" if to else "Send its draft to the person it is written to?"
    hint = ": the one you just read." if read else "; read it first with v."
    message = f"{what}\n{question}\nYou approve this one message only{hint}"

    def work(ctx: Any) -> tuple[str, str]:
        row = approve_draft(ctx, reminder_id)
        return row.recipient, queued_words(ctx, row)

    def answered(yes: bool | None) -> None:
        if yes:
            screen.act(work, lambda done: screen.notify(f"Approved: it goes to {done[0]}; {done[1]}"))

    screen.app.push_screen(ConfirmScreen("Approve a message", message, yes="Approve"), answered)


def from_dialog(screen: PlannerScreen[Any], key: str, reminder: Any, rotation: str | None, tz: Any, *,
                to: str = "") -> None:
    """a / x / R pressed in a reminder's e-mail dialog (widgets.draft.ReminderScreen), from the Outbox or Next up:
    the same question and use case as the Outbox's keys, the e-mail just read."""
    if key == "approve":
        approve(screen, reminder, rotation, tz, read=True, to=to)
    elif key == "cancel":
        cancel(screen, reminder, tz)
    elif key == "retry":
        retry(screen, reminder.id)
