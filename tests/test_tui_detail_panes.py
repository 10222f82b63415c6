"""The Shortlist and Readiness detail panes, keyboard only at 80x24: Tab reaches the pane, its focus shows, the
arrow keys, PgUp/PgDn, Home and End scroll it, and the footer and the help say so. The Shortlist's pane gives a
program's interview chance with the range and the assumptions that `imgcoach shortlist --json` carries for it.
Pilot on the demo data."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable, OptionList, Static
from textual.widgets._footer import FooterKey

from imgcoach.core.context import Context
from imgcoach.tui.help import help_text, plain
from imgcoach.tui.widgets.detail_pane import DetailPane
from imgcoach.tui.widgets.footer import PlannerFooter
from tests.tui_helpers import app_for, press, settle

SMALL = (80, 24)


def footer_text(app: Any) -> str:
    """The footer as read: each key with its word, a group's keys then its label ("↑ ↓ Scroll")."""
    footer = app.screen.query_one(PlannerFooter)
    return " ".join(f"{w.key_display} {w.description}".strip() if isinstance(w, FooterKey) else str(w.render())
                    for w in footer.query("FooterKey, FooterLabel") if w.display)


async def keys_scroll(pilot: Any, box: DetailPane) -> None:
    """↓ moves the pane one line, End reaches its last line and Home its first."""
    await press(pilot, "down")
    assert box.scroll_y == 1
    await press(pilot, "end")
    assert box.scroll_y == box.max_scroll_y
    await press(pilot, "home")
    assert box.scroll_y == 0


# The Rotations details, the Outbox message and the Letters e-mail were plain scroll areas: no focus shown, no
# title, no keys in the footer or the help (at 80x24 the Outbox message is ~50 lines under a 7-line pane).
@pytest.mark.parametrize(("key", "pane"), [("m", "#shortlist-detail-pane"), ("y", "#readiness-detail-pane"),
                                           ("r", "#rotation-detail-pane"), ("o", "#outbox-preview-pane")],
                         ids=["shortlist", "readiness", "rotations", "outbox"])
async def test_tab_reaches_the_detail_pane_and_the_keys_scroll_it(demo_ctx: Context, key: str, pane: str) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, key)
        box = app.screen.query_one(pane)
        assert isinstance(box, DetailPane)
        assert app.focused is app.screen.query_one(DataTable), "the list has the focus first"
        unfocused_border = box.styles.border_top
        assert "Scroll" not in footer_text(app)
        await press(pilot, "tab")
        assert app.focused is box
        # The focus shows: another border (heavy, in the accent colour) and a title saying how to go back.
        assert box.styles.border_top != unfocused_border and box.styles.border_top[0] == "heavy"
        assert box.border_title is not None and "back to the list" in box.border_title
        assert "↑ ↓ Scroll" in footer_text(app), footer_text(app)
        helped = plain(help_text(app.screen))
        assert all(word in helped for word in ("PgUp", "PgDn", "Home", "End", "Scroll down")), helped
        assert box.max_scroll_y > 1, "at 80x24 the detail is longer than the pane (else nothing to test)"
        await keys_scroll(pilot, box)
        await press(pilot, "pagedown")
        assert box.scroll_y > 1
        await press(pilot, "up")
        await press(pilot, "pageup")
        assert box.scroll_y == 0
        await press(pilot, "shift+tab")
        assert app.focused is app.screen.query_one(DataTable)
        assert box.border_title is not None and "tab" in box.border_title and "back" not in box.border_title


@pytest.mark.parametrize("key", ["m", "r", "o"], ids=["shortlist", "rotations", "outbox"])
async def test_a_new_selection_shows_its_detail_from_the_top(demo_ctx: Context, key: str) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, key, "tab", "end")
        box = app.screen.query_one(DetailPane)
        assert box.scroll_y > 0
        await press(pilot, "shift+tab", "down")
        assert box.scroll_y == 0


