"""A DataTable whose columns are sized to their content the moment rows are added.

Textual's DataTable measures new cells only when the app goes idle. Under load the first frame is
painted before that, with every column as wide as its header ("04 Ja  obse  Internal"), and
`clear()` never lets a column shrink again, so a filtered Outbox mixed wide and narrow rows. Here
each added row widens its columns at once and `clear()` starts again from the header widths.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.render import measure
from textual.widgets import DataTable
from textual.widgets._data_table import ColumnKey, RowKey, default_cell_formatter

from imgcoach.tui.dates import parse_shown


def sort_key(cell: Any) -> tuple[int, Any]:
    """Days as days, numbers as numbers ("$95" < "$120", "9 %" < "45 %"), everything else by its text, blanks last."""
    text = cell.plain if isinstance(cell, Text) else str(cell)
    shown = parse_shown(text)
    if shown is not None:  # "05 Jul – 01 Aug 2026" sorts by its day, not by "05"
        return (0, float(shown.toordinal()))
    figure = text.replace("$", "").replace(",", "").replace("%", "").strip()
    try:
        return (0, float(figure))
    except ValueError:
        return (1 if text.strip() else 2, text.lower())


class PlannerTable(DataTable[Any]):
    """Columns sized on `add_row`, not on the next idle: what is painted first is already right.
    A click on a column header sorts by that column; a second click reverses it."""

    def __init__(self, *args: Any, sortable: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sortable = sortable  # only for screens that find their rows by key, not by position
        self.sorted_by: tuple[Any, bool] | None = None  # (column key, reversed)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        if self.sortable:
            event.stop()
            self.sort_by_column(event.column_key)

    def sort_by_column(self, column_key: Any) -> None:
        reverse = self.sorted_by == (column_key, False)
        self.sort(column_key, key=sort_key, reverse=reverse)
        self.sorted_by = (column_key, reverse)

    def resort(self) -> None:
        """After a reload: the order the applicant chose, again."""
        if self.sorted_by is not None and self.sorted_by[0] in self.columns:
            self.sort(self.sorted_by[0], key=sort_key, reverse=self.sorted_by[1])

    def clear(self, columns: bool = False) -> PlannerTable:
        super().clear(columns)
        for column in self.columns.values():
            column.content_width = self._width_of(column.label)
        return self

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None,
                label: Any = None) -> RowKey:
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        for column, cell in zip(self.ordered_columns, cells, strict=False):
            column.content_width = max(column.content_width, self._width_of(cell))
        self.refresh(layout=True)
        return row_key

    def add_column(self, label: Any, *, width: int | None = None, key: str | None = None,
                   default: Any = None) -> ColumnKey:
        column_key = super().add_column(label, width=width, key=key, default=default)
        column = self.columns[column_key]
        column.content_width = max(column.content_width, self._width_of(label))
        return column_key

    def _width_of(self, cell: Any) -> int:
        return measure(self.app.console, default_cell_formatter(cell, wrap=False, height=1), 1)


class DetailsTable(PlannerTable):
    """A table whose rows open their details on Enter, and says so in the footer."""

    BINDINGS = [Binding("enter", "select_cursor", "Details", key_display="⏎", id="row-details")]
