"""Reproduce the cited calibration figures from the model, and fit its parameters to them.

The calibration population: applicants of one group whose standing z is normal (mean 0, s.d. `spread`
in log-odds), each applying to `applications` reference programs. Interviews N ~ Binomial(A, p(z)),
p(z) = logistic(alpha + group offset + spread * z); unless the season is sunk by unmeasured factors
(`season_failure`, an assumption), the match follows each interview with chance q. NRMP match rates count
only active applicants (rank list certified), i.e. N >= 1. The split of `spread` into measured and
unmeasured standing (imgcoach/matching/shared.py) does not enter here: the figures identify the total.

Run `python -m imgcoach.matching.calibrate --write` (or this module) to refit and store the parameters.
"""

from __future__ import annotations

import math
from typing import Any

from imgcoach.matching.params import ModelParams

_GRID = [-6.0 + 12.0 * i / 240 for i in range(241)]
_WEIGHTS_RAW = [math.exp(-z * z / 2) for z in _GRID]
_WEIGHTS = [w / sum(_WEIGHTS_RAW) for w in _WEIGHTS_RAW]


def _binomial(n: int, p: float) -> list[float]:
    if p <= 0.0:
        return [1.0] + [0.0] * n
    if p >= 1.0:
        return [0.0] * n + [1.0]
    lp, lq, lg = math.log(p), math.log1p(-p), math.lgamma(n + 1)
    return [math.exp(lg - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * lp + (n - k) * lq) for k in range(n + 1)]


def interview_distribution(params: ModelParams, group: str, applications: int) -> list[float]:
    """P(N = k) for k = 0..applications over the calibration population of `group`."""
    dist = [0.0] * (applications + 1)
    base = params.alpha + params.group_offset(group)
    for z, w in zip(_GRID, _WEIGHTS, strict=True):
        p = 1.0 / (1.0 + math.exp(-(base + params.spread * z)))
        for k, v in enumerate(_binomial(applications, p)):
            dist[k] += w * v
    return dist


def _split(params: ModelParams, group: str, applications: int) -> tuple[list[float], list[float]]:
    dist = interview_distribution(params, group, applications)
    alive = 1.0 - params.season_failure  # the season is not sunk by unmeasured factors
    matched = [d * alive * (1.0 - (1.0 - params.q) ** k) for k, d in enumerate(dist)]
    unmatched = [d - m for d, m in zip(dist, matched, strict=True)]
    return matched, unmatched


def match_rate_active(params: ModelParams, group: str, applications: int) -> float:
    matched, unmatched = _split(params, group, applications)
    return sum(matched[1:]) / (sum(matched[1:]) + sum(unmatched[1:]))


def _median(dist: list[float], *, smooth: bool) -> float:
    """Median of N among active applicants (N >= 1). Smooth: interpolated, rounds to the integer median."""
    total = sum(dist[1:])
    cumulative = 0.0
    for k in range(1, len(dist)):
        if cumulative + dist[k] >= total / 2:
            if not smooth:
                return float(k)
            return k - 0.5 + (total / 2 - cumulative) / dist[k]
        cumulative += dist[k]
    return float(len(dist) - 1)


def median_interviews(params: ModelParams, group: str, applications: int, *, matched: bool,
                      smooth: bool = False) -> float:
    m, u = _split(params, group, applications)
    return _median(m if matched else u, smooth=smooth)


def reproduce(figure: dict[str, Any], params: ModelParams, *, smooth: bool = False) -> float:
    """The model's value for a cited figure, computed on that figure's own inputs."""
    kind, apps = figure["kind"], int(figure.get("applications", 60))
    if kind == "match_rate_active":
        return match_rate_active(params, figure["group"], apps)
    if kind == "match_rate_active_mix":
        mix = figure["mix"]
        total = sum(mix.values())
        return sum(match_rate_active(params, g, apps) * n / total for g, n in mix.items())
    if kind == "median_interviews_matched":
        return median_interviews(params, figure["group"], apps, matched=True, smooth=smooth)
    if kind == "median_interviews_unmatched":
        return median_interviews(params, figure["group"], apps, matched=False, smooth=smooth)
    raise ValueError(f"figure {figure.get('id')} of kind {kind!r} is not reproducible")


def within_tolerance(figure: dict[str, Any], model_value: float) -> bool:
    if "tolerance_pp" in figure:
        return abs(model_value - float(figure["value"])) * 100 <= float(figure["tolerance_pp"])
    return abs(model_value - float(figure["value"])) <= float(figure.get("tolerance", 0))


