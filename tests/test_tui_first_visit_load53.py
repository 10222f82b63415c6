"""A first visit's load starts with the screen, not after a frame of it empty (issue 15: any screen switch under
100 ms with the 5-year plan; first visits of screens built by the visit took 90-315 ms). Counted, never timed:
what each frame of the screen showed, and the collector's passes before the frame with the data."""

from __future__ import annotations

import gc
import threading
from typing import Any

import pytest
from textual.widgets import Static

from imgcoach.core.context import Context
from imgcoach.tui.screens.base import PlannerScreen
from tests.tui_helpers import app_for, at_each_frame, settle, until

# Screens of every shape: a table with a detail pane, a board of lists, a text pane, two tables, the outbox's preview.
VISITS = [("r", "rotations"), ("l", "letters"), ("y", "readiness"), ("s", "study"), ("o", "outbox"),
          ("p", "profile")]


def _loads_shown(app: Any) -> int:
    return int(getattr(app.screen, "shown_number", 0))


@pytest.mark.parametrize(("key", "mode"), VISITS)
async def test_a_first_visit_shows_its_load_in_the_screens_first_frame(demo_ctx: Context, key: str, mode: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: the load waited for the first frame of the screen, which showed it empty ("Loading…") and was laid
    out and rendered for nothing, then the data came 20-100 ms later on the large plan. Now it starts as the
    screen is composed, and the frames are held until it is shown (here for as long as it takes: the hold's
    deadline is a test of its own)."""
    monkeypatch.setattr(PlannerScreen, "FIRST_LOAD_HOLD", 30.0, raising=False)
    app = app_for(demo_ctx)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        shown = at_each_frame(app, mode, _loads_shown)
        await pilot.press(key)
        await settle(pilot)
        assert app.current_mode == mode and app.screen.loads == 1
        assert shown and shown[0] == 1, f"loads shown at each frame of the screen: {shown}"


async def test_a_first_load_slower_than_the_hold_paints_the_screen_loading_then_its_data(
        demo_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """The frames are held for FIRST_LOAD_HOLD seconds at most: a slower load (a server far away) lets the screen be
    painted saying "Loading…", as every first visit was before, and the data follows. A guard."""
    from imgcoach.tui.screens.rotations_screen import RotationsScreen

    monkeypatch.setattr(PlannerScreen, "FIRST_LOAD_HOLD", 0.05, raising=False)
    gate = threading.Event()
    fetch = RotationsScreen.fetch

    def slow(self: RotationsScreen, ctx: Context) -> Any:
        gate.wait(30)
        return fetch(self, ctx)

    monkeypatch.setattr(RotationsScreen, "fetch", slow)
    app = app_for(demo_ctx)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        texts = at_each_frame(app, "rotations",
                              lambda a: (_loads_shown(a), str(a.screen.query_one("#rotation-detail", Static).render())))
        await pilot.press("r")
        await until(pilot, lambda: bool(texts))
        assert texts and texts[0] == (0, "Loading…"), texts[:1]
        gate.set()
        await settle(pilot)
        assert texts[-1][0] == 1 and texts[-1][1] != "Loading…"


@pytest.mark.parametrize(("key", "mode"), [("r", "rotations"), ("l", "letters"), ("o", "outbox")])
async def test_no_collection_runs_from_the_key_to_the_frame_with_the_data(demo_ctx: Context, key: str, mode: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """What a first visit makes (the widgets, the rows) lives on: before, the collector's young passes walked it
    again and again while it piled up (30-50 passes, 10-40 ms of a first visit on the large plan, found little to
    free). It is paused from the key to the frame that shows the load, and runs again after it."""
    monkeypatch.setattr(PlannerScreen, "FIRST_LOAD_HOLD", 30.0, raising=False)
    monkeypatch.setattr(PlannerScreen, "COLLECTOR_PAUSE", 30.0, raising=False)
    passes: list[int] = []
    counting = False

    def counted(phase: str, info: dict[str, Any]) -> None:
        if counting and phase == "start":
            passes.append(info["generation"])

    app = app_for(demo_ctx)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)

        def at_frame(a: Any) -> int | None:
            nonlocal counting
            if _loads_shown(a) and counting:
                counting = False
                return len(passes)
            return None

        before_data = at_each_frame(app, mode, at_frame)
        gc.callbacks.append(counted)
        try:
            counting = True
            await pilot.press(key)
            await settle(pilot)
        finally:
            gc.callbacks.remove(counted)
        assert before_data == [0], f"collections before the frame with the data: {before_data} (generations {passes})"
        assert gc.isenabled()
