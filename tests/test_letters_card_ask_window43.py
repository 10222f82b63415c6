"""The letters board's card wrote a one-day window to ask for a letter with its own rule ("ask 11 Feb 2027"),
beside core.vocab.letters' one rule that `rotations show`, readiness and the card's own preview use ("ask on 11
Feb 2027"). The card now uses that rule: one day says "ask on", a longer window keeps the card's short range."""

from __future__ import annotations

from datetime import date

from textual.widgets import OptionList

from imgcoach.core.context import Context
from imgcoach.plan import add_rotation
from imgcoach.plan.people import add_contact, add_letter_request
from tests.tui_helpers import app_for, press, settle


def _planned_letter(ctx: Context, start: date, end: date, writer: str) -> int:
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeview Clinic",
                            state="IL", start_date=start, end_date=end, hours_per_week=30)
    contact = add_contact(ctx, name=writer, rotation_id=rotation.id)
    assert contact.id is not None
    letter = add_letter_request(ctx, contact.id, rotation_id=rotation.id)
    assert letter.id is not None
    return letter.id


async def _card(pilot, letter_id: int) -> str:  # type: ignore[no-untyped-def]
    column = pilot.app.screen.query_one("#column-planned", OptionList)
    column.highlighted = column.get_option_index(str(letter_id))
    await settle(pilot)
    index = column.get_option_index(str(letter_id))
    return " ".join(str(column.get_option_at_index(index).prompt.text(40)).split())


async def test_a_one_day_window_says_ask_on_and_a_longer_one_keeps_its_range(ctx: Context) -> None:
    one_day = _planned_letter(ctx, date(2027, 2, 8), date(2027, 2, 12), "Dr. Lee (fictional)")
    weeks = _planned_letter(ctx, date(2027, 3, 1), date(2027, 3, 26), "Dr. Ortiz (fictional)")
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "l")
        await settle(pilot)
        card = await _card(pilot, one_day)
        assert "ask on 11 Feb 2027" in card, card
        longer = await _card(pilot, weeks)
        assert "ask on" not in longer and "ask " in longer and "–" in longer, longer
