"""Two answers a shortlist owes its reader: why nothing (or little) is eligible, and where more money stops helping.

- Exclusions: every excluded program counted under each requirement it fails (one program may fail two), most
  common first, so "0 eligible" always comes with its reasons.
- Stop here: the optimiser adds programs best value first, so the marginal gain per dollar along the list is
  its marginal-gain curve. Where it falls under STOP_POINTS_PER_100_USD, further money adds about nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol

from imgcoach.core.words import counted
from imgcoach.matching.eligibility import FAIL

# [assumption] "about nothing": less than a tenth of a percentage point of match chance per $100 spent. A
# presentation threshold, not a statistic; the figure itself is always shown.
STOP_POINTS_PER_100_USD = 0.1

_LABELS = {
    "visa": "does not sponsor the visa you need",
    "step2_below": "Step 2 CK minimum above your score",
    "yog_over": "graduated longer ago than the program accepts",
    "usce_short": "not enough US clinical experience",
    "usce_after_deadline": "your planned US clinical experience ends after the deadline",
    "attempts_over": "more USMLE attempts than the program accepts",
    "deadline_passed": "application deadline has passed",
}


class ExclusionCount(NamedTuple):
    code: str
    label: str
    programs: int

    def to_dict(self) -> dict[str, Any]:
        return {"reason": self.code, "label": self.label, "programs": self.programs}


class _Excluded(Protocol):
    @property
    def verdict(self) -> Any: ...


def exclusion_summary(excluded: Sequence[_Excluded]) -> list[ExclusionCount]:
    counts: Counter[str] = Counter()
    for a in excluded:
        for code in {r.code for r in a.verdict.reasons if r.kind == FAIL}:
            counts[code] += 1
    return [ExclusionCount(code, _LABELS.get(code, code.replace("_", " ")), n)
            for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def exclusion_words(summary: Sequence[ExclusionCount], excluded: int) -> str:
    """The excluded programs per failed requirement, saying why they add up to more than the programs excluded
    (one program may fail several): "94 excluded" beside 45 + 35 + 24 read as a count that did not add up."""
    parts = "; ".join(f"{c.label}: {c.programs}" for c in summary)
    if sum(c.programs for c in summary) > excluded:
        parts += f" (some of the {counted(excluded, 'program')} fail more than one, so these add up to more)"
    return parts


def nothing_eligible_text(summary: list[ExclusionCount], excluded: int, out_of_scope: int, total: int) -> str:
    """Why the list is empty, in one paragraph."""
    if total == 0:
        return "no program data: import some with `imgcoach programs import FILE.csv`"
    if excluded == 0:
        return (f"none of the {counted(total, 'program')} is inside your preferences (specialties, states, program type "
                f"or size): widen them with `imgcoach profile set`")
    parts = exclusion_words(summary, excluded)
    scope = f" ({out_of_scope} more are outside your preferences)" if out_of_scope else ""
    every = "the 1 program" if excluded == 1 else f"all {counted(excluded, 'program')}"
    return f"no eligible program: {every} in your preferences fail{'s' if excluded == 1 else ''} a requirement{scope}: {parts}"


class _Entry(Protocol):
    @property
    def gain(self) -> float: ...
    @property
    def fee_usd(self) -> float: ...


class StopAdvice(NamedTuple):
    programs: int  # stop after this many programs of the list
    fee_usd: float  # what they cost
    points_per_100_usd_after: float  # the best marginal rate among the programs beyond that point
    last_points_per_100_usd: float  # the marginal rate of the list's last program
    threshold: float = STOP_POINTS_PER_100_USD
    last_programs: int = 1  # programs in the last purchase: a paid program with the $0 ones after it
    # The list holds every eligible program (a budget larger than they need): more money buys no application.
    every_eligible: bool = False

    def _last(self, still: str = "") -> str:
        if self.last_programs == 1:
            return f"the last program {still}adds"
        return f"the last {self.last_programs} programs (one fee buys them) {still}add"

    @property
    def stop_inside_list(self) -> bool:
        return self.points_per_100_usd_after < self.threshold

    def text(self, total: int) -> str:
        if self.stop_inside_list and self.programs < total:
            return (f"stop here: after {counted(self.programs, 'program')} (${self.fee_usd:,.0f}) each further $100 adds at "
                    f"most {self.points_per_100_usd_after:.2f} points of match chance (under {self.threshold:g}, "
                    f"an assumed threshold); the rest of this list adds about nothing")
        if self.last_points_per_100_usd < self.threshold:
            return (f"stop here: {self._last()} {self.last_points_per_100_usd:.2f} points per $100 (under "
                    f"{self.threshold:g}, an assumed threshold); more money adds about nothing")
        if self.every_eligible:  # "more money can still help" was said with no program left to spend it on
            return (f"{self._last()} {self.last_points_per_100_usd:.2f} points of match chance per $100, and every "
                    "eligible program is on the list: more money adds no program to it")
        return (f"{self._last('still ')} {self.last_points_per_100_usd:.2f} points of match chance per $100: more "
                "money can still help")

    def to_dict(self, total: int) -> dict[str, Any]:
        return {"stop_after_programs": self.programs if self.stop_inside_list else total,
                "stop_fee_usd": round(self.fee_usd, 2),
                "points_per_100_usd_after": round(self.points_per_100_usd_after, 4),
                "last_points_per_100_usd": round(self.last_points_per_100_usd, 4),
                "last_purchase_programs": self.last_programs,
                "threshold_points_per_100_usd": self.threshold,
                "threshold_basis": "assumption: under this, more money adds about nothing",
                "text": self.text(total)}


def points_per_100(gain: float, fee_usd: float) -> float:
    return gain * 100 / fee_usd * 100 if fee_usd > 0 else 0.0


def purchases(entries: Sequence[_Entry]) -> list[int]:
    """Where each purchase starts: a paid program with the $0 ones after it (SF Match's base fee buys the first
    10 ophthalmology programs), then the end of the list."""
    return [*(i for i, e in enumerate(entries) if e.fee_usd > 0 or i == 0), len(entries)]


def purchase_rates(entries: Sequence[_Entry]) -> list[float]:
    """Each program's points of match chance per $100, of the purchase it belongs to: a $0 program alone read
    "0.00 points per $100" though it added as much as the one that paid for it."""
    bounds = purchases(entries)
    out: list[float] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        rate = points_per_100(sum(e.gain for e in entries[a:b]), sum(e.fee_usd for e in entries[a:b]))
        out += [rate] * (b - a)
    return out


def stop_advice(entries: Sequence[_Entry], *, every_eligible: bool = False) -> StopAdvice | None:
    """The shortest prefix of the list after which no program adds the threshold per $100 (the list is in the
    optimiser's order, so its marginal-gain curve only falls, save for ties and fee steps). `every_eligible`: the
    list holds every eligible program, so no more money extends it."""
    if not entries:
        return None
    # A program at $0 comes with the paid one before it (SF Match's base fee buys the first 10): priced alone
    # each read "0.00 points per $100", and "stop here: after 1 program ($60)" left out nine free programs.
    # So a purchase is a paid program with the free ones after it, and the list is cut between purchases only.
    bounds = purchases(entries)
    rates = [points_per_100(sum(e.gain for e in entries[a:b]), sum(e.fee_usd for e in entries[a:b]))
             for a, b in zip(bounds, bounds[1:], strict=False)]
    best_after = [0.0] * (len(rates) + 1)
    for i in range(len(rates) - 1, -1, -1):
        best_after[i] = max(rates[i], best_after[i + 1])
    group = next((i for i in range(len(rates) + 1) if best_after[i] < STOP_POINTS_PER_100_USD), len(rates))
    cut = bounds[group]
    fee = sum(e.fee_usd for e in entries[:cut])
    return StopAdvice(cut, fee, best_after[group], rates[-1], last_programs=len(entries) - bounds[-2],
                      every_eligible=every_eligible)
