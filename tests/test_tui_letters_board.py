"""Letters board: a card shows its whole ask window and due day at 80 and 120 columns (a word wrap cut
"2026" off, or hid the last lines under the next card), the due day on one line, and an empty column's detail stays empty even
when the last card's preview arrives after the cursor left it."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from imgcoach.core.context import Context
from imgcoach.plan import letter_board, letter_draft
from imgcoach.tui import dates
from tests.tui_helpers import app_for, press, settle


def card_lines(column: OptionList) -> list[str]:
    """The column's lines as the user sees them (its scrolled viewport)."""
    return [column.render_line(y).text.rstrip() for y in range(column.scrollable_content_region.height)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_card_keeps_its_ask_window_and_due_day_whole(demo_ctx: Context, size: tuple[int, int]) -> None:
    planned = [c for c in letter_board(demo_ctx) if c.letter.status == "planned"]
    assert planned and all(c.window and c.letter.due_on for c in planned), "the demo has planned letters to ask"
    async with app_for(demo_ctx).run_test(size=size) as pilot:
        await press(pilot, "l")
        column = pilot.app.screen.query_one("#column-planned", OptionList)
        for index, card in enumerate(planned):
            column.highlighted = column.get_option_index(str(card.letter.id))
            await settle(pilot)
            shown = card_lines(column)
            assert card.window is not None and card.letter.due_on is not None
            start, end = dates.range_ends(*card.window)
            due = dates.day(card.letter.due_on)
            for whole in (start, end, due):
                assert any(whole in line for line in shown), f"card {index}: {whole!r} not whole in {shown}"
            # the due day on one line: "by" where a 14-cell column (80 columns) has no room for "due"
            word = "by" if size[0] < 100 else "due"
            assert any(line.strip().endswith(f"{word} {due}") for line in shown), (index, shown)
            assert f"ask {dates.day_range(*card.window)} {word} {due}" in " ".join(shown), shown


async def test_an_empty_column_stays_empty_when_a_late_preview_arrives(demo_ctx: Context) -> None:
    """The first card's e-mail preview is loaded in a thread; if it arrives after the cursor has moved on
    to the empty column next to it, the detail keeps saying the column is empty instead of showing the
    letter the cursor has left (and v does not open that letter's e-mail)."""
    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "l")
        screen = app.screen
        first = screen.selected_letter()  # type: ignore[attr-defined]
        assert first is not None and screen.query_one("#column-requested", OptionList).option_count == 0
        late = letter_draft(demo_ctx, first)
        await press(pilot, "right")
        screen.show_preview(first, late)  # type: ignore[attr-defined]  # what the worker posts when late
        await settle(pilot)
        assert "No letter card in this column" in str(screen.query_one("#letter-preview", Static).render())
        assert screen.draft is None, "v has no e-mail to open from an empty column"  # type: ignore[attr-defined]
