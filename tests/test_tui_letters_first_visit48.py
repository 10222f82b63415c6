"""The Letters board's first visit (issue 15: a screen's first visit before the app has built it ahead, at most 100 ms
on the 5-year plan). Counted, never timed: the cards made before the first frame showing any, the rest after it; and
the keys that need every card get them all while the rest are still to come."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select
from textual.widgets import OptionList

from imgcoach.core.context import Context
from imgcoach.plan import LETTER_STATUSES
from imgcoach.storage.models import Applicant, Contact, LetterRequest, Rotation, RotationContact
from tests.tui_helpers import app_for, at_each_frame, press, settle

HEIGHT = 24
LETTERS = 160  # 40 a column in the first four columns, as the benchmark's 200 make 50


def _letters(ctx: Context, count: int) -> None:
    """`count` rotations, each with a supervisor and a letter request, bulk-inserted (as the benchmark's plan)."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    statuses = ("planned", "requested", "agreed", "uploaded")
    with ctx.db.transaction() as session:
        applicant_id = session.execute(select(Applicant.id)).scalar_one()
        start = date(2024, 1, 1)
        session.execute(insert(Rotation), [
            {"applicant_id": applicant_id, "kind": "observership", "specialty": f"Specialty {n % 7}",
             "institution": f"Hospital {n} (synthetic)", "start_date": start + timedelta(days=9 * n),
             "end_date": start + timedelta(days=9 * n + 28), "hours_per_week": 20, "created_at": now,
             "updated_at": now} for n in range(count)])
        rotation_ids = list(session.execute(select(Rotation.id).order_by(Rotation.id)).scalars())
        session.execute(insert(Contact), [{"applicant_id": applicant_id, "name": f"Dr. Writer {n} (synthetic)",
                                           "title": "MD", "email": f"writer{n}@example.com", "version": 1}
                                          for n in range(count)])
        contact_ids = list(session.execute(select(Contact.id).order_by(Contact.id)).scalars())
        session.execute(insert(RotationContact), [{"rotation_id": r, "contact_id": c, "role": "supervisor"}
                                                  for r, c in zip(rotation_ids, contact_ids, strict=True)])
        session.execute(insert(LetterRequest), [
            {"applicant_id": applicant_id, "rotation_id": r, "writer_id": c, "status": statuses[n % 4],
             "due_on": date(2024, 2, 1) + timedelta(days=9 * n), "updated_at": now}
            for n, (r, c) in enumerate(zip(rotation_ids, contact_ids, strict=True))])


def cards_at_each_frame(app: Any) -> list[int]:
    """The cards on the Letters board at each frame written to the terminal while that screen is shown."""
    return at_each_frame(app, "letters", lambda app: sum(column.option_count for column in app.screen.query(OptionList)))


def columns(app: Any) -> dict[str, Any]:
    """The board's columns by status (BoardColumns; OptionLists before them)."""
    return {status: app.screen.query_one(f"#column-{status}", OptionList) for status in LETTER_STATUSES}


async def test_letters_first_frame_has_the_cards_it_shows_and_the_rest_follow(ctx: Context) -> None:
    """Before: all 160 cards (options, texts, heights) were made before a first frame showing three or four a column."""
    _letters(ctx, LETTERS)
    app = app_for(ctx)
    async with app.run_test(size=(80, HEIGHT)) as pilot:
        await settle(pilot)
        counts = cards_at_each_frame(app)
        await press(pilot, "l")
        with_cards = [n for n in counts if n]
        assert with_cards, counts
        board = columns(app)
        # Two heights of each of the four filled columns, and each card at least two rows high (name, specialty).
        room = sum(2 * board[s].scrollable_content_region.height for s in ("planned", "requested", "agreed",
                                                                        "uploaded"))
        assert with_cards[0] <= room // 2 < LETTERS, f"cards on the board at its first paint with cards: {with_cards}"
        assert [board[s].option_count for s in LETTER_STATUSES] == [40, 40, 40, 40, 0]  # then every card, in order
        planned = board["planned"]
        ids = [planned.get_option_at_index(n).id for n in range(planned.option_count)]
        assert ids == sorted(ids, key=lambda i: int(i or 0)) and len(set(ids)) == 40
        assert app.focused is planned and planned.highlighted == 0


@pytest.fixture
def held_rest(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The rest wait until a key asks for them: the keys below are pressed while cards are still to come, whatever the
    machine's speed."""
    from imgcoach.tui.screens.letters_screen import BoardColumn

    monkeypatch.setattr(BoardColumn, "_add_rest", lambda column, rest: None)
    yield


async def first_cards_shown(pilot: Any) -> Any:
    """Open the board and return its first column as soon as it has cards, the rest still to come."""
    await pilot.press("l")
    for _ in range(400):
        if pilot.app.current_mode == "letters" and columns(pilot.app)["planned"].option_count:
            break
        await pilot.pause(0.005)
    await settle(pilot)
    planned = columns(pilot.app)["planned"]
    assert 0 < planned.option_count < 40 and planned.cards_to_come == 40 - planned.option_count
    return planned


@pytest.mark.usefixtures("held_rest")
@pytest.mark.parametrize(("keys", "index"), [(("end",), 39), (("up",), 39), (("pagedown", "end"), 39)])
async def test_keys_while_cards_are_to_come_see_every_card(ctx: Context, keys: tuple[str, ...], index: int) -> None:
    """End goes to the last card of all, and up from the first card wraps round to it (it went to the last card made)."""
    _letters(ctx, LETTERS)
    app = app_for(ctx)
    async with app.run_test(size=(80, HEIGHT)) as pilot:
        await settle(pilot)
        planned = await first_cards_shown(pilot)
        await press(pilot, *keys)
        assert planned.option_count == 40 and planned.cards_to_come == 0
        assert planned.highlighted == index
        assert app.screen.selected_letter() == int(planned.get_option_at_index(index).id or 0)  # type: ignore[attr-defined]


@pytest.mark.usefixtures("held_rest")
async def test_down_from_the_last_card_made_goes_on_to_the_next(ctx: Context) -> None:
    """Down from the last card made went round to the first card (OptionList wraps at its last option)."""
    _letters(ctx, LETTERS)
    app = app_for(ctx)
    async with app.run_test(size=(80, HEIGHT)) as pilot:
        await settle(pilot)
        planned = await first_cards_shown(pilot)
        made = planned.option_count
        planned.highlighted = made - 1
        await press(pilot, "down")
        assert planned.highlighted == made and planned.option_count == 40
