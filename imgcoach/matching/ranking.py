"""Rank every in-scope program for one applicant: eligibility verdict, interview probability, tier."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

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


@dataclass(frozen=True, slots=True)
class Ranking:
    table: ProgramTable
    standing: Standing
    kept: list[Assessment]  # eligible, conditional or uncertain; highest probability first
    excluded: list[Assessment]
    out_of_scope: int

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
    logodds = interview_logodds(table, standing, kept_idx)
    probability = table.params.shared().probability
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
            kept.append(Assessment(i, verdict, p, x,
                                   "likely" if p >= likely else "target" if p >= target else "reach"))
    kept.sort(key=lambda x: -x.probability)
    return Ranking(table, standing, kept, excluded, len(table) - len(scope))
