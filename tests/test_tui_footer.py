"""The footer: `/` (search) is shown on the searchable screens where it fits, and on every screen at 80
and 120 columns every key shown is whole, left of the palette key (the last key once read "? H▏"). When room
is short the palette key drops its word ("^p") before search gives way."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from imgcoach.core.context import Context
from imgcoach.tui.registry import SCREENS, entry
from imgcoach.tui.widgets.footer import PlannerFooter
from tests.tui_helpers import app_for, press, until

SEARCHABLE = ("shortlist", "rotations", "outreach", "outbox")
# Where "/ Search" fits beside the screen's own keys at 80 columns: everywhere, once "^p palette" is "^p"
# on Rotations and Outreach. With "^z Undo" in the row too, it gives way there (test below).
SEARCH_AT_80 = ("shortlist", "outbox", "rotations", "outreach")


def footer_row(app: object) -> tuple[list[str], int, int]:
    """The keys shown left of the palette ("/ Search"), where the last of them ends, where the palette starts."""
    footer = app.screen.query_one(PlannerFooter)  # type: ignore[attr-defined]
    palette = footer.query_one(".-command-palette")
    row = [w for w in footer.children if w.display and not w.has_class("-command-palette")]
    keys = [f"{k.key_display} {k.description}" for k in row if isinstance(k, FooterKey)]
    return keys, max(w.region.right for w in row), palette.region.x


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_footer_key_is_whole_and_search_shows_where_it_fits(demo_ctx: Context,
                                                                        size: tuple[int, int]) -> None:
    async with app_for(demo_ctx).run_test(size=size) as pilot:
        for item in SCREENS:
            await press(pilot, entry(item.key).binding)
            keys, row_end, palette_x = footer_row(pilot.app)
            footer = pilot.app.screen.query_one(PlannerFooter)
            assert row_end <= palette_x <= size[0], (item.key, keys)
            assert footer.scroll_x == 0 and footer.virtual_size.width <= size[0] + 1, (item.key, keys)
            searchable = item.key in SEARCHABLE and (size[0] >= 120 or item.key in SEARCH_AT_80)
            assert pilot.app.current_mode == item.key
            assert ("/ Search" in keys) == searchable, (item.key, size, keys)
            await press(pilot, "escape")


def palette_text(app: object) -> str:
    return str(app.screen.query_one(PlannerFooter).query_one(".-command-palette").render()).strip()  # type: ignore[attr-defined]


async def test_search_and_the_palette_word_come_back_when_the_window_widens(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "s", "d", "y")  # "^z Undo" takes room in every footer now
        await press(pilot, "r")
        keys = footer_row(pilot.app)[0]
        assert "/ Search" not in keys and "^z Undo" in keys and palette_text(pilot.app) == "^p"
        await pilot.resize_terminal(100, 30)
        await press(pilot)

        def widened() -> bool:
            keys, row_end, palette_x = footer_row(pilot.app)
            return "/ Search" in keys and row_end <= palette_x and palette_text(pilot.app) == "^p palette"

        await until(pilot, widened)
        keys, row_end, palette_x = footer_row(pilot.app)
        assert "/ Search" in keys and row_end <= palette_x, (keys, row_end, palette_x)
        assert palette_text(pilot.app) == "^p palette"
        await pilot.resize_terminal(80, 24)
        await press(pilot)
        await until(pilot, lambda: "/ Search" not in footer_row(pilot.app)[0] and palette_text(pilot.app) == "^p")
        assert "/ Search" not in footer_row(pilot.app)[0] and palette_text(pilot.app) == "^p"
