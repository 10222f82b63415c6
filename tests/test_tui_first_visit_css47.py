"""A first visit that builds its screen parses no CSS (issue 15: a screen's first visit before the app has built it
ahead, at most 100 ms on the 5-year plan). Counted, never timed: the stylesheet's parses and the sources added
while the screens are visited one after another, each for the first time."""

from __future__ import annotations

from typing import Any

import pytest

from imgcoach.core.context import Context
from imgcoach.tui.registry import SCREENS
from tests.tui_helpers import app_for, press, settle

pytestmark = pytest.mark.sqlite_only  # the screens and the stylesheet, whatever the engine


async def test_no_first_visit_adds_or_parses_css(ctx: Context) -> None:
    """The first screen visited with a table, a search bar or a detail pane (the Import screen: its buttons) added
    those widget classes' default CSS (Textual's Widget._post_register): a parse of the new sources inside the visit,
    and the kept matches of the restyles dropped for a new rules map (25-45 ms of the visit, profiled). The app's
    warm-up adds them with the screens' files, parsed in its thread."""
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sheet = app.stylesheet
        parses: list[str] = []
        parse = sheet.parse

        def counted() -> None:
            parses.append(app.current_mode)
            parse()

        sheet.parse = counted  # type: ignore[method-assign]
        for item in SCREENS[1:]:
            before = set(sheet.source)
            await press(pilot, item.binding)
            assert app.current_mode == item.key
            added = [read_from for read_from in sheet.source if read_from not in before]
            assert added == [], f"the first visit of {item.key} added {added}"
            assert parses == [], f"the first visit of {item.key} parsed the stylesheet"
            await press(pilot, "escape")


async def test_the_css_added_ahead_is_scoped_to_its_widgets(ctx: Context) -> None:
    """What the warm-up adds of the widgets' default CSS is scoped to each widget class (its rules match nothing
    else), so adding it before any such widget is mounted changes how nothing looks; the screens' files are the
    files their screens read."""
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sources: Any = app.screens_css()
        defaults = [s for s in sources if s.is_default]
        assert defaults and all(s.scope for s in defaults)
        names = {s.read_from[1] for s in defaults}
        assert {"DataTable.DEFAULT_CSS", "Input.DEFAULT_CSS", "DetailPane.DEFAULT_CSS", "FilterBar.DEFAULT_CSS",
                "Button.DEFAULT_CSS"} <= names
        files = {s.read_from[0].rsplit("/", 1)[-1] for s in sources if not s.is_default}
        assert {f"{item.key}_screen.tcss" for item in SCREENS} <= files
        assert all(read_from in app.stylesheet.source for read_from in (s.read_from for s in sources))
