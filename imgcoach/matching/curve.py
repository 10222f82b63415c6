"""The shortlist's chance by budget (its marginal-gain curve) and by tier, as plain values for a picture.

Both are read from the Shortlist the CLI prints, never recomputed: the optimiser adds programs best value first
and records each one's marginal gain (`Entry.gain`), so the chance after the first k programs is the running sum
of those gains, and its last point is the list chance `imgcoach shortlist` states. Each step's points per $100
is `advice.points_per_100`, the rate the CLI's "stop here" line reads. What the curve assumes is said with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from imgcoach.matching.advice import STOP_POINTS_PER_100_USD, points_per_100
from imgcoach.matching.present import ceiling_text, pct_span, shortlist_sentence
from imgcoach.matching.shortlist import Shortlist

TIER_ORDER = ("likely", "target", "reach")  # model.tier's names, most likely first


@dataclass(frozen=True, slots=True)
class CurvePoint:
    programs: int  # the first `programs` of the list, in the order the optimiser added them
    fee_usd: float  # their application fees together
    chance: float  # estimated chance of at least one match with them (point estimate)
    points_per_100_usd: float  # what the last of them added, in points of match chance per $100


@dataclass(frozen=True, slots=True)
class BudgetCurve:
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


@dataclass(frozen=True, slots=True)
class TierBar:
    tier: str
    programs: int
    synthetic: int  # how many of them are SYNTHETIC sample rows
    low: float  # lowest interview chance among them (point estimates)
    high: float  # highest
    range_low: float  # lowest end of their ranges (unknown inputs at their least favourable values)
    range_high: float


def budget_curve(result: Shortlist) -> BudgetCurve:
    """The chance after each program of the list, with the budget, the stop point and what is assumed."""
    points = []
    chance = fee = 0.0
    for k, entry in enumerate(result.entries, start=1):
        chance += entry.gain
        fee += entry.fee_usd
        points.append(CurvePoint(k, fee, chance, points_per_100(entry.gain, entry.fee_usd)))
    budget = (f"{result.budget_programs} programs" if result.budget_programs is not None
              else f"${result.budget_usd:,.0f} in application fees")
    stop = result.stop
    n = len(result.entries)
    if result.budget_programs is not None and 0 < n < result.budget_programs:
        # The curve ends before the budget: the picture must not suggest the budget was spent.
        budget += f" (only {n} eligible: all chosen)"
    inside = stop is not None and stop.stop_inside_list and stop.programs < n
    assumptions: tuple[str, ...] = (
        f"point estimate: each program's unknown inputs at their point values (the list's range at your budget is "
        f"{pct_span(result.chance_low, result.chance_high)})",
        "the chance after each program of this list, in the order the optimiser added them (best value first); "
        "a smaller budget's list starts with the same programs",
        f"{ceiling_text(result.ceiling)} (an assumption)",
        f"'adds about nothing': under {STOP_POINTS_PER_100_USD:g} points per $100, an assumed threshold",
    )
    if result.pgy1 is not None:  # a list of its own, outside the budget: not a point on this curve
        assumptions += ("the PGY-1 year's list (its own budget, shown with the list) is not in this curve",)
    return BudgetCurve(tuple(points), budget, result.chance, result.chance_low, result.chance_high, result.ceiling,
                       shortlist_sentence(result), stop.programs if stop is not None and inside else None,
                       stop.text(n) if stop is not None else "", assumptions)


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
    text = f"{bar.programs} program{'s' if bar.programs != 1 else ''}, interview {pct_span(bar.low, bar.high)}"
    if (bar.range_low, bar.range_high) != (bar.low, bar.high) and \
            pct_span(bar.range_low, bar.range_high) != pct_span(bar.low, bar.high):
        text += f" (range {pct_span(bar.range_low, bar.range_high)}: some inputs unknown)"
    if bar.synthetic:
        text += f"; {'all' if bar.synthetic == bar.programs else bar.synthetic} synthetic"
    return text

