"""Choose the programs to apply to under a budget (programs or dollars) maximising the match chance.

The list chance F(S) = (1 - pi) * sum_k w_k (1 - exp(-W_k(S))), W_k(S) = sum_{j in S} e_jk, with
e_jk = -log(1 - q p_j(u_k)) (imgcoach/matching/shared.py). Every e_jk rises with the program's measured
log-odds x_j, so:
- a program can always be swapped for one with a higher x_j at the same fee without lowering F: the best
  list takes each specialty's programs best first (a prefix);
- budget in programs: the top-k by x_j is exactly optimal (it dominates any other k programs term by term)
  when every program has the same specialty openness factor c (anchors.py; it scales q per specialty);
  when the factors differ, the same lazy greedy as for dollars runs with one unit per program, and the
  tangent bound certifies it;
- budget in dollars (per-specialty tiered fees): lazy greedy on marginal gain per marginal dollar over the
  specialties' next programs (F is monotone submodular: a mixture of concave functions of sums). We certify
  it with the tangent bound: 1 - exp(-y) is concave, so for any list T,
      F(T) <= F(S) + sum_{j in T} g_j - sum_{j in S} g_j,   g_j = (1 - pi) sum_k w_k exp(-W_k(S)) e_jk,
  and the best sum of g_j within the budget is bounded by its fractional-knapsack relaxation (g falls and
  fees rise within a specialty, so that relaxation is solved greedily). A system's base fee (SF Match's $60 for
  its first 10 programs) is paid with a specialty's first program, so the real fees there go 60, 0, ..., 0, 10:
  the greedy ranks by the fee with the base spread over the programs it covers, and the bound prices with it
  too (never above what a list really pays, so the bound stays one). A fixed entry cost defeats a greedy (it
  may pay $60 for one program where $60 of ERAS programs would do better), so the greedy also runs without each
  combination of base-fee specialties and the best list is kept. The run reports the bound.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable
from itertools import combinations
from typing import NamedTuple

from imgcoach.matching.fees import FeeSchedule
from imgcoach.matching.shared import SharedFactor

_FREE = 1e-6  # the dollar cost used for a program whose marginal fee is 0, so its density stays finite


class Candidate(NamedTuple):
    key: int  # program index
    specialty: str
    logodds: float  # interview log-odds from the measured standing
    factor: float = 1.0  # the specialty's openness to the applicant's group (anchors.py): scales q


class Pick(NamedTuple):
    candidate: Candidate
    fee_usd: float  # marginal fee paid for this program
    chance_after: float  # list chance once this program is added
    gain: float  # marginal gain in match chance from adding it


class Selection(NamedTuple):
    picks: list[Pick]  # in the order added
    chance: float
    total_fee_usd: float
    bound_chance: float  # no list within the budget can do better than this
    budget_programs: int | None
    budget_usd: float | None
    beyond: list[Pick]  # the optimiser's next picks past the budget (`extend`): no default, a tuple's is shared

    @property
    def max_gap(self) -> float:
        return max(self.bound_chance - self.chance, 0.0)


class _State:
    """The per-node sums W_k of the list built so far, and the marginal gain of one more program."""

    def __init__(self, shared: SharedFactor) -> None:
        self.shared = shared
        self.totals = [0.0] * len(shared.nodes)
        self.alive = shared.ceiling
        self.cache: dict[int, tuple[float, ...]] = {}

    def exponents(self, c: Candidate) -> tuple[float, ...]:
        e = self.cache.get(c.key)
        if e is None:
            e = self.cache[c.key] = self.shared.exponents(c.logodds, c.factor)
        return e

    def chance(self) -> float:
        return self.shared.chance_from_totals(self.totals)

    def gain(self, c: Candidate) -> float:
        total = 0.0
        for w, t, e in zip(self.shared.weights, self.totals, self.exponents(c), strict=True):
            total += w * math.exp(-t) * -math.expm1(-e)
        return self.alive * total

    def tangent(self, c: Candidate) -> float:
        """g_j: the program's slope in the tangent bound at the current list."""
        total = 0.0
        for w, t, e in zip(self.shared.weights, self.totals, self.exponents(c), strict=True):
            total += w * math.exp(-t) * e
        return self.alive * total

    def add(self, c: Candidate) -> None:
        for k, e in enumerate(self.exponents(c)):
            self.totals[k] += e


