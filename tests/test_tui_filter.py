"""The `/` search on the Shortlist, Rotations, Outreach and Outbox tables: the matching rule, then Pilot
flows on the demo database (typing narrows at once, the count, the cursor kept, a reload keeps the filter,
Escape clears it, facets on the Shortlist)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from rich.text import Text
from textual.widgets import Input, Static

from imgcoach.core.context import Context
from imgcoach.plan import add_rotation, list_rotations
from imgcoach.tui.commands import planner_commands
from imgcoach.tui.help import help_text, plain
from imgcoach.tui.widgets.dialogs import TextScreen
from imgcoach.tui.widgets.filter_bar import FilterBar
from imgcoach.tui.widgets.form import FormScreen
from imgcoach.tui.widgets.row_filter import RowFacts, parse_filter
from imgcoach.tui.widgets.table import PlannerTable
from tests.tui_helpers import app_for, press, settle

SIZE = (120, 40)

# --- the matching rule ------------------------------------------------------------------------------------


def matches(query: str, cells: list[Any], facets: dict[str, list[str]] | None = None, flags: list[str] | None = None,
            ) -> bool:
    return parse_filter(query, ("state", "tier", "visa"), ("plan",)).matches(RowFacts.of(cells, facets, flags or []))


def test_every_word_must_occur_in_the_visible_text_in_any_order_and_case() -> None:
    row = ["28 Jun – 25 Jul 2026", "observership", "Internal Medicine", "Brookside University Hospital"]
    assert matches("", row)
    assert matches("INTERNAL brook", row) and matches("brook internal", row)
    assert matches("jun 2026", row)
    assert not matches("internal family", row)
    assert matches("  observer  ", row)


def test_rich_text_cells_are_matched_by_their_plain_text() -> None:
    assert matches("overdue", ["23 Nov 2026 09:00", Text("overdue", style="bold yellow")])


def test_facets_match_by_prefix_with_alternatives_and_without_case_or_hyphens() -> None:
    facts = {"state": ["NY"], "tier": ["likely"], "visa": ["j1", "h1b"]}
    row = ["1", "Fairvale General (synthetic)", "NY"]
    assert matches("state:ny", row, facts) and matches("state:NJ,NY", row, facts)
    assert not matches("state:PA", row, facts)
    assert matches("tier:lik", row, facts) and not matches("tier:target", row, facts)
    assert matches("visa:H-1B", row, facts) and matches("visa:h1b", row, facts)
    assert not matches("visa:h1b", row, {"visa": ["j1"]})
    assert not matches("visa:j1", row, {"visa": []}), "unknown sponsorship is not a yes"
    assert matches("state:ny fairvale", row, facts) and not matches("state:ny oakton", row, facts)


def test_a_facet_without_a_value_yet_does_not_hide_rows_while_typing() -> None:
    assert matches("state:", ["1", "Fairvale", "NY"], {"state": ["NY"]})
    assert parse_filter("state:", ("state",)).empty and parse_filter("state:,", ("state",)).empty


def test_an_unknown_facet_name_is_an_ordinary_word() -> None:
    assert matches("09:00", ["23 Nov 2026 09:00", "Ask for a letter"])
    assert not matches("09:30", ["23 Nov 2026 09:00", "Ask for a letter"])
    assert not matches("kind:observership", ["observership"])  # no "kind" facet here: the word "kind:..."


def test_text_a_cell_shows_clipped_is_searched_whole() -> None:
    facts = RowFacts.of(["1", "Westvale General Hospital F… (synthetic)"], also=["Westvale General Hospital Family Medicine"])
    assert parse_filter("family medicine").matches(facts)
    assert not parse_filter("pediatrics").matches(facts)


def test_a_flag_keeps_only_rows_that_have_it() -> None:
    assert matches("plan", ["4", "Northridge", "needs your plan"], flags=["plan"])
    assert not matches("plan", ["2", "Southcrest", "10 unknown"])
    assert not matches("plan", ["2", "Plano Medical Center"]), "the flag, not the word, once a screen names it"
    assert parse_filter("plan", ()).words == ("plan",), "a screen without the flag searches the word"


# --- Rotations ------------------------------------------------------------------------------------------


def _table(screen: Any) -> PlannerTable:
    return screen.query_one(PlannerTable)


def _keys(table: PlannerTable) -> list[str]:
    return [str(row.key.value) for row in table.ordered_rows]


def _count(screen: Any) -> str:
    return str(screen.query_one("#filter-count", Static).render())


async def _search(pilot: Any, text: str) -> None:
    await press(pilot, "slash")
    await pilot.press(*text)  # every key, letters the app uses for screens included, goes into the box
    await settle(pilot)


async def test_rotations_narrow_as_you_type_keep_the_cursor_and_survive_a_reload(demo_ctx: Context) -> None:
    rotations = list_rotations(demo_ctx)
    internal = [str(r.id) for r in rotations if r.specialty == "Internal Medicine"]
    northgate = next(str(r.id) for r in rotations if r.institution.startswith("Northgate"))
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        screen = app.screen
        table = _table(screen)
        bar = screen.query_one(FilterBar)
        assert not bar.display or not bar.is_open, "hidden until /"
        table.move_to_key(northgate)
        await settle(pilot)
        await _search(pilot, "internal")
        assert app.current_mode == "rotations", "letters typed into the search never switch screens"
        assert bar.is_open and screen.query_one("#filter-input", Input).value == "internal"
        assert _keys(table) == internal and len(internal) < len(rotations)
        assert _count(screen) == f"{len(internal)} of {len(rotations)} shown"
        assert table.cursor_key() == northgate, "the cursor stays on its row while it is shown"
        assert "Northgate" in str(screen.query_one("#rotation-detail", Static).content)

        # Another process adds a rotation: the poll reloads the screen, the filter stays on.
        app.check_for_changes()  # the first poll records the marker
        await settle(pilot)
        added = add_rotation(demo_ctx, kind="observership", specialty="Internal Medicine",
                             institution="Quarry Hill Hospital (fictional)", start_date=date(2027, 6, 7),
                             end_date=date(2027, 7, 2))
        app.check_for_changes()
        await settle(pilot)
        assert _keys(table) == [*internal, str(added.id)]
        assert _count(screen) == f"{len(internal) + 1} of {len(rotations) + 1} shown"
        assert table.cursor_key() == northgate

        await press(pilot, "escape")  # clears and closes the search; the screen stays
        assert app.current_mode == "rotations" and not bar.is_open
        assert len(_keys(table)) == len(rotations) + 1 and _count(screen) == ""
        assert table.cursor_key() == northgate and app.focused is table
        await press(pilot, "escape")  # the usual meaning again: home
        assert app.current_mode == "timeline"


async def test_nothing_matching_says_so_instead_of_a_stale_detail(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        await _search(pilot, "zzz")
        screen = app.screen
        assert _table(screen).row_count == 0
        assert _count(screen) == f"0 of {len(list_rotations(demo_ctx))} shown"
        detail = str(screen.query_one("#rotation-detail", Static).content)
        assert detail.startswith("No row matches “zzz”") and "Brookside" not in detail
        await press(pilot, "backspace", "backspace", "backspace")
        assert _table(screen).row_count == len(list_rotations(demo_ctx))
        assert "Brookside" in str(screen.query_one("#rotation-detail", Static).content)


async def test_enter_goes_to_the_rows_and_the_search_stays(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        await _search(pilot, "family")
        await press(pilot, "enter")
        screen = app.screen
        assert app.focused is _table(screen) and screen.query_one(FilterBar).is_open
        await press(pilot, "down")
        assert "Harbor Street" in str(screen.query_one("#rotation-detail", Static).content)
        await press(pilot, "slash")  # back into the box, text kept
        assert isinstance(app.focused, Input) and app.focused.value == "family"


async def test_slash_in_a_form_field_is_typed_there_and_opens_no_search(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        screen = app.screen
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-specialty", Input).focus()
        await press(pilot, "slash")
        assert form.query_one("#field-specialty", Input).value == "/"
        await press(pilot, "escape")
        assert app.screen is screen and not screen.query_one(FilterBar).is_open


async def test_sorting_keeps_the_cursor_on_its_row(demo_ctx: Context) -> None:
    """DataTable.sort left the cursor at its index, on another row, with the old row's details beside it."""
    brookside = next(str(r.id) for r in list_rotations(demo_ctx) if r.institution.startswith("Brookside"))
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        table = _table(app.screen)
        assert table.cursor_key() == brookside  # the first row, Internal Medicine
        x = sum(column.get_render_width(table) for column in table.ordered_columns[:2]) + 2
        await pilot.click(PlannerTable, offset=(x, 0))  # the Specialty header: Family Medicine first
        await settle(pilot)
        assert _keys(table)[0] != brookside
        assert table.cursor_key() == brookside
        assert app.screen.selected_id() == int(brookside)  # type: ignore[attr-defined]
        await _search(pilot, "medicine")  # a filter that keeps every row keeps the sorted order too
        assert _keys(table)[0] != brookside and table.cursor_key() == brookside


