"""Issue 15: a line that wraps keeps its indent in the rotation details, the timeline bar's dialog and the
Shortlist pane (it ran back to column 0, under the labels), as the Help already did (wrap.keep_indent)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from imgcoach.core.context import Context
from tests.tui_helpers import app_for, press, settle

SIZES = [(80, 24), (120, 40)]


def shown_lines(widget: Any) -> list[str]:
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def wrapped_under_indent(source: str, shown: list[str]) -> int:
    """Walks the source lines and the lines on screen together: each continuation (a wrapped line) must start at
    the source line's indent or further. Returns how many continuations there were (a test needs some)."""
    rows = iter(shown)
    continuations = 0
    for line in source.splitlines():
        want = "".join(line.split())
        if not want:
            continue
        indent = len(line) - len(line.lstrip(" "))
        row = next(r for r in rows if r.strip())
        got = "".join(row.split())
        while len(got) < len(want):
            row = next(rows)
            continuations += 1
            assert len(row) - len(row.lstrip(" ")) >= indent, f"{row!r} wraps {line!r} out of its indent"
            got += "".join(row.split())
        assert got == want, (got, want)
    return continuations


@pytest.mark.parametrize("size", SIZES)
async def test_rotation_details_keep_their_indent(demo_ctx: Context, size: tuple[int, int]) -> None:
    from imgcoach.tui.details import rotation_text

    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "r")
        screen: Any = app.screen
        source = rotation_text(screen.detail, screen.tz).plain
        wrapped = wrapped_under_indent(source, shown_lines(screen.query_one("#rotation-detail", Static)))
        assert wrapped > 0 or size[0] > 80, "at 80 columns some lines wrap"


@pytest.mark.parametrize("size", SIZES)
async def test_the_timeline_bar_dialog_keeps_its_indent(demo_ctx: Context, size: tuple[int, int]) -> None:
    from imgcoach.tui.details import bar_details
    from imgcoach.tui.widgets.dialogs import TextScreen

    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "down", "enter")
        assert isinstance(app.screen, TextScreen)
        bar = app.screen_stack[-2].query_one("#timeline").selected  # type: ignore[attr-defined]
        source = bar_details(demo_ctx, bar.kind, bar.ref)[1].plain
        wrapped = wrapped_under_indent(source, shown_lines(app.screen.query_one("#text-content", Static)))
        assert wrapped > 0 or size[0] > 80, "at 80 columns some lines wrap"


@pytest.mark.parametrize("size", SIZES)
async def test_the_shortlist_pane_keeps_its_indent(demo_ctx: Context, size: tuple[int, int]) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "m")
        screen: Any = app.screen
        source = "\n".join(screen._detail_lines(0))
        assert wrapped_under_indent(source, shown_lines(screen.query_one("#shortlist-detail", Static))) > 0
