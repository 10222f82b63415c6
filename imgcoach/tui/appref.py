"""The running PlannerApp, typed, for screens and widgets (Textual types ``self.app`` as a plain App)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from textual.app import App

    from imgcoach.tui.app import PlannerApp


def planner(app: App[Any]) -> PlannerApp:
    """Every screen and widget of imgcoach runs inside the PlannerApp (or a test subclass of it)."""
    return cast("PlannerApp", app)
