"""Choose the programs to apply to under a budget (programs or dollars) maximising the match chance.

With P(S) = 1 - prod(1 - q p_j), maximising P is maximising W(S) = sum_j w_j, w_j = -log(1 - q p_j):
the objective is additive. Hence:
- budget in programs: the top-k by p is exactly optimal;
- budget in dollars with per-specialty tiered fees (convex in the count): greedy by w / marginal fee,
  taking each specialty's programs best first, is optimal up to one program. We report the bound
  W* <= W(greedy prefix) + w(first program that did not fit) (the fractional-knapsack relaxation),
  turned into a certified maximum gap in match chance.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from imgcoach.matching.fees import FeeSchedule


@dataclass(frozen=True, slots=True)
class Candidate:
    key: int  # program index
    specialty: str
    p: float  # interview probability


@dataclass(frozen=True, slots=True)
class Pick:
    candidate: Candidate
    fee_usd: float  # marginal fee paid for this program
    chance_after: float  # list chance once this program is added
    gain: float  # marginal gain in match chance from adding it


@dataclass(frozen=True, slots=True)
class Selection:
    picks: list[Pick]  # in the order added (largest marginal gain first)
    chance: float
    total_fee_usd: float
    bound_chance: float  # no subset within the budget can do better than this
    budget_programs: int | None
    budget_usd: float | None

    @property
    def max_gap(self) -> float:
        return max(self.bound_chance - self.chance, 0.0)


def _weight(p: float, q: float) -> float:
    return -math.log1p(-q * p)


def _chance(w: float) -> float:
    return -math.expm1(-w)


def choose(
    candidates: list[Candidate],
    q: float,
    fees: FeeSchedule,
    *,
    budget_programs: int | None = None,
    budget_usd: float | None = None,
) -> Selection:
    if (budget_programs is None) == (budget_usd is None):
        raise ValueError("give exactly one budget: a number of programs or an amount in USD")
    by_spec: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        if c.p > 0.0:
            by_spec[c.specialty].append(c)
    for group in by_spec.values():
        group.sort(key=lambda c: -c.p)
    counts: dict[str, int] = defaultdict(int)
    picks: list[Pick] = []
    w_total = 0.0
    spent = 0.0
    bound_extra = 0.0
    # Heap of each specialty's next program by density (weight per marginal dollar; per program if by count).
    heap: list[tuple[float, int, str]] = []
    serial = 0

    def push(spec: str) -> None:
        nonlocal serial
        k = counts[spec]
        group = by_spec[spec]
        if k >= len(group):
            return
        w = _weight(group[k].p, q)
        cost = fees.marginal_fee(k + 1) if fees.per_specialty else fees.marginal_fee(len(picks) + 1)
        density = w / cost if budget_usd is not None else w
        heapq.heappush(heap, (-density, serial, spec))
        serial += 1

    for spec in by_spec:
        push(spec)
    blocked = False
    while heap:
        _, _, spec = heapq.heappop(heap)
        k = counts[spec]
        cand = by_spec[spec][k]
        w = _weight(cand.p, q)
        fee = fees.marginal_fee(k + 1) if fees.per_specialty else fees.marginal_fee(len(picks) + 1)
        if budget_programs is not None:
            if len(picks) >= budget_programs:
                break
        elif spent + fee > budget_usd + 1e-9:  # type: ignore[operator]
            if not blocked:
                bound_extra = w  # the fractional relaxation can add at most this one program's weight
                blocked = True
            continue  # fees within a specialty only rise: this specialty is done; others may still fit
        before = _chance(w_total)
        w_total += w
        spent += fee
        counts[spec] = k + 1
        after = _chance(w_total)
        picks.append(Pick(cand, fee, after, after - before))
        push(spec)
    # Bound: by count the greedy is exact; by money W* <= W(prefix before the first misfit) + w(misfit) <= W + w.
    bound = _chance(w_total + bound_extra) if budget_usd is not None else _chance(w_total)
    return Selection(picks, _chance(w_total), spent, bound, budget_programs, budget_usd)


def best_subset_exhaustive(
    candidates: list[Candidate],
    q: float,
    fees: FeeSchedule,
    *,
    budget_programs: int | None = None,
    budget_usd: float | None = None,
) -> tuple[float, tuple[int, ...]]:
    """The exact optimum by trying every subset (small instances only: a yardstick for tests)."""
    if len(candidates) > 20:
        raise ValueError("exhaustive search is for at most 20 candidates")
    best = (0.0, ())
    for size in range(1, len(candidates) + 1):
        if budget_programs is not None and size > budget_programs:
            break
        for subset in combinations(candidates, size):
            if budget_usd is not None and fees.total(c.specialty for c in subset) > budget_usd + 1e-9:
                continue
            chance = 1.0 - math.prod(1.0 - q * c.p for c in subset)
            if chance > best[0]:
                best = (chance, tuple(c.key for c in subset))
    return best
