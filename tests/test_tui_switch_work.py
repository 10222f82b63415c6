"""What a return to a screen redoes: nothing its looks do not depend on. Textual restyled every widget of a
screen each time it became current, re-parsed and restyled the whole app on each screen's second visit, and
the footer removed and mounted its keys again on every return; a return now keeps them, and what it shows is
what a full restyle gives (also after a theme change made on another screen). Pilot on the demo data."""

from __future__ import annotations

from typing import Any

import pytest

from imgcoach.core.context import Context
from imgcoach.tui.widgets.footer import PlannerFooter
from tests.tui_helpers import SIZE, app_for, press


@pytest.fixture(autouse=True)
def trust_the_whole_test(monkeypatch: pytest.MonkeyPatch) -> None:
    from imgcoach.tui.screens import base

    monkeypatch.setattr(base, "TRUST_SECONDS", 3600.0)


class Restyles:
    """Counts the nodes the stylesheet restyles (Stylesheet.apply) and the full CSS refreshes."""

    def __init__(self, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.nodes = 0
        self.refreshes = 0
        sheet = app.stylesheet
        apply, refresh = sheet.apply, app.refresh_css

        def counted_apply(node: Any, *args: Any, **kwargs: Any) -> Any:
            self.nodes += 1
            return apply(node, *args, **kwargs)

        def counted_refresh(*args: Any, **kwargs: Any) -> Any:
            self.refreshes += 1
            return refresh(*args, **kwargs)

        monkeypatch.setattr(sheet, "apply", counted_apply)
        monkeypatch.setattr(app, "refresh_css", counted_refresh)

    def reset(self) -> None:
        self.nodes = self.refreshes = 0


def look(widget: Any) -> tuple[Any, ...]:
    """A widget's resolved style as drawn (colours, text style, border, size rules)."""
    s = widget.styles
    return (type(widget).__name__, widget.id, widget.rich_style, s.border, s.background, s.color, s.height, s.width,
            s.display)


def looks(screen: Any) -> list[tuple[Any, ...]]:
    return [look(w) for w in screen.walk_children(with_self=True)]


def full_restyle_changes(app: Any, screen: Any) -> list[str]:
    """What a full restyle of the screen changes in what it draws (nothing, if what it shows was right)."""
    widgets = list(screen.walk_children(with_self=True))
    before = [look(w) for w in widgets]
    app.stylesheet.update_nodes(widgets, animate=False)
    return [repr(w) for w, was in zip(widgets, before, strict=True) if look(w) != was]


@pytest.mark.parametrize(("key", "mode"), [("l", "letters"), ("m", "shortlist"), ("r", "rotations")],
                         ids=["letters", "shortlist", "rotations"])
async def test_a_return_restyles_nothing_and_keeps_the_footer_keys(demo_ctx: Context, key: str, mode: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        counted = Restyles(app, monkeypatch)
        await press(pilot, key, "t")  # the first visit builds the screen
        screen = app._screen_stacks[mode][0]
        widgets = len(list(screen.walk_children(with_self=True)))
        for visit in (2, 3):
            keys_before = list(screen.query_one(PlannerFooter).children)
            counted.reset()
            await press(pilot, key)
            assert app.screen is screen
            assert counted.refreshes == 0, f"visit {visit}: the whole CSS refreshed"
            # A handful may restyle (the focused table's :focus, a cursor row); not the screen's widgets.
            assert counted.nodes < widgets // 4, (visit, counted.nodes, widgets)
            assert list(screen.query_one(PlannerFooter).children) == keys_before, "the footer was recomposed"
            assert full_restyle_changes(app, screen) == []
            await press(pilot, "t")


async def test_a_theme_changed_on_another_screen_shows_on_return(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "l", "t")
        screen = app._screen_stacks["letters"][0]
        dark = looks(screen)
        await press(pilot, "T")  # light theme, on the timeline
        await press(pilot, "l")
        assert looks(screen) != dark, "the letters screen took the light theme"
        assert full_restyle_changes(app, screen) == []
        await press(pilot, "t", "T", "l")  # and back to dark
        assert full_restyle_changes(app, screen) == []
        assert looks(screen) == dark


async def test_a_return_with_other_keys_recomposes_the_footer(demo_ctx: Context) -> None:
    """The footer keeps its keys only when they are the keys of the moment: with the focus moved to the detail
    pane before leaving, the return shows the pane's keys (as it did), and Tab back shows the list's."""
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "m", "tab", "escape", "m")
        footer = app.screen.query_one(PlannerFooter)
        shown = " ".join(str(w.render()) for w in footer.query("FooterLabel"))
        assert "Scroll" in shown
        await press(pilot, "shift+tab")
        assert "Scroll" not in " ".join(str(w.render()) for w in footer.query("FooterLabel"))