def _nelder_mead(f: Any, x0: list[float], step: list[float], iters: int = 400) -> list[float]:
    n = len(x0)
    simplex = [list(x0)] + [[x0[j] + (step[j] if j == i else 0.0) for j in range(n)] for i in range(n)]
    values = [f(x) for x in simplex]
    for _ in range(iters):
        order = sorted(range(n + 1), key=values.__getitem__)
        simplex, values = [simplex[i] for i in order], [values[i] for i in order]
        centroid = [sum(x[j] for x in simplex[:-1]) / n for j in range(n)]
        worst = simplex[-1]
        reflected = [c + (c - w) for c, w in zip(centroid, worst, strict=True)]
        fr = f(reflected)
        if fr < values[0]:
            expanded = [c + 2 * (c - w) for c, w in zip(centroid, worst, strict=True)]
            fe = f(expanded)
            simplex[-1], values[-1] = (expanded, fe) if fe < fr else (reflected, fr)
        elif fr < values[-2]:
            simplex[-1], values[-1] = reflected, fr
        else:
            contracted = [c + 0.5 * (w - c) for c, w in zip(centroid, worst, strict=True)]
            fc = f(contracted)
            if fc < values[-1]:
                simplex[-1], values[-1] = contracted, fc
            else:
                best = simplex[0]
                simplex = [best] + [[b + 0.5 * (x - b) for b, x in zip(best, s, strict=True)] for s in simplex[1:]]
                values = [values[0]] + [f(s) for s in simplex[1:]]
    return simplex[min(range(n + 1), key=values.__getitem__)]


def fit(data: dict[str, Any], start: ModelParams) -> ModelParams:
    """Fit alpha, spread, q to the non-U.S. IMG 'fit' figures, then the U.S. IMG offset to its rate."""
    figures = [f for f in data["figure"] if f.get("use") == "fit"]
    core = [f for f in figures if f.get("group") == "non_us_img"]
    us = [f for f in figures if f.get("group") == "us_img"]

    def loss(x: list[float]) -> float:
        alpha, spread, q = x
        if spread <= 0.05 or not 0.01 < q < 0.99:
            return 1e9
        params = start._replace(alpha=alpha, spread=spread, q=q)
        total = 0.0
        for figure in core:
            value = reproduce(figure, params, smooth=True)
            scale = 100.0 if "tolerance_pp" in figure else 1.0
            total += ((value - float(figure["value"])) * scale) ** 2
        return total

    alpha, spread, q = _nelder_mead(loss, [start.alpha, start.spread, start.q], [0.5, 0.3, 0.05])
    params = start._replace(alpha=alpha, spread=spread, q=q)
    if us:
        target = float(us[0]["value"])
        lo, hi = -3.0, 3.0
        for _ in range(60):
            mid = (lo + hi) / 2
            if reproduce(us[0], params._replace(us_img_offset=mid)) < target:
                lo = mid
            else:
                hi = mid
        params = params._replace(us_img_offset=(lo + hi) / 2)
    return params


def specialty_match_rate(params: ModelParams, group: str, applications: int, shift: float, factor: float,
                         *, active_only: bool = False) -> float:
    """Match rate of active applicants of the calibration population applying to `applications` programs of
    one specialty whose programs sit `shift` log-odds from the reference (the specialty's IMG-share term)
    and whose interviews become the match with q * factor. Closed form: with independent programs,
    P(no match | z) = (1 - q c p(z))^A and P(active | z) = 1 - (1 - p(z))^A.

    By default over everyone who applies (NRMP's *position* shares say nothing about who got no
    interview); `active_only` conditions on at least one interview like NRMP's match rates."""
    base = params.alpha + params.group_offset(group) + shift
    alive = 1.0 - params.season_failure
    qc = params.q * factor
    num = den = 0.0
    for z, w in zip(_GRID, _WEIGHTS, strict=True):
        p = 1.0 / (1.0 + math.exp(-(base + params.spread * z)))
        active = -math.expm1(applications * math.log1p(-p)) if p < 1.0 else 1.0
        matched = -math.expm1(applications * math.log1p(-qc * p))
        num += w * alive * matched
        den += w * active
    if not active_only:
        return num
    return num / den if den > 0 else 0.0


def fit_specialty_shift(params: ModelParams, group: str, target_rate: float, shift: float,
                        applications: int = 60) -> float:
    """The log-odds shift d <= 0 on every interview in the specialty for which the calibration population
    (applying to `applications` programs at the specialty's IMG-share term `shift`) matches at `target_rate`
    (0 when it already does not exceed it: the model then adds no specialty penalty)."""
    if specialty_match_rate(params, group, applications, shift, 1.0) <= target_rate:
        return 0.0
    lo, hi = -20.0, 0.0
    for _ in range(50):
        mid = (lo + hi) / 2
        if specialty_match_rate(params, group, applications, shift + mid, 1.0) < target_rate:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2
