"""Keys mean one thing everywhere: m is the Shortlist even on Rotations, q quits from any screen,
Enter opens a rotation's details, and the nav bar keeps whole titles at 80 columns."""

from __future__ import annotations

import pytest

from imgcoach.core.context import Context
from imgcoach.tui.registry import SCREENS
from imgcoach.tui.widgets.items import ItemsScreen
from imgcoach.tui.widgets.nav import NavBar
from tests.tui_helpers import app_for, press, settle


async def test_m_is_the_shortlist_on_every_screen(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=(100, 32)) as pilot:
        await press(pilot, "r", "m")
        assert pilot.app.current_mode == "shortlist"


async def test_enter_on_a_rotation_opens_its_details_and_e_edits(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=(100, 32)) as pilot:
        await press(pilot, "r", "enter")
        assert isinstance(pilot.app.screen, ItemsScreen)


async def test_q_quits_from_a_screen_other_than_the_timeline(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(100, 32)) as pilot:
        await press(pilot, "o")
        await pilot.press("q")
        await pilot.pause()
        assert app._exit, "q quit the app from the Outbox"


async def test_nav_keeps_whole_titles_at_80_columns(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        nav = pilot.app.screen.query_one(NavBar)
        shown = str(nav.render())
        assert nav.size.height == 2
        assert all(f"{item.binding} {item.title}" in shown for item in SCREENS)
        assert all(len(line) <= 80 for line in shown.splitlines())


async def test_approve_is_offered_only_where_there_is_something_to_approve(demo_ctx: Context) -> None:
    from imgcoach.tui.screens.outbox_screen import OutboxScreen
    from imgcoach.tui.widgets.dialogs import ConfirmScreen

    app = app_for(demo_ctx)
    async with app.run_test(size=(100, 32)) as pilot:
        await press(pilot, "o")
        screen = app.screen
        assert isinstance(screen, OutboxScreen)
        kinds = [screen.reminders[rid].kind for rid in screen.reminders]
        own = kinds.index("outreach_follow_up")  # a reminder to the applicant alone
        await press(pilot, *["down"] * own)
        assert screen.check_action("approve", ()) is False
        await press(pilot, "A")
        assert app.screen is screen, "A does nothing on a reminder with nothing to approve"
        # A reminder with a supervisor draft: the first rotation reminder still to send (Lakeview's feedback was
        # asked, so its "Ask for feedback" is cancelled and the letter request comes first).
        drafted = kinds.index("letter_request_open")
        await press(pilot, *(["down"] * (drafted - own) if drafted > own else ["up"] * (own - drafted)))
        assert screen.check_action("approve", ()) is True
        await press(pilot, "A")
        assert isinstance(app.screen, ConfirmScreen)
        assert "“Ask for" in str(app.screen.message), "the dialog names the reminder (feedback or letter request)"


async def test_an_empty_letters_column_clears_the_detail(demo_ctx: Context) -> None:
    from textual.widgets import OptionList, Static

    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "l")
        screen = app.screen
        for _ in range(8):
            current = screen.current  # type: ignore[attr-defined]
            if isinstance(current, OptionList) and current.option_count == 0:
                break
            await press(pilot, "right")
        assert screen.current.option_count == 0, "the demo board has an empty column"  # type: ignore[attr-defined]
        assert "No letter card in this column" in str(screen.query_one("#letter-preview", Static).render())


async def test_help_keeps_its_indent_when_a_line_wraps(demo_ctx: Context) -> None:
    from imgcoach.tui.help import help_text, plain

    async with app_for(demo_ctx).run_test(size=(100, 32)) as pilot:
        await press(pilot, "r")
        text = plain(help_text(pilot.app.screen), width=60)
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("  t ") and "Timeline:" in line)
    column = lines[first].index("Timeline:")
    wrapped = lines[first + 1]
    assert wrapped[:column].strip() == "" and wrapped[column] != " ", "the wrapped description stays in its column"
    assert "ctrl+q" in text


async def test_the_palette_offers_every_screens_actions_and_runs_one_there(demo_ctx: Context) -> None:
    """Issue 15: the palette offered only the current screen's actions. From the timeline, another screen's
    action goes to that screen, waits for its rows and runs there (keyboard only: ctrl+p, type, Enter)."""
    from imgcoach.tui.widgets.form import FormScreen

    app = app_for(demo_ctx)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Rotations: Add", "Study plan: Generate plan", "Outbox: Search", "Shortlist: Add program",
                "Import: Type the path of a calendar file", "Profile: Add exam"} <= titles
        await press(pilot, "ctrl+p")
        await pilot.press(*"Study plan: Add block")
        await settle(pilot)
        await press(pilot, "enter")
        await settle(pilot)
        assert app.current_mode == "study"
        assert isinstance(app.screen, FormScreen), type(app.screen).__name__
        await press(pilot, "escape", "r")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Rotations: Add", "Study plan: Add block", "Letters: Add request"} <= titles


DIALOGS = {  # a read-only dialog and the keys that open it from the timeline
    "help": ("question_mark",),
    "bar details": ("down", "enter"),
    "e-mail draft": ("tab", "down", "enter"),
    "delete confirmation": ("r", "d"),
    "people list": ("r", "enter"),
    "letter details": ("l", "enter"),  # stop 49: Enter on a card, on a readiness check
    "check details": ("y", "enter"),
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("dialog", sorted(DIALOGS))
async def test_q_quits_from_a_read_only_dialog(demo_ctx: Context, dialog: str, size: tuple[int, int]) -> None:
    """Issue 15: plain q did nothing in Help, a details box, a draft or a confirmation (only ctrl+q quit)."""
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, *DIALOGS[dialog])
        assert app.screen.is_modal, (dialog, type(app.screen).__name__)
        await pilot.press("q")
        await pilot.pause()
        assert app._exit, f"q quit the app from the {dialog}"


async def test_q_in_a_form_is_a_letter_not_quit(demo_ctx: Context) -> None:
    from textual.widgets import Input

    from imgcoach.tui.widgets.form import FormScreen

    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "r", "a")
        while not isinstance(app.screen.focused, Input):
            await press(pilot, "tab")
        assert isinstance(app.screen, FormScreen)
        before = app.screen.focused.value
        await press(pilot, "q")
        assert not app._exit and app.screen.focused.value == before + "q"  # type: ignore[union-attr]


async def test_no_two_palette_commands_have_the_same_name(demo_ctx: Context) -> None:
    """A name in the palette says what the command does: the Letters board offered "Letters: Column" twice
    (← and →), which picked blind."""
    from collections import Counter

    app = app_for(demo_ctx)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        for key in ("t", "l"):
            await press(pilot, key)
            await settle(pilot)
            titles = Counter(c.title for c in app.get_system_commands(app.screen))
            assert [t for t, n in titles.items() if n > 1] == [], titles
