"""The footer says what Enter does wherever it does something (issue 15: keys with one meaning each, said where
they work). On the Study plan Enter on a block opened its form and on Outreach Enter on an entry opened its status
form, and neither footer had a "⏎" key: a keyboard user learnt it by accident. Both now say "⏎ Edit" and
"⏎ Edit status" (e, as on every screen, since stop 50) while their table has the focus, and not on the hours table,
where Enter does nothing. Pilot, both engines."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets._footer import FooterKey

from imgcoach.core.context import Context
from imgcoach.tui.widgets.form import FormScreen
from tests.tui_helpers import app_for, press


def footer_keys(screen: Any) -> list[str]:
    return [" ".join(str(key.render()).split()) for key in screen.query(FooterKey) if key.display]


@pytest.mark.parametrize(("key", "said", "title"), [("s", "⏎ Edit", "Edit study block"),
                                                    ("u", "⏎ Edit status", ": ")])
async def test_enter_is_said_where_it_opens_a_form(demo_ctx: Context, key: str, said: str, title: str) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, key)
        screen = app.screen
        assert type(app.focused).__name__.endswith("Table"), app.focused
        assert said in footer_keys(screen), footer_keys(screen)
        await press(pilot, "enter")
        assert isinstance(app.screen, FormScreen) and title in app.screen.form_title, type(app.screen).__name__


async def test_the_hours_table_says_no_enter(demo_ctx: Context) -> None:
    """A guard: on the Study plan's hours table Enter does nothing, and no "⏎" is said there."""
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "s", "tab")
        screen = app.screen
        assert getattr(app.focused, "id", "") == "load-table"
        assert not any(key.startswith("⏎") for key in footer_keys(screen)), footer_keys(screen)
        await press(pilot, "enter")
        assert app.screen is screen


async def test_each_palette_command_is_offered_once_with_a_table_focused(demo_ctx: Context) -> None:
    """A guard of the palette: a table's Enter that runs the screen's own action is not a second command."""
    from collections import Counter

    app = app_for(demo_ctx)
    async with app.run_test(size=(100, 32)) as pilot:
        for key in ("s", "u", "p", "y", "l"):
            await press(pilot, key)
            titles = Counter(c.title for c in app.get_system_commands(app.screen))
            assert [t for t, n in titles.items() if n > 1] == [], (key, titles)
