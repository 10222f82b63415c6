"""Table columns are sized to their content in the first frame, not on the next idle."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult

from imgcoach.tui.widgets.table import NewRow, PlannerTable


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PlannerTable(id="t")


def widths(table: PlannerTable) -> list[int]:
    return [column.get_render_width(table) for column in table.ordered_columns]


async def test_columns_fit_content_before_the_table_goes_idle() -> None:
    app = TableApp()
    async with app.run_test(size=(100, 10)) as pilot:
        table = app.query_one(PlannerTable)
        table.add_columns("Dates", "Kind")
        # No pause: an app under load paints before the idle pass that DataTable measures in.
        table.add_row("04 Jan 27–01 Feb 27", "observership", key="1")
        assert [column.content_width for column in table.ordered_columns] == [19, 12]
        await pilot.pause()
        assert [column.content_width for column in table.ordered_columns] == [19, 12]


async def test_clear_lets_columns_shrink_to_the_new_rows() -> None:
    app = TableApp()
    async with app.run_test(size=(100, 10)) as pilot:
        table: Any = app.query_one(PlannerTable)
        table.add_columns("Due", "Reminder")
        table.add_row("05 Jul 26 09:00", "Ask for a letter of recommendation", key="1")
        await pilot.pause()
        table.clear()
        table.add_row("05 Jul 26 09:00", "Thank-you note", key="2")
        await pilot.pause()
        assert [column.content_width for column in table.ordered_columns] == [15, 14]


async def test_a_header_click_sorts_and_a_reload_keeps_the_order(demo_ctx: Any) -> None:
    from tests.tui_helpers import app_for, press, settle

    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "r")
        table = app.screen.query_one(PlannerTable)
        before = [table.get_row_at(i)[2] for i in range(table.row_count)]
        x = sum(column.get_render_width(table) for column in table.ordered_columns[:2]) + 2
        await pilot.click(PlannerTable, offset=(x, 0))  # the Specialty header
        await settle(pilot)
        specialties = [table.get_row_at(i)[2] for i in range(table.row_count)]
        assert specialties == sorted(before) and specialties != before
        await pilot.click(PlannerTable, offset=(x, 0))
        await settle(pilot)
        assert [table.get_row_at(i)[2] for i in range(table.row_count)] == sorted(before, reverse=True)
        app.screen.reload()  # type: ignore[attr-defined]
        await settle(pilot)
        assert [table.get_row_at(i)[2] for i in range(table.row_count)] == sorted(before, reverse=True)


def test_numbers_sort_as_numbers() -> None:
    from imgcoach.tui.widgets.table import sort_key

    assert sorted(["$120", "$95", "", "$1,050"], key=sort_key) == ["$95", "$120", "$1,050", ""]


async def test_s_sorts_by_each_column_in_turn_from_the_keyboard(demo_ctx: Any) -> None:
    """Issue 15 is tried keyboard only; sorting was a header click. S: a column ascending, then descending,
    then the next column, said in a toast; the help lists it where a table sorts, and not where none does."""
    from imgcoach.tui.help import help_text, plain
    from tests.tui_helpers import app_for, press, settle

    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "r")
        table = app.screen.query_one(PlannerTable)
        table.focus()
        await settle(pilot)
        assert "sort by a column" in plain(help_text(app.screen))

        def cells(column: int) -> list[str]:
            return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]

        kinds = cells(1)
        await press(pilot, "S", "S", "S")  # Dates up, Dates down, then Kind up
        assert cells(1) == sorted(kinds) and table.sorted_by == (table.ordered_columns[1].key, False)
        assert any("Sorted by Kind, ascending" in str(n.message) for n in app._notifications)
        await press(pilot, "S")
        assert cells(1) == sorted(kinds, reverse=True)
        await press(pilot, "s")  # Study plan: no sortable table
        study = app.screen.query_one(PlannerTable)
        study.focus()
        await settle(pilot)
        assert "sort by a column" not in plain(help_text(app.screen))


class CountingTable(PlannerTable):
    """Counts the cursor's re-validations (DataTable.add_row re-sets the cursor, with its watchers, per row) and
    the RowHighlighted events the rows bring."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self.validations = 0
        self.highlights: list[Any] = []

    def validate_cursor_coordinate(self, value: Any) -> Any:
        self.validations += 1
        return super().validate_cursor_coordinate(value)

    def on_data_table_row_highlighted(self, event: Any) -> None:
        self.highlights.append(event.row_key.value)


