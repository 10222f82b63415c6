"""What-if comparisons: planned rotations vs completed only, and a different Step 2 CK score."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from imgcoach.core.words import counted
from imgcoach.matching.facts import ApplicantFacts
from imgcoach.matching.fees import FeeSchedule
from imgcoach.matching.present import chance_text
from imgcoach.matching.shortlist import Shortlist, build_shortlist
from imgcoach.matching.table import ProgramTable


@dataclass(frozen=True, slots=True)
class Scenario:
    label: str
    eligible_count: int
    chance: float
    total_fee_usd: float

    @classmethod
    def of(cls, label: str, shortlist: Shortlist) -> Scenario:
        return cls(label, shortlist.eligible_count, shortlist.chance, shortlist.total_fee_usd)


@dataclass(frozen=True, slots=True)
class WhatIf:
    base: Scenario
    alternative: Scenario
    newly_eligible: tuple[str, ...]  # program ids kept in the alternative but excluded in the base
    no_longer_eligible: tuple[str, ...]

    @property
    def eligible_delta(self) -> int:
        return self.alternative.eligible_count - self.base.eligible_count

    @property
    def chance_delta(self) -> float:
        return self.alternative.chance - self.base.chance

    @property
    def shown_points_delta(self) -> int:
        """The difference of the two chances as they are shown (whole percents): the unrounded difference said
        "+2 points" beside 84% and 85%."""
        return _shown_points(self.alternative.chance) - _shown_points(self.base.chance)

    def summary(self) -> str:
        return (f"{self.alternative.label}: {counted(self.alternative.eligible_count, 'eligible program')} "
                f"({self.eligible_delta:+d}) and an estimated chance of matching of {chance_text(self.alternative.chance)} "
                f"({self.shown_points_delta:+d} points) versus {self.base.label}: {chance_text(self.base.chance)}")

    def to_dict(self) -> dict[str, Any]:
        def scenario(s: Scenario) -> dict[str, Any]:
            return {"label": s.label, "eligible": s.eligible_count, "chance_of_at_least_one_match": round(s.chance, 4),
                    "total_fee_usd": s.total_fee_usd}

        return {"base": scenario(self.base), "alternative": scenario(self.alternative),
                "eligible_delta": self.eligible_delta, "chance_delta": round(self.chance_delta, 4),
                "newly_eligible": list(self.newly_eligible), "no_longer_eligible": list(self.no_longer_eligible),
                "summary": self.summary()}


def _shown_points(chance: float) -> int:
    """A chance in whole percent points as present.pct rounds it (below 1% it is shown as <1%: 0 points)."""
    return int(f"{chance * 100:.0f}") if chance >= 0.005 else 0


def _kept_ids(shortlist: Shortlist) -> set[str]:
    table = shortlist.ranking.table
    return {table.program_ids[a.index] for a in shortlist.ranking.kept}


def _compare(base_label: str, base: Shortlist, alt_label: str, alt: Shortlist) -> WhatIf:
    base_ids, alt_ids = _kept_ids(base), _kept_ids(alt)
    return WhatIf(Scenario.of(base_label, base), Scenario.of(alt_label, alt),
                  tuple(sorted(alt_ids - base_ids)), tuple(sorted(base_ids - alt_ids)))


def planned_vs_completed(table: ProgramTable, facts: ApplicantFacts, today: date, fees: FeeSchedule,
                         **budget: Any) -> WhatIf:
    """Base: completed rotations only. Alternative: with the rotations (and letters) planned."""
    completed = build_shortlist(table, facts, today, fees, include_planned=False, **budget)
    planned = build_shortlist(table, facts, today, fees, include_planned=True, **budget)
    return _compare("with completed rotations only", completed, "with the rotations you have planned", planned)


def with_step2(table: ProgramTable, facts: ApplicantFacts, today: date, fees: FeeSchedule, score: int,
               *, include_planned: bool = True, **budget: Any) -> WhatIf:
    """Base: the applicant as entered. Alternative: the same with Step 2 CK = score."""
    base = build_shortlist(table, facts, today, fees, include_planned=include_planned, **budget)
    alt = build_shortlist(table, replace(facts, step2_score=score), today, fees, include_planned=include_planned,
                          **budget)
    current = "no score" if facts.step2_score is None else str(facts.step2_score)
    return _compare(f"your Step 2 CK as entered ({current})", base, f"if your Step 2 CK were {score}", alt)
