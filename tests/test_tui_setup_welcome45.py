"""Issue 15: "at 80x24 the welcome text is hidden behind the dialog". The set-up's first form says the welcome
itself, and the Profile screen does not say it again behind that form (at 120x40 both said it)."""

from __future__ import annotations

import html
import re

import pytest

from imgcoach.core.context import Context
from imgcoach.tui.widgets.form import FormScreen
from tests.tui_helpers import app_for, fill, press, settle


def screen_words(app: object) -> str:
    """What the terminal shows, as one line of words: the SVG screenshot's text, spaces made plain."""
    svg = app.export_screenshot()  # type: ignore[attr-defined]
    text = html.unescape(" ".join(re.findall(r">([^<>]*)</text>", svg))).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_the_first_form_says_the_welcome_once(empty_ctx: Context, size: tuple[int, int]) -> None:
    async with app_for(empty_ctx).run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, FormScreen)
        shown = screen_words(pilot.app)
        assert shown.count("Four short steps plan your application year:") == 1, shown
        assert "and where reminders go." in shown and "Full name" in shown
        assert "Next" in shown and "Cancel" in shown, "the buttons stay on screen"
        assert "press e to create it" not in shown, "the form that creates it is open"


async def test_a_field_error_keeps_the_buttons_on_an_80x24_screen(empty_ctx: Context) -> None:
    """The welcome scrolls with the fields: above them, one error line pushed Next and Cancel off the dialog."""
    async with app_for(empty_ctx).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        fill(pilot.app.screen, name="Ravi Kumar", email="not-an-email", timezone="Nowhere/City")
        await press(pilot, "ctrl+s")
        shown = screen_words(pilot.app)
        assert "not a valid e-mail" in shown
        assert "Next" in shown and "Cancel" in shown


async def test_the_welcome_is_back_behind_the_later_steps_and_after_a_pause(empty_ctx: Context) -> None:
    async with app_for(empty_ctx).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        profile = pilot.app.screen_stack[-2]
        assert not profile.query_one("#welcome").has_class("shown")
        await press(pilot, "escape")  # the set-up paused: no form says it now
        assert profile.query_one("#welcome").has_class("shown")
        assert "press e to create it" in screen_words(pilot.app)
        await press(pilot, "e")
        fill(pilot.app.screen, name="Ana Silva", email="ana@example.com", timezone="America/Sao_Paulo")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert pilot.app.screen.form_title.startswith("Step 2 of 4")  # type: ignore[attr-defined]
        assert profile.query_one("#welcome").has_class("shown")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_the_welcome_reads_before_the_steps_hint(empty_ctx: Context, size: tuple[int, int]) -> None:
    """Step 1's hint ("Name, e-mail and time zone are needed…") stood above the welcome, which then read second."""
    async with app_for(empty_ctx).run_test(size=size) as pilot:
        await settle(pilot)
        shown = screen_words(pilot.app)
        welcome, hint = shown.find("Four short steps"), shown.find("Name, e-mail and time zone are needed")
        assert 0 <= welcome < hint < shown.find("Full name"), shown
