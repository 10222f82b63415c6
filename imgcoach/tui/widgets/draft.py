"""A drafted e-mail you can take out of the app: copy it (the terminal's clipboard, OSC 52), open it in
your mail program (a mailto: link, nothing is sent), or open it in $EDITOR. The app never sends it."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.binding import Binding
from textual.widgets import Label, Static

from imgcoach.tui.widgets.dialogs import TextScreen


@dataclass(frozen=True)
class Draft:
    to: str  # an address, or "" when the app does not know it
    subject: str
    body: str

    def as_text(self) -> str:
        return f"To: {self.to or '(address unknown)'}\nSubject: {self.subject}\n\n{self.body}"


class DraftScreen(TextScreen):
    """The draft, read-only, with three ways to take it out."""

    BINDINGS = [
        Binding("c", "copy", "Copy", id="draft-copy"),
        Binding("M", "mail", "Mail program", id="draft-mail"),
        Binding("E", "editor", "Editor", id="draft-editor"),
    ]

    def __init__(self, title: str, draft: Draft, *, preface: str = "") -> None:
        super().__init__(title, self.shown_text(draft, preface))
        self.draft = draft

    @staticmethod
    def shown_text(draft: Draft, preface: str = "") -> str:
        return ((preface + "\n\n" if preface else "") + draft.as_text()
                + "\n\nc copies it · M opens your mail program (nothing is sent) · E opens $EDITOR")

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.draft.as_text())
        self.notify("Copied the e-mail (terminals without clipboard access over OSC 52 ignore this: use E)")

    def action_mail(self) -> None:
        from imgcoach.reminders import mailto_link

        # No address recorded: the link has none (RFC 6068 allows it), so the mail program asks for one.
        self.app.open_url(mailto_link(self.draft.to, self.draft.subject, self.draft.body))
        if self.draft.to:
            self.notify("Opened in your mail program; nothing was sent")
        else:
            self.notify("Opened in your mail program with no address (none is recorded): add it there; nothing was "
                        "sent", timeout=8)

    def action_editor(self) -> None:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        folder = Path(tempfile.mkdtemp(prefix="imgcoach-draft-"))  # private (0700): the text names people
        path = folder / "draft.txt"
        path.write_text(self.draft.as_text(), encoding="utf-8")
        try:
            with self.app.suspend():
                subprocess.run([*shlex.split(editor), str(path)], check=False)
        except Exception as exc:  # no terminal to hand over (e.g. in a web browser) or no such editor
            self.notify(f"Could not open {editor}: {exc}. The draft is in {path}", severity="warning", timeout=8)
            return
        self.notify(f"Your copy is in {path}; send it from your mail program", timeout=8)


class ReminderScreen(DraftScreen):
    """A reminder's e-mail with the Outbox's keys for it: A approves, x cancels, R retries, each offered only where
    the reminders package's rule allows it (reminders.offered_actions). The key closes the dialog and hands the
    action to `then` (the screen that opened it asks for a yes and calls the use case: tui.reminder_keys)."""

    BINDINGS = [
        Binding("A", "reminder('approve')", "Approve", id="reminder-approve"),
        Binding("x", "reminder('cancel')", "Cancel reminder", id="reminder-cancel"),
        Binding("R", "reminder('retry')", "Retry", id="reminder-retry"),
    ]

    def __init__(self, title: str, draft: Draft, offered: frozenset[str] = frozenset(),
                 then: Callable[[str], object] | None = None) -> None:
        super().__init__(title, draft)
        self.offered = offered if then is not None else frozenset()
        self.then = then

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reminder":  # not offered: not in the footer, and the key does nothing
            return parameters[0] in self.offered
        return super().check_action(action, parameters)

    def action_reminder(self, key: str) -> None:
        then = self.then
        if key not in self.offered or then is None:
            return
        self.dismiss()
        self.app.call_later(then, key)  # its yes/no dialog opens over the screen under this one


def reminder_screen(label: str, to: str, preview: Any, offered: frozenset[str] = frozenset(),
                    then: Callable[[str], object] | None = None) -> ReminderScreen:
    """A reminder's e-mail (reminders.MailPreview) as the Outbox's Enter and the timeline's Next up show it, with
    the `offered` actions (approve / cancel / retry) that `then` carries out."""
    return ReminderScreen(f"E-mail: {label}", Draft(to or "", preview.subject, preview.text), offered, then)


def letter_screen(draft: Any) -> DraftScreen:
    """A letter request's e-mail (plan.letter_draft) as the Letters board's v and Next up show it."""
    return DraftScreen("Letter request e-mail (the app never sends it for you)", Draft(draft.to or "", draft.subject,
                                                                                     draft.body),
                       preface=draft.note)  # the day it is written for, when not today


class OutreachDraftScreen(DraftScreen):
    """An outreach entry's e-mails, the one `imgcoach outreach draft` prints first; where the entry has two (the first
    e-mail and its follow-up, while the place has not answered), v shows the other. Above them, where they stand
    today (coach.outreach_emails: which one fits, if any; what was sent on which day; when the follow-up falls
    due), the words the CLI prints. c, M and E take out the one shown."""

    BINDINGS = [Binding("v", "other_draft", "E-mail (the other)", id="outreach-draft-other")]

    def __init__(self, institution: str, drafts: list[tuple[str, Draft]], standing: str = "") -> None:
        self.institution = institution
        self.drafts = drafts  # (which e-mail, its draft), the one shown first first
        self.standing = standing  # where the entry's e-mails stand today (coach's words, the CLI's)
        self.shown = 0
        super().__init__(self._title(), drafts[0][1], preface=self._preface())

    def _title(self) -> str:
        return f"{self.drafts[self.shown][0]}: {self.institution} (the app never sends it for you)"

    def _preface(self) -> str:
        if len(self.drafts) < 2:
            return self.standing
        other = self.drafts[1 - self.shown][0].lower()
        which = f"E-mail {self.shown + 1} of 2; v shows the {other}"
        return f"{self.standing}\n{which}" if self.standing else which

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "other_draft":  # one e-mail only: v is not offered
            return len(self.drafts) > 1
        return super().check_action(action, parameters)

    def action_other_draft(self) -> None:
        if len(self.drafts) < 2:
            return
        self.shown = 1 - self.shown
        self.draft = self.drafts[self.shown][1]
        self.title_text = self._title()
        self.query_one(".dialog-title", Label).update(self.title_text)
        self.text = self.shown_text(self.draft, self._preface())
        self.query_one("#text-content", Static).update(self.text)


def outreach_screen(institution: str, emails: Any) -> OutreachDraftScreen:
    """An outreach entry's e-mails (coach.outreach_emails: the one shown first first, and where they stand) as
    Outreach's v shows them; the recipient is the draft's address (the place's contact e-mail, the supervisor's for a
    thank-you note) or none."""
    return OutreachDraftScreen(institution, [(d.title or "E-mail", Draft(d.address, d.subject, d.body))
                                             for d in emails.drafts], emails.said)
