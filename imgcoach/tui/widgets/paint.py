"""When a widget's work waits for the paint: one rule for every widget that shows the first of something before a
frame and the rest after it (a table's rows, the board's cards, a long detail's lines)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widget import Widget


def after_painted(widget: Widget, callback: Callable[..., object], *args: Any) -> None:
    """`callback(*args)` once the next frame is written: the PlannerApp's after_painted (a screen's idle could come
    before the frame with the first rows, which then took every row); a bare App's next idle otherwise."""
    planner_hook = getattr(widget.app, "after_painted", None)
    if planner_hook is not None:
        planner_hook(callback, *args)
    else:
        widget.call_after_refresh(callback, *args)