async def test_help_and_palette_name_the_search_key(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        for key in ("r", "u", "o", "m"):
            await press(pilot, key)
            assert re.search(r"^ +/ +Search *$", plain(help_text(app.screen), width=100), re.M), key
            commands = [c.title for c in planner_commands(app, app.screen)]
            assert any(title.endswith(": Search") for title in commands), key
        await press(pilot, "question_mark")
        assert isinstance(app.screen, TextScreen)


# --- Shortlist: words and facets ------------------------------------------------------------------------


async def test_shortlist_facets_state_tier_plan_and_visa(demo_ctx: Context) -> None:
    from imgcoach.matching import compute, explain_program

    result, _, _, _ = compute(demo_ctx)
    entries = result.entries
    facts = {e.program_id: {f["field"]: f["value"] for f in explain_program(result.ranking, e.program_id)["facts"]}
             for e in entries}

    def expect(keep: Any) -> list[str]:
        return [e.program_id for e in entries if keep(e)]

    cases = [
        ("state:ny", expect(lambda e: e.state == "NY")),
        ("state:NY,NJ plan", expect(lambda e: e.state in ("NY", "NJ") and e.status == "conditional")),
        ("tier:likely", expect(lambda e: e.tier == "likely")),
        ("visa:h1b", expect(lambda e: facts[e.program_id]["visa_h1b"] == "yes")),
        ("visa:j-1 state:pa", expect(lambda e: facts[e.program_id]["visa_j1"] == "yes" and e.state == "PA")),
        ("medical center", expect(lambda e: "medical center" in e.name.lower())),
    ]
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "m")
        screen = app.screen
        table = _table(screen)
        assert table.row_count == len(entries)
        for query, wanted in cases:
            await _search(pilot, query)
            assert app.current_mode == "shortlist"
            assert 0 < len(wanted) < len(entries), f"the demo data no longer tests {query!r}"
            assert _keys(table) == wanted, query
            assert _count(screen) == f"{len(wanted)} of {len(entries)} shown"
            detail = str(screen.query_one("#shortlist-detail", Static).content)
            assert detail.startswith(table.cursor_key() or "?"), "the detail is the row under the cursor"
            await press(pilot, "escape")
            assert table.row_count == len(entries)
        screen.reload()  # type: ignore[attr-defined]
        await settle(pilot)
        await _search(pilot, "tier:likely")
        screen.reload()  # type: ignore[attr-defined]
        await settle(pilot)
        assert _keys(table) == cases[2][1], "a reload keeps the filter"


