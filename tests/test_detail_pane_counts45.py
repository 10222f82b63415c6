"""Issue 15: a detail pane one row high (the Shortlist's fees and sources at 80x24) drew a scrollbar that was
all thumb: nothing said that 30-odd lines were hidden under one. A pane's border now says how many lines are
below what it shows, as it scrolls; one row high it draws no scrollbar (the row's width goes to the text)."""

from __future__ import annotations

from imgcoach.core.context import Context
from imgcoach.tui.widgets.detail_pane import DetailPane
from tests.tui_helpers import app_for, press, settle


async def test_the_shortlist_fees_pane_says_what_it_hides_at_80x24(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "m")
        await settle(pilot)
        box = app.screen.query_one("#shortlist-provenance-pane", DetailPane)
        assert box.scrollable_content_region.height == 1
        hidden = round(box.max_scroll_y)
        assert hidden > 5, "the demo's fees, sources and notes run past one row (else nothing to test)"
        assert box.border_title == f"tab: scroll the details · {hidden} more lines"
        assert not box.show_vertical_scrollbar or box.styles.scrollbar_size_vertical == 0, "no all-thumb bar"
        box.focus()
        await press(pilot, "down", "down")
        assert box.border_title == f"shift+tab: back to the list · {hidden - 2} more lines"
        await press(pilot, "end")
        assert box.border_title == "shift+tab: back to the list", "at its end nothing is hidden"


async def test_a_pane_whose_text_fits_says_no_count(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(200, 80)) as pilot:
        await press(pilot, "p")
        await settle(pilot)
        box = app.screen.query_one("#profile-pane", DetailPane)
        assert box.max_scroll_y == 0 and box.border_title is not None and "more line" not in box.border_title
        assert box.styles.scrollbar_size_vertical == 2, "a pane taller than a row keeps its scrollbar"
