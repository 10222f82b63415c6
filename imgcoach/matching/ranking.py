"""Rank every in-scope program for one applicant: eligibility verdict, interview probability, tier."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from imgcoach.matching.anchors import Openness, anchors
from imgcoach.matching.eligibility import EXCLUDED, Context, Verdict, check, in_scope
from imgcoach.matching.facts import ApplicantFacts, Standing
from imgcoach.matching.model import interview_logodds
from imgcoach.matching.table import ProgramTable


@dataclass(frozen=True, slots=True)
class Assessment:
    index: int
    verdict: Verdict
    probability: float  # chance of an interview invitation, averaged over the unmeasured standing (0 when excluded)
    logodds: float  # interview log-odds from the measured standing (-inf when excluded)
    tier: str | None  # None when excluded
    openness: Openness | None = None  # the specialty's openness to the applicant's group (None when excluded)


@dataclass(frozen=True, slots=True)
class Ranking:
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
    standing = facts.standing(include_planned=include_planned)
    ctx = Context.make(standing, today)
    scope = in_scope(table, facts.preferences)
    verdicts = [check(table, i, ctx) for i in scope]
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
    probability = shared.probability
    capacity = table.capacity
    a = table.params.a
    likely, target = a["tier_likely"], a["tier_target"]
    kept: list[Assessment] = []
    excluded: list[Assessment] = []
    it = iter(logodds)
    for i, verdict in zip(scope, verdicts, strict=True):
        if verdict.status == EXCLUDED:
            excluded.append(Assessment(i, verdict, 0.0, -math.inf, None))
        else:
            x = next(it)
            p = probability(x)  # tiers as in model.tier, inlined for speed
            cap = capacity[i] if capacity else -1.0
            if 0.0 <= cap < p:  # the program's own interview rate last season bounds anyone's chance there
                p, x = cap, shared.logodds_for(cap)
            o = openness[table.specialty[i]]
            kept.append(Assessment(i, verdict, p, x,
                                   "likely" if p >= likely else "target" if p >= target else "reach", o))
    kept.sort(key=lambda x: -x.probability)
    return Ranking(table, standing, kept, excluded, len(table) - len(scope), openness)
