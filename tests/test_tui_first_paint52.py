"""Work the app did before its first frame that the frame did not need (issue 15: the first paint with data within
1.5x a bare Textual app). Counted, never timed."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from typing import Any

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import Conflict
from imgcoach.storage.quickread import QuickApplicant, QuickPlan
from imgcoach.tui import render
from imgcoach.tui.app import PlannerApp
from imgcoach.tui.timeline_model import build_timeline
from tests.tui_helpers import SIZE, app_for, settle

START_TO_FIRST_FRAME = """
import asyncio, gc, sys, threading
from imgcoach.tui.app import PlannerApp

passes = []  # the generation of each pass on the UI thread from the app's start to its first frame written
state = {"started": False, "first_frame": False, "frozen_at_first_frame": -1}


def counted(phase, info):
    if (phase == "start" and state["started"] and not state["first_frame"]
            and threading.current_thread() is threading.main_thread()):
        passes.append(info["generation"])


gc.callbacks.append(counted)


class Watched(PlannerApp):
    async def _process_messages(self, *args, **kwargs):
        state["started"] = True  # the app's start: what runs the app from here on is the app's own work
        await super()._process_messages(*args, **kwargs)

    def _display(self, screen, renderable):
        first = renderable is not None and not self._batch_count and not state["first_frame"]
        if first:
            state["first_frame"] = True
        super()._display(screen, renderable)
        if first:
            state["frozen_at_first_frame"] = gc.get_freeze_count()


