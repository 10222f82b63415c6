"""Readiness and Outreach screens: Pilot flows and 80x24 snapshots on the demo database (fixed clock)."""

from __future__ import annotations

from typing import Any

from imgcoach.core.context import Context
from imgcoach.tui.app import make_app
from tests.tui_helpers import press, settle


async def _open(pilot: Any, key: str, attr: str) -> str:
    """Switch to the screen and wait until its worker has delivered data; return the visible text."""
    pilot.app.switch_mode(key)
    await settle(pilot)  # data loads in a worker after the first paint
    assert getattr(pilot.app.screen, attr, None), f"the {key} screen shows no data"
    return _text(pilot.app.screen)


def _text(screen: Any) -> str:
    """Rows of the screen's table plus its Static texts, as plain text."""
    from textual.widgets import DataTable, Static

    table = screen.query_one(DataTable)
    rows = [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
    statics = [str(w.render()) for w in screen.query(Static) if w.id]
    return "\n".join(rows + statics)


async def test_readiness_screen_shows_checks_evidence_and_actions(demo_ctx: Context) -> None:
    app = make_app(context=demo_ctx, poll_seconds=0, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, "readiness", "_checks")
        assert "Match 2028" in screen and "submission 03 Sep 2027" in screen
        assert "NOT MET | Host-country letters | by 02 Dec 2026" in screen  # the last day to ask and "at risk" in screen
        await press(pilot, "down", "down", "down", "down")  # to the letters check
        detail = str(app.screen.query_one("#readiness-detail").render())
        assert "Host-country letters: ✗ NOT MET" in detail and "Next: Ask Dr. Priya Nair" in detail


async def test_outreach_screen_marks_a_follow_up_sent(demo_ctx: Context) -> None:
    from imgcoach.coach.outreach_actions import list_outreach

    app = make_app(context=demo_ctx, poll_seconds=0, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, "outreach", "_rows")
        assert "St. Brigid Medical Center (fictional) | follow-up due | 23 Nov 2026" in screen
        assert "offered !" in screen
        await press(pilot, "b")  # first row: St. Brigid, follow-up due
        row, status, _, _ = list_outreach(demo_ctx)[0]
        assert status.value == "sent" and row.follow_ups_sent == 1


def test_readiness_snapshot(demo_ctx: Context, snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await _open(pilot, "readiness", "_checks")

    app = make_app(context=demo_ctx, poll_seconds=0, cursor_blink=False)
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_outreach_snapshot(demo_ctx: Context, snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await _open(pilot, "outreach", "_rows")

    app = make_app(context=demo_ctx, poll_seconds=0, cursor_blink=False)
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