async def test_the_shortlist_pane_says_the_chance_range_and_the_assumptions_of_the_json(demo_ctx: Context) -> None:
    """`shortlist --json` gives each program a probability_range and what_is_assumed; the pane said only the
    point ("interview 51% (likely)") and none of the assumptions."""
    from imgcoach.matching import compute, pct
    from imgcoach.matching.shortlist import entry_dict

    result, _, _, _ = compute(demo_ctx)
    rows = [entry_dict(e) for e in result.entries]
    ranged = [n for n, row in enumerate(rows) if pct(row["probability_range"][0]) != pct(row["probability_range"][1])]
    assert ranged, "the demo has programs with unknown inputs"
    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "m")
        table = app.screen.query_one(DataTable)
        for n in (0, ranged[0], ranged[-1]):
            table.move_cursor(row=n)
            await settle(pilot)
            row = rows[n]
            shown = str(app.screen.query_one("#shortlist-detail", Static).content)
            first = shown.splitlines()[0]
            assert first.startswith(f"{row['id']} ") and f"({row['tier']}): interview" in first, first
            low, high = (pct(p) for p in row["probability_range"])
            if low != high:
                assert f"{low}-{high}" in first or f"between {low} and {high}" in first, (first, row)
            assert row["what_is_assumed"]
            flat = " ".join(shown.split())
            for assumed in row["what_is_assumed"]:
                assert " ".join(assumed.split()) in flat, assumed


async def test_the_letters_pane_scrolls_and_gives_the_board_its_keys_back(demo_ctx: Context) -> None:
    """Tab goes from the card to its letter (it went column by column, each showing its own preview, so the pane
    was reached with the last, often empty, column's "No letter card"). Focused, the pane scrolls by the keys and
    says so; ← → still move between the columns, and Tab or shift+Tab go back to the card's column."""
    app = app_for(demo_ctx)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "l")
        box = app.screen.query_one("#letter-preview-pane")
        assert isinstance(box, DetailPane)
        start = app.focused
        assert isinstance(start, OptionList) and start.id == "column-planned", start
        preview = str(app.screen.query_one("#letter-preview", Static).render())
        assert "Packet" in preview, preview
        assert box.border_title is not None and "tab" in box.border_title
        await press(pilot, "tab")
        assert app.focused is box
        assert str(app.screen.query_one("#letter-preview", Static).render()) == preview
        assert box.styles.border_top[0] == "heavy"
        assert box.border_title is not None and "back to the board" in box.border_title
        assert "↑ ↓ Scroll" in footer_text(app), footer_text(app)
        assert box.max_scroll_y > 1, "at 80x24 the letter is longer than the pane (else nothing to test)"
        await press(pilot, "down", "down")
        assert box.scroll_y == 2
        await press(pilot, "end")
        assert box.scroll_y == box.max_scroll_y
        await press(pilot, "home", "pagedown")
        assert box.scroll_y > 2
        await press(pilot, "shift+tab")
        assert app.focused is start, app.focused
        assert str(app.screen.query_one("#letter-preview", Static).render()) == preview
        await press(pilot, "tab", "tab")
        assert app.focused is start
        await press(pilot, "tab", "right")
        assert app.focused is app.screen.query_one("#column-requested", OptionList), app.focused


async def test_the_import_notes_scroll_by_keys_and_an_empty_pane_is_no_stop(demo_ctx: Context) -> None:
    """A real calendar file (calcurse's multi-day events as daily repeats) gives some 40 lines of notes under a
    6-line pane at 80x24; they were reachable by mouse only (no focus shown, no keys said). Before a file is
    read (no notes) the pane is no Tab stop and its border offers nothing to scroll."""
    from pathlib import Path

    from textual.widgets import Input

    calendar = Path(__file__).parent / "data" / "ics" / "calcurse_multiday_as_daily_repeats.ics"
    app = app_for(demo_ctx)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "i")
        box = app.screen.query_one("#import-notes-pane")
        assert isinstance(box, DetailPane)
        assert box not in app.screen.focus_chain and not box.border_title
        path = app.screen.query_one("#import-path", Input)
        path.focus()
        path.value = str(calendar)
        await press(pilot, "enter")
        table = app.screen.query_one(DataTable)
        assert app.focused is table and table.row_count
        chain = app.screen.focus_chain
        assert chain.index(box) == chain.index(table) + 1, "Tab goes from the rows to their notes"
        assert how_reached(box) == "tab: scroll the notes"
        await press(pilot, "tab")
        assert app.focused is box and box.styles.border_top[0] == "heavy"
        assert how_reached(box) == "shift+tab: back to the rows"
        assert "↑ ↓ Scroll" in footer_text(app), footer_text(app)
        assert box.max_scroll_y > 10, "at 80x24 the notes are longer than the pane (else nothing to test)"
        await keys_scroll(pilot, box)
        await press(pilot, "shift+tab")
        assert app.focused is table


