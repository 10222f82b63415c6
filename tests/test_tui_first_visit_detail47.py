"""What a first visit draws (issue 15: a screen's first visit before the app has built it ahead, at most 100 ms on the
5-year plan). Counted, never timed: the detail texts drawn, the pictures drawn for a hidden pane. And a detail drawn
or read once per row and load is drawn again where the pane said something else meanwhile (a search that matched
nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, Static

from imgcoach.core.context import Context
from tests.tui_helpers import app_for, press, settle

HEIGHT = 24


def updates_of(monkeypatch: pytest.MonkeyPatch, *ids: str) -> list[str]:
    """The ids of the Statics among `ids` each time one is given a new text (each is wrapped and laid out again)."""
    drawn: list[str] = []
    update = Static.update

    def counted(self: Static, *args: Any, **kwargs: Any) -> None:
        if self.id in ids:
            drawn.append(str(self.id))
        update(self, *args, **kwargs)

    monkeypatch.setattr(Static, "update", counted)
    return drawn


async def test_readiness_draws_the_first_checks_detail_once(demo_ctx: Context,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: twice (the load's show, then the highlight its rows set), each time the first check's whole evidence
    built, wrapped and laid out."""
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, HEIGHT)) as pilot:
        await settle(pilot)
        drawn = updates_of(monkeypatch, "readiness-detail")
        await press(pilot, "y")
        assert drawn == ["readiness-detail"]
        screen: Any = app.screen
        first = screen._checks[0]
        assert first.title in str(screen.query_one("#readiness-detail", Static).content)
        await press(pilot, "down")  # another check: drawn; and back: drawn again
        await press(pilot, "up")
        assert drawn == ["readiness-detail"] * 3
        assert first.title in str(screen.query_one("#readiness-detail", Static).content)


async def test_shortlist_draws_one_explanation_and_no_hidden_picture(demo_ctx: Context,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: the first program's explanation drawn twice, and the chance-by-budget picture (hidden until C) drawn
    at the load, its module imported for it."""
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, HEIGHT)) as pilot:
        await settle(pilot)
        drawn = updates_of(monkeypatch, "shortlist-detail", "shortlist-plot")
        await press(pilot, "m")
        assert drawn == ["shortlist-detail"]
        await press(pilot, "C")  # the picture, drawn when shown
        assert drawn == ["shortlist-detail", "shortlist-plot"]
        assert "Chance by budget" in str(app.screen.query_one("#shortlist-plot", Static).content)


@pytest.mark.parametrize(("key", "pane"), [("r", "#rotation-detail"), ("m", "#shortlist-detail"),
                                           ("o", "#outbox-preview")])
async def test_a_search_cleared_shows_the_rows_detail_again(demo_ctx: Context, key: str, pane: str) -> None:
    """A search that matches nothing says so in the detail pane; cleared, the row highlighted again is described
    again (its detail read or drawn once per row and load must not count the pane as still showing it)."""
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, HEIGHT)) as pilot:
        await settle(pilot)
        await press(pilot, key)
        before = str(app.screen.query_one(pane, Static).content)
        await press(pilot, "slash", *"zzqqxx")
        assert "No row matches" in str(app.screen.query_one(pane, Static).content)
        app.screen.query_one("#filter-input", Input).value = ""
        await settle(pilot)
        assert str(app.screen.query_one(pane, Static).content) == before
