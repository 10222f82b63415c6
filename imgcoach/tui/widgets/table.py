"""A DataTable whose columns are sized to their content the moment rows are added.

Textual's DataTable measures new cells only when the app goes idle. Under load the first frame is
painted before that, with every column as wide as its header ("04 Ja  obse  Internal"), and
`clear()` never lets a column shrink again, so a filtered Outbox mixed wide and narrow rows. Here
each added row widens its columns at once and `clear()` starts again from the header widths.

One column may be *elastic* (`make_elastic`): a name column that takes the width the other columns leave,
so a program or institution name is cut only when the window is too narrow for it, and shows whole on a
wide one (names were cut at a fixed 38-40 characters at any width). Its cells are fitted again on resize.

The table also keeps every row it was given, so a filter (`filter_rows`, the `/` search of
widgets/filter_bar.py) can show the matching ones without asking the screen to load again, and a
screen's reload (clear, add_row...) goes through the same filter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any, Generic, NamedTuple, TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.render import measure
from textual.widgets import DataTable
from textual.widgets._data_table import ColumnKey, DuplicateKey, Row, RowKey, default_cell_formatter

from imgcoach.core.words import clip
from imgcoach.tui.dates import parse_shown
from imgcoach.tui.widgets.paint import after_painted
from imgcoach.tui.widgets.row_filter import Filter, RowFacts

# A str cell is read as markup ("[b]…", emoji codes ":…:"): with neither, its width is its cell length.
_MAYBE_MARKUP = re.compile(r"\[|:\S*:")


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


@dataclass
class _Elastic:
    column: int
    fit: Callable[[str, int], str]
    min_width: int
    unknown_width: int
    width: int | None = None  # the width its cells were last cut to


class NewRow(NamedTuple):
    """One row for `PlannerTable.add_keyed_rows`: what `add_row` takes for one."""

    cells: Sequence[Any]
    key: str
    facets: Mapping[str, Iterable[str]] | None = None
    flags: Iterable[str] = ()
    search_also: Iterable[str] = ()


ItemT = TypeVar("ItemT")


@dataclass
class _RowsToCome(Generic[ItemT]):
    """The rows `add_rows_visible_first` left for after the first paint: items[next:], each made by `row`."""

    items: Sequence[ItemT]
    row: Callable[[ItemT], NewRow]
    next: int

    def __len__(self) -> int:
        return len(self.items) - self.next

    def take(self, n: int | None = None) -> list[NewRow]:
        end = len(self.items) if n is None else min(len(self.items), self.next + n)
        rows = [self.row(item) for item in self.items[self.next:end]]
        self.next = end
        return rows


@dataclass(frozen=True)
class _StoredRow:
    cells: tuple[Any, ...]
    height: int | None
    key: str | None
    label: Any
    facts: RowFacts


class PlannerTable(DataTable[Any]):
    """Columns sized on `add_row`, not on the next idle: what is painted first is already right.
    A click on a column header sorts by that column; a second click reverses it. `S` does the same from the
    keyboard, column after column (issue 15 is tried keyboard only: sorting was mouse only).
    `filter_rows` shows only the rows a filter matches; rows added later go through it too."""

    BINDINGS = [Binding("S", "sort_next", "Sort", show=False, id="table-sort",
                        tooltip="sort by a column: each press the next one, ascending then descending")]

    class RowsChanged(Message):
        """The rows shown (or all rows) changed: posted once after a batch of `clear`/`add_row`/filter."""

        def __init__(self, table: PlannerTable) -> None:
            super().__init__()
            self.table = table

    def __init__(self, *args: Any, sortable: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sortable = sortable  # only for screens that find their rows by key, not by position
        self.sorted_by: tuple[Any, bool] | None = None  # (column key, reversed)
        self.row_filter = Filter()
        self._stored: list[_StoredRow] = []  # every row, in the order the screen added them
        self._change_posted = False
        self.reports_rows = False  # post RowsChanged (a FilterBar counts the rows); off: no extra messages
        self._elastic: _Elastic | None = None
        self._elastic_full: dict[RowKey, str] = {}  # the elastic column's whole text, by shown row
        self._refit_queued = False
        self._rows_to_come: _RowsToCome[Any] | None = None  # add_rows_visible_first's rest, added after the paint
        # Meanwhile, the elastic column's widest texts among every row (`widest`): a refit sizes it for them too.
        self._names_to_come: list[str] = []

    def make_elastic(self, column: int, fit: Callable[[str, int], str] | None = None, *, min_width: int = 12,
                     unknown_width: int = 40) -> None:
        """Column number `column` (counted from 0) takes the room the others leave, at least `min_width`
        cells; `fit(text, width)` cuts a cell to that width (default: an ellipsis at the end; a program
        name keeps its "(synthetic)"). Until the table has a size, cells are cut to `unknown_width`."""
        self._elastic = _Elastic(column, fit or clip, min_width, unknown_width)

    def elastic_width(self) -> int:
        """Cells the elastic column's text may take now: the table's width less every other column's."""
        elastic = self._elastic
        assert elastic is not None
        room = self.scrollable_content_region.width
        if room <= 0:
            return elastic.unknown_width
        others = sum(c.get_render_width(self) for i, c in enumerate(self.ordered_columns) if i != elastic.column)
        return max(elastic.min_width, room - others - 2 * self.cell_padding)

    def _fitted(self, cells: tuple[Any, ...]) -> tuple[Any, ...]:
        elastic = self._elastic
        if elastic is None or elastic.column >= len(cells) or not isinstance(cells[elastic.column], str):
            return cells
        if elastic.width is None:
            # Measured once for the rows added together (a load's hundreds: the measure walks every column, a
            # tenth of the Outbox's first show), not per row; _refit measures again after they are laid out and
            # cuts them again only if the room changed.
            elastic.width = self.elastic_width()
        width = elastic.width
        fitted = list(cells)
        fitted[elastic.column] = elastic.fit(cells[elastic.column], width)
        return tuple(fitted)

    def on_resize(self) -> None:
        self._queue_refit()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        """The scrollbar takes two cells of the room with no Resize: the Outbox's rows, once measured, grew a
        scrollbar and its last column was cut ("Trie") with a sideways scrollbar, or not, as the refit queued
        by the rows ran before or after it (a snapshot differed under load)."""
        self._queue_refit()

    def _queue_refit(self) -> None:
        if self._elastic is not None and not self._refit_queued and self.is_attached:
            self._refit_queued = True
            self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        """Cut the elastic column's cells again when the room for it changed (a resize, wider other columns)."""
        self._refit_queued = False
        elastic = self._elastic
        if elastic is None or self.scrollable_content_region.width <= 0:
            return
        if elastic.column >= len(self.ordered_columns):
            return
        column = self.ordered_columns[elastic.column]
        width = self.elastic_width()
        if width == elastic.width:
            return
        elastic.width = width
        column.content_width = max([self._width_of(column.label),
                                    *(self._width_of(elastic.fit(name, width)) for name in self._names_to_come)])
        for row_key, full in self._elastic_full.items():
            if row_key in self.rows:
                shown = elastic.fit(full, width)
                column.content_width = max(column.content_width, self._width_of(shown))
                self.update_cell(row_key, column.key, shown)
                if self.rows[row_key].auto_height:  # a fit that wraps: its height is measured again on idle
                    self.rows[row_key].height = 0  # (DataTable measures an auto height only while it is 0)
                    self._new_rows.add(row_key)
        self._require_update_dimensions = True  # the virtual width, on idle: else a sideways scrollbar stays
        self.refresh(layout=True)

    @property
    def total_rows(self) -> int:
        """Rows the screen added, shown or filtered away (`row_count` counts the shown ones), and those
        `add_rows_visible_first` adds after the first paint."""
        return len(self._stored) + len(self._rows_to_come or ())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sort_next":
            return self.sortable and self.row_count > 1  # hidden where it would do nothing (help, palette)
        return super().check_action(action, parameters)

    def why_unavailable(self, action: str) -> str:
        """What the help says beside S while it does nothing; nothing where the table never sorts."""
        return "not now: only with two rows or more" if action == "sort_next" and self.sortable else ""

    def action_sort_next(self) -> None:
        """The shown column's ascending order, then its descending order, then the next column's."""
        columns = [c for c in self.ordered_columns if str(c.label).strip()]
        keys = [c.key for c in columns]
        if not keys:
            return
        if self.sorted_by is None or self.sorted_by[0] not in keys:
            column, reverse = keys[0], False
        elif not self.sorted_by[1]:
            column, reverse = self.sorted_by[0], True
        else:
            column, reverse = keys[(keys.index(self.sorted_by[0]) + 1) % len(keys)], False
        self._sort_keeping_cursor(column, reverse)
        self.sorted_by = (column, reverse)
        label = str(columns[keys.index(column)].label)
        self.notify(f"Sorted by {label}, {'descending' if reverse else 'ascending'} (S: the next order)",
                    timeout=3)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        if self.sortable:
            event.stop()
            self.sort_by_column(event.column_key)

    def sort_by_column(self, column_key: Any) -> None:
        reverse = self.sorted_by == (column_key, False)
        self._sort_keeping_cursor(column_key, reverse)
        self.sorted_by = (column_key, reverse)

    def resort(self) -> None:
        """After a reload: the order the applicant chose, again."""
        if self.sorted_by is not None and self.sorted_by[0] in self.columns:
            self._sort_keeping_cursor(*self.sorted_by)

    def _sort_keeping_cursor(self, column_key: Any, reverse: bool) -> None:
        """DataTable.sort leaves the cursor at its index, on another row, with no highlight event, so a
        detail pane would go on describing the row that moved away: the cursor follows its row."""
        self.add_rows_to_come()  # a sort orders every row, not the first screenful
        key = self.cursor_key()
        self.sort(column_key, key=sort_key, reverse=reverse)
        if key is not None:
            self.move_to_key(key)

    def cursor_key(self) -> str | None:
        """The key of the row under the cursor, None in an empty table."""
        if self.row_count == 0:
            return None
        value = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return None if value is None else str(value)

    def cursor_mark(self) -> tuple[str | None, int]:
        """Where the cursor is before a reload clears the rows: its row's key and index (`put_cursor_back`)."""
        return self.cursor_key(), self.cursor_row

    def put_cursor_back(self, mark: tuple[str | None, int], prefer: str | None = None) -> None:
        """After a reload: the cursor on row `prefer` (a row an undo just put back), else on the row it was on,
        else, that row gone (deleted), on the row that took its place. A reload after a delete or its undo left
        the cursor on the first row, and the next e or d acted on a row the user had not chosen."""
        key, index = mark
        for wanted in (prefer, key):
            if wanted is not None and self.move_to_key(wanted):
                return
        if key is not None and self.row_count:
            self.move_cursor(row=min(index, self.row_count - 1))

    def move_to_key(self, key: str) -> bool:
        """Put the cursor on row `key` if it is shown; False if it is not (deleted, or filtered away)."""
        try:
            index = self.get_row_index(key)
        except Exception:  # RowDoesNotExist
            if self._rows_to_come is None:
                return False
            self.add_rows_to_come()  # it may be among the rows not added yet
            return self.move_to_key(key)
        self.move_cursor(row=index)
        return True

    def filter_rows(self, row_filter: Filter) -> None:
        """Show the rows `row_filter` matches, in the chosen sort order, the cursor on its row if still shown."""
        if row_filter == self.row_filter:
            return
        self.add_rows_to_come()  # the filter looks at every row
        self.row_filter = row_filter
        key = self.cursor_key()
        self._clear_shown()
        self._show_rows([row for row in self._stored if row_filter.matches(row.facts)])
        self.resort()
        if key is not None:
            self.move_to_key(key)
        self._rows_changed()

    def clear(self, columns: bool = False) -> PlannerTable:
        self._stored.clear()
        self._rows_to_come = None  # the rows of a load being replaced
        self._names_to_come = []
        self._clear_shown(columns)
        self._rows_changed()
        return self

    def _clear_shown(self, columns: bool = False) -> None:
        super().clear(columns)
        self._elastic_full.clear()
        if self._elastic is not None:
            self._elastic.width = None  # measured again for the rows to come
        for column in self.columns.values():
            column.content_width = self._width_of(column.label)

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None, label: Any = None,
                facets: Mapping[str, Iterable[str]] | None = None, flags: Iterable[str] = (),
                search_also: Iterable[str] = ()) -> RowKey:
        """`facets` and `flags` are what a filter may ask of the row beyond its visible text
        (e.g. {"state": ["NY"]}, ["plan"]); `search_also` is text a cell shows clipped. None is shown."""
        self.add_rows_to_come()  # after the rows added before it
        row = _StoredRow(cells, height, key, label, RowFacts.of(cells, facets, flags, search_also))
        self._stored.append(row)
        self._rows_changed()
        if self.row_filter.matches(row.facts):
            return self._show_rows([row])[0]
        return RowKey(key)

    def add_keyed_rows(self, rows: Iterable[NewRow]) -> None:
        """Rows added together, each as `add_row` adds one (facets, flags, search_also alike): a load's hundreds
        of rows in one pass (`_show_rows`)."""
        self.add_rows_to_come()  # after the rows added before them
        self._add_stored(rows)

    def _add_stored(self, rows: Iterable[NewRow]) -> None:
        stored = [_StoredRow(tuple(r.cells), 1, r.key, None, RowFacts.of(r.cells, r.facets, r.flags, r.search_also))
                  for r in rows]
        self._stored.extend(stored)
        self._rows_changed()
        self._show_rows([row for row in stored if self.row_filter.matches(row.facts)])

    REST_CHUNK = 200  # rows added per refresh after the first paint: a key typed meanwhile waits one chunk at most

    def add_rows_visible_first(self, items: Sequence[ItemT], row: Callable[[ItemT], NewRow],
                               widest: Sequence[Iterable[Any]] = ()) -> None:
        """`add_keyed_rows(map(row, items))`, but on the screen being shown, with no sort chosen and no search
        typed, only the rows its first frame can show are made and added now (two windows' height: a PageDown
        from the top stays within them); the rest follow after that frame is painted, REST_CHUNK at a time.
        The Outbox made all of its 789 rows (cells, search text, the table's rows, their layout) before its first
        frame, which shows 9 of them at 80x24: most of its first visit (issue 15). Whatever needs every row
        adds the rest first: a sort, a search, a row looked for by key, End, PageDown, the cursor going down.
        Off the screen shown (a screen built ahead) every row is added now: no one waits for that paint.

        `widest`: per column, cells among which is that column's widest of every item's row (a screen finds them
        over the few distinct values: labels, names, statuses), cheaper than making the rows. The columns are
        sized from them before the first frame: sized from the first rows only, a long name further down was cut
        in that frame, and the columns jumped wider as the rest came."""
        self.add_rows_to_come()
        first = 2 * max(self.app.size.height, 1)
        if (len(items) <= first or self.sorted_by is not None or not self.row_filter.empty
                or not (self.is_attached and self.screen.is_current)):
            self.add_keyed_rows(map(row, items))
            return
        self._size_columns(widest)
        rest = _RowsToCome(items, row, 0)
        self.add_keyed_rows(rest.take(first))
        self._rows_to_come = rest
        after_painted(self, self._add_next_chunk, rest)

    def _size_columns(self, widest: Sequence[Iterable[Any]]) -> None:
        """Each column at least as wide as its cells in `widest` (add_rows_visible_first); the elastic column's
        cells as its width cuts them, that width measured once the other columns are as wide as they will be."""
        columns = self.ordered_columns
        elastic = self._elastic
        names: list[str] = []
        for n, (column, cells) in enumerate(zip(columns, widest, strict=False)):
            if elastic is not None and n == elastic.column:
                names = [cell for cell in cells if isinstance(cell, str)]
                continue
            column.content_width = max([column.content_width, *map(self._width_of, cells)])
        self._names_to_come = names
        if elastic is not None and names:
            elastic.width = width = self.elastic_width()
            column = columns[elastic.column]
            column.content_width = max(column.content_width,
                                       *(self._width_of(elastic.fit(name, width)) for name in names))

    def add_rows_to_come(self) -> None:
        """Every row `add_rows_visible_first` left for later, now."""
        rest, self._rows_to_come = self._rows_to_come, None
        if rest is not None:
            self._names_to_come = []
            self._add_stored(rest.take())

    def _add_next_chunk(self, rest: _RowsToCome[Any]) -> None:
        if rest is not self._rows_to_come:
            return  # added meanwhile (a sort, a key), or cleared by a reload
        self._add_stored(rest.take(self.REST_CHUNK))
        if len(rest):
            self.call_after_refresh(self._add_next_chunk, rest)
        else:
            self._rows_to_come = None
            self._names_to_come = []

    def action_cursor_down(self) -> None:
        self.add_rows_to_come()
        super().action_cursor_down()

    def action_page_down(self) -> None:
        self.add_rows_to_come()
        super().action_page_down()

    def action_scroll_bottom(self) -> None:
        self.add_rows_to_come()
        super().action_scroll_bottom()

    def action_scroll_end(self) -> None:
        self.add_rows_to_come()
        super().action_scroll_end()

    def _show_rows(self, rows: list[_StoredRow]) -> list[RowKey]:
        """Show `rows`, what DataTable.add_row does for each, with its per-row bookkeeping done once: the
        ordered columns (a new list per call, three per row), the cursor's re-validation (a reactive set with
        its watchers, per row) and the idle check. Those were half of the Outbox's 789 rows' cost (issues 15
        and 17). Follows Textual 8.2's add_row (the pinned version); the table tests check the rows, the
        cursor's first highlight and the widths against it."""
        if not rows:
            return []
        columns = self.ordered_columns
        widths = [column.content_width for column in columns]
        elastic = self._elastic
        first = self.row_count == 0
        cut = False
        keys: list[RowKey] = []
        for row in rows:
            row_key = RowKey(row.key)
            if row_key in self._row_locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            if len(row.cells) > len(columns):
                raise ValueError("More values provided than there are columns.")
            cells = self._fitted(row.cells)
            self._row_locations[row_key] = len(self.rows)
            self._data[row_key] = {column.key: cell for column, cell in zip_longest(columns, cells)}
            label = Text.from_markup(row.label, end="") if isinstance(row.label, str) else row.label
            self.rows[row_key] = Row(row_key, row.height or 0, label, row.height is None)
            self._new_rows.add(row_key)
            for n, cell in enumerate(cells):
                widths[n] = max(widths[n], self._width_of(cell))
            if cells is not row.cells and elastic is not None:
                self._elastic_full[row_key] = row.cells[elastic.column]
                cut = True
            keys.append(row_key)
        for column, width in zip(columns, widths, strict=True):
            column.content_width = width
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate  # clamped to the rows now there, as add_row does
        if first and len(self.columns) > 0 and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()  # add_row's "a cell is now available": the first row's highlight event
        self._update_count += len(keys)
        self.check_idle()
        if cut:
            self._queue_refit()  # the other columns may have grown with these rows
        if not (self._layout_required and self._repaint_required):  # once per batch: a layout is already due
            self.refresh(layout=True)
        return keys

    def _rows_changed(self) -> None:
        if self.reports_rows and not self._change_posted and self.is_attached:
            self._change_posted = True
            self.call_later(self._post_rows_changed)

    def _post_rows_changed(self) -> None:
        self._change_posted = False
        self.post_message(self.RowsChanged(self))

    def add_column(self, label: Any, *, width: int | None = None, key: str | None = None,
                   default: Any = None) -> ColumnKey:
        column_key = super().add_column(label, width=width, key=key, default=default)
        column = self.columns[column_key]
        column.content_width = max(column.content_width, self._width_of(label))
        return column_key

    def _width_of(self, cell: Any) -> int:
        """The cells `cell` takes on a one-line row: what DataTable's own measure gives (a console measure of
        the formatted cell), without building a renderable and console options for plain text (most cells)."""
        if isinstance(cell, str) and cell.isprintable() and not _MAYBE_MARKUP.search(cell):
            return cell_len(cell)
        if isinstance(cell, Text):
            return max((cell_len(line) for line in cell.plain.splitlines()), default=0)
        return measure(self.app.console, default_cell_formatter(cell, wrap=False, height=1), 1)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """DataTable measures every new row's cells again when the app goes idle (0.3 s for the Outbox's 800
        rows on the loaded machine); `_show_rows` measured them already (as one-line rows). A row with a label or
        another height still takes DataTable's pass; the virtual size is computed as before."""
        rest = [key for key in new_rows
                if (row := self.rows.get(key)) is not None and (row.label is not None or row.height != 1)]
        super()._update_dimensions(rest)


class DetailsTable(PlannerTable):
    """A table whose rows open their details on Enter, and says so in the footer while it has a row to open."""

    BINDINGS = [Binding("enter", "select_cursor", "Details", key_display="⏎", id="row-details")]
    _offered_details = True  # what the footer was last told (check_action)
    _details_check_queued = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            # An empty list (a new plan, a search that matches nothing) offered "⏎ Details", and Enter did nothing.
            # Noted as the footer was told: noted only when rows changed, a footer drawn before the first rows
            # came (the screen's first paint) kept "⏎ Details" off a full list.
            self._offered_details = self.row_count > 0
            return self._offered_details
        return super().check_action(action, parameters)

    def why_unavailable(self, action: str) -> str:
        return "not now: no row to open" if action == "select_cursor" else super().why_unavailable(action)

    def _rows_changed(self) -> None:
        super()._rows_changed()
        if self.is_attached and not self._details_check_queued:
            self._details_check_queued = True
            self.call_later(self._offer_details)  # after the rows this change adds are in

    def _offer_details(self) -> None:
        self._details_check_queued = False
        if (self.row_count > 0) != self._offered_details:
            self._offered_details = self.row_count > 0
            self.refresh_bindings()
