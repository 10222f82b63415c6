"""The Import screen shows where the focus is on arrival (issue 15: "focus is always visible"). Its table takes the focus
(navigation letters then never land in the path), but before any file is read it has no rows, and a table shows its
focus by its row cursor: nothing on screen said where keys went. The focused table's header now has the accent
background; with the focus in the path (f) it has its plain one. Pilot, keyboard only."""

from __future__ import annotations

from rich.style import Style
from textual.widgets import DataTable

from imgcoach.core.context import Context
from tests.tui_helpers import app_for, press


def shift(one: Style, other: Style) -> int:
    """How far two styles' backgrounds are apart: the sum of the three channels' differences (0 to 765)."""
    assert one.bgcolor is not None and other.bgcolor is not None
    a, b = one.bgcolor.get_truecolor(), other.bgcolor.get_truecolor()
    return sum(abs(x - y) for x, y in zip(a, b, strict=True))


async def test_the_empty_import_table_shows_it_has_the_focus(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "i")
        table = app.screen.query_one("#import-table", DataTable)
        assert app.focused is table and table.row_count == 0
        focused = table.get_component_rich_style("datatable--header")
        await press(pilot, "ctrl+o")  # to the path
        assert app.focused is not table
        unfocused = table.get_component_rich_style("datatable--header")
        # Textual's own focus tint (5% of the foreground) moved the header by 25 of 765 levels (9, 8, 8): no change to
        # the eye. The accent moves it by well over 60.
        assert shift(focused, unfocused) >= 60, (focused, unfocused)
        await press(pilot, "escape")  # back to the table
        assert app.focused is table
        assert table.get_component_rich_style("datatable--header").bgcolor == focused.bgcolor
