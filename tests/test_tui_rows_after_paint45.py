"""A first visit makes the rows its first frame shows, the rest after that frame (issue 15: any screen switch under
100 ms on the 5-year plan; the Outbox made all of its 789 rows, cells, search text and layout, before a frame that
shows 9 of them at 80x24). Counted, never timed: the rows in the table when the first frame showing any is written.
And what needs every row still gets every row while the rest are on their way: End, a sort, a search, a reload's
cursor on a row further down."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static

from imgcoach.core.context import Context
from imgcoach.tui.widgets.table import PlannerTable
from tests.test_tui_first_visit import _reminders
from tests.tui_helpers import app_for, at_each_frame, press, settle

ROWS = 300
HEIGHT = 24


def rows_at_first_paint(app: Any, key: str) -> list[int]:
    """The row counts of the `key` screen's table at each frame written to the terminal while that screen is shown."""
    def rows(app: Any) -> int:
        tables = app.screen.query(DataTable)
        return tables.first().row_count if tables else 0

    return at_each_frame(app, key, rows)


async def test_outbox_first_paint_has_the_rows_it_shows_and_the_rest_follow(ctx: Context) -> None:
    """Before: the first frame with rows had all 300 (every row made before it was painted)."""
    _reminders(ctx, {"pending": ROWS, "sent": 2})
    app = app_for(ctx)
    async with app.run_test(size=(80, HEIGHT)) as pilot:
        await settle(pilot)
        counts = rows_at_first_paint(app, "outbox")
        await press(pilot, "o")
        with_rows = [n for n in counts if n]
        assert with_rows, counts
        assert with_rows[0] <= 2 * HEIGHT, f"rows in the table at its first paint with rows: {with_rows[0]}"
        table = app.screen.query_one(PlannerTable)
        assert table.row_count == table.total_rows == ROWS  # then every row, in the order read (by due time)
        keys = [row.key.value for row in table.ordered_rows]
        assert keys == sorted(keys, key=lambda k: int(k or 0)) and len(set(keys)) == ROWS
        assert f"pending {ROWS}" in str(app.screen.query_one("#outbox-filters", Static).render())
        assert table.cursor_row == 0


@pytest.fixture
def held_rest(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The rest wait until a key asks for them: the keys below are pressed while rows are still to come, whatever
    the machine's speed. (With 3 rows per refresh instead, a loaded machine's run had added all 300 before the test
    looked: Pilot's key press waits up to a second for the app to be idle.)"""
    monkeypatch.setattr(PlannerTable, "_add_next_chunk", lambda table, rest: None)
    yield


async def first_rows_shown(pilot: Any) -> PlannerTable:
    """Open the Outbox and return as soon as its table has rows, the rest still to come."""
    await pilot.press("o")
    for _ in range(400):
        tables = pilot.app.screen.query(PlannerTable)
        if tables and tables.first().row_count:
            break
        await pilot.pause(0.005)
    table = pilot.app.screen.query_one(PlannerTable)
    assert 0 < table.row_count < ROWS and table.total_rows == ROWS
    return table


@pytest.mark.usefixtures("held_rest")
async def test_end_while_rows_are_to_come_goes_to_the_last_of_all(ctx: Context) -> None:
    _reminders(ctx, {"pending": ROWS})
    app = app_for(ctx)
    async with app.run_test(size=(80, HEIGHT)) as pilot:
        await settle(pilot)
        table = await first_rows_shown(pilot)
        await pilot.press("ctrl+end")
        assert table.row_count == ROWS
        assert table.cursor_row == ROWS - 1
        await settle(pilot)
        assert table.row_count == ROWS and table.cursor_row == ROWS - 1
        last = table.ordered_rows[-1].key.value
        assert app.screen.selected_id() == int(last or 0)  # type: ignore[attr-defined]


@pytest.mark.usefixtures("held_rest")
async def test_sort_while_rows_are_to_come_sees_every_row(ctx: Context) -> None:
    _reminders(ctx, {"pending": ROWS})
    app = app_for(ctx)
    async with app.run_test(size=(80, HEIGHT)) as pilot:
        await settle(pilot)
        table = await first_rows_shown(pilot)
        on = table.cursor_key()
        await pilot.press("S", "S")  # the Due column, descending: the last due first
        assert table.row_count == ROWS
        assert table.cursor_key() == on  # the cursor stays on its row
        assert table.ordered_rows[0].key.value == max((r.key.value or "" for r in table.ordered_rows), key=int)
        await settle(pilot)
        assert table.row_count == ROWS


@pytest.mark.usefixtures("held_rest")
async def test_search_while_rows_are_to_come_sees_every_row(ctx: Context) -> None:
    _reminders(ctx, {"pending": ROWS})
    app = app_for(ctx)
    async with app.run_test(size=(80, HEIGHT)) as pilot:
        await settle(pilot)
        table = await first_rows_shown(pilot)
        await pilot.press("slash", *"thank")
        await settle(pilot)
        assert app.screen.query_one("#filter-input", Input).value == "thank"
        assert f"{ROWS} of {ROWS} shown" in str(app.screen.query_one("#filter-count", Static).render())
        assert table.row_count == ROWS


async def test_a_reload_keeps_the_cursor_on_a_row_further_down(ctx: Context) -> None:
    """The row chosen is past the first screenful: the reload (the daemon line's refresh, a save) finds it."""
    _reminders(ctx, {"pending": ROWS})
    app = app_for(ctx)
    async with app.run_test(size=(80, HEIGHT)) as pilot:
        await settle(pilot)
        await press(pilot, "o")
        table = app.screen.query_one(PlannerTable)
        table.move_cursor(row=ROWS - 10)
        chosen = table.cursor_key()
        await settle(pilot)
        app.screen.reload()  # type: ignore[attr-defined]
        await settle(pilot)
        assert table.row_count == ROWS
        assert table.cursor_key() == chosen