def how_reached(box: DetailPane) -> str:
    """The pane's border title without its count of hidden lines (test_detail_pane_counts45 pins that)."""
    return (box.border_title or "").split(" · ")[0]


@pytest.mark.parametrize(("key", "action", "opened"), [("r", "e", "FormScreen"), ("o", "v", "DraftScreen"),
                                                        ("l", "v", "DraftScreen")],
                         ids=["rotations-edit", "outbox-email", "letters-email"])
async def test_the_screen_keys_still_act_from_the_pane(demo_ctx: Context, key: str, action: str, opened: str) -> None:
    """The pane takes only the scroll keys: the screen's own keys act on the selected row while it has focus."""
    app = app_for(demo_ctx)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, key, "tab")
        assert isinstance(app.focused, DetailPane)
        await press(pilot, action)
        # The Outbox's e-mail opens the reminder dialog, a DraftScreen that also offers approve/cancel/retry.
        assert opened in {kind.__name__ for kind in type(app.screen).__mro__}, app.screen


async def test_shift_tab_on_the_letters_board_mirrors_tab(demo_ctx: Context) -> None:
    """Tab goes between the card and its letter; shift+Tab from a column went to the previous column instead (the
    planned column's previous is the last, often empty, so the preview was replaced by "No letter card")."""
    app = app_for(demo_ctx)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "l")
        box = app.screen.query_one("#letter-preview-pane")
        start = app.focused
        assert isinstance(start, OptionList) and start.id == "column-planned", start
        preview = str(app.screen.query_one("#letter-preview", Static).render())
        assert "Packet" in preview, preview
        await press(pilot, "shift+tab")
        assert app.focused is box, app.focused
        assert str(app.screen.query_one("#letter-preview", Static).render()) == preview
        await press(pilot, "shift+tab")
        assert app.focused is start, app.focused
        await press(pilot, "right", "shift+tab")  # from another column too: to the letter of its card
        assert app.focused is box, app.focused
        await press(pilot, "shift+tab")
        assert app.focused is app.screen.query_one("#column-requested", OptionList), app.focused


LONG_NOTE = ("Dr. Rao asked for the USMLE transcript, two letters and proof of vaccination (MMR, varicella, "
             "hepatitis B, a TB test within the last 12 months) before she can confirm the dates; the GME office "
             "answers on Tuesdays only.")


def _an_offer_to_check(ctx: Context) -> int:
    """An offer with all four checks open and a note: the facts, four warnings and the note."""
    from imgcoach.coach import add_outreach, set_outreach_status

    entry = add_outreach(ctx, "Riverside Community Hospital (fictional)", department="Department of Medicine",
                         coordinator="Ms. Ana Ruiz (fictional)", contact_email="gme@riverside.example.com",
                         status="sent", notes=LONG_NOTE)
    set_outreach_status(ctx, entry.id, "offered")
    return int(entry.id)


def _rows_of(box: DetailPane) -> tuple[int, int]:
    """(rows of content, rows of room) of a pane, as laid out."""
    return box.virtual_size.height, box.scrollable_content_region.height


