"""A DataTable whose columns are sized to their content the moment rows are added.

Textual's DataTable measures new cells only when the app goes idle. Under load the first frame is
painted before that, with every column as wide as its header ("04 Ja  obse  Internal"), and
`clear()` never lets a column shrink again, so a filtered Outbox mixed wide and narrow rows. Here
each added row widens its columns at once and `clear()` starts again from the header widths.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.render import measure
from textual.widgets import DataTable
from textual.widgets._data_table import ColumnKey, RowKey, default_cell_formatter


class PlannerTable(DataTable[Any]):
    """Columns sized on `add_row`, not on the next idle: what is painted first is already right."""

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
