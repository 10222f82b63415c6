"""Snapshot tests: every planner screen on the demo data under the fixed clock, at 80x24 and 120x40."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from imgcoach.context import Context
from imgcoach.tui.app import make_app
from imgcoach.tui.registry import entry

SCREENS = ("timeline", "rotations", "study", "letters", "outbox", "profile")
SIZES = ((80, 24), (120, 40))


async def settle(pilot: Pilot[Any]) -> None:
    """Until every screen's loads have been shown and no worker runs (a load can start another)."""
    for _ in range(200):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        pending = sum(getattr(s, "loads_pending", 0) for s in pilot.app.screen_stack)
        if not pending and not any(w.is_running for w in pilot.app.workers):
            break
    await pilot.pause()
    await pilot.pause()


def opener(*keys: str, fill: dict[str, str] | None = None, after: tuple[str, ...] = ()) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        for name, value in (fill or {}).items():
            pilot.app.screen.query_one(f"#field-{name}", Input).value = value
        for key in after:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", SCREENS)
def test_screen_snapshot(snap_compare: Any, demo_ctx: Context, screen: str, size: tuple[int, int]) -> None:
    keys = () if screen == "timeline" else (entry(screen).binding,)
    app = make_app(context=demo_ctx, cursor_blink=False, poll_seconds=0)
    assert snap_compare(app, terminal_size=size, run_before=opener(*keys))


def test_form_error_snapshot(snap_compare: Any, demo_ctx: Context) -> None:
    """The edit form with an error shown next to its field, the typed value kept."""
    app = make_app(context=demo_ctx, cursor_blink=False, poll_seconds=0)
    assert snap_compare(app, terminal_size=(80, 24),
                        run_before=opener("r", "e", fill={"end_date": "2026-01-01"}, after=("ctrl+s",)))


def test_study_proposal_snapshot(snap_compare: Any, demo_ctx: Context) -> None:
    app = make_app(context=demo_ctx, cursor_blink=False, poll_seconds=0)
    fields = {"exam": "Step 3", "exam_date": "2027-05-20", "hours_per_day": "4", "rest_days": "sat, sun"}
    assert snap_compare(app, terminal_size=(120, 40), run_before=opener("s", "g", fill=fields, after=("ctrl+s",)))
