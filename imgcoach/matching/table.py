"""Programs laid out column by column with everything per-program precomputed, for fast ranking.

Ranking 13,000 programs for one applicant must take well under 100 ms in plain Python, so the
per-program work at ranking time is a few comparisons and one exp(): the rest is done here once.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from statistics import median

from imgcoach.matching.params import ModelParams, default_params
from imgcoach.matching.schema import UNKNOWN, Program
from imgcoach.matching.vocab import REGION_OF

# Integer codes in the columns (cheap to compare in the hot loop).
U = -1  # unknown
NO_LIMIT = 1_000_000  # the program states there is no such limit


def _code(value: object, *, none: int = NO_LIMIT) -> int:
    if value is UNKNOWN:
        return U
    if value is None:
        return none
    return int(value)  # type: ignore[call-overload]


def _flag(value: object) -> int:
    if value is UNKNOWN:
        return U
    return 1 if value else 0


@dataclass(slots=True)
class ProgramTable:
    programs: list[Program]
    index: dict[str, int]
    specialty: list[str]
    state: list[str]
    region: list[str]
    program_type: list[str]  # "" if unknown
    positions: list[int]
    j1: list[int]
    h1b: list[int]
    img_term: list[float]  # model log-odds contribution of the IMG share (0 if unknown)
    typical: list[float]  # typical Step 2 CK; the specialty median of known values when unknown
    typical_known: list[bool]
    step2_min: list[int]  # U, NO_LIMIT->0 (no minimum) or the score
    yog: list[int]  # U, NO_LIMIT or years
    usce_req: list[float]  # -1.0 unknown
    hands_on_only: list[int]
    attempts: list[int]  # U, NO_LIMIT or count
    deadline: list[int]  # date ordinal or U
    unknown: list[tuple[str, ...]]
    params: ModelParams

    def __len__(self) -> int:
        return len(self.programs)


def build_table(programs: list[Program], params: ModelParams | None = None) -> ProgramTable:
    params = params or default_params()
    a = params.a
    by_specialty: dict[str, list[int]] = defaultdict(list)
    for p in programs:
        if p.step2_typical is not UNKNOWN:
            by_specialty[p.specialty].append(p.step2_typical)
    spec_median = {s: float(median(v)) for s, v in by_specialty.items()}
    overall = float(median([x for v in by_specialty.values() for x in v])) if by_specialty else 230.0

    def img_term(share: object) -> float:
        if share is UNKNOWN:
            return 0.0
        return a["img_share_weight"] * math.log((float(share) + 2) / (a["img_share_reference_pct"] + 2))  # type: ignore[arg-type]

    return ProgramTable(
        programs=programs,
        index={p.program_id: i for i, p in enumerate(programs)},
        specialty=[p.specialty for p in programs],
        state=[p.state for p in programs],
        region=[REGION_OF.get(p.state, "") for p in programs],
        program_type=["" if p.program_type is UNKNOWN else p.program_type for p in programs],
        positions=[_code(p.positions) for p in programs],
        j1=[_flag(p.visa_j1) for p in programs],
        h1b=[_flag(p.visa_h1b) for p in programs],
        img_term=[img_term(p.img_share_pct) for p in programs],
        typical=[
            float(p.step2_typical) if p.step2_typical is not UNKNOWN else spec_median.get(p.specialty, overall)
            for p in programs
        ],
        typical_known=[p.step2_typical is not UNKNOWN for p in programs],
        step2_min=[_code(p.step2_min, none=0) for p in programs],
        yog=[_code(p.yog_cutoff_years) for p in programs],
        usce_req=[-1.0 if p.usce_months_required is UNKNOWN else float(p.usce_months_required) for p in programs],
        hands_on_only=[_flag(p.usce_hands_on_only) for p in programs],
        attempts=[_code(p.attempts_allowed) for p in programs],
        deadline=[U if p.application_deadline is UNKNOWN else p.application_deadline.toordinal() for p in programs],
        unknown=[p.unknown_fields() for p in programs],
        params=params,
    )
