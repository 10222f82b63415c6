"""The work a first visit that builds its screen does (issue 15: any screen switch under 100 ms on the 5-year plan).
Counted, never timed: the stylesheet's parses and restyles."""

from __future__ import annotations

from typing import Any

import pytest

from imgcoach.core.context import Context
from imgcoach.tui.registry import SCREENS
from tests.tui_helpers import app_for, press, settle

pytestmark = pytest.mark.sqlite_only  # the screens and the stylesheet, whatever the engine

KEYS = {item.key: item.binding for item in SCREENS}


async def test_a_first_visit_neither_reparses_the_stylesheet_nor_restyles_the_app(ctx: Context) -> None:
    """Each screen's CSS file was added to the app's stylesheet by its first visit (Textual's _load_screen_css),
    which reparsed the sheet and restyled the app's DOM (the screen being left). The app's warm-up adds them all
    once, after the timeline's full snapshot; a first visit then finds its file there."""
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sheet = app.stylesheet
        work: list[str] = []
        reparse, update = sheet.reparse, sheet.update

        def reparsed() -> None:
            work.append("reparse")
            reparse()

        def updated(root: Any, animate: bool = False) -> None:
            work.append(f"restyle {type(root).__name__}")
            update(root, animate=animate)

        sheet.reparse, sheet.update = reparsed, updated  # type: ignore[method-assign]
        for key in ("letters", "readiness", "shortlist", "rotations", "outbox", "study"):
            await press(pilot, KEYS[key])
            await settle(pilot)
            assert app.current_mode == key
            assert work == [], f"the first visit of {key}: {work}"


async def test_the_first_return_to_the_timeline_does_not_restyle_the_app(ctx: Context) -> None:
    """The timeline, built before the app ran, kept Textual's "never styled" CSS count, so the first return to it
    ran refresh_css: a reparse, a restyle of its widgets and a layout."""
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        work: list[str] = []
        refresh_css = app.refresh_css

        def refreshed(animate: bool = True) -> None:
            work.append("refresh_css")
            refresh_css(animate=animate)

        app.refresh_css = refreshed  # type: ignore[method-assign]
        for key in ("letters", "rotations"):
            await press(pilot, KEYS[key])
            await settle(pilot)
            await press(pilot, "escape")
            await settle(pilot)
            assert app.current_mode == "timeline"
        assert work == []
        app.theme = "textual-light"  # a theme change still restyles: the screen shown at once, the others on return
        await settle(pilot)
        await press(pilot, KEYS["letters"])
        await settle(pilot)
        assert work, "the Letters screen, built before the theme changed, restyled on its return"
