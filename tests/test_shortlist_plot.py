"""Issue 15: the Shortlist's chance by budget (the marginal-gain curve) and by tier as a picture, toggled with C.

Every number the picture shows is checked against the matching feature's own API on the same database, never
against a figure written here.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from imgcoach import matching
from imgcoach.core.context import Context
from imgcoach.matching import BudgetCurve, budget_curve, pct, pct_span, tier_bars, tier_text
from imgcoach.tui.widgets.budget_plot import BAR, BEYOND, EIGHTHS, LABEL, curve_lines
from tests.tui_helpers import app_for, press, settle, until

SIZES = ((80, 24), (120, 40))


def _words(text: str) -> str:
    return " ".join(text.split())


def _curve(ctx: Context) -> tuple[Any, BudgetCurve]:
    result, _, _, _ = matching.compute(ctx)
    return result, budget_curve(result)


def test_the_curve_is_the_lists_own_gains_ending_at_the_clis_chance(demo_ctx: Context) -> None:
    result, curve = _curve(demo_ctx)
    assert len(curve.within) == len(result.entries) > 1
    assert curve.within[-1].chance == pytest.approx(result.chance, abs=1e-9)  # the figure `shortlist` prints
    assert sum(e.gain for e in result.entries) == pytest.approx(result.chance, abs=1e-9)  # the curve's own sum
    assert curve.within[-1].fee_usd == pytest.approx(result.total_fee_usd)
    chances = [p.chance for p in curve.within]
    assert chances == sorted(chances), "adding a program never lowers the list chance"
    assert curve.sentence == matching.shortlist_sentence(result)
    assert result.stop is not None and curve.stop_text == result.stop.text(len(result.entries))
    assert any("point estimate" in a for a in curve.assumptions)
    bars = tier_bars(result)
    assert sum(b.programs for b in bars) == len(result.entries)
    for bar in bars:
        mine = [e for e in result.entries if e.tier == bar.tier]
        assert (bar.low, bar.high) == (min(e.probability for e in mine), max(e.probability for e in mine))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_each_column_is_drawn_to_the_chance_of_its_programs(demo_ctx: Context, size: tuple[int, int]) -> None:
    """The list's columns, the budget's range column, then the columns past the budget (dimmed, marked ┄), each
    part sharing its programs evenly and the two parts sharing the width as they share the programs."""
    _, curve = _curve(demo_ctx)
    width, height = size[0] - 4, 8
    drawn_lines = curve_lines(curve, width, height)
    lines = [line.plain for line in drawn_lines]
    assert all(len(line) <= width for line in lines), "no line wraps in the pane"
    rows = lines[:height]
    marks = next(line for line in lines if "▲" in line and "budget" not in line)
    inside = marks.index("▲") - LABEL + 1  # the budget's column is the list's last
    past = marks.count("┄")
    columns = width - LABEL - 3
    n, total = len(curve.within), len(curve.points)
    assert total > n and inside + past == columns and abs(inside - columns * n / total) <= 1
    assert marks.index("┄") == LABEL + inside + 2, "past the budget's range column"
    for c in range(inside + past):
        at = LABEL + c if c < inside else LABEL + c + 2
        drawn = sum(EIGHTHS.index(row[at]) for row in rows)
        k = -(-(c + 1) * n // inside) if c < inside else n + -(-(c - inside + 1) * (total - n) // past)
        assert drawn == round(curve.points[k - 1].chance * height * 8)
        styles = {span.style for line in drawn_lines[:height] for span in line.spans if span.start <= at < span.end}
        assert styles == ({BAR} if c < inside else {BEYOND}), c
    for tick, values in ((lines[height + 1], [str(p.programs) for p in curve.points]),
                         (lines[height + 2], [f"${p.fee_usd:,.0f}" for p in curve.points])):
        assert tick.split()[-1] == values[-1]
        assert tick[:LABEL + inside].rstrip().endswith(values[n - 1]), "the budget's figure ends at its column"
    assert f"┄ past your budget: the optimiser's next {total - n} (not on your list)" in " ".join(lines)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_c_shows_the_picture_with_the_matching_apis_numbers_and_back(demo_ctx: Context,
                                                                           size: tuple[int, int]) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        screen = app.screen
        from textual.widgets._footer import FooterKey

        shown = [(k.key_display, k.description) for k in screen.query(FooterKey) if k.display]
        assert ("C", "Chance plot") in shown and shown[-2] == ("?", "Help"), "in the footer, which keeps its last key"
        result, curve = _curve(demo_ctx)  # after the screen's own load: the same list
        await press(pilot, "C")
        pane = screen.query_one("#shortlist-plot-pane")
        assert pane.display and app.focused is pane
        assert not screen.query_one("#shortlist-table").display
        text = _words(str(screen.query_one("#shortlist-plot", Static).render()))
        assert _words(curve.sentence[:1].upper() + curve.sentence[1:]) in text
        assert f"point estimate at your budget: {pct(curve.chance)}" in text
        assert f"its range {pct_span(curve.chance_low, curve.chance_high)}" in text
        assert f"your budget: {curve.budget_text}" in text
        assert f"${curve.within[-1].fee_usd:,.0f}" in text and _words(curve.stop_text[:1].upper() + curve.stop_text[1:]) in text
        for bar in tier_bars(result):
            assert _words(tier_text(bar)) in text
        for assumption in curve.assumptions:
            assert _words(assumption) in text
        assert curve.beyond_text and _words(curve.beyond_text[:1].upper() + curve.beyond_text[1:]) in text
        n = len(result.entries)
        assert f"then (dimmed, ┄) the optimiser's next {len(curve.points) - n} past your budget" in text
        assert f"All of the {n} programs are SYNTHETIC" in text  # the demo rows say what they are
        await press(pilot, "C")
        assert not pane.display and screen.query_one("#shortlist-table").display
        assert app.focused is screen.query_one("#shortlist-table")


async def test_the_picture_is_in_the_command_palette_and_the_help(demo_ctx: Context) -> None:
    from imgcoach.tui.commands import planner_commands

    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        title = "Shortlist: Chance by budget and by tier (a picture; C again: the list)"
        assert title in [c.title for c in planner_commands(app, app.screen)]  # from another screen
        await press(pilot, "m")
        here = {c.title: c.help for c in planner_commands(app, app.screen)}
        assert here[title] == "key C"
        from rich.console import Console

        from imgcoach.tui.help import help_text

        console = Console(width=120, record=True)
        console.print(help_text(app.screen))
        assert "C  Chance by budget and by tier (a picture; C again: the list)" in console.export_text()


async def test_without_program_data_the_picture_says_what_to_do(ctx: Context) -> None:
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "m", "C")
        text = _words(str(app.screen.query_one("#shortlist-plot", Static).render()))
        detail = _words(str(app.screen.query_one("#shortlist-detail", Static).render()))
        assert text.startswith("Chance by budget: nothing to draw.")
        assert "imgcoach programs import" in text
        assert detail.split(". This screen")[0] in text  # the CLI's words, as the list view says them


async def test_the_picture_is_drawn_again_for_a_wider_window(demo_ctx: Context) -> None:
    """Drawn for the width it has: at 80 columns it fits, and after a resize to 200 the curve takes the width."""
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "m", "C")
        plot = app.screen.query_one("#shortlist-plot", Static)

        def axis() -> int:
            return max(len(line) for line in str(plot.render()).splitlines() if "┼" in line)

        assert axis() <= 76  # the pane's padding and scrollbar take the rest of the 80 columns
        await pilot.resize_terminal(200, 50)
        await until(pilot, lambda: axis() > 150)
        assert 150 < axis() <= 196


def test_a_budget_past_the_eligible_programs_says_the_curve_ends_early(demo_ctx: Context) -> None:
    result, _, _, _ = matching.compute(demo_ctx, budget_programs=500)
    curve = budget_curve(result)
    n = len(result.entries)
    assert n == result.eligible_count < 500
    assert curve.budget_text == f"500 programs (only {n} eligible: all chosen)"
    assert curve.within[-1].chance == pytest.approx(result.chance, abs=1e-9)


def test_the_stop_point_is_marked_where_the_cli_says_stop(demo_ctx: Context) -> None:
    """With every eligible program on the list, the CLI's "stop here" falls inside it: the picture marks that
    column and names the point whole at 80 columns (its label was cut to "our budget ... △ stop her")."""
    result, _, _, _ = matching.compute(demo_ctx, budget_programs=500)
    curve = budget_curve(result)
    assert result.stop is not None and curve.stop_programs == result.stop.programs < len(curve.within)
    width = 76
    lines = [line.plain for line in curve_lines(curve, width, 6)]
    marks = next(line for line in lines if "△" in line and "stop here" not in line)
    column = marks.index("△") - LABEL
    columns = width - LABEL - 3
    n = len(curve.within)
    assert -(-(column + 1) * n // columns) >= curve.stop_programs > -(-column * n // columns)
    text = " ".join(lines)
    assert f"▲ your budget: {curve.budget_text}" in text
    assert f"△ stop here: after {curve.stop_programs} programs (${result.stop.fee_usd:,.0f})" in text


def test_the_pgy1_list_is_said_to_be_outside_the_curve(ctx: Context) -> None:
    """Beside a PGY-2 specialty the CLI plans a PGY-1 list with its own budget: the curve does not include it and
    says so (the picture could be read as covering every program the screen lists)."""
    from imgcoach.matching import add_program
    from imgcoach.plan.profile import set_profile

    set_profile(ctx, target_specialties=["Dermatology"])
    add_program(ctx, {"program_id": "D1", "name": "Derm", "specialty": "Dermatology", "state": "NY"})
    add_program(ctx, {"program_id": "T1", "name": "TY", "specialty": "Transitional Year", "state": "NY"})
    result, _, _, _ = matching.compute(ctx)
    assert result.pgy1 is not None and result.pgy1.shortlist.entries
    curve = budget_curve(result)
    assert [e.program_id for e in result.entries] == ["D1"] and len(curve.within) == 1
    assert any("PGY-1 year's list" in a and "not in this curve" in a for a in curve.assumptions)