def choose(
    candidates: list[Candidate],
    shared: SharedFactor,
    fees: FeeSchedule,
    *,
    budget_programs: int | None = None,
    budget_usd: float | None = None,
    extend: float = 0.0,
) -> Selection:
    """The best list under the budget; with `extend` > 0, also the next picks up to (1 + extend) x the budget."""
    if (budget_programs is None) == (budget_usd is None):
        raise ValueError("give exactly one budget: a number of programs or an amount in USD")
    by_spec: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        if c.logodds > -math.inf:
            by_spec[c.specialty].append(c)
    for group in by_spec.values():
        group.sort(key=lambda c: -c.logodds)
    state = _State(shared)
    if budget_programs is not None:
        if len({c.factor for group in by_spec.values() for c in group}) > 1:
            return _by_money(by_spec, state, fees, float(budget_programs), unit_cost=True, extend=extend)
        return _by_count(by_spec, state, fees, budget_programs, extend)
    with_base = [spec for spec in by_spec if fees.per_specialty and fees.base_fee_of(spec) is not None]
    best: Selection | None = None
    for r in range(len(with_base) + 1):  # one such specialty today (ophthalmology): two runs
        for skip in combinations(with_base, r):
            run = _by_money(by_spec, _State(shared), fees, float(budget_usd), extend=extend,  # type: ignore[arg-type]
                            skip=frozenset(skip))
            if best is None or run.chance > best.chance + 1e-15:
                best = run
    assert best is not None
    return best


def _limit_beyond(budget: float, extend: float, *, whole: bool) -> float:
    """Where the picks past the budget stop: (1 + extend) x the budget, whole programs rounded up."""
    limit = budget * (1.0 + extend)
    return float(math.ceil(limit - 1e-9)) if whole else limit


def _fee_of(fees: FeeSchedule, counts: dict[str, int], total: int) -> Callable[[str], float]:
    def fee(spec: str) -> float:
        return fees.marginal_fee_for(spec, counts[spec] + 1) if fees.per_specialty else fees.marginal_fee(total + 1)
    return fee


def _by_count(by_spec: dict[str, list[Candidate]], state: _State, fees: FeeSchedule, budget: int,
              extend: float = 0.0) -> Selection:
    """Top-k by measured log-odds: exactly optimal (see the module docstring). The picks past the budget are the
    next ones in the same order, so each prefix of the extended list is that larger budget's own best list."""
    stop = int(_limit_beyond(budget, extend, whole=True)) if extend > 0 else budget
    ranked = sorted((c for group in by_spec.values() for c in group), key=lambda c: -c.logodds)[:stop]
    counts: dict[str, int] = defaultdict(int)
    picks: list[Pick] = []
    spent = 0.0
    before = 0.0
    for c in ranked:
        fee = (fees.marginal_fee_for(c.specialty, counts[c.specialty] + 1) if fees.per_specialty
               else fees.marginal_fee(len(picks) + 1))
        counts[c.specialty] += 1
        state.add(c)
        after = state.chance()
        picks.append(Pick(c, fee, after, after - before))
        spent += fee if len(picks) <= budget else 0.0
        before = after
    inside = picks[:budget]
    chance = inside[-1].chance_after if inside else 0.0
    return Selection(inside, chance, spent, chance, budget, None, picks[budget:])


