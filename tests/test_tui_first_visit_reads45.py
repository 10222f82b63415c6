"""A first visit reads its data once (issue 15: first visits on the 5-year plan). Counted, never timed: the
statements a visit's load sends. The Readiness screen read the rotations twice, in two transactions: once for
its checks, once more for the feedback form's choice (200 rows on the 5-year plan)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from textual.widgets import Static

from imgcoach.core.context import Context
from imgcoach.plan import add_rotation
from tests.tui_helpers import app_for, press, settle


async def test_readiness_first_visit_reads_the_rotations_once(ctx: Context) -> None:
    for n in range(3):
        start = date(2026, 1, 5) + timedelta(weeks=6 * n)
        add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution=f"Hospital {n} (synthetic)",
                     start_date=start, end_date=start + timedelta(weeks=4))
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(" ".join(statement.split()))

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        event.listen(ctx.db.engine, "before_cursor_execute", record)
        try:
            await press(pilot, "y")
        finally:
            event.remove(ctx.db.engine, "before_cursor_execute", record)
        screen: Any = app.screen
        assert type(screen).__name__ == "ReadinessScreen" and screen.loads == 1
        rotations = [s for s in statements if s.startswith("SELECT rotation.id")]
        assert len(rotations) == 1, rotations
        # What the feedback form offers: the rotations as that one read gave them.
        assert [r.institution for r in screen._rotations] == [f"Hospital {n} (synthetic)" for n in range(3)]


async def test_letters_first_visit_reads_the_selected_cards_draft_once(demo_ctx: Context,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The board's load showed the cards, then asked for the selected card's draft; the highlight and the focus
    it set asked again for the same card: two or three reads of one draft, each in a thread holding the GIL against
    the board's first frame. A card left and highlighted again, or the data changed, is read again."""
    import imgcoach.plan as plan

    real = plan.letter_draft
    read: list[int] = []

    def counted(ctx: Context, letter_id: int) -> Any:
        read.append(letter_id)
        return real(ctx, letter_id)

    monkeypatch.setattr(plan, "letter_draft", counted)
    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        screen: Any = app.screen
        first = screen.selected_letter()
        assert first is not None and read == [first], read
        assert "Subject:" in str(screen.query_one("#letter-preview", Static).render())
        await press(pilot, "right")  # an empty column, then back: the card's draft is shown again
        assert "No letter card in this column" in str(screen.query_one("#letter-preview", Static).render())
        await press(pilot, "left")
        assert read == [first, first]
        assert "Subject:" in str(screen.query_one("#letter-preview", Static).render())
        screen.reload()  # new data (a write elsewhere): read again
        await settle(pilot)
        assert read == [first, first, first]
