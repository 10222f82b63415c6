"""Every form label keeps a blank cell before its field (issue 15, the app read at 80x24 and 120x40).

The label column is 20 cells: a label of 20 ran into its field on the program form, so "First-year positions"
and the value 13 read "First-year positions13", and "U.S. IMG residents %blank: unknown", on both sizes."""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import Label

from imgcoach.core.context import Context
from imgcoach.tui.widgets.form import FormScreen
from tests.tui_helpers import app_for, press

SIZES = [(80, 24), (120, 40)]


def screen_lines(app: Any) -> list[str]:
    """The screen as drawn, one string per row, a character per cell."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text().split("\n")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_form_label_never_runs_into_its_field(demo_ctx: Context, size: tuple[int, int]) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "m", "e")  # edit the first shortlisted program: every program field, most filled in
        form = app.screen
        assert isinstance(form, FormScreen)
        fields = form.query_one("#form-fields")
        checked = []
        for _ in range(20):  # the fields scroll: look at each label once it is shown
            lines = screen_lines(app)
            for label in form.query(".form-label").results(Label):
                field = label.parent.children[label.parent.children.index(label) + 1]  # type: ignore[union-attr]
                region = label.region.intersection(fields.region)
                if not region.height or str(label.render()) in checked:
                    continue
                for y in range(region.y, region.bottom):
                    before = lines[y][field.region.x - 1]
                    assert before == " ", (str(label.render()), lines[y])
                checked.append(str(label.render()))
            if fields.scroll_y >= fields.max_scroll_y:
                break
            fields.scroll_to(y=fields.scroll_y + fields.size.height, animate=False)
            await pilot.pause()
        assert {"First-year positions", "U.S. IMG residents %", "Application deadline"} <= set(checked), checked