class TwoTablesApp(App[None]):
    def compose(self) -> ComposeResult:
        yield CountingTable(id="one")
        yield CountingTable(id="many")


OUTBOX_LIKE = [(f"{n % 28 + 1:02d} Jan 27 09:00", f"Reminder {n} " + "x" * (n % 9), f"Specialty {n % 7}",
                ("pending", "sent", "failed")[n % 3], str(n % 4)) for n in range(300)]


async def test_rows_added_together_are_the_rows_added_one_by_one_with_one_cursor_check() -> None:
    """The Outbox's 789 rows went through DataTable.add_row one at a time: per row a new ordered column list
    (three), the cursor re-set with its watchers and an idle check, half of the rows' cost (issues 15 and 17).
    `add_keyed_rows` adds them in one pass: the same rows, cells, widths, cursor and first highlight."""

    app = TwoTablesApp()
    async with app.run_test(size=(100, 30)) as pilot:
        one, many = app.query_one("#one", CountingTable), app.query_one("#many", CountingTable)
        for table in (one, many):
            table.add_columns("Due", "Reminder", "Rotation", "Status", "Tries")
            table.make_elastic(2, min_width=8)
            table.validations = 0
        for n, cells in enumerate(OUTBOX_LIKE):
            one.add_row(*cells, key=str(n), facets={"status": [cells[3]]})
        many.add_keyed_rows(NewRow(cells, str(n), facets={"status": [cells[3]]}) for n, cells in enumerate(OUTBOX_LIKE))
        assert many.validations <= 2, f"{many.validations} cursor checks for {len(OUTBOX_LIKE)} rows"
        assert one.validations >= len(OUTBOX_LIKE)  # add_row's own way, kept for a single row
        await pilot.pause()
        for table in (one, many):
            assert table.row_count == table.total_rows == len(OUTBOX_LIKE)
        assert [many.get_row_at(i) for i in range(many.row_count)] == [one.get_row_at(i) for i in range(one.row_count)]
        assert [c.content_width for c in many.ordered_columns] == [c.content_width for c in one.ordered_columns]
        assert many.cursor_coordinate == one.cursor_coordinate and many.highlights == one.highlights == ["0"]
        assert many.virtual_size == one.virtual_size



class EagerRefitTable(PlannerTable):
    """Refits when asked, not after the next refresh: the order a loaded machine gave the Outbox."""

    def _queue_refit(self) -> None:
        if self._elastic is not None and self.is_attached:
            self._refit()


class EagerRefitApp(App[None]):
    CSS = "EagerRefitTable { height: 6; }"

    def compose(self) -> ComposeResult:
        yield EagerRefitTable(id="t")


async def test_a_scrollbar_that_comes_after_the_refit_refits_the_elastic_column() -> None:
    """The Outbox's snapshot showed "Trie" under a sideways scrollbar, on a loaded machine only (1 run in 8):
    the refit its rows queued ran after the rows were measured but before the layout that brought the
    vertical scrollbar, whose two cells come with no Resize, so the elastic column kept the width measured
    without it. A table that refits at once makes that order certain."""
    from tests.tui_helpers import until

    app = EagerRefitApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(EagerRefitTable)
        table.add_columns("Due", "Rotation", "Tries")
        table.make_elastic(1, min_width=8)
        table.add_row("02 Dec 26", "Family Medicine, Lakeview Community Health Center", "0", key="0")
        await until(pilot, lambda: not table._require_update_dimensions)
        assert not table.show_vertical_scrollbar and not table.show_horizontal_scrollbar
        table.add_keyed_rows(NewRow(("03 Dec 26", f"Internal Medicine, Northfield Hospital {n}", "0"), str(n))
                             for n in range(1, 12))
        await until(pilot, lambda: table.show_vertical_scrollbar and not table._require_update_dimensions)
        await pilot.pause()
        assert table.show_vertical_scrollbar
        assert not table.show_horizontal_scrollbar, "the last column is cut under a sideways scrollbar"
        assert sum(widths(table)) <= table.scrollable_content_region.width
