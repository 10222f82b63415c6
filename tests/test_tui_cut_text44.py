"""Text cut so that what is left says nothing, found walking every screen at 80x24 on the demo data (issue 15).

- The timeline's colour key with calendar events ran past its 48 cells at 80 columns: "▼ today" was cut to a bare
  "▼". The key is made for its width (one-cell swatches where the full one does not fit).
- The study plan's proposal cut each block's weekly goal at the dialog's edge mid-word ("with daily questio"),
  behind a sideways scrollbar. The goal wraps in the room the dates leave, its row as tall as its lines."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable

from imgcoach.core.context import Context
from tests.test_tui_form_labels44 import screen_lines
from tests.test_tui_quickread import add_events
from tests.tui_helpers import app_for, fill, press, settle

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


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_study_proposal_shows_each_weekly_goal_whole(demo_ctx: Context, size: tuple[int, int]) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "s", "g")
        fill(app.screen, exam="Step 3", exam_date="2027-05-20", hours_per_day="4", rest_days="sat, sun")
        await press(pilot, "ctrl+s")
        table = app.screen.query_one("#proposal-table", DataTable)
        goals = [block.weekly_goal for block in app.screen.proposal.blocks]  # type: ignore[attr-defined]
        assert len(goals) == table.row_count == 3 and all(len(goal) > 45 for goal in goals), goals
        assert table.virtual_size.width <= table.scrollable_content_region.width, (table.virtual_size, table.size)
        assert not table.show_horizontal_scrollbar
        for index, goal in enumerate(goals):
            cell = str(table.get_row_at(index)[3])
            assert " ".join(cell.split()) == goal, cell
            row = table.rows[table.coordinate_to_cell_key((index, 0)).row_key]
            assert row.height == cell.count("\n") + 1, (row.height, cell)  # as tall as its lines, no blank one
        table.move_cursor(row=0)
        await settle(pilot)
        # on screen: the goal column's cells, read down the first row's lines, say its goal whole
        x = sum(column.get_render_width(table) for column in table.ordered_columns[:3])
        lines = shown(app, table).splitlines()[1:]  # below the header
        said = " ".join(" ".join(line[x:] for line in lines[:table.rows[table.coordinate_to_cell_key((0, 0)).row_key]
                                                                 .height]).split())
        assert said == goals[0], said
