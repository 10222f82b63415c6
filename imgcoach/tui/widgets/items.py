"""A dialog listing small records (supervisors, letters, cases) to edit (e / Enter) or delete (d).

It knows nothing about them: `load(ctx)` runs in a worker thread and returns the items; `edit(item,
refresh)` and `delete(item, refresh)` belong to the screen that opened it and call `refresh()`
once the change is saved, so the list shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from imgcoach.tui.appref import planner
from imgcoach.tui.widgets.dialogs import QUIT


@dataclass(frozen=True)
class Item:
    kind: str  # supervisor | letter | case
    ref: int
    label: Text
    record: Any = None  # the row(s) the edit form starts from


Action = Callable[[Item, Callable[[], object]], None]  # the callback: reload the list when done


# The plan table an undo names (plan.Undoable.table) -> the kind of item its rows are listed as here.
UNDO_KINDS = {"contact": "supervisor", "letter_request": "letter", "case_note": "case"}


class ItemsScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("e", "edit", "Edit", id="items-edit"),
        Binding("d", "delete", "Delete", id="items-delete"),
        Binding("escape", "close", "Close", id="items-close"),
        QUIT,
        # A dialog keeps the app's keys out: the app's undo is let in, for what d just deleted here (the toast
        # says so; the footer stays as it was).
        Binding("ctrl+z", "app.undo", "Undo", key_display="^z", show=False, id="items-undo"),
    ]

    ALLOWS_UNDO = True  # ctrl+z (the app's undo) puts back what d deleted here; the list refreshes

    def __init__(self, title: str, load: Callable[[Any], list[Item]], edit: Action, delete: Action,
                 *, empty: str = "Nothing here yet.") -> None:
        super().__init__()
        self.title_text = title
        self.load = load
        self.edit = edit
        self.delete = delete
        self.empty = empty
        self.items: list[Item] = []
        self._put_back: str | None = None  # the option id an undo put back (`put_back`)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="items-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(id="items-list")
            yield Static("e / Enter edit · d delete · Escape close", classes="muted", id="items-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.refresh_items()

    @work(thread=True, exclusive=True, group="items")
    def refresh_items(self) -> None:
        from imgcoach.core.errors import UserError

        try:
            items = self.load(planner(self.app).open_context())
        except UserError as exc:  # e.g. the rotation was deleted by another process meanwhile
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            items = []
        self.app.call_from_thread(self._show, items)

    def put_back(self, table: str, row_ids: list[int]) -> None:
        """An undo put these rows of `table` back: the refresh that follows highlights the first (it highlighted
        whichever item had taken the deleted one's place)."""
        kind = UNDO_KINDS.get(table)
        if kind is not None and row_ids:
            self._put_back = f"{kind}-{row_ids[0]}"

    def _show(self, items: list[Item]) -> None:
        listing = self.query_one(OptionList)
        keep = listing.highlighted
        kept = listing.get_option_at_index(keep).id if keep is not None and keep < listing.option_count else None
        wanted, self._put_back = self._put_back, None
        self.items = items
        listing.clear_options()
        listing.add_options([Option(item.label, id=f"{item.kind}-{item.ref}") for item in items])
        shown = {f"{item.kind}-{item.ref}": n for n, item in enumerate(items)}
        if not items:
            listing.add_option(Option(Text(self.empty, style="dim"), disabled=True))
        elif (found := next((shown[k] for k in (wanted, kept) if k is not None and k in shown), None)) is not None:
            # the item put back by an undo, else the one highlighted (an edit can move it in the list)
            listing.highlighted = found
        elif keep is not None:
            listing.highlighted = min(keep, len(items) - 1)  # it was deleted: the item that took its place
        else:
            listing.highlighted = 0

    def selected(self) -> Item | None:
        index = self.query_one(OptionList).highlighted
        return self.items[index] if index is not None and index < len(self.items) else None

    @on(OptionList.OptionSelected)
    def action_edit(self) -> None:
        item = self.selected()
        if item is not None:
            self.edit(item, self.refresh_items)

    def action_delete(self) -> None:
        item = self.selected()
        if item is not None:
            self.delete(item, self.refresh_items)

    def action_close(self) -> None:
        self.dismiss(None)
