"""The selective-specialty bound: a profile's chance in a specialty held near what the specialty gives its group.

The per-specialty shift (anchors.py) makes the *calibration population* (national IMGs applying to 60
programs) match at the group's implied rate in the specialty. A profile well above that population then
gets far more: a non-U.S. IMG with Step 2 CK 268 and 6 months of hands-on U.S. experience was shown about
65% in ophthalmology, whose international registrants matched at 10-20% (SF Match 2013-2018). In a
specialty that gives the group little, the group's applicants are a selected, stronger group than the
national applicants the model measures standing against, so the profile's advantage over the national
population overstates its advantage there. The bound (an assumption, [assumptions] in calibration.toml):

    odds(chance from the applicant's best N programs of the specialty) <= M(c) * odds(group's rate there)
    M(c) = bound_odds_ratio ** (1 / (1 - c ** bound_exponent)),  c = group's rate there / its national rate

M is 4 where the specialty gives the group almost nothing and grows smoothly without limit as c reaches 1
(a specialty as open as the Match as a whole, where the national fit already describes the group's
applicants). Where the bound binds, one further log-odds shift (<= 0) on every program of the specialty
holds the best-N chance at the bound; a shift common to the specialty keeps the ranking's and the
optimiser's guarantees (monotone, top-k optimal, submodular).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from imgcoach.matching.shared import SharedFactor


def odds_margin(rate: float, national_rate: float, assumptions: dict[str, float]) -> float | None:
    """M(c) for a group rate in a specialty, or None where no bound applies (the specialty is as open as
    the Match as a whole)."""
    if national_rate <= 0.0 or rate >= national_rate:
        return None
    c = max(rate, 0.0) / national_rate
    exponent = 1.0 / (1.0 - c ** assumptions["bound_exponent"])
    if exponent * math.log(assumptions["bound_odds_ratio"]) > 30.0:
        return None
    return float(assumptions["bound_odds_ratio"] ** exponent)


def bound_rate(rate: float, national_rate: float, assumptions: dict[str, float], ceiling: float) -> float | None:
    """The highest chance the bound allows from the best N programs of the specialty, or None (no bound)."""
    margin = odds_margin(rate, national_rate, assumptions)
    if margin is None or rate <= 0.0:
        return None if margin is None else 0.0
    odds = margin * rate / (1.0 - rate)
    limit = odds / (1.0 + odds)
    return None if limit >= ceiling else limit


def _chance_and_slope(shared: SharedFactor, best: Sequence[float], d: float) -> tuple[float, float]:
    """The list chance of `best` shifted by d (SharedFactor.chance, inlined) and its derivative in d."""
    q = shared.q
    miss = slope = 0.0
    exp, log1p = math.exp, math.log1p
    for u, w in zip(shared.nodes, shared.weights, strict=True):
        total = grad = 0.0
        shift = d + u
        for x in best:
            z = x + shift
            p = 1.0 / (1.0 + exp(-z)) if z > -700.0 else 0.0
            qp = q * p
            total -= log1p(-qp)
            grad += qp * (1.0 - p) / (1.0 - qp)
        m = w * exp(-total)
        miss += m
        slope += m * grad
    return shared.ceiling * (1.0 - miss), shared.ceiling * slope


def bound_shift(shared: SharedFactor, best: Sequence[float], limit: float | None) -> float:
    """The log-odds shift d <= 0 for which the list `best` (the applicant's best programs of the specialty)
    has exactly `limit` chance, or 0 when it already has no more. Newton steps kept inside a shrinking
    bracket (bisection when a step would leave it); the chance rises with d, so the bracket always holds the
    root. Returns the root to 1e-12 in chance, or else the bracket's low side (at or below the limit)."""
    if limit is None or not best:
        return 0.0
    chance, slope = _chance_and_slope(shared, best, 0.0)
    if chance <= limit:
        return 0.0
    lo, hi = -30.0, 0.0  # chance(lo) <= limit < chance(hi)
    d = 0.0
    for _ in range(100):
        step = d - (chance - limit) / slope if slope > 0.0 else (lo + hi) / 2
        d = step if lo < step < hi else (lo + hi) / 2
        chance, slope = _chance_and_slope(shared, best, d)
        if chance > limit:
            hi = d
        else:
            lo = d
        if abs(chance - limit) < 1e-12:
            return d  # at the limit (to 1e-12)
        if hi - lo < 1e-9:
            break
    return lo
