"""The applicant-level shared component: what the profile does not measure is common to every program.

Outcomes at different programs are not independent. The same applicant interviews everywhere, writes the
same personal statement, has the same unrecorded red flags, and is ranked by programs that screen alike.
Treating programs as independent given the measured standing made the chance of a long list creep to
100%. Two parts, both declared as assumptions in data/calibration.toml (`[assumptions]`):

- unmeasured standing `u ~ Normal(0, sigma_u)` added to the interview log-odds at every program, with
  `sigma_u = spread * sqrt(unmeasured_variance_share)`: part of the calibration population's spread of
  standing is not in the profile. Integrated with 7-point Gauss-Hermite nodes (a small mixture).
- `season_failure` (pi): the chance that unmeasured applicant-level factors sink the whole season, however
  long the list. The model's ceiling is `1 - pi`.

    P(at least one match | S) = (1 - pi) * sum_k w_k * (1 - prod_{j in S} (1 - q * logistic(x_j + u_k)))

where x_j is program j's interview log-odds from the measured standing. Each term only grows as a program
is added or an x_j rises, so the list chance keeps both monotonicity guarantees.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

# Probabilists' Gauss-Hermite rule, 7 points: exact for E[f(Z)], Z ~ N(0, 1), f a polynomial of degree <= 13.
# Physicists' nodes times sqrt(2), weights divided by sqrt(pi) (tests check the moments).
_GH_NODES = (-3.750439717725742, -2.366759410734541, -1.154405394739968, 0.0,
             1.154405394739968, 2.366759410734541, 3.750439717725742)
_GH_WEIGHTS = (0.0005482688559722184, 0.030757123967586, 0.2401231786050127, 0.4571428571428571,
               0.2401231786050127, 0.030757123967586, 0.0005482688559722184)

# Interview probability averaged over u, tabulated on a grid of x (linear interpolation: error < 1e-5).
_X_MIN, _X_MAX, _STEP = -16.0, 16.0, 0.02


def logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


class SharedFactor(NamedTuple):
    """The latent applicant factor and the season-failure share, with the list-chance function."""

    nodes: tuple[float, ...]  # u_k (log-odds)
    weights: tuple[float, ...]  # w_k, summing to 1
    q: float  # chance an interview becomes the match (given the season is not sunk)
    season_failure: float  # pi
    table: tuple[float, ...]  # E_u[logistic(x + u)] on the x grid

    @property
    def ceiling(self) -> float:
        """No list, however long, gives more than this chance of matching."""
        return 1.0 - self.season_failure

    def probability(self, x: float) -> float:
        """The interview probability at a program with measured log-odds x, averaged over u."""
        pos = (x - _X_MIN) / _STEP
        if pos <= 0.0:
            return self.table[0]
        i = int(pos)
        if i >= len(self.table) - 1:
            return self.table[-1]
        frac = pos - i
        return self.table[i] + frac * (self.table[i + 1] - self.table[i])

    def logodds_for(self, p: float) -> float:
        """The measured log-odds whose averaged interview probability is p (inverse of `probability`)."""
        import bisect

        table = self.table
        if p <= table[0]:
            return _X_MIN
        i = bisect.bisect_left(table, p)
        if i >= len(table):
            return _X_MIN + (len(table) - 1) * _STEP
        lo, hi = table[i - 1], table[i]
        frac = 0.0 if hi == lo else (p - lo) / (hi - lo)
        return _X_MIN + (i - 1 + frac) * _STEP

    def exponents(self, x: float, factor: float = 1.0) -> tuple[float, ...]:
        """-log(1 - q c p(x + u_k)) per node: a program's contribution to the list, additive per node.

        `factor` (c, in (0, 1]) is the specialty's openness to the applicant's group
        (imgcoach/matching/anchors.py): it scales the chance that an interview there becomes the match."""
        q = self.q * factor
        return tuple(-math.log1p(-q * logistic(x + u)) for u in self.nodes)

    def chance_from_totals(self, totals: Sequence[float]) -> float:
        """List chance from the per-node sums of exponents."""
        miss = 0.0
        for w, t in zip(self.weights, totals, strict=True):
            miss += w * math.exp(-t)
        return self.ceiling * (1.0 - miss)

    def chance(self, logodds: Iterable[float], factors: Iterable[float] | None = None) -> float:
        totals = [0.0] * len(self.nodes)
        xs = list(logodds)
        cs = [1.0] * len(xs) if factors is None else list(factors)
        for x, c in zip(xs, cs, strict=True):
            for k, e in enumerate(self.exponents(x, c)):
                totals[k] += e
        return self.chance_from_totals(totals)

    def independent_chance(self, logodds: Iterable[float]) -> float:
        """The old, independent estimate (no shared component), for comparison in docs and tests only."""
        log_miss = sum(math.log1p(-self.q * logistic(x)) for x in logodds)
        return -math.expm1(log_miss)


# Each factor worked out in this process, by its arguments. A dict, not functools.cache: matching.kept keeps them
# in the database between processes (shared_values, add_shared_values), since the table is 11,000 logistic()
# calls that every first look after a write made again for the same three numbers (issue 17).
_SHARED: dict[tuple[float, float, float], SharedFactor] = {}


def shared_factor(sigma_u: float, q: float, season_failure: float) -> SharedFactor:
    key = (sigma_u, q, season_failure)
    found = _SHARED.get(key)
    if found is None:
        found = _SHARED[key] = _shared_factor(sigma_u, q, season_failure)
    return found


def shared_values() -> dict[tuple[float, float, float], tuple[Any, ...]]:
    """The factors worked out in this process, as plain values (by their arguments)."""
    return {key: (f.nodes, f.weights, f.q, f.season_failure, f.table) for key, f in _SHARED.items()}


def add_shared_values(values: dict[tuple[float, float, float], tuple[Any, ...]]) -> None:
    """Factors shared_values gave (in another process of this code): shared_factor returns them as they are."""
    built = {key: SharedFactor(*value) for key, value in values.items()}  # all or none (a TypeError adds none)
    for key, found in built.items():
        _SHARED.setdefault(key, found)


def _shared_factor(sigma_u: float, q: float, season_failure: float) -> SharedFactor:
    nodes = tuple(sigma_u * z for z in _GH_NODES)
    n = round((_X_MAX - _X_MIN) / _STEP) + 1
    grid = [_X_MIN + i * _STEP for i in range(n)]
    table = tuple(sum(w * logistic(x + u) for u, w in zip(nodes, _GH_WEIGHTS, strict=True)) for x in grid)
    return SharedFactor(nodes, _GH_WEIGHTS, q, season_failure, table)


def logit(p: float) -> float:
    """Inverse of logistic, clamped so p = 0 or 1 stay finite (for callers that only have a probability)."""
    p = min(max(p, 1e-12), 1.0 - 1e-12)
    return math.log(p / (1.0 - p))
