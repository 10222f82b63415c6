"""Small dialogs: a yes/no confirmation and a read-only text view. Escape closes both."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, Static

from imgcoach.core.errors import EditConflict
from imgcoach.tui import dates

# q quits from a read-only dialog as from any screen: a dialog keeps the app's own q out (Textual stops a modal
# screen's key chain before the app), so plain q did nothing in Help, a details box or a yes/no question. A dialog
# with text fields (a form) leaves q to them; ctrl+q quits everywhere.
QUIT = Binding("q", "app.quit", "Quit", show=False, id="dialog-quit")


class ConfirmScreen(ModalScreen[bool]):
    """Says what will happen and waits for y (or Enter on Yes) or n / Escape."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
        QUIT,
    ]

    def __init__(self, title: str, message: str, *, yes: str = "Yes") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(self.message, id="confirm-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="error", compact=True)
                yield Button("No (n)", id="no", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class TextScreen(ModalScreen[None]):
    """A scrollable read-only text (help, previews)."""

    BINDINGS = [Binding("escape", "close", "Close", id="text-close"), QUIT]

    def __init__(self, title: str, text: object) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="text-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="text-body"):
                yield Static(self.text, id="text-content")  # type: ignore[arg-type]
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#text-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)


class DetailsScreen(TextScreen):
    """One item's details (Enter on a letter card, a readiness check) with the keys that act on it, declared by a
    subclass as `choose('name')` bindings, the same keys as on the screen under it. A key closes the dialog and hands
    its name to `then`, which acts as that screen's key does; a key not in `offered` is neither in the footer nor does
    anything (a card in the first column has no move back)."""

    def __init__(self, title: str, text: object, offered: frozenset[str], then: Callable[[str], object]) -> None:
        super().__init__(title, text)
        self.offered = offered
        self.then = then

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            return parameters[0] in self.offered
        return super().check_action(action, parameters)

    def action_choose(self, name: str) -> None:
        if name not in self.offered:
            return
        self.dismiss(None)
        self.app.call_later(self.then, name)  # its own dialog (a form, a yes/no) opens over the screen under this one


class ConflictScreen(ModalScreen[str | None]):
    """The row changed elsewhere since the form loaded it: reload (lose my edits), overwrite, or cancel.

    Returns "reload", "overwrite", or None (cancel: back to the form, edits kept, nothing saved).
    """

    BINDINGS = [
        Binding("r", "choose('reload')", "Reload", id="conflict-reload"),
        Binding("o", "choose('overwrite')", "Overwrite", id="conflict-overwrite"),
        Binding("x,escape", "choose('cancel')", "Cancel", id="conflict-cancel"),  # x cancels everywhere (c copies)
    ]

    def __init__(self, conflict: EditConflict) -> None:
        super().__init__()
        self.conflict = conflict

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="conflict-dialog"):
            yield Label("Changed elsewhere", classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(f"{self.conflict.text(dates.WORDS)}.\n\nReload shows what is saved now and drops your edits; "
                             "Overwrite saves your edits over that change; Cancel goes back to your edits "
                             "without saving.", id="conflict-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Reload (lose my edits) (r)", id="reload", compact=True)
                yield Button("Overwrite (o)", id="overwrite", variant="error", compact=True)
                yield Button("Cancel (x)", id="cancel", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        self.dismiss(None if choice == "cancel" else choice)
