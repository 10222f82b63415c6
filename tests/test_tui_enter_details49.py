"""Enter everywhere (issue 15: "details on Enter everywhere, with its actions"). Enter did nothing on the Letters board,
on the Readiness checks and on the Profile, where the footer offered no "⏎" either. Now Enter on a card shows the
letter's details with the board's keys for it, Enter on a check its whole evidence and source with the key to the
screen where it is fixed, Enter on the profile its form; the footer says "⏎" only where Enter does something.
Pilot, keyboard only, both engines, the fixed clock."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, OptionList, Static
from textual.widgets._footer import FooterKey

from imgcoach.core.context import Context
from imgcoach.plan import letter_board
from imgcoach.tui import dates
from imgcoach.tui.widgets.form import FormScreen
from tests.tui_helpers import app_for, press, record_toasts


def footer_keys(screen: Any) -> list[str]:
    """The footer's keys as drawn and shown, "⏎ Details" and the like."""
    return [" ".join(str(key.render()).split()) for key in screen.query(FooterKey) if key.display]


def dialog_text(app: Any) -> str:
    return str(app.screen.query_one("#text-content", Static).content)


async def test_enter_on_a_letter_card_shows_its_details_and_its_keys_act_on_it(demo_ctx: Context) -> None:
    planned = next(c for c in letter_board(demo_ctx) if c.letter.status == "planned" and c.rotation and c.window)
    app = app_for(demo_ctx)
    said = record_toasts(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "l")
        board = app.screen
        column = board.query_one("#column-planned", OptionList)
        column.highlighted = column.get_option_index(str(planned.letter.id))
        column.focus()
        await press(pilot)
        assert "⏎ Details" in footer_keys(board), footer_keys(board)
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "LetterDetailsScreen"
        text = dialog_text(app)
        assert app.screen.query_one(".dialog-title").render().plain == f"Letter from {planned.writer.name}"  # type: ignore[attr-defined]
        assert planned.rotation is not None and planned.window is not None
        for said_there in (planned.writer.name, planned.rotation.institution, "State", "planned",
                           f"ask between {dates.day(planned.window[0])}",
                           "] moves it on to requested", "e edits it", "d deletes it"):
            assert said_there in " ".join(text.split()), (said_there, text)
        assert "moves it back" not in text  # the first column: nowhere back to
        keys = footer_keys(app.screen)
        assert "] Move →" in keys and not any(key.startswith("[") for key in keys), keys
        await press(pilot, "left_square_bracket")  # not offered: nothing happens
        assert type(app.screen).__name__ == "LetterDetailsScreen"
        await press(pilot, "right_square_bracket")
        assert app.screen is board
        moved = {c.letter.id: c.letter.status for c in letter_board(demo_ctx)}
        assert moved[planned.letter.id] == "requested"
        assert any("is now requested" in toast and "ctrl+z to undo" in toast for toast in said), said


async def test_an_empty_column_offers_no_details(demo_ctx: Context) -> None:
    """A guard: Enter did nothing there before, and still does nothing."""
    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "l")
        board = app.screen
        assert board.query_one("#column-requested", OptionList).option_count == 0  # the demo asked for none yet
        await press(pilot, "right")
        assert not any("Details" in key for key in footer_keys(board)), footer_keys(board)
        await press(pilot, "enter")
        assert app.screen is board


async def test_enter_on_a_readiness_check_shows_its_evidence_and_goes_where_it_is_fixed(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "y")
        checks = app.screen
        table = checks.query_one(DataTable)
        assert "⏎ Details" in footer_keys(checks), footer_keys(checks)
        row = next(i for i, c in enumerate(checks._checks) if c.key == "usce_months")  # type: ignore[attr-defined]
        check = checks._checks[row]  # type: ignore[attr-defined]
        table.move_cursor(row=row)
        table.focus()
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "CheckDetailsScreen"
        text = " ".join(dialog_text(app).split())
        assert " ".join(check.evidence[-1].split()) in text and f"Source: {check.source}" in text, text
        assert "r opens Rotations" in text
        keys = footer_keys(app.screen)
        assert "r Rotations" in keys and "p Profile" not in keys, keys
        await press(pilot, "p")  # not this check's: nothing happens
        assert type(app.screen).__name__ == "CheckDetailsScreen"
        await press(pilot, "r")
        assert app.current_mode == "rotations" and type(app.screen).__name__ == "RotationsScreen"


async def test_enter_on_the_feedback_check_opens_the_feedback_form(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "y")
        checks = app.screen
        row = next(i for i, c in enumerate(checks._checks) if c.key == "feedback")  # type: ignore[attr-defined]
        checks.query_one(DataTable).move_cursor(row=row)
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "CheckDetailsScreen"
        assert "a adds the feedback" in dialog_text(app)
        assert "a Add feedback" in footer_keys(app.screen)
        await press(pilot, "a")
        assert isinstance(app.screen, FormScreen) and "Record feedback" in str(app.screen.form_title)


async def test_enter_on_the_profile_opens_its_form(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "p")
        profile = app.screen
        assert app.focused is profile.query_one("#profile-pane")
        keys = footer_keys(profile)
        assert "⏎ Edit profile" in keys and "e Edit profile" not in keys, keys  # one key said once
        await press(pilot, "enter")
        assert isinstance(app.screen, FormScreen) and app.screen.form_title == "Your profile"
        await press(pilot, "escape", "tab")  # the exams: Enter (and e) edit the selected exam, as before
        assert type(app.focused).__name__ == "ExamTable"
        keys = footer_keys(profile)
        assert any(key.endswith("Edit exam") for key in keys) and not any("Edit profile" in key for key in keys), keys
        await press(pilot, "enter")
        assert isinstance(app.screen, FormScreen) and app.screen.form_title.startswith("Edit ")
