"""The Profile's footer, when its pane's Scroll keys come or go, changes those keys in place (issue 15: a screen's
footer is not built again for a key or two; stop 48's PlannerFooter._update_in_place). The Scroll keys are a key group
(two keys and the word "Scroll"), which the in-place change did not handle: the footer was recomposed (every key
widget removed, mounted and styled again) each time the profile came to fit its pane or stopped fitting it. Counted,
never timed."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets._footer import FooterKey, FooterLabel

from imgcoach.core.context import Context
from imgcoach.tui.widgets.footer import PlannerFooter
from tests.test_tui_footer_once48 import recomposes
from tests.tui_helpers import app_for, press, settle, until


def drawn(footer: PlannerFooter) -> list[tuple[str, str, bool, bool]]:
    """Each key widget and group word as drawn, in order: its kind, its text, dimmed or not, shown or given way."""
    return [(type(w).__name__, str(w.render()), w.has_class("-disabled"), bool(w.display))
            for w in footer.query("FooterKey, FooterLabel") if isinstance(w, FooterKey | FooterLabel)]


def offers_scroll(footer: PlannerFooter) -> bool:
    return any(kind == "FooterLabel" and "Scroll" in text for kind, text, *_ in drawn(footer))


async def as_a_recompose_draws_it(pilot: Any, footer: PlannerFooter) -> None:
    shown = drawn(footer)
    widgets = set(footer.query(FooterKey))
    footer.refresh(recompose=True)
    await settle(pilot)
    assert not widgets & set(footer.query(FooterKey))  # (new key widgets: it did recompose)
    assert drawn(footer) == shown


async def test_the_scroll_keys_going_and_coming_back_change_the_footer_in_place(
        demo_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "p")
        footer = app.screen.query_one(PlannerFooter)
        await until(pilot, lambda: offers_scroll(footer))
        assert offers_scroll(footer), drawn(footer)  # the profile and its exams run past the pane at 80x24
        done = recomposes(monkeypatch)
        await pilot.resize_terminal(160, 60)  # now it fits: nothing to scroll
        await until(pilot, lambda: not offers_scroll(footer))
        await settle(pilot)
        assert not offers_scroll(footer), drawn(footer)
        assert done == [], done
        await as_a_recompose_draws_it(pilot, footer)
        done.clear()
        await pilot.resize_terminal(80, 24)  # past the pane again: the Scroll keys come back
        await until(pilot, lambda: offers_scroll(footer))
        await settle(pilot)
        assert offers_scroll(footer), drawn(footer)
        assert done == [], done
        await as_a_recompose_draws_it(pilot, footer)
