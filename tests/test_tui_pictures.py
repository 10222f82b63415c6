"""Pictures where people would rather look than read: clinical months as a bar against the target,
readiness status in colour (with a mark that reads without colour)."""

from __future__ import annotations

from textual.widgets import DataTable

from imgcoach.core.context import Context
from imgcoach.tui.screens.readiness_screen import badge, gauge
from tests.tui_helpers import app_for, press, settle


def test_gauge_shows_done_planned_and_the_target_range() -> None:
    bar = gauge(2.0, 1.5, 3, 6, width=30)
    cells = bar.plain[:30]
    assert cells.count("█") == 8 and cells.count("▒") == 6  # 30 cells for 7.5 months: 4 cells a month
    assert cells.count("┃") == 1 and cells.index("┃") == 24, "the 6-month mark; 3 months falls inside the bar"
    assert bar.plain.endswith("2 done + 1.5 planned of 3-6 months")


def test_gauge_figures_are_the_evidence_figures() -> None:
    """Three weeks planned read "0.8 planned" on the bar and "planned 0.75 months" in the text under it."""
    assert gauge(0.25, 0.75, 3, 6).plain.endswith("0.25 done + 0.75 planned of 3-6 months")


def test_gauge_grows_past_the_target() -> None:
    cells = gauge(9.0, 0.0, 3, 6, width=18).plain[:18]
    assert set(cells) == {"█"}


def test_badges_are_coloured_and_marked() -> None:
    assert (badge("met").plain, str(badge("met").style)) == ("✓ met", "bold green")
    assert (badge("missing").plain, str(badge("missing").style)) == ("✗ NOT MET", "bold red")
    assert str(badge("at_risk").style) == "bold yellow"


async def test_readiness_shows_the_clinical_months_bar(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(100, 32)) as pilot:
        await press(pilot, "y")
        await settle(pilot)
        screen = app.screen
        keys = [c.key for c in screen._checks]  # type: ignore[attr-defined]
        screen.query_one(DataTable).focus()
        await press(pilot, *["down"] * keys.index("usce_months"))
        detail = str(screen.query_one("#readiness-detail").render())
        assert "Host-country clinical experience" in detail and "planned of 3-6 months" in detail