# --- Outreach and Outbox --------------------------------------------------------------------------------


async def test_outreach_actions_act_on_the_filtered_row(demo_ctx: Context) -> None:
    """Outreach found its rows by position; filtered (or sorted), position 0 is another entry."""
    from imgcoach.coach import list_outreach

    offered = next(row for row, status, _, _ in list_outreach(demo_ctx) if status.value == "offered")
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "u")
        screen = app.screen
        await _search(pilot, "offered")
        assert _keys(_table(screen)) == [str(offered.id)]
        assert _count(screen) == f"1 of {len(list_outreach(demo_ctx))} shown"
        assert offered.institution in str(screen.query_one("#outreach-detail", Static).render())
        await press(pilot, "enter", "enter")  # to the rows, then the row's status choice
        form = app.screen
        assert isinstance(form, FormScreen) and offered.institution in form.form_title


async def test_outbox_search_combines_with_the_status_filter(demo_ctx: Context) -> None:
    from imgcoach.reminders import list_reminders

    pending = [r for r in list_reminders(demo_ctx) if r.status == "pending"]
    thanks = {str(r.id) for r in pending if r.kind == "thank_you"}
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "o")
        screen = app.screen
        await _search(pilot, "thank")
        assert set(_keys(_table(screen))) == thanks and len(thanks) > 1
        assert _count(screen) == f"{len(thanks)} of {len(pending)} shown"
        await press(pilot, "enter")  # to the rows
        await press(pilot, "F", "F", "F", "F")  # failed, sent, all, pending again: the search stays on
        assert screen.filter == "pending"  # type: ignore[attr-defined]
        assert set(_keys(_table(screen))) == thanks
        preview = str(screen.query_one("#outbox-preview", Static).render())
        assert "Thank" in preview or "thank" in preview


# --- the new view -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_filtered_shortlist_snapshot(snap_compare: Any, demo_ctx: Context, size: tuple[int, int]) -> None:
    """The search bar open above the Shortlist with a facet and a flag, and its count."""

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await press(pilot, "m")
        await _search(pilot, "state:ny plan")

    assert snap_compare(app_for(demo_ctx), terminal_size=size, run_before=run_before)