@pytest.mark.parametrize("size", [SMALL, (120, 40)], ids=["80x24", "120x40"])
async def test_an_outreach_offer_to_check_can_be_read_to_its_end(demo_ctx: Context, size: tuple[int, int]) -> None:
    """The details were a plain 7-row text (6 to read) that no key reached: at 80x24 the demo's offer is 10 rows
    and this one (its four checks open, a note) 14, so the last checks and the note could not be read from the
    keyboard. At 120x40 the pane had the same 6 rows; it now takes a share of the height (12)."""
    entry_id = _an_offer_to_check(demo_ctx)
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "u")
        table = app.screen.query_one(DataTable)
        assert app.focused is table
        box = app.screen.query_one("#outreach-detail-pane")
        assert isinstance(box, DetailPane)
        while table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value != str(entry_id):
            row = table.cursor_row
            await press(pilot, "down")
            assert table.cursor_row == row + 1, "the entry is in the table"
        shown = str(app.screen.query_one("#outreach-detail", Static).render())
        assert "cost unknown: ask what fees apply" in shown and "answers on Tuesdays only" in shown, shown
        assert how_reached(box) == "tab: scroll the details"
        await press(pilot, "tab")
        assert app.focused is box and box.styles.border_top[0] == "heavy"
        assert how_reached(box) == "shift+tab: back to the list"
        # the scroll keys where there is something to scroll (taller, the offer fits: they would move nothing)
        assert ("↑ ↓ Scroll" in footer_text(app)) == (size == SMALL), footer_text(app)
        await _overflows_and_scrolls_only_when_small(pilot, box, size)  # taller: the same offer fits whole
        await press(pilot, "shift+tab")
        assert app.focused is table
        await press(pilot, "e")
        assert type(app.screen).__name__ == "FormScreen", "the screen's keys act on the row from the list"


async def _overflows_and_scrolls_only_when_small(pilot: Any, box: Any, size: tuple[int, int]) -> None:
    """At 80x24 the text runs past the pane and the keys scroll it to its end; in a taller window it fits."""
    content, room = _rows_of(box)
    if size == SMALL:
        assert content > room, (content, room)
        await keys_scroll(pilot, box)
    else:
        assert content <= room and box.max_scroll_y == 0, (content, room)


def _a_long_profile(ctx: Context) -> None:
    """A profile with long lists and eleven sittings (retakes, OET sub-tests, the next exams booked)."""
    from datetime import date, timedelta

    from imgcoach.plan import add_exam, set_profile

    set_profile(ctx, name="Test Applicant", email="applicant@example.com", timezone="Asia/Kolkata",
                graduation_year=2021, visa="j1", school="All India Institute of Medical Sciences, New Delhi",
                school_country="India",
                target_specialties=["Internal Medicine", "Family Medicine", "Pediatrics", "Neurology", "Psychiatry"],
                target_countries=["US", "Canada"], target_states=["NY", "NJ", "PA", "MI", "OH", "IL", "TX", "FL"],
                cv_path="/home/applicant/Documents/residency-application-2027/curriculum-vitae-final-v3.pdf")
    sittings = [("Step 1", "fail", None), ("Step 1", "fail", None), ("Step 1", "pass", None),
                ("Step 2 CK", "", 201), ("Step 2 CK", "", 209), ("Step 2 CK", "", 246),
                ("OET", "", "280/290/250/300"), ("OET", "", "320/330/290/340"), ("OET", "", "360/370/350/380"),
                ("Step 3", "", None), ("Step 3", "", None)]
    for n, (exam, result, score) in enumerate(sittings):
        add_exam(ctx, exam, date(2024, 1, 10) + timedelta(days=70 * n), result=result, score=score)


@pytest.mark.parametrize("size", [SMALL, (120, 40)], ids=["80x24", "120x40"])
async def test_a_long_profile_can_be_read_to_its_end(ctx: Context, size: tuple[int, int]) -> None:
    """The profile pane was a Tab stop that ↓ scrolled, but its focus showed nothing and no key was said: at
    80x24 a long profile (eleven exams) runs past the screen with no sign that there is more or how to reach it."""
    _a_long_profile(ctx)
    app = app_for(ctx)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "p")
        box = app.screen.query_one("#profile-pane")
        assert isinstance(box, DetailPane)
        assert app.focused is box and box.styles.border_top[0] == "heavy"
        assert how_reached(box) == "tab: to the exams"
        assert ("↑ ↓ Scroll" in footer_text(app)) == (size == SMALL), footer_text(app)  # 120x40: it fits
        await _overflows_and_scrolls_only_when_small(pilot, box, size)
        exams = app.screen.query_one("#exam-table", DataTable)
        assert exams.row_count == 11
        await press(pilot, "tab")
        assert app.focused is exams and how_reached(box) == "tab: scroll the profile"
        assert "Scroll" not in footer_text(app)
        await press(pilot, "shift+tab")
        assert app.focused is box
        await press(pilot, "shift+tab")
        assert app.focused is exams, "shift+Tab mirrors Tab: two stops"
        await press(pilot, "e")
        assert type(app.screen).__name__ == "FormScreen"
