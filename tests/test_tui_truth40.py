"""What the app says stays true (round 40): a key's footer label says what it does and which way, in the help's
words; an undo made after a screen switch says what it puts back and leaves the cursor on it; the profile form
says what `profile set` says after a save. Pilot, keyboard only, real database files, the fixed clock."""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.widgets._footer import FooterKey

from imgcoach.core.context import Context
from imgcoach.tui.help import help_text, plain
from imgcoach.tui.widgets.footer import PlannerFooter
from tests.tui_helpers import app_for, press, settle


def footer_keys(app: Any) -> list[tuple[str, str]]:
    """The footer's keys as drawn: (key, label); a grouped key has no label of its own."""
    footer = app.screen.query_one(PlannerFooter)
    return [(k.key_display, k.description) for k in footer.query(FooterKey) if k.display]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_letters_move_keys_say_which_way_in_the_helps_words(demo_ctx: Context,
                                                                       size: tuple[int, int]) -> None:
    """The footer read "[ ] Move card": two keys and one label, which looks like an empty checkbox and says no
    direction, while the help said "Move card left" for "[" alone (shift+← was nowhere). Each key now has its
    own label ("[ Move ←", "] Move →"), and the help names both keys and opens with the footer's words."""
    async with app_for(demo_ctx).run_test(size=size) as pilot:
        await press(pilot, "l")
        keys = footer_keys(pilot.app)
        assert ("[", "Move ←") in keys and ("]", "Move →") in keys, keys
        assert all(label for key, label in keys if key in "[]"), keys  # no grouped key without its own label
        helped = plain(help_text(pilot.app.screen), width=size[0])
        assert re.search(r"^ +\[ / shift\+← +Move ←: the card one column left", helped, re.M), helped
        assert re.search(r"^ +\] / shift\+→ +Move →: the card one column right", helped, re.M), helped
        planned = pilot.app.screen.query_one("#title-planned").render()
        assert "Planned (2)" in str(planned)
        await press(pilot, "shift+right")  # the help's other key does what it says
        assert "Planned (1)" in str(pilot.app.screen.query_one("#title-planned").render())
        assert "Requested (1)" in str(pilot.app.screen.query_one("#title-requested").render())


def toasts(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


def selected(screen: Any) -> int | None:
    """The row under the cursor: a rotation's or a study block's id."""
    return screen.selected_block() if hasattr(screen, "selected_block") else screen.selected_id()


@pytest.mark.parametrize(("key", "title", "noun"), [("r", "Rotations", "rotation"), ("s", "Study plan", "study block")])
async def test_an_undo_made_on_another_screen_says_which_and_leaves_the_cursor_on_the_row(
        demo_ctx: Context, key: str, title: str, noun: str) -> None:
    """A row deleted on Rotations (or Study plan), then ctrl+z pressed on the Timeline: back on Rotations the
    cursor was on the row after it (put_back reached only the current screen's stack), the help and the palette
    said "the last delete or letter-card move" without which, and the toast did not say where the row is back."""
    from imgcoach.tui.commands import planner_commands

    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, key, "down")
        screen = pilot.app.screen
        deleted = selected(screen)
        await press(pilot, "d", "y")
        assert selected(screen) != deleted
        await press(pilot, "t")
        helped = " ".join(plain(help_text(pilot.app.screen), width=200).split())
        assert f"next: Deleted {'the Step 3 ' if key == 's' else ''}{noun}" in helped, helped
        assert f"(on {title})" in helped, helped
        undo = next(c for c in planner_commands(pilot.app, pilot.app.screen) if c.title == "Undo")
        assert undo.help.startswith(f"Undo: Deleted {'the Step 3 ' if key == 's' else ''}{noun}"), undo.help
        await press(pilot, "ctrl+z")
        assert toasts(pilot.app)[-1].endswith(f"(on {title})"), toasts(pilot.app)[-1]
        await press(pilot, key)
        assert pilot.app.screen is screen and selected(screen) == deleted


@pytest.mark.parametrize("key", ["r", "s"])
async def test_an_undo_after_a_round_trip_leaves_the_cursor_on_the_row(demo_ctx: Context, key: str) -> None:
    """Deleted, away to the Timeline and back, then undone on the screen itself: the cursor on the row put back, as
    when the user never left; the toast says nothing of another screen. (This held before round 40: a guard beside
    the test above, whose undo from another screen did not.)"""
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, key, "down")
        screen = pilot.app.screen
        deleted = selected(screen)
        await press(pilot, "d", "y", "t", key, "ctrl+z")
        assert selected(screen) == deleted
        assert " is back" in toasts(pilot.app)[-1] and "(on " not in toasts(pilot.app)[-1], toasts(pilot.app)[-1]


