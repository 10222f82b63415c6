"""A letter's draft that cannot be read (the database gone away for a moment, a bug in a template) is said in a
toast, and the card highlighted again reads it again: the preview never takes the screen down, and one failure
is not remembered as "read already" (read_detail_once forgets it). A guard: it passed before stop 48, which moved
the forgetting and the saying into one hop to the UI thread."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from imgcoach.core.context import Context
from tests.tui_helpers import app_for, press, record_toasts, settle


async def test_a_draft_that_cannot_be_read_is_said_and_read_again(demo_ctx: Context,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import imgcoach.plan as plan

    real = plan.letter_draft
    read: list[int] = []

    def fails_once(ctx: Context, letter_id: int) -> Any:
        read.append(letter_id)
        if len(read) == 1:
            raise RuntimeError("the template could not be read (a test's failure)")
        return real(ctx, letter_id)

    monkeypatch.setattr(plan, "letter_draft", fails_once)
    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        said = record_toasts(app)
        await press(pilot, "l")
        screen: Any = app.screen
        first = screen.selected_letter()
        assert first is not None and read == [first], read
        assert type(screen).__name__ == "LettersScreen" and screen.is_attached
        preview = screen.query_one("#letter-preview", Static)
        assert "Subject:" not in str(preview.render())
        # To the letter's pane and back to the same card, which was never left: the failed read was forgotten,
        # so it is read again (remembered as read, the pane would say nothing more until the data changed).
        await press(pilot, "tab", "shift+tab")
        assert screen.selected_letter() == first
        assert read == [first, first], read
        assert "Subject:" in str(preview.render())
    assert any(s.startswith("No preview: the template could not be read") for s in said), said
