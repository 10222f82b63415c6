"""Rank every in-scope program for one applicant: eligibility verdict, interview probability, tier."""

from __future__ import annotations

import heapq
import math
from datetime import date
from typing import NamedTuple

from imgcoach.matching.anchors import Openness, anchors
from imgcoach.matching.bound import bound_rate, bound_shift
from imgcoach.matching.eligibility import EXCLUDED, Context, Verdict, check_all, in_scope
from imgcoach.matching.facts import ApplicantFacts, Standing
from imgcoach.matching.model import interview_logodds
from imgcoach.matching.shared import SharedFactor
from imgcoach.matching.table import ProgramTable


class Assessment(NamedTuple):
    """One program's assessment. A named tuple, not a frozen dataclass: ranking builds 13,000 of them and a
    tuple is built several times faster (the 100 ms ranking goal)."""

    index: int  # type: ignore[assignment]  # the program's row in the table (shadows tuple.index, unused here)
    verdict: Verdict
    probability: float  # chance of an interview invitation, averaged over the unmeasured standing (0 when excluded)
    logodds: float  # interview log-odds from the measured standing (-inf when excluded)
    tier: str | None  # None when excluded
    openness: Openness | None = None  # the specialty's openness to the applicant's group (None when excluded)


class Ranking(NamedTuple):
    table: ProgramTable
    standing: Standing
    kept: list[Assessment]  # eligible, conditional or uncertain; highest probability first
    excluded: list[Assessment]
    out_of_scope: int
    openness: dict[str, Openness] | None = None  # per specialty in scope, for the applicant's group

    def by_id(self, program_id: str) -> Assessment | None:
        i = self.table.index.get(program_id)
        if i is None:
            return None
        for a in self.kept:
            if a.index == i:
                return a
        for a in self.excluded:
            if a.index == i:
                return a
        return None


def rank(table: ProgramTable, facts: ApplicantFacts, today: date, *, include_planned: bool = True) -> Ranking:
    """One ranking serves every face: its reasons write days in ISO and keep them for a face's own words
    (`Reason.worded`)."""
    standing = facts.standing(include_planned=include_planned)
    ctx = Context.make(standing, today)
    scope = in_scope(table, facts.preferences)
    verdicts = check_all(table, scope, ctx)
    kept_idx = [i for i, v in zip(scope, verdicts, strict=True) if v.status != EXCLUDED]
    group = standing.facts.img_group
    anchor_data = anchors()
    openness: dict[str, Openness] = {}
    for i in kept_idx:
        spec = table.specialty[i]
        if spec not in openness:
            openness[spec] = anchor_data.openness(spec, group, table.params)
    # The specialty's shift (what its NRMP figures give the applicant's group) joins the measured log-odds.
    logodds = [x + openness[table.specialty[i]].point
               for i, x in zip(kept_idx, interview_logodds(table, standing, kept_idx), strict=True)]
    shared = table.params.shared()
    openness = _bounded(openness, table, kept_idx, logodds, shared)
    logodds = [x + openness[table.specialty[i]].bound_shift for i, x in zip(kept_idx, logodds, strict=True)]
    probability = shared.probability
    capacity = table.capacity
    a = table.params.a
    likely, target = a["tier_likely"], a["tier_target"]
    kept: list[Assessment] = []
    excluded: list[Assessment] = []
    # tuple.__new__ with every field given builds the same Assessment as Assessment(...) without the named
    # tuple's Python-level __new__: a third of the cost, 13,000 times per ranking.
    new, none, minus_inf = tuple.__new__, None, -math.inf
    specialty = table.specialty
    it = iter(logodds)
    for i, verdict in zip(scope, verdicts, strict=True):
        if verdict.status == EXCLUDED:
            excluded.append(new(Assessment, (i, verdict, 0.0, minus_inf, none, none)))
        else:
            x = next(it)
            p = probability(x)  # tiers as in model.tier, inlined for speed
            cap = capacity[i] if capacity else -1.0
            if 0.0 <= cap < p:  # the program's own interview rate last season bounds anyone's chance there
                p, x = cap, shared.logodds_for(cap)
            kept.append(new(Assessment, (i, verdict, p, x,
                                         "likely" if p >= likely else "target" if p >= target else "reach",
                                         openness[specialty[i]])))
    kept.sort(key=_minus_probability)
    return Ranking(table, standing, kept, excluded, len(table) - len(scope), openness)


def _minus_probability(a: Assessment) -> float:
    return -a.probability


def _bounded(openness: dict[str, Openness], table: ProgramTable, kept_idx: list[int], logodds: list[float],
             shared: SharedFactor) -> dict[str, Openness]:
    """Each specialty's openness with the selective-specialty bound (bound.py) for this applicant: the point,
    low and high shifts lowered where the applicant's best programs there would give more than the bound.
    The low and high scenarios move the specialty's programs by the openness range, as the list range does."""
    a = table.params.a
    n = int(a["bound_programs"])
    by_spec: dict[str, list[float]] = {}
    for i, x in zip(kept_idx, logodds, strict=True):
        by_spec.setdefault(table.specialty[i], []).append(x)
    out = dict(openness)
    for spec, xs in by_spec.items():
        o = openness[spec]
        limits = [bound_rate(r, o.national_rate, a, shared.ceiling) for r in (o.rate_point, o.rate_low, o.rate_high)]
        if all(limit is None for limit in limits):
            continue
        best = heapq.nlargest(n, xs)
        d_point = bound_shift(shared, best, limits[0])
        d_low = bound_shift(shared, [x + o.low - o.point for x in best], limits[1])
        d_high = bound_shift(shared, [x + o.high - o.point for x in best], limits[2])
        point, low, high = o.point + d_point, o.low + d_low, o.high + d_high
        out[spec] = o._replace(point=point, low=min(low, point), high=max(high, point), bound=limits[0],
                            bound_low=limits[1], bound_high=limits[2], bound_shift=d_point)
    return out
