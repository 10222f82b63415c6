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


def add_letters(ctx: Context, names: list[str]) -> None:
    """A writer and a letter request per name, spread over the four statuses and the applicant's rotations (one
    transaction: the board under test, not the service that plans one letter at a time)."""
    from datetime import date, timedelta

    from sqlalchemy import insert, select

    from imgcoach.storage.models import Applicant, Contact, LetterRequest, Rotation

    with ctx.db.transaction() as session:
        applicant_id = session.execute(select(Applicant.id)).scalars().first()
        rotations = list(session.execute(select(Rotation.id).order_by(Rotation.id)).scalars())
        first = session.execute(select(Contact.id).order_by(Contact.id.desc())).scalars().first() or 0  # type: ignore[union-attr]
        session.execute(insert(Contact), [{"applicant_id": applicant_id, "name": name, "title": "MD",
                                           "email": f"writer{n}@example.com", "version": 1}
                                          for n, name in enumerate(names)])
        contacts = list(session.execute(select(Contact.id).where(Contact.id > first).order_by(Contact.id)).scalars())
        statuses = ("planned", "requested", "agreed", "uploaded")
        session.execute(insert(LetterRequest), [
            {"applicant_id": applicant_id, "rotation_id": rotations[n % len(rotations)], "writer_id": contact,
             "status": statuses[n % 4], "due_on": date(2026, 12, 1) + timedelta(days=3 * n),
             "updated_at": ctx.clock.now()}
            for n, contact in enumerate(contacts)])


async def test_the_first_visit_draws_only_the_cards_in_view(demo_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """With 200 letters the first visit cost twice a bare Textual screen's (issue 17): each column's list drew
    every card, in Rich, only to count its rows. Now a card is drawn when it is in view; every card is still in
    its column, and ↓/End reach the last one."""
    from imgcoach.tui.screens.letters_screen import CardText

    add_letters(demo_ctx, [f"Dr. Writer {n} (synthetic)" for n in range(200)])
    total = len(letter_board(demo_ctx))
    drawn: list[int] = []
    text = CardText.text

    def counted(self: CardText, width: int) -> object:
        drawn.append(int(self.card.letter.id or 0))
        return text(self, width)

    monkeypatch.setattr(CardText, "text", counted)
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "l")
        await settle(pilot)
        columns = list(pilot.app.screen.query(".board-list").results(OptionList))
        assert sum(c.option_count for c in columns) == total >= 200
        in_view = sum(column.scrollable_content_region.height for column in columns)  # a card takes a row or more
        assert 0 < len(set(drawn)) <= in_view < total, (len(set(drawn)), in_view, total)
        column = pilot.app.screen.focused
        assert isinstance(column, OptionList)
        await press(pilot, "end")
        last = column.get_option_at_index(column.option_count - 1)
        assert column.highlighted == column.option_count - 1
        assert last.prompt.card.writer.name in " ".join(card_lines(column)), card_lines(column)  # wrapped, in view


NAMES = ["Dr. Jane Okafor", "Dr. Maximiliana Wolfeschlegelsteinhausenbergerdorff (synthetic)", "Dr. 王小明 (synthetic)",
         "Prof. A B C D E F G H I J K L M N O P Q R S T", "X" * 60]


def test_a_cards_height_is_the_rows_rich_draws(demo_ctx: Context) -> None:
    """The list lays cards out by `CardText.height`, counted without drawing; a count one short of what Rich
    draws hides the card's last line (its due day) under the next card. Every card, at every column width."""
    from rich.console import Console

    from imgcoach.tui.screens.letters_screen import CardText

    add_letters(demo_ctx, NAMES * 4)  # each name in each status (a planned card has its ask window)
    cards = letter_board(demo_ctx)
    assert {c.letter.status for c in cards} == {"planned", "requested", "agreed", "uploaded"}
    column = OptionList()
    for width in range(4, 48):
        console = Console(width=width, color_system=None)
        for card in cards:
            shown = CardText(card, column)
            drawn = console.render_lines(shown, console.options, pad=False)
            assert shown.height(width) == len(drawn), (width, card.writer.name, [s.text for s in drawn])


async def test_the_delete_dialog_does_not_promise_reminders_that_will_not_come_back(demo_ctx: Context) -> None:
    """It said "with no letter asked for, the 'time to ask' reminders come back" of every letter: false for a
    rotation long over (its time to ask has passed) or with another letter already asked for."""
    from imgcoach.tui.widgets.dialogs import ConfirmScreen

    async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "l", "d")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        message = " ".join(str(pilot.app.screen.message).split())
        assert ("if no other letter from it has been asked for and its time to ask has not passed, the 'time to "
                "ask' reminders come back") in message, message