def _by_money(by_spec: dict[str, list[Candidate]], state: _State, fees: FeeSchedule, budget: float, *,
              unit_cost: bool = False, extend: float = 0.0, skip: frozenset[str] = frozenset()) -> Selection:
    """Lazy greedy per marginal dollar (or per program with `unit_cost`: a budget in programs when the
    specialties' openness factors differ, so the top-k by log-odds is no longer exactly optimal). With `extend`,
    the greedy goes on past the budget once the budget's list and bound are final (`Selection.beyond`)."""
    counts: dict[str, int] = defaultdict(int)
    picks: list[Pick] = []
    spent = 0.0
    chosen: list[Candidate] = []
    # Lazy greedy: each specialty's next program, keyed by a (possibly stale, hence optimistic) density.
    # (-density, the program's row, serial, specialty). Its row breaks a tie in density (the table is in program
    # id order): the serial alone followed which specialty's better program was picked first, so an edit of a
    # third program swapped two tied programs and "since you last looked" said one entered and one left.
    heap: list[tuple[float, int, int, str]] = []
    serial = 0

    def real_fee(spec: str) -> float:
        return (fees.marginal_fee_for(spec, counts[spec] + 1) if fees.per_specialty
                else fees.marginal_fee(len(picks) + 1))

    def cost(spec: str) -> float:
        return 1.0 if unit_cost else real_fee(spec)

    def rank_cost(spec: str) -> float:
        # the base fee spread over the programs it covers: the first one carries all of it (60, 0, ..., 0), and
        # ranking by that would shun a specialty whose 10 programs cost $6 each
        if unit_cost:
            return 1.0
        if not fees.per_specialty:
            return real_fee(spec)
        return fees.amortized_fee_for(spec, counts[spec] + 1, len(by_spec[spec]))

    def density(spec: str) -> float:
        return state.gain(by_spec[spec][counts[spec]]) / max(rank_cost(spec), _FREE)

    def push(spec: str, value: float) -> None:
        nonlocal serial
        heapq.heappush(heap, (-value, by_spec[spec][counts[spec]].key, serial, spec))
        serial += 1

    before = 0.0

    def greedy(limit: float, out: list[Pick], skip: frozenset[str]) -> None:
        nonlocal before, spent
        heap.clear()
        for spec in by_spec:
            if spec not in skip and counts[spec] < len(by_spec[spec]):
                push(spec, density(spec))
        while heap:
            stale, row, _, spec = heapq.heappop(heap)
            fresh = density(spec)
            # gains only shrink as the list grows: re-queue with the true value; one now equal to the next entry's
            # goes after it when that program's row comes first (a stale entry must not win a tie it only led)
            if heap and (fresh < -heap[0][0] - 1e-15 or (fresh == -heap[0][0] and heap[0][1] < row)):
                push(spec, fresh)
                continue
            k = counts[spec]
            cand = by_spec[spec][k]
            fee, step = real_fee(spec), cost(spec)
            if spent + step > limit + 1e-9:
                # fees only rise within a specialty (and overall) once its first program, base fee included, is
                # paid; if that first one does not fit, none of the specialty can: this specialty is done
                continue
            state.add(cand)
            after = state.chance()
            out.append(Pick(cand, fee, after, after - before))
            before = after
            spent += step
            counts[spec] = k + 1
            if counts[spec] < len(by_spec[spec]):
                push(spec, density(spec))

    greedy(budget, picks, skip)
    chosen.extend(p.candidate for p in picks)
    if unit_cost:
        total_fee = sum(p.fee_usd for p in picks)
        bound = min(before + _tangent_bound(by_spec, state, fees, budget, chosen, unit_cost=True),
                    state.shared.ceiling)
        selection = Selection(picks, before, total_fee, max(bound, before), int(budget), None, [])
    else:
        bound = min(before + _tangent_bound(by_spec, state, fees, budget, chosen), state.shared.ceiling)
        selection = Selection(picks, before, spent, max(bound, before), None, budget, [])
    if extend > 0:  # after the budget's figures are final: they cannot depend on what comes next
        greedy(_limit_beyond(budget, extend, whole=unit_cost), selection.beyond, frozenset())
    return selection


def _tangent_bound(by_spec: dict[str, list[Candidate]], state: _State, fees: FeeSchedule, budget: float,
                   chosen: list[Candidate], *, unit_cost: bool = False) -> float:
    """max_T sum_{j in T} g_j (fractional knapsack) - sum_{j in S} g_j: the most any list could add."""
    counts: dict[str, int] = defaultdict(int)
    heap: list[tuple[float, int, str, float]] = []
    taken = 0

    def push(spec: str) -> None:
        k = counts[spec]
        if k < len(by_spec[spec]):
            g = state.tangent(by_spec[spec][k])
            # Per-specialty fees: best g per dollar. One schedule for all: the next fee is the same whoever
            # comes next, so the best g first.
            key = (g / max(fees.amortized_fee_for(spec, k + 1, len(by_spec[spec])), _FREE)
                   if fees.per_specialty and not unit_cost else g)
            heapq.heappush(heap, (-key, k, spec, g))

    for spec in by_spec:
        push(spec)
    left = budget
    value = 0.0
    while heap and left > 1e-12:
        _, k, spec, g = heapq.heappop(heap)
        fee = (1.0 if unit_cost else fees.amortized_fee_for(spec, k + 1, len(by_spec[spec])) if fees.per_specialty
               else fees.marginal_fee(taken + 1))
        share = min(1.0, left / fee) if fee > 0 else 1.0
        value += share * g
        left -= share * fee
        counts[spec] = k + 1
        taken += 1
        push(spec)
    return max(value - sum(state.tangent(c) for c in chosen), 0.0)


def best_subset_exhaustive(
    candidates: list[Candidate],
    shared: SharedFactor,
    fees: FeeSchedule,
    *,
    budget_programs: int | None = None,
    budget_usd: float | None = None,
) -> tuple[float, tuple[int, ...]]:
    """The exact optimum by trying every subset (small instances only: a yardstick for tests)."""
    if len(candidates) > 20:
        raise ValueError("exhaustive search is for at most 20 candidates")
    best: tuple[float, tuple[int, ...]] = (0.0, ())
    for size in range(1, len(candidates) + 1):
        if budget_programs is not None and size > budget_programs:
            break
        for subset in combinations(candidates, size):
            if budget_usd is not None and fees.total(c.specialty for c in subset) > budget_usd + 1e-9:
                continue
            chance = shared.chance([c.logodds for c in subset], [c.factor for c in subset])
            if chance > best[0]:
                best = (chance, tuple(c.key for c in subset))
    return best
