"""Name columns use the width of the window (issue 15): a program or institution name is cut only when the
window is too narrow for it, with an ellipsis (a synthetic program keeps "(synthetic)"), shows whole on a
wide window and after a resize, and the table never needs a sideways scrollbar for it.

Before: names were cut at a fixed 38-40 characters at any width ("Lakeview Community Health Center (fict"
with half the row empty), and at 80 columns the Rotations table scrolled sideways to reach h/wk."""

from __future__ import annotations

from typing import Any

from imgcoach.core.context import Context
from imgcoach.tui.widgets.table import PlannerTable
from tests.tui_helpers import app_for, press, settle


def column(table: PlannerTable, name: str) -> list[str]:
    index = [str(c.label) for c in table.ordered_columns].index(name)
    return [str(table.get_row_at(row)[index]) for row in range(table.row_count)]


def fits(table: PlannerTable) -> bool:
    return table.virtual_size.width <= table.scrollable_content_region.width


async def test_an_institution_name_shows_whole_where_the_window_has_room(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "u")
        await settle(pilot)
        table = pilot.app.screen.query_one(PlannerTable)
        assert "Lakeview Community Health Center (fictional)" in column(table, "Institution")
        assert fits(table)


async def test_at_80_columns_rotations_cut_the_institution_and_keep_hours_in_view(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "r")
        await settle(pilot)
        table = pilot.app.screen.query_one(PlannerTable)
        institutions = column(table, "Institution")
        assert all(name.endswith("…") for name in institutions if len(name) > 20), institutions
        assert fits(table), "h/wk in view without scrolling sideways"
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        await settle(pilot)
        assert "Brookside University Hospital (fictional)" in column(table, "Institution")
        assert fits(table)


async def test_a_cut_synthetic_program_name_keeps_its_synthetic_tag(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "m")
        await settle(pilot)
        table: Any = pilot.app.screen.query_one(PlannerTable)
        names = column(table, "Program")
        assert names and all(name.endswith(" (synthetic)") for name in names), names[:3]
        assert any("…" in name for name in names), "80 columns cut the long names"
        assert fits(table)
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        await settle(pilot)
        wide = column(table, "Program")
        assert "Fairvale General Hospital Family Medicine Program (synthetic)" in wide
        assert sum("…" in name for name in wide) < sum("…" in name for name in names)


async def test_a_weekly_goal_is_cut_with_an_ellipsis_at_80_columns_and_whole_when_wide(demo_ctx: Context) -> None:
    """The Study table ran off the window at 80 columns, cutting a goal mid-word with no sign ("...every other w")."""
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "s")
        await settle(pilot)
        table = pilot.app.screen.query_one("#block-table", PlannerTable)
        goals = column(table, "Weekly goal")
        assert any(goal.endswith("…") for goal in goals), goals
        assert fits(table)
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        await settle(pilot)
        assert not any(goal.endswith("…") for goal in column(table, "Weekly goal"))
        assert fits(table)
