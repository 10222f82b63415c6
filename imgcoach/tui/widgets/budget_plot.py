"""The Shortlist's "Chance by budget" picture: the list chance after each program (the marginal-gain curve) and the
chosen programs by tier, drawn in text so it fits 80x24 and grows with the window.

The numbers are the matching feature's (`budget_curve`, `tier_bars`), never recomputed here: this module only
places them on a grid. The picture says what it assumes, as the CLI does: the curve is a point estimate, so its
range at the budget is drawn beside it and named. Past the budget the optimiser's next programs are drawn dimmed
and marked ┄ under the axis (not on the list), so the reader sees what more money would still add.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.text import Text

from imgcoach.matching import BudgetCurve, TierBar, pct, pct_span, tier_text

EIGHTHS = " ▁▂▃▄▅▆▇█"
LABEL = 5  # "100%" and the axis
BAR = "cyan"
AFTER_STOP = "dim cyan"  # the part of the list after the CLI's "stop here"
BEYOND = "grey50"  # past the budget: the optimiser's next programs, not on the list (marked ┄ under the axis)


def plot_height(screen_height: int) -> int:
    """Rows for the curve: 6 at 24 lines, more on a taller window (the pane scrolls for the rest)."""
    return max(6, min(16, screen_height // 3 - 2))


def _column_program(c: int, columns: int, n: int) -> int:
    """The number of programs column `c` shows (1-based): the columns share the list out evenly."""
    return max(1, min(n, math.ceil((c + 1) * n / columns)))


def _row_of(value: float, height: int) -> int:
    return max(0, min(height - 1, int(value * height)))


def column_programs(curve: BudgetCurve, columns: int) -> tuple[list[int], list[int]]:
    """The number of programs each column shows: the list's columns, then (past the budget) the others'. The two
    share the columns as they share the programs, each part spread evenly, so the budget falls on a column."""
    n, total = len(curve.within), len(curve.points)
    inside = columns if total == n else max(1, min(columns - 1, round(columns * n / total)))
    past = columns - inside
    return ([_column_program(c, inside, n) for c in range(inside)],
            [n + _column_program(c, past, total - n) for c in range(past)])


def curve_lines(curve: BudgetCurve, width: int, height: int) -> list[Text]:
    """The curve as `height` rows of bars, the range column at the budget, the points past the budget dimmed after
    it, and a programs/fees axis."""
    columns = max(10, width - LABEL - 3)  # 3: a space, the range column and a space to spare
    inside, past = column_programs(curve, columns)
    stop_col = None
    if curve.stop_programs is not None:
        stop_col = next(c for c, k in enumerate(inside) if k >= curve.stop_programs)
    low_row, high_row, point_row = (_row_of(v, height) for v in (curve.chance_low, curve.chance_high, curve.chance))

    def cells(line: Text, programs: list[int], r: int, style: str) -> None:
        for c, k in enumerate(programs):
            eighths = round(curve.points[k - 1].chance * height * 8)
            line.append(EIGHTHS[max(0, min(8, eighths - r * 8))],
                        style=AFTER_STOP if stop_col is not None and c > stop_col and style == BAR else style)

    lines = []
    for r in range(height - 1, -1, -1):
        label = {height - 1: "100%", (height - 1) // 2: " 50%"}.get(r, "")
        line = Text(f"{label:>4}{'┤' if label else '│'}", style="dim")
        cells(line, inside, r, BAR)
        mark = "◆" if r == point_row else "┃" if low_row <= r <= high_row else " "
        line.append(f" {mark}", style="bold yellow")  # the budget's range, right after the budget's column
        cells(line, past, r, BEYOND)
        lines.append(line)
    # Grid positions (after the axis label) of every column: the range column's two take the budget's right side.
    spots = list(range(len(inside))) + [len(inside) + 2 + c for c in range(len(past))]
    programs = inside + past
    lines.append(Text("  0%┼" + "─" * (columns + (2 if past else 0)), style="dim"))
    for values in ([str(p.programs) for p in curve.points], [f"${p.fee_usd:,.0f}" for p in curve.points]):
        lines.append(Text(_tick_row([values[k - 1] for k in programs], spots, len(inside) - 1), style="dim"))
    marks = [" "] * (spots[-1] + 1)
    marks[len(inside) - 1] = "▲"
    for c in spots[len(inside):]:
        marks[c] = "┄"
    if stop_col is not None:
        marks[stop_col] = "△"
    lines.append(Text(" " * LABEL + "".join(marks)))
    labels = [(f"▲ your budget: {curve.budget_text}", len(inside))]
    if past:
        labels.append((f"┄ past your budget: the optimiser's next {len(curve.points) - len(curve.within)} "
                       f"(not on your list)", len(marks)))
    if stop_col is not None and curve.stop_programs is not None:
        labels.append((f"△ stop here: after {curve.stop_programs} programs "
                       f"(${curve.points[curve.stop_programs - 1].fee_usd:,.0f})", len(inside)))
    for label, end in labels:  # under its mark's side where it fits; whole (wrapped by the pane) where it does not
        lines.append(Text(" " * LABEL + (label.rjust(end) if len(label) <= end else label)))
    return lines


def _tick_row(values: Sequence[str], spots: Sequence[int], budget: int) -> str:
    """Labels under the axis (`values[i]` under grid position `spots[i]`): the last column's and the budget's
    always, ending at their column; others at evenly spaced columns, starting there; none overlapping another."""
    row = [" "] * (LABEL + spots[-1] + 3)
    taken: list[tuple[int, int]] = []
    ticks = max(2, len(spots) // 12)
    even = sorted({round(i * (len(spots) - 1) / ticks) for i in range(ticks + 1)}, reverse=True)
    order = [len(spots) - 1, budget, *even]
    for i in dict.fromkeys(order):  # in that order, once each
        text = values[i]
        at = LABEL + spots[i]
        start = max(LABEL, at - len(text) + 1 if i in (len(spots) - 1, budget) else at)
        if i == 0:
            start = LABEL
        end = start + len(text)
        if any(start <= b and a <= end for a, b in taken):  # a space between labels at least
            continue
        row[start:end] = text
        taken.append((start, end))
    return "".join(row).rstrip()


def tier_lines(bars: Sequence[TierBar], width: int) -> list[Text]:
    """Per tier, a bar for how many programs and a bar on a 0-100% scale for their interview chances."""
    bar_width = max(12, min(60, (width - 10) // 2))
    most = max((b.programs for b in bars), default=1)
    lines = []
    for bar in bars:
        count = Text(f"{bar.tier:<7} ")
        filled = max(1, round(bar.programs / most * bar_width))
        count.append("█" * filled, style=BAR)
        count.append(" " * (bar_width - filled) + f" {bar.programs}")
        lines.append(count)
        scale = [("·", "dim")] * bar_width
        for c in range(bar_width):
            at = (c + 0.5) / bar_width
            if bar.low <= at <= bar.high or c == min(bar_width - 1, int(bar.low * bar_width)) \
                    or c == min(bar_width - 1, int(bar.high * bar_width)):
                scale[c] = ("█", "bold yellow")
            elif bar.range_low <= at <= bar.range_high:
                scale[c] = ("░", "yellow")
        chance = Text(" " * 8)
        for char, style in scale:
            chance.append(char, style=style)
        chance.append(f" {pct_span(bar.low, bar.high)}")
        lines.append(chance)
        lines.append(Text(f"        {tier_text(bar)}", style="dim"))
    return lines


def picture(curve: BudgetCurve, bars: Sequence[TierBar], synthetic: int, width: int, height: int) -> Text:
    """The whole view: what it shows, the curve, the CLI's stop line, the tiers, what is assumed."""
    width = max(40, width)
    n = len(curve.within)
    out = Text()
    out.append("Chance by budget", style="bold")
    more = len(curve.points) - n
    past = f", then (dimmed, ┄) the optimiser's next {more} past your budget" if more else ""
    out.append(f": the estimated chance of at least one match after each of the {n} programs chosen, in the "
               f"order added{past} (C: back to the list)\n")
    out.append(curve.sentence[:1].upper() + curve.sentence[1:] + "\n")
    if synthetic:
        out.append(f"{'All' if synthetic == n else synthetic} of the {n} programs "
                   f"{'are' if synthetic != 1 else 'is'} SYNTHETIC sample rows, not real programs\n", style="bold")
    out.append(f"◆ point estimate at your budget: {pct(curve.chance)};  ┃ its range "
               f"{pct_span(curve.chance_low, curve.chance_high)} (the bars are point estimates)\n", style="yellow")
    for line in curve_lines(curve, width, height):
        out.append_text(line)
        out.append("\n")
    out.append(curve.stop_text[:1].upper() + curve.stop_text[1:] + "\n")
    if curve.beyond_text:  # what more money would add, beside the stop line's words
        out.append(curve.beyond_text[:1].upper() + curve.beyond_text[1:] + "\n", style=BEYOND)
    out.append("\nBy tier", style="bold")
    out.append(": programs chosen (bar, count), then each one's interview chance on a 0-100% scale "
               "(█ the points, ░ their ranges)\n")
    for line in tier_lines(bars, width):
        out.append_text(line)
        out.append("\n")
    out.append("\nAssumed:\n", style="bold")
    for assumption in curve.assumptions:
        out.append(f"  - {assumption}\n", style="dim")
    return out
