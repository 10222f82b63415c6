"""The footer of a screen's first visit is composed once (issue 15: a screen's first visit before the app has built it
ahead, at most 100 ms on the 5-year plan). Counted, never timed: the footer's recomposes (every key widget removed,
mounted and styled again). A table screen's footer was recomposed twice per first visit: once as the screen's keys
came, and again once its rows came, for "⏎ Details" alone."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets._footer import FooterKey

from imgcoach.core.context import Context
from imgcoach.tui.widgets.footer import PlannerFooter
from tests.test_tui_rotations_first_visit47 import _rotations
from tests.tui_helpers import app_for, press, settle


def recomposes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The screen (its class name) of each footer recompose from now on."""
    done: list[str] = []
    recompose = PlannerFooter.recompose

    async def counted(self: PlannerFooter) -> None:
        done.append(type(self.screen).__name__)
        await recompose(self)

    monkeypatch.setattr(PlannerFooter, "recompose", counted)
    return done


def keys_shown(footer: PlannerFooter) -> list[tuple[str, bool, bool]]:
    """Each key widget as drawn: its text, dimmed or not, shown or given way."""
    return [(str(key.render()), key.has_class("-disabled"), bool(key.display)) for key in footer.query(FooterKey)]


async def test_a_table_screens_first_visit_composes_its_footer_once(ctx: Context,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    key, screen = "r", "RotationsScreen"
    _rotations(ctx, 30)
    app = app_for(ctx)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        done = recomposes(monkeypatch)
        await press(pilot, key)
        assert type(app.screen).__name__ == screen
        assert app.screen.query_one("DataTable").row_count  # type: ignore[attr-defined]
        footer = app.screen.query_one(PlannerFooter)
        shown = keys_shown(footer)
        assert any("Details" in text for text, *_ in shown), shown
        assert done == [screen], done
        widgets = set(footer.query(FooterKey))
        footer.refresh(recompose=True)  # what a recompose draws: the same keys
        await settle(pilot)
        assert not widgets & set(footer.query(FooterKey))  # (new key widgets: it did recompose)
        assert keys_shown(footer) == shown


async def test_a_key_that_goes_and_comes_back_is_drawn_as_a_recompose_draws_it(ctx: Context) -> None:
    """A search that matches nothing takes "⏎ Details" away (no row to open), clearing it brings it back: the footer's
    keys then are what a recompose shows."""
    _rotations(ctx, 30)
    app = app_for(ctx)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await press(pilot, "r", "slash", *"nothing-like-this")
        footer: Any = app.screen.query_one(PlannerFooter)
        assert not any("Details" in text for text, *_ in keys_shown(footer))
        await press(pilot, "escape")
        shown = keys_shown(footer)
        assert any("Details" in text for text, *_ in shown), shown
        widgets = set(footer.query(FooterKey))
        footer.refresh(recompose=True)
        await settle(pilot)
        assert not widgets & set(footer.query(FooterKey))
        assert keys_shown(footer) == shown