async def test_the_profile_form_says_what_profile_set_says(
        ctx: Context, db_url: str, cli_clock: Any, capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
    """`profile set --timezone …` says how many floating imported events kept their clock time, and `--cv-path` to
    no file is warned about; the app's profile form said "Profile saved; pending reminders follow your time zone
    and e-mail" and neither. Both now say the use case's words (plan.ProfileSaved), the field named as each face
    names it."""
    from tests.cli_helpers import run_cli
    from tests.test_floating_events_zone import ICS

    path = tmp_path / "rota.ics"
    path.write_text(ICS, encoding="utf-8", newline="")
    assert run_cli(capsys, "import", str(path), "--db", db_url).code == 0
    missing = tmp_path / "no" / "cv.pdf"
    async with app_for(ctx).run_test(size=(80, 24)) as pilot:
        from tests.tui_helpers import fill

        await press(pilot, "p", "e")
        fill(pilot.app.screen, timezone="America/Chicago", cv_path=str(missing))
        await press(pilot, "ctrl+s")
        said = toasts(pilot.app)
    assert said[-2:] == [
        "Profile saved for Test Applicant; 6 imported events without a time zone keep their clock time in "
        "America/Chicago",
        f"CV file: {missing} does not exist (yet); the packet will leave it out until it does"], said
    # The CLI, the same change back: the same sentences, its option named as typed.
    cli = run_cli(capsys, "profile", "set", "--db", db_url, "--timezone", "America/New_York", "--cv-path", str(missing))
    assert cli.out == ("profile saved for Test Applicant; 6 imported events without a time zone keep their clock "
                       "time in America/New_York\n"), cli.out
    assert cli.err == (f"imgcoach: warning: --cv-path: {missing} does not exist (yet); the packet will leave it out "
                       "until it does\n"), cli.err


async def test_the_timelines_selected_bar_line_keeps_its_days_whole_at_80_columns(demo_ctx: Context) -> None:
    """The line under the timeline wrapped in its one row, so at 80 columns "Rotation: Family Medicine externship ·
    05 Nov – 10 Dec 2026  (conflict)" showed "… · 05 Nov" (a range read as one day, no sign of the cut, the
    conflict unseen). Now each bar's line has its kind, conflict and whole days first; a cut ends in "…"."""
    from textual.widgets import Static

    from imgcoach.tui import dates

    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        await settle(pilot)
        view: Any = screen.query_one("#timeline")
        assert view.order
        seen = 0
        for _ in range(len(view.order)):
            await press(pilot, "down")
            bar = view.selected
            line = screen.query_one("#selection", Static).render_line(0).text.rstrip()
            days = dates.day_range(bar.start, bar.end)
            assert re.search(rf"· {re.escape(days)}( ·| ?…)", line), (line, days)  # whole, then the label or a cut
            assert ("(conflict)" in line) == bool(bar.conflict), line
            assert line.endswith(bar.label) or line.endswith("…"), line
            seen += bool(bar.conflict)
        assert seen, "the demo has a bar in conflict"


async def test_a_cv_path_to_no_file_is_not_ticked_ready(demo_ctx: Context, tmp_path: Any) -> None:
    """The Letters checklist said "[x] CV" and the Profile showed the path alone while no file was there, which
    `profile set` warns of and `coach packet` leaves out. Both now say what `profile set` says (document_problem);
    a file that is there is ticked as before."""
    from textual.widgets import Static

    from imgcoach.plan import set_profile

    statement = tmp_path / "statement.docx"
    statement.write_bytes(b"draft")
    missing = tmp_path / "no" / "cv.pdf"
    set_profile(demo_ctx, cv_path=str(missing), personal_statement_path=str(statement))
    warning = f"{missing} does not exist (yet); the packet will leave it out until it does"
    async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "l")
        preview = " ".join(str(pilot.app.screen.query_one("#letter-preview", Static).render()).split())
        assert "Packet: [!] CV [x] Personal statement draft" in preview, preview
        assert f"CV: {warning}" in preview, preview
        assert str(statement) not in preview, preview  # a file that is there: nothing to say
        await press(pilot, "p")
        profile = " ".join(str(pilot.app.screen.query_one("#profile-text", Static).render()).split())
        assert f"CV {missing} — does not exist (yet)" in profile, profile
        assert f"Statement {statement} " in profile + " " and f"{statement} —" not in profile, profile


@pytest.mark.parametrize("keys", [("r", "a"), ("r", "e"), ("r", "n"), ("s", "a"), ("s", "g"), ("l", "e"), ("p", "a")],
                         ids="".join)
async def test_a_forms_hints_and_choices_are_whole_at_80_columns(demo_ctx: Context, keys: tuple[str, ...]) -> None:
    """At 80 columns a date field is 32 cells wide: its hint read "YYYY-MM-DD, today, +4w, next" (a word the date
    rule refuses), the end date "blank: start + 4 weeks (4 to 8 i", an exam's "a future date schedules it; +6w ";
    a choice ran past its field, losing its ▶ and the rotation's dates, with no sign of the cut. Every hint now fits
    its field, and a choice that does not fit ends in "…" before its ▶."""
    from rich.cells import cell_len
    from textual.widgets import Input

    from imgcoach.tui.widgets.choice import ChoiceField

    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, *keys)
        form = pilot.app.screen
        inputs = list(form.query(Input))
        assert inputs, "a form is open"
        for field in inputs:
            assert cell_len(field.placeholder) <= field.content_region.width, (field.id, field.placeholder)
        for choice in form.query(ChoiceField):
            line = choice.render_line(0).text.rstrip()
            label = choice.options[choice.index][0]
            assert line.endswith("▶") and (label in line or "… ▶" in line), (choice.id, line)
        if keys == ("l", "e"):  # the letter's rotation: its days first, so a cut keeps them
            line = form.query_one("#field-rotation_id", ChoiceField).render_line(0).text
            assert "05 Nov – 10 Dec 2026 · Family Medicine" in line, line
