"""Text cut so that what is left says nothing, found walking every screen at 80x24 on the demo data (issue 15).

- The timeline's colour key with calendar events ran past its 48 cells at 80 columns: "▼ today" was cut to a bare
  "▼". The key is made for its width (one-cell swatches where the full one does not fit)."""

from __future__ import annotations

from typing import Any

import pytest

from imgcoach.core.context import Context
from tests.test_tui_form_labels44 import screen_lines
from tests.test_tui_quickread import add_events
from tests.tui_helpers import app_for, settle

SIZES = [(80, 24), (120, 40)]


def shown(app: Any, widget: Any) -> str:
    """What the screen shows in the widget's cells, row after row."""
    lines = screen_lines(app)
    region = widget.region
    return "\n".join(lines[y][region.x:region.right] for y in range(region.y, region.bottom))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_timeline_key_shows_today_with_calendar_events(demo_ctx: Context, size: tuple[int, int]) -> None:
    add_events(demo_ctx)
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        key = shown(app, app.screen.query_one("#legend"))
    assert "calendar" in key and key.rstrip().endswith("▼ today"), key
    for word in ("rotation", "study", "conflict"):
        assert word in key, key
