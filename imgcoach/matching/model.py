"""The interview/match model: applications -> interviews -> match, with a shared applicant component.

Per program, the interview log-odds x_j are linear in the applicant's measured standing against the
program (score margin, IMG share, experience, letters, ties, attempts, years since graduation, visa need).
What the profile does not measure is shared by every program (imgcoach/matching/shared.py): an unmeasured
standing u added to every x_j, and a chance pi that the whole season is sunk. For a list S:

    P(at least one match) = (1 - pi) * E_u[1 - prod_{j in S} (1 - q * logistic(x_j + u))]

A program's interview probability is E_u[logistic(x_j + u)]. Parameters are fitted to cited NRMP
figures (data/calibration.toml); docs/matching-model.md explains it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from imgcoach.core.words import counted
from imgcoach.matching.facts import Standing, fmt_months
from imgcoach.matching.params import ModelParams
from imgcoach.matching.schema import UNKNOWN
from imgcoach.matching.shared import SharedFactor
from imgcoach.matching.table import ProgramTable

TIERS = ("reach", "target", "likely")


class Factor(NamedTuple):
    key: str
    text: str
    logodds: float


def score_margin_term(score: int | None, typical: float, a: dict[str, float]) -> float:
    margin = a["no_score_margin"] if score is None else score - typical
    margin = min(max(margin, a["score_margin_min"]), a["score_margin_max"])
    return a["score_per_10_points"] * margin / 10.0


def applicant_factors(standing: Standing, params: ModelParams) -> list[Factor]:
    """The program-independent part of the log-odds, one factor per feature (reference = 0)."""
    a = params.a
    f = standing.facts
    out: list[Factor] = []
    if f.img_group == "us_img":
        out.append(Factor("group", "U.S.-citizen IMG (higher NRMP match rate)", params.us_img_offset))
    effective = min(standing.hands_on_months + a["usce_observing_weight"] * standing.observing_months,
                    a["usce_cap_months"])
    # With planned rotations and letters counted (the shortlist's default), say so: "1.25 mo hands-on" read as
    # done while the requirement beside it said "you have 1".
    planned = " with your planned rotations" if standing.include_planned and standing.planned_rotations else ""
    out.append(Factor(
        "usce",
        f"US clinical experience {fmt_months(standing.hands_on_months)} mo hands-on, "
        f"{fmt_months(standing.observing_months)} mo observing{planned}",
        a["usce_per_month"] * (effective - a["usce_reference_months"]),
    ))
    letters = min(standing.us_letters, a["letters_cap"])
    to_come = (f" ({f.us_letters_planned} not yet in hand)"
               if standing.include_planned and f.us_letters_planned else "")
    out.append(Factor("letters", f"{counted(standing.us_letters, 'US letter')} of recommendation{to_come}",
                      a["letters_per_letter"] * (letters - a["letters_reference"])))
    research = min(f.research_items, a["research_cap"])
    out.append(Factor("research", counted(f.research_items, "research item"),
                      a["research_per_item"] * (research - a["research_reference"])))
    if f.failed_attempts:
        out.append(Factor("attempts", counted(f.failed_attempts, "failed USMLE attempt"),
                          a["failed_attempt"] * f.failed_attempts))
    years = standing.years_since_graduation
    if years is not None and years > a["yog_free_years"]:
        # Counted by year, as a program's "graduated in 2021 or later" is: the readiness check's full years to the
        # submission date are fewer, and the two said "7 years" and "6 full years" side by side without this.
        out.append(Factor("yog", f"{years} years from graduation in {f.graduation_year} to the {f.match_year} Match "
                                 "(by year)",
                          a["yog_per_year"] * (years - a["yog_free_years"])))
    needs = 0 if f.visa_need == "none" else 1
    reference_need = 1 if f.img_group == "non_us_img" else 0
    if needs != reference_need:
        text = "needs visa sponsorship" if needs else "needs no visa sponsorship"
        out.append(Factor("visa", text, a["visa_need"] * (needs - reference_need)))
    return out


def applicant_base(standing: Standing, params: ModelParams) -> float:
    return params.alpha + sum(factor.logodds for factor in applicant_factors(standing, params))


def tie_term(standing: Standing, state: str, region: str, a: dict[str, float]) -> float:
    if state in standing.tie_states:
        return a["tie_same_state"]
    if region and region in standing.tie_regions:
        return a["tie_same_region"]
    return 0.0


def interview_logodds(table: ProgramTable, standing: Standing, indices: Iterable[int]) -> list[float]:
    """Measured interview log-odds x_j for each program index: the hot loop (precomputed columns)."""
    params = table.params
    a = params.a
    base = applicant_base(standing, params)
    per10 = a["score_per_10_points"] / 10.0
    lo, hi = a["score_margin_min"], a["score_margin_max"]
    score = standing.facts.step2_score
    ties = standing.tie_states
    tie_regions = standing.tie_regions
    same_state, same_region = a["tie_same_state"], a["tie_same_region"]
    typical, img_term, state_col, region_col = table.typical, table.img_term, table.state, table.region
    no_score = a["no_score_margin"]
    out: list[float] = []
    append = out.append
    for i in indices:
        t = typical[i]
        if score is None:
            margin = no_score
        elif t != t:  # NaN: no typical score known for the program or its specialty: the reference margin
            margin = 0.0
        else:
            margin = score - t
        if margin < lo:
            margin = lo
        elif margin > hi:
            margin = hi
        x = base + per10 * margin + img_term[i]
        st = state_col[i]
        if st in ties:
            x += same_state
        elif region_col[i] in tie_regions:
            x += same_region
        append(x)
    return out


def interview_logodds_range(table: ProgramTable, standing: Standing, indices: list[int],
                            points: list[float]) -> tuple[list[float], list[float]]:
    """Low and high log-odds where program inputs are unknown (the point is `points`).

    Unknown IMG share: from 0% to double the specialty's NRMP share (table.img_term_low/high). Unknown typical
    Step 2 CK: the specialty median of imported programs plus/minus `typical_range_points`, or, with no
    median at all, plus/minus `typical_missing_range_points` around your own score. Both widths are
    assumptions in calibration.toml."""
    a = table.params.a
    per10 = a["score_per_10_points"] / 10.0
    known_width = a["typical_range_points"]
    missing_width = a["typical_missing_range_points"]
    lows, highs = [], []
    for i, x in zip(indices, points, strict=True):
        width = 0.0
        if standing.facts.step2_score is not None and table.typical_basis[i] != "program":
            width = per10 * (known_width if table.typical_basis[i] == "specialty median" else missing_width)
        lows.append(x - width + table.img_term_low[i] - table.img_term[i])
        highs.append(x + width + table.img_term_high[i] - table.img_term[i])
    return lows, highs


def interview_probabilities(table: ProgramTable, standing: Standing, indices: Iterable[int]) -> list[float]:
    """Interview probability per program index, averaged over the unmeasured standing u."""
    probability = table.params.shared().probability
    return [probability(x) for x in interview_logodds(table, standing, indices)]


def program_factors(table: ProgramTable, i: int, standing: Standing) -> list[Factor]:
    """All factors for one program, largest effect first (for explanations, not the hot loop)."""
    a = table.params.a
    program = table.programs[i]
    score = standing.facts.step2_score
    typical = table.typical[i]
    basis = {"program": "program's typical",
             "specialty median": "median of imported programs of this specialty (program's own is unknown)"}.get(
        table.typical_basis[i], "")
    if score is None:
        # No score: the model takes `no_score_margin` whatever the typical score (interview_logodds), so the
        # words say that; "no score effect assumed" was false here, beside a negative term.
        typical_text = (f"the {basis} {typical:g}" if table.typical_basis[i] != "unknown"
                        else "the typical score, which is unknown for this program and its specialty")
        score_text = f"no Step 2 CK score yet (assumed {-a['no_score_margin']:g} below {typical_text})"
        term = score_margin_term(None, typical, a)
    elif table.typical_basis[i] == "unknown":
        score_text = ("typical Step 2 CK unknown for this program and its specialty: no score effect assumed "
                      "(shown as a range)")
        term = 0.0
    else:
        diff = score - typical
        score_text = f"Step 2 CK {score} is {abs(diff):g} {'above' if diff >= 0 else 'below'} the {basis} {typical:g}"
        term = score_margin_term(score, typical, a)
    factors = [Factor("score", score_text, term)]
    if program.img_share_pct is not UNKNOWN and table.img_term[i] != 0.0:
        factors.append(Factor("img_share", f"{program.img_share_pct:g}% of residents are IMGs", table.img_term[i]))
    elif table.img_basis[i] == "specialty":
        factors.append(Factor("img_share", "program's IMG share unknown: its specialty's NRMP share is used "
                              "(a range in the list chance)", table.img_term[i]))
    tie = tie_term(standing, table.state[i], table.region[i], a)
    if tie:
        where = program.state if table.state[i] in standing.tie_states else f"the {table.region[i]} region"
        factors.append(Factor("ties", f"ties to {where}", tie))
    factors.extend(applicant_factors(standing, table.params))
    return sorted(factors, key=lambda f: -abs(f.logodds))


def tier(p: float, a: dict[str, float]) -> str:
    """'likely' means an interview is more likely than not (>= tier_likely, 50%)."""
    if p >= a["tier_likely"]:
        return "likely"
    if p >= a["tier_target"]:
        return "target"
    return "reach"


def chance_at_least_one_match(logodds: Iterable[float], shared: SharedFactor) -> float:
    """(1 - pi) E_u[1 - prod(1 - q p_j(u))]: never lowered by adding a program, capped by the ceiling."""
    return shared.chance(logodds)


def expected_interviews(probabilities: Iterable[float]) -> float:
    return sum(probabilities)
