"""Programs laid out column by column with everything per-program precomputed, for fast ranking.

Ranking 13,000 programs for one applicant must take well under 100 ms in plain Python, so the
per-program work at ranking time is a few comparisons and one exp(): the rest is done here once.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from imgcoach.matching.anchors import anchors
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
    # Program objects are read for the rows shown (names, provenance, explanations); the ranking reads the columns.
    # A table restored from its kept columns (matching.kept) builds each on first use.
    programs: Sequence[Program]
    index: dict[str, int]
    specialty: list[str]
    state: list[str]
    region: list[str]
    program_type: list[str]  # "" if unknown
    positions: list[int]
    j1: list[int]
    h1b: list[int]
    img_term: list[float]  # model log-odds contribution of the IMG share (program's, else its specialty's)
    img_term_low: list[float]  # the same at the low end of the range when the program's share is unknown
    img_term_high: list[float]
    img_basis: list[str]  # "program" | "specialty" (NRMP share of the specialty) | "unknown" (reference used)
    typical: list[float]  # typical Step 2 CK; the specialty median of imported known values; NaN if none
    typical_known: list[bool]
    typical_basis: list[str]  # "program" | "specialty median" | "unknown"
    step2_min: list[int]  # U, NO_LIMIT->0 (no minimum) or the score
    yog: list[int]  # U, NO_LIMIT or years
    usce_req: list[float]  # -1.0 unknown
    hands_on_only: list[int]
    attempts: list[int]  # U, NO_LIMIT or count
    deadline: list[int]  # date ordinal or U
    unknown: list[tuple[str, ...]]
    params: ModelParams
    # interviews conducted / applications received last season, or -1 when either is unknown: no applicant can
    # expect a higher interview chance there than the program's own interview rate
    capacity: list[float] = field(default_factory=list)
    # Filled by eligibility.check_all on first use: each program's requirement cells as codes into the distinct
    # combinations (they do not depend on the applicant, so they are worked out once per table).
    requirement_codes: object | None = None
    program_ids: list[str] = field(default_factory=list)  # each row's program_id, in the table's order

    def __len__(self) -> int:
        return len(self.programs)


def build_table(programs: list[Program], params: ModelParams | None = None) -> ProgramTable:
    from statistics import median  # here: its import (fractions, decimal) is a tenth of a quick look's time

    params = params or default_params()
    a = params.a
    by_specialty: dict[str, list[int]] = defaultdict(list)
    for p in programs:
        if p.step2_typical is not UNKNOWN:
            by_specialty[p.specialty].append(p.step2_typical)
    spec_median = {s: float(median(v)) for s, v in by_specialty.items()}
    anchor_data = anchors()
    smallest = anchor_data.smallest_img_share()  # unknown everywhere: as closed as the most closed specialty
    spec_share: dict[str, float | None] = {}
    for p in programs:
        if p.specialty not in spec_share:
            anchor = anchor_data.anchor(p.specialty)
            spec_share[p.specialty] = None if anchor is None else anchor.total_img_share()

    def term(share: float) -> float:
        return a["img_share_weight"] * math.log((share + 2) / (a["img_share_reference_pct"] + 2))

    def img_terms(p: Program) -> tuple[float, float, float, str]:
        """(point, low, high, basis). Unknown program share: its specialty's NRMP share, ranged from 0% to
        double it (an assumption); no specialty figure either: the smallest specialty share we have figures
        for (as closed as the most closed specialty), ranged 0%-100%."""
        if p.img_share_pct is not UNKNOWN:
            t = term(float(p.img_share_pct))
            return t, t, t, "program"
        share = spec_share.get(p.specialty)
        if share is not None:
            return term(share), term(0.0), term(min(100.0, 2 * share)), "specialty"
        return term(smallest), term(0.0), term(100.0), "unknown"

    terms = [img_terms(p) for p in programs]

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
        img_term=[t[0] for t in terms],
        img_term_low=[t[1] for t in terms],
        img_term_high=[t[2] for t in terms],
        img_basis=[t[3] for t in terms],
        # No made-up fallback: a program whose typical score is unknown takes the median of the programs of
        # its specialty that state one; if none does, it stays unknown (NaN) and the model uses the reference
        # margin with a range (model.interview_logodds_range).
        typical=[
            float(p.step2_typical) if p.step2_typical is not UNKNOWN else spec_median.get(p.specialty, math.nan)
            for p in programs
        ],
        typical_known=[p.step2_typical is not UNKNOWN for p in programs],
        typical_basis=["program" if p.step2_typical is not UNKNOWN
                       else "specialty median" if p.specialty in spec_median else "unknown" for p in programs],
        step2_min=[_code(p.step2_min, none=0) for p in programs],
        yog=[_code(p.yog_cutoff_years) for p in programs],
        usce_req=[-1.0 if p.usce_months_required is UNKNOWN else float(p.usce_months_required) for p in programs],
        hands_on_only=[_flag(p.usce_hands_on_only) for p in programs],
        attempts=[_code(p.attempts_allowed) for p in programs],
        deadline=[U if p.application_deadline is UNKNOWN else p.application_deadline.toordinal() for p in programs],
        unknown=[p.unknown_fields() for p in programs],
        params=params,
        capacity=[_capacity(p) for p in programs],
        program_ids=[p.program_id for p in programs],
    )


def _capacity(p: Program) -> float:
    interviews, applications = p.interviews_last_year, p.applications_last_year
    if interviews is UNKNOWN or applications is UNKNOWN or not applications:
        return -1.0
    return min(1.0, interviews / applications)
