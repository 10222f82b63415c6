"""A first visit imports no module on the UI thread (issue 15: a screen's first visit before the app has built it
ahead, at most 100 ms on the 5-year plan). Counted, never timed: the modules imported by the UI thread while each
screen is visited for the first time, once the app's warm-up is done, in a process of its own (this one has long
loaded every module)."""

from __future__ import annotations

import pytest

from imgcoach.core.context import Context

VISITS = """
import asyncio
import sys
import threading

from imgcoach.tui.app import PlannerApp
from imgcoach.tui.registry import SCREENS

MAIN = threading.main_thread()
on_ui: dict[str, list[str]] = {}
where = ["-"]


class Recorder:
    def find_spec(self, name, path=None, target=None):
        if threading.current_thread() is MAIN and name not in sys.modules:
            on_ui.setdefault(where[0], []).append(name)
        return None


async def main() -> None:
    app = PlannerApp(db=sys.argv[1], cursor_blink=False, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(600):  # the warm-up done: every screen's CSS in the sheet, no worker running
            await pilot.pause(0.05)
            if app._warm_started and not any(w.is_running for w in app.workers) and len(app.stylesheet.source) > 20:
                break
        await pilot.pause(0.3)
        sys.meta_path.insert(0, Recorder())
        for item in SCREENS[1:]:
            where[0] = item.key
            await pilot.press(item.binding)
            for _ in range(100):
                await pilot.pause(0.02)
                screen = app.screen
                if getattr(screen, "loads", 0) and not getattr(screen, "loads_pending", 0) \\
                        and not any(w.is_running for w in app.workers):
                    break
            where[0] = "-"
            await pilot.press("escape")
            await pilot.pause(0.1)
    for key, names in on_ui.items():
        print("UI", key, *names)

asyncio.run(main())
"""


@pytest.mark.sqlite_only  # the UI thread's work, whatever the engine
def test_no_first_visit_imports_on_the_ui_thread(demo_ctx: Context) -> None:
    """Before: the first visit of a screen with a scrollbar imported Textual's scrollbar module and, with the first
    markup read, Rich's table of emoji codes (about 10 ms); the Rotations screen its detail's words module; the
    Shortlist the module of its picture and the matching curve's, for a picture hidden until C. The warm-up
    imports them in its thread, and the picture is drawn when shown."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", VISITS, demo_ctx.db.url], capture_output=True, text=True,
                         timeout=180, check=True).stdout.splitlines()
    assert [line for line in out if line.startswith("UI ")] == []