async def main() -> None:
    app = Watched(db=sys.argv[1], cursor_blink=False, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(600):
            if getattr(app.screen, "data_source", "") == "full":
                break
            await pilot.pause(0.05)
        print("SHOWN", *app.screen.shown_from)
    print("PASSES", *passes)
    print("FROZEN", state["frozen_at_first_frame"])
    print("ENABLED", gc.isenabled())

asyncio.run(main())
"""


@pytest.mark.sqlite_only  # the quick read before the first frame: a local file
def test_no_collection_runs_from_the_apps_start_to_its_first_frame(demo_ctx: Context) -> None:
    """What the start makes (the stylesheet, the home screen's widgets, the plan read) lives on, yet the collector's
    passes walked it and the imported modules again and again before the first frame: on the large plan a full pass
    (17-35 ms) and a dozen younger ones, where a bare Textual app made no full pass. The collector is paused from the
    app's start to its first frame, what lives then is frozen (later passes leave it out), and it runs again after.
    In a process of its own: this one has long loaded every module, and its collector's state is the test run's."""
    out = subprocess.run([sys.executable, "-c", START_TO_FIRST_FRAME, demo_ctx.db.url], capture_output=True,
                         text=True, timeout=120, check=True).stdout.splitlines()
    assert "SHOWN quick full" in out, out  # the first frame showed the quick read, then the full snapshot came
    (passes,) = [line.split()[1:] for line in out if line.startswith("PASSES")]
    assert passes == [], f"{len(passes)} collections before the first frame (generations {passes})"
    (frozen,) = [int(line.split()[1]) for line in out if line.startswith("FROZEN")]
    assert frozen > 10_000, f"{frozen} objects frozen at the first frame"
    assert "ENABLED True" in out, "the collector runs again once the app has started"


class CountedConflict(Conflict):
    """A conflict that counts the messages written (a frozen dataclass: the count is the class's)."""

    written = 0

    @property
    def message(self) -> str:
        CountedConflict.written += 1
        return super().message


def clash(n: int) -> CountedConflict:
    day = date(2027, 1, 4) + timedelta(weeks=n)
    return CountedConflict("rotation_overlap", n, n + 100, day, day + timedelta(days=4), 80, f"Mercy {n} (...)",
                           f"Lakeview {n} (...)")


@pytest.mark.parametrize(("clashes", "notes", "last_line"), [
    (40, 0, "! … and 38 more conflicts"),
    (1, 3, "! … and 2 more study blocks that no longer fit their exam"),
    (3, 2, "! … and 3 more conflicts and study blocks that no longer fit their exam"),
    (2, 0, None),
])
async def test_the_timeline_writes_the_two_conflicts_it_shows(ctx: Context, clashes: int, notes: int,
                                                              last_line: str | None) -> None:
    """The line under the grid shows two conflicts (clashes first, then study blocks past their exam) and counts the
    rest: every message was written for it, 1,056 on the large plan (3-6 ms of the first paint). Two are written now;
    the lines read as before (a guard: the same on the code before)."""
    from textual.widgets import Static

    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen: Any = pilot.app.screen
        data = build_timeline(QuickPlan(QuickApplicant(1, "Ana", "America/New_York"), date(2026, 12, 7)),
                              ctx.clock.now())
        data.conflicts = [clash(n) for n in range(clashes)]
        data.notes = [f"study block {n} ends after its exam" for n in range(notes)]
        CountedConflict.written = 0
        screen.show(data)
        written = CountedConflict.written
        lines = str(screen.query_one("#conflicts", Static).render()).splitlines()
    shown = [*(f"! {c.message}" for c in data.conflicts[:2]), *(f"! {note}" for note in data.notes)][:2]
    assert lines[:2] == shown
    assert lines[2:] == ([last_line] if last_line else [])
    assert written <= 2, f"{written} messages written for two"


@pytest.mark.sqlite_only  # the quick read before the first frame: a local file
async def test_the_grid_is_drawn_for_its_own_width_before_the_first_frame(demo_ctx: Context) -> None:
    """The grid's height (`height: auto`) is measured by drawing it: it was drawn for the widget's size, which the first
    layout has not set yet (0, so 80 columns assumed), then for its width before the scrollbar the first, too tall,
    drawing brought took two columns of it: three drawings at three widths before the first frame. Each drawing now
    is for the width the layout asks about, and the first frame is drawn at the width it shows."""
    from imgcoach.tui.widgets.timeline import TimelineView

    drawn: list[int] = []  # the columns of each drawing of the grid before the first frame written
    frame: list[int] = []  # the columns the grid has at the first frame written

    class Counted(TimelineView):
        def render(self) -> Any:
            if not frame:
                drawn.append(self.cols)
            return super().render()

    class Watched(PlannerApp):
        def _display(self, screen: Any, renderable: Any) -> None:
            if renderable is not None and not self._batch_count and not frame:
                frame.append(render.columns(screen.query_one("#timeline").size.width))
            super()._display(screen, renderable)

    import imgcoach.tui.screens.timeline_screen as timeline_screen

    original = timeline_screen.TimelineView
    timeline_screen.TimelineView = Counted  # type: ignore[misc]
    try:
        app = Watched(db=demo_ctx.db.url, clock=FixedClock(demo_ctx.clock.now()), cursor_blink=False, poll_seconds=0)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
    finally:
        timeline_screen.TimelineView = original  # type: ignore[misc]
    assert frame and drawn, (frame, drawn)
    assert set(drawn) == set(frame), f"drawn for {drawn} columns before a first frame of {frame[0]}"


@pytest.mark.sqlite_only  # the quick read before the first frame: a local file
async def test_no_path_key_is_made_before_the_first_frame(demo_ctx: Context) -> None:
    """The stylesheet's path keys keep a node's matched rules across stylings (a form opened again), for one rules
    map. Before the first frame each widget class mounted for the first time adds its CSS, a new rules map (nine on
    the large plan), and each new map dropped what was kept and looked through every rule for its ids and
    pseudo-classes: the start made a key for every node it styled (57 on the large plan) for nothing. None is made
    before the first frame now; from it on they are, as before."""
    from imgcoach.tui.stylesheet import PlannerStylesheet

    keys = {"before": 0, "after": 0}
    frame: list[bool] = []
    path_key = PlannerStylesheet.path_key

    def counted(sheet: PlannerStylesheet, node: Any) -> Any:
        keys["after" if frame else "before"] += 1
        return path_key(sheet, node)

    class Watched(PlannerApp):
        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            if renderable is not None and not self._batch_count:
                frame.append(True)

    PlannerStylesheet.path_key = counted  # type: ignore[method-assign]
    try:
        app = Watched(db=demo_ctx.db.url, clock=FixedClock(demo_ctx.clock.now()), cursor_blink=False, poll_seconds=0)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("question_mark")  # a dialog opened after the start is styled with path keys
            await settle(pilot)
    finally:
        PlannerStylesheet.path_key = path_key  # type: ignore[method-assign]
    assert frame, "a frame was written"
    assert keys["before"] == 0, f"{keys['before']} path keys made before the first frame"
    assert keys["after"] > 0, "path keys are made after the first frame"
