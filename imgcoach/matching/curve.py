"""The shortlist's chance by budget (its marginal-gain curve) and by tier, as plain values for a picture.

Both are read from the Shortlist the CLI prints, never recomputed: the optimiser adds programs best value first
and records each one's marginal gain (`Entry.gain`), so the chance after the first k programs is the running sum
of those gains, and its point at the budget is the list chance `imgcoach shortlist` states. Each step's points
per $100 is `advice.purchase_rates`, the rate the CLI's "stop here" line reads. Each point's range is the one
rule the range at the budget uses (`shortlist.prefix_ranges`). Past the budget the curve goes on with the
optimiser's next programs (`Shortlist.beyond`, up to 1.5 x the budget), marked as beyond it, so the reader sees
what more money would still add. What the curve assumes is said with it. `shortlist --json` carries it
(`to_dict`), the app draws it (tui/widgets/budget_plot.py).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from imgcoach.core.words import counted
from imgcoach.matching.advice import STOP_POINTS_PER_100_USD, purchase_rates
from imgcoach.matching.present import ceiling_text, pct, pct_span, shortlist_sentence
from imgcoach.matching.shortlist import BEYOND_BUDGET, Shortlist, prefix_ranges

TIER_ORDER = ("likely", "target", "reach")  # model.tier's names, most likely first


class CurvePoint(NamedTuple):
    programs: int  # the first `programs` of the list, in the order the optimiser added them
    fee_usd: float  # their application fees together
    chance: float  # estimated chance of at least one match with them (point estimate)
    # what the last of them added, in points of match chance per $100 of its purchase (advice.purchase_rates)
    points_per_100_usd: float
    chance_low: float  # the range of `chance`: unknown inputs at their least favourable values (the budget's rule)
    chance_high: float  # ... and at their most favourable
    within_budget: bool = True  # False: past the budget, the optimiser's next programs (not on the list)
    program_id: str = ""  # the program this point added

    def to_dict(self) -> dict[str, Any]:
        return {"programs": self.programs, "fee_usd": round(self.fee_usd, 2), "chance": round(self.chance, 4),
                "chance_low": round(self.chance_low, 4), "chance_high": round(self.chance_high, 4),
                "points_per_100_usd": round(self.points_per_100_usd, 4), "within_budget": self.within_budget,
                "added_program_id": self.program_id}


class BudgetCurve(NamedTuple):
    points: tuple[CurvePoint, ...]
    budget_text: str  # "80 programs" or "$1,500 in application fees", as the CLI says the budget
    chance: float  # the list chance at the budget: the last point, `imgcoach shortlist`'s figure
    chance_low: float
    chance_high: float
    ceiling: float
    sentence: str  # the CLI's chance sentence (range, assumptions named)
    stop_programs: int | None  # where "stop here" falls inside the list, or None
    stop_text: str  # the CLI's "stop here" / "more money can still help" line
    assumptions: tuple[str, ...]
    beyond_text: str = ""  # what the points past the budget are ("" when there are none)
    stop_after: int | None = None  # JSON: as `stop_here` states it (the whole list when the stop is not inside it)

    @property
    def within(self) -> tuple[CurvePoint, ...]:
        """The points of the list itself (the budget's), without those past it."""
        return tuple(p for p in self.points if p.within_budget)

    def to_dict(self) -> dict[str, Any]:
        """`shortlist --json`'s "curve": every point (with its range and whether it is within the budget), the stop
        point and what the curve assumes. The list's own keys (chance, chance_range, stop_here) stay where they
        were; the point at the budget repeats the chance and range they state."""
        return {"points": [p.to_dict() for p in self.points],
                "budget": self.budget_text,
                "programs_within_budget": len(self.within),
                "programs_beyond_budget": len(self.points) - len(self.within),
                "beyond_budget": self.beyond_text or None,
                "stop_after_programs": self.stop_after,
                "stop_text": self.stop_text,
                "assumptions": list(self.assumptions)}


class TierBar(NamedTuple):
    tier: str
    programs: int
    synthetic: int  # how many of them are SYNTHETIC sample rows
    low: float  # lowest interview chance among them (point estimates)
    high: float  # highest
    range_low: float  # lowest end of their ranges (unknown inputs at their least favourable values)
    range_high: float


def budget_curve(result: Shortlist) -> BudgetCurve:
    """The chance after each program of the list and of the optimiser's next ones past the budget, each with its
    range, with the budget, the stop point and what is assumed."""
    points = []
    chance = fee = 0.0
    n = len(result.entries)
    ranges = prefix_ranges(result)
    rates = purchase_rates((*result.entries, *result.beyond))
    for k, (entry, (low, high)) in enumerate(zip((*result.entries, *result.beyond), ranges, strict=True), start=1):
        chance += entry.gain
        fee += entry.fee_usd
        low, high = min(low, chance), max(high, chance)  # as select() keeps the range at the budget around its point
        if k == n:  # the budget: the very figures the list states (the sums above agree to rounding, tested)
            chance, low, high = result.chance, result.chance_low, result.chance_high
        points.append(CurvePoint(k, fee, chance, rates[k - 1], low, high, k <= n,
                                 entry.program_id))
    budget = result.budget_words()
    stop = result.stop
    if result.budget_programs is not None and 0 < n < result.budget_programs:
        # The curve ends before the budget: the picture must not suggest the budget was spent.
        budget += f" (only {n} eligible: all chosen)"
    inside = stop is not None and stop.stop_inside_list and stop.programs < n
    beyond = ""
    if result.beyond:
        more = points[-1]
        limit = (counted(more.programs, "program") if result.budget_programs is not None
                 else f"${result.budget_usd * (1 + BEYOND_BUDGET):,.0f}")  # type: ignore[operator]
        beyond = (f"past your budget: the optimiser's next {counted(len(result.beyond), 'program')} (to {limit}, "
                  f"{1 + BEYOND_BUDGET:g}x the budget), not on your list: what more money would add "
                  f"({pct(more.chance)} with all {more.programs}, ${more.fee_usd:,.0f})")
    assumptions: tuple[str, ...] = (
        f"point estimate: each program's unknown inputs at their point values (the list's range at your budget is "
        f"{pct_span(result.chance_low, result.chance_high)}; each point's range, by the same rule, is in "
        f"`shortlist --json`)",
        "the chance after each program of this list, in the order the optimiser added them (best value first); "
        "a smaller budget's list starts with the same programs",
        f"{ceiling_text(result.ceiling)} (an assumption)",
        f"'adds about nothing': under {STOP_POINTS_PER_100_USD:g} points per $100, an assumed threshold",
    )
    if result.beyond and result.budget_usd is not None:
        assumptions += ("past a budget in dollars, the points are this list plus the optimiser's next programs; a "
                        "larger budget's own list may differ a little (a program too dear for your budget can fit "
                        "one larger)",)
    if result.pgy1 is not None:  # a list of its own, outside the budget: not a point on this curve
        assumptions += ("the PGY-1 year's list (its own budget, shown with the list) is not in this curve",)
    return BudgetCurve(tuple(points), budget, result.chance, result.chance_low, result.chance_high, result.ceiling,
                       shortlist_sentence(result), stop.programs if stop is not None and inside else None,
                       stop.text(n) if stop is not None else "", assumptions, beyond,
                       stop.to_dict(n)["stop_after_programs"] if stop is not None else None)


def tier_bars(result: Shortlist) -> list[TierBar]:
    """Per tier of the chosen programs: how many, and their interview chances (points and ranges)."""
    bars = []
    for tier in TIER_ORDER:
        chosen = [e for e in result.entries if e.tier == tier]
        if not chosen:
            continue
        bars.append(TierBar(tier, len(chosen), sum(e.synthetic for e in chosen),
                            min(e.probability for e in chosen), max(e.probability for e in chosen),
                            min(e.probability_range[0] for e in chosen), max(e.probability_range[1] for e in chosen)))
    return bars


def tier_text(bar: TierBar) -> str:
    """'24 programs, interview 21%-29% (range 15%-35%)': the words beside a tier's bar."""
    text = f"{counted(bar.programs, 'program')}, interview {pct_span(bar.low, bar.high)}"
    if (bar.range_low, bar.range_high) != (bar.low, bar.high) and \
            pct_span(bar.range_low, bar.range_high) != pct_span(bar.low, bar.high):
        text += f" (range {pct_span(bar.range_low, bar.range_high)}: some inputs unknown)"
    if bar.synthetic:
        text += f"; {'all' if bar.synthetic == bar.programs else bar.synthetic} synthetic"
    return text

