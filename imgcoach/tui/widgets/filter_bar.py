"""Search a screen's table: `/` opens a one-line filter above it, typing narrows the rows at once.

The matching rule is the pure `parse_filter(...).matches(row)` in widgets/row_filter.py.

The table keeps every row and shows the matching ones (PlannerTable.filter_rows), so a reload from another
process keeps the filter and the cursor stays on its row while that row is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from imgcoach.tui.screens.base import DataT, PlannerScreen
from imgcoach.tui.widgets.row_filter import parse_filter
from imgcoach.tui.widgets.text_input import PlannerInput

if TYPE_CHECKING:
    from imgcoach.tui.widgets.table import PlannerTable


class FilterBar(Horizontal):
    """`/ [words…]   12 of 80 shown`: hidden until the screen's `/`; Escape clears and closes it."""

    DEFAULT_CSS = """
    FilterBar {
        display: none;
        height: 1;
        padding: 0 1;
    }
    FilterBar.open {
        display: block;
    }
    FilterBar #filter-prompt {
        width: 2;
        color: $accent;
        text-style: bold;
    }
    FilterBar Input {
        width: 1fr;
        height: 1;
        border: none;
        padding: 0;
    }
    FilterBar #filter-count {
        width: auto;
        padding: 0 0 0 1;
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("escape", "close", "Clear the search", id="filter-close"),
        Binding("down", "to_table", "To the rows", show=False, id="filter-to-table"),
    ]

    def __init__(self, table_id: str, placeholder: str) -> None:
        super().__init__(id=f"{table_id}-filter")
        self.table_id = table_id
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Static("/", id="filter-prompt")
        # Disabled while hidden: a closed filter must never take the focus (a screen focuses its first input).
        yield PlannerInput(placeholder=self.placeholder, id="filter-input", compact=True, disabled=True)
        yield Static("", id="filter-count")

    @property
    def is_open(self) -> bool:
        return self.has_class("open")

    def open(self) -> None:
        self.add_class("open")
        box = self.query_one(Input)
        box.disabled = False
        box.focus()

    def action_close(self) -> None:
        box = self.query_one(Input)
        box.value = ""  # Input.Changed shows every row again
        box.disabled = True
        self.remove_class("open")
        self.query_one("#filter-count", Static).update("")
        self.screen.query_one(f"#{self.table_id}").focus()

    def action_to_table(self) -> None:
        self.screen.query_one(f"#{self.table_id}").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_to_table()  # Enter keeps the filter and goes to the rows

    def show_count(self, shown: int, total: int, active: bool) -> None:
        self.query_one("#filter-count", Static).update(f"{shown} of {total} shown" if active else "")


class FilterableScreen(PlannerScreen[DataT]):
    """A planner screen whose table can be searched with `/`. Use `filtered(table)` in `body()`."""

    FILTER_FACETS: ClassVar[tuple[str, ...]] = ()  # `name:value` tokens this screen understands
    FILTER_FLAGS: ClassVar[tuple[str, ...]] = ()  # bare words that keep rows with that flag
    FILTER_HINT: ClassVar[str] = "type to narrow the rows; Enter: to the rows, Esc: clear"
    FILTER_EMPTY_PANE: ClassVar[str] = ""  # the detail Static that says so when nothing matches
    BINDINGS = [
        # In the footer where it fits (it gives way first on a narrow window: PlannerFooter).
        Binding("slash", "search", "Search", key_display="/", id="search-rows"),
        Binding("escape", "close_search_or_home", "Clear the search, or go home", show=False, id="go-home"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "search":  # in the search field / is typed as text: the footer does not offer it there
            focused = self.focused
            return not (isinstance(focused, Input) and focused.id == "filter-input")
        return True

    def filtered(self, table: PlannerTable) -> ComposeResult:
        """The hidden filter bar, then the table under it."""
        assert table.id is not None, "a filterable table needs an id"
        table.reports_rows = True
        yield FilterBar(table.id, self.FILTER_HINT)
        yield table

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    def filter_table(self) -> PlannerTable:
        from imgcoach.tui.widgets.table import PlannerTable

        return self.query_one(f"#{self.filter_bar.table_id}", PlannerTable)

    def action_search(self) -> None:
        self.filter_bar.open()

    def action_close_search_or_home(self) -> None:
        if self.filter_bar.is_open:
            self.filter_bar.action_close()
        else:
            self.planner.action_go_home()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "filter-input":
            return
        event.stop()
        self.filter_table().filter_rows(parse_filter(event.value, self.FILTER_FACETS, self.FILTER_FLAGS))

    def on_planner_table_rows_changed(self, event: PlannerTable.RowsChanged) -> None:
        table = event.table
        if table.id != self.filter_bar.table_id:
            return
        active = not table.row_filter.empty
        self.filter_bar.show_count(table.row_count, table.total_rows, active)
        if active and table.row_count == 0 and table.total_rows and self.FILTER_EMPTY_PANE:
            # Nothing is selected, so the pane must not keep describing a row that is filtered away; the row
            # highlighted once the search is cleared has its detail read and drawn again in its place.
            self.forget_detail()
            self.query_one(self.FILTER_EMPTY_PANE, Static).update(
                Text(f"No row matches “{self.query_one('#filter-input', Input).value.strip()}”: "
                     "Esc clears the search.", style="dim"))
