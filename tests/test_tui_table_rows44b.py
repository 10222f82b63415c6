"""Issue 15: how many rows of a screen's table a person sees at 80x24. The Shortlist showed 3 of its 80
programs: the summary, a 7-line explanation and a 3-line fees-and-sources pane took the rest. Under 30 rows the
two panes are shorter and still reach every line (Tab scrolls them, Enter shows a program's whole explanation);
at 120x40 and 200x50 they keep their height. Pilot on the demo data."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable

from imgcoach.core.context import Context
from imgcoach.tui.widgets.detail_pane import DetailPane
from imgcoach.tui.widgets.dialogs import TextScreen
from tests.tui_helpers import app_for, press, scroll_to_its_end, settle, until


def rows_shown(table: DataTable[Any]) -> int:
    """The table's rows inside its window: its height below the header, at most the rows it has."""
    return min(table.row_count, table.scrollable_content_region.height - table.header_height)


def pane_lines(app: Any, selector: str) -> int:
    """The lines of text a detail pane shows (its height without its top border)."""
    return int(app.screen.query_one(selector, DetailPane).scrollable_content_region.height)


async def test_shortlist_at_80x24_shows_nine_rows_and_every_line_stays_reachable(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "m")
        table = app.screen.query_one("#shortlist-table", DataTable)
        assert table.row_count == 80
        assert rows_shown(table) >= 9, rows_shown(table)  # 3 before
        assert pane_lines(app, "#shortlist-detail-pane") == 3
        assert pane_lines(app, "#shortlist-provenance-pane") == 1
        # Nothing runs under the footer: the screen's parts end where the footer begins.
        footer_top = app.screen.query_one("PlannerFooter").region.y
        assert app.screen.query_one("#shortlist-provenance-pane").region.bottom == footer_top
        # Both panes still reach their last line from the keyboard.
        for selector in ("#shortlist-detail-pane", "#shortlist-provenance-pane"):
            pane = app.screen.query_one(selector, DetailPane)
            assert pane.max_scroll_y > 0
            await scroll_to_its_end(pilot, pane)
        # Enter on a program: its whole explanation, ending with the disclaimer the pane ends with.
        table.focus()
        await press(pilot, "enter")
        assert isinstance(app.screen, TextScreen)
        text = app.screen.text
        shown = getattr(text, "plain", str(text))
        disclaimer = app.screen_stack[-2]._data["shortlist"].disclaimer
        assert shown.split()[-len(disclaimer.split()):] == disclaimer.split()


@pytest.mark.parametrize("size", [(120, 40), (200, 50)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_shortlist_keeps_its_panes_when_the_window_is_tall(demo_ctx: Context, size: tuple[int, int]) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "m")
        assert pane_lines(app, "#shortlist-detail-pane") == 7
        assert pane_lines(app, "#shortlist-provenance-pane") == 3
        assert rows_shown(app.screen.query_one("#shortlist-table", DataTable)) >= 20


async def test_shortlist_panes_follow_a_resize(demo_ctx: Context) -> None:
    """Made smaller, then larger again: the panes shrink and grow back with the window."""
    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "m")
        table = app.screen.query_one("#shortlist-table", DataTable)
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: pane_lines(app, "#shortlist-detail-pane") == 3)
        await settle(pilot)
        assert pane_lines(app, "#shortlist-detail-pane") == 3
        assert rows_shown(table) >= 9
        await pilot.resize_terminal(120, 40)
        await until(pilot, lambda: pane_lines(app, "#shortlist-detail-pane") == 7)
        assert pane_lines(app, "#shortlist-detail-pane") == 7
        assert pane_lines(app, "#shortlist-provenance-pane") == 3



def add_rotations(ctx: Context, count: int) -> None:
    """More rotations than the demo's four: a five-year plan's list, one a month from 2028 (no overlap)."""
    from datetime import date

    from imgcoach.plan import add_rotation

    for n in range(count):
        start = date(2028 + n // 12, n % 12 + 1, 1)
        add_rotation(ctx, institution=f"Hospital {n + 1} (synthetic)", specialty="Internal Medicine",
                     kind="observership", start_date=start, end_date=start.replace(day=25), hours_per_week=40)


async def test_rotations_at_80x24_show_twelve_rows_of_a_long_list(demo_ctx: Context) -> None:
    """The table took 40% of the window whatever it held: 8 of 20 rotations at 80x24 (and 4 blank rows under the
    demo's 4). It is as tall as its rows, up to 60%; the details below still scroll (Tab) and Enter opens them."""
    add_rotations(demo_ctx, 16)
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "r")
        table = app.screen.query_one("#rotation-table", DataTable)
        assert table.row_count == 20
        assert rows_shown(table) >= 11, rows_shown(table)  # 8 before
        pane = app.screen.query_one("#rotation-detail-pane", DetailPane)
        assert pane.scrollable_content_region.height >= 6
        footer_top = app.screen.query_one("PlannerFooter").region.y
        assert pane.region.bottom == footer_top


async def test_rotations_table_is_no_taller_than_its_rows(demo_ctx: Context) -> None:
    """The demo's 4 rotations: no blank rows, the details get the room."""
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "r")
        table = app.screen.query_one("#rotation-table", DataTable)
        assert table.row_count == 4
        assert table.scrollable_content_region.height - table.header_height == 4
