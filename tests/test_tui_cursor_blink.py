"""`make_app(cursor_blink=False)` holds for every text field of the planner.

A blinking cursor is drawn or not with the clock (Textual's 0.5 s timer). The search bar's field blinked although
the app said not to, so the filtered Shortlist snapshot lost the cursor's cell whenever the picture came more than
0.5 s after the last key, as on a loaded CI machine. Checked by the fields' setting, never by waiting.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from imgcoach.core.context import Context
from imgcoach.tui.app import make_app
from tests.tui_helpers import SIZE, press, settle


async def _fields_reached(app: Any) -> dict[str, bool]:
    """Each text field a person types in (search bar, import path, a form's fields): id -> cursor_blink."""
    seen: dict[str, bool] = {}

    def note() -> None:
        for screen in app.screen_stack:
            for box in screen.query(Input):
                seen[box.id or type(box).__name__] = box.cursor_blink

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m", "slash")  # the Shortlist's search bar, focused
        assert isinstance(app.focused, Input) and app.focused.id == "filter-input"
        note()
        await press(pilot, "escape", "escape", "i", "ctrl+o")  # the import screen's path, focused
        assert isinstance(app.focused, Input) and app.focused.id == "import-path"
        note()
        await press(pilot, "escape", "escape", "r", "a")  # the add-rotation form
        note()
    return seen


@pytest.mark.parametrize("blink", [False, True], ids=["no-blink", "blink"])
async def test_every_text_field_blinks_as_the_app_says(demo_ctx: Context, blink: bool) -> None:
    fields = await _fields_reached(make_app(context=demo_ctx, cursor_blink=blink, poll_seconds=0))
    assert {"filter-input", "import-path", "field-institution"} <= fields.keys()
    assert {name for name, blinks in fields.items() if blinks != blink} == set()
