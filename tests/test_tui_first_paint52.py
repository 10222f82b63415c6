"""Work the app did before its first frame that the frame did not need (issue 15: the first paint with data within
1.5x a bare Textual app). Counted, never timed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from imgcoach.core.context import Context

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
