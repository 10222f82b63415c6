"""The Readiness screen's first visit (issue 15: a screen's first visit before the app has built it ahead, at most
100 ms on the 5-year plan). Counted, never timed: the lines of the first check's evidence given to its pane before the
first frame showing it, the rest after it; and the keys that scroll down see the whole of it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.widgets import Static

from imgcoach.core.context import Context
from tests.test_tui_rotations_first_visit47 import _rotations
from tests.tui_helpers import app_for, at_each_frame, press, scroll_to_its_end, settle

HEIGHT = 24
ROTATIONS = 150  # the first check (months of US clinical experience) lists each rotation: a line each


def detail_lines_at_each_frame(app: Any) -> list[int]:
    """The lines of text in the Readiness detail pane at each frame written while that screen shows a check's detail."""
    def lines(app: Any) -> int | None:
        text = str(app.screen.query_one("#readiness-detail", Static).content)
        return text.count("\n") + 1 if text else None

    return at_each_frame(app, "readiness", lines)


def whole_detail(app: Any) -> str:
    return str(app.screen.query_one("#readiness-detail", Static).content)


async def test_readiness_first_frame_has_the_evidence_lines_it_shows_and_the_rest_follow(ctx: Context) -> None:
    """Before: the first check's 150-odd lines of evidence were all given to the pane (each wrapped, laid out and
    rendered) before a first frame showing 8 of them at 80x24."""
    _rotations(ctx, ROTATIONS)
    app = app_for(ctx)
    async with app.run_test(size=(80, HEIGHT)) as pilot:
        await settle(pilot)
        counts = detail_lines_at_each_frame(app)
        await press(pilot, "y")
        assert counts and counts[0] <= 2 * HEIGHT, f"lines of the detail at each frame: {counts}"
        screen: Any = app.screen
        first = screen._checks[0]
        assert len(first.evidence) > 2 * HEIGHT
        text = whole_detail(app)
        assert all(line in text for line in first.evidence)  # then the whole evidence, and its source
        assert text.startswith(first.title) and f"Source: {first.source}" in text
        pane = screen.query_one("#readiness-detail-pane")
        assert pane.hidden_below() > 2 * HEIGHT  # counted on the border once the whole text is there
        assert f"{pane.hidden_below()} more lines" in str(pane.border_title)


@pytest.fixture
def held_rest(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The rest of the text waits until a key asks for it: the keys below are pressed while it is still to come."""
    from imgcoach.tui.widgets.detail_pane import DetailPane

    monkeypatch.setattr(DetailPane, "_show_rest", lambda pane, rest: None)
    yield


@pytest.mark.usefixtures("held_rest")
async def test_end_in_the_pane_while_the_rest_is_to_come_reaches_the_end_of_all(ctx: Context) -> None:
    _rotations(ctx, ROTATIONS)
    app = app_for(ctx)
    async with app.run_test(size=(80, HEIGHT)) as pilot:
        await settle(pilot)
        await press(pilot, "y")
        screen: Any = app.screen
        pane = screen.query_one("#readiness-detail-pane")
        assert whole_detail(app).count("\n") < 2 * HEIGHT  # the first lines only
        assert "more line" not in str(pane.border_title)  # no count of the first lines' rows as if they were all
        await scroll_to_its_end(pilot, pane)
        assert f"Source: {screen._checks[0].source}" in whole_detail(app)
        assert pane.scroll_y == pane.max_scroll_y > 2 * HEIGHT
