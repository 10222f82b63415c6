"""The shortlist for one applicant: rank, choose under the budget, and describe it (JSON-ready).

Also the difference between two shortlists (entered, left and why, moved tier), which the services
layer stores with each recomputation.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import replace as dc_replace
from datetime import date
from typing import Any, NamedTuple

from imgcoach.core.budget import DEFAULT_BUDGET_HINT, DEFAULT_BUDGET_NOTE, DEFAULT_BUDGET_PROGRAMS
from imgcoach.core.vocab.specialties import BY_CODE, PGY1_CODES, pgy1_partners
from imgcoach.core.words import counted
from imgcoach.matching.advice import (
    ExclusionCount,
    StopAdvice,
    exclusion_summary,
    nothing_eligible_text,
    stop_advice,
)
from imgcoach.matching.anchors import Openness
from imgcoach.matching.bound import bound_shift
from imgcoach.matching.eligibility import Reason
from imgcoach.matching.facts import ApplicantFacts
from imgcoach.matching.fees import FeeSchedule, SystemFees
from imgcoach.matching.model import interview_logodds_range
from imgcoach.matching.optimiser import Candidate, Pick, Selection, choose
from imgcoach.matching.present import (
    assumed_specialties,
    at_ceiling,
    chance_note,
    chance_range_text,
    pct,
    provenance_note,
    shortlist_sentence,
)
from imgcoach.matching.ranking import Assessment, Ranking, rank
from imgcoach.matching.shared import SharedFactor
from imgcoach.matching.signals import advise as advise_signals
from imgcoach.matching.table import ProgramTable

# The size of the PGY-1 list planned beside a specialty whose programs start at PGY-2. No public figure says how
# many preliminary or transitional programs such applicants need; 20 is the number of programs NRMP's
# registration fee covers on all supplemental rank order lists combined (nrmp.org match fees page, Match 2017,
# UNVERIFIED for the current season, eras_fees.toml). An assumption, said so wherever the list is shown.
PGY1_LIST_PROGRAMS = 20
# How far the budget curve looks past the budget: the optimiser's next programs up to 1.5 x the budget (in programs
# or dollars), so the picture shows what more money would still add. A presentation choice, not a model figure.
BEYOND_BUDGET = 0.5
PGY1_LIST_BASIS = (f"[assumption] {PGY1_LIST_PROGRAMS} programs: the number NRMP's registration fee covers on all "
                   "supplemental (PGY-1) rank order lists combined (nrmp.org, Match 2017, UNVERIFIED for the current "
                   "season), not a figure on how many PGY-1 applications succeed")


class Entry(NamedTuple):
    program_id: str
    name: str
    specialty: str
    state: str
    tier: str
    probability: float  # chance of an interview
    match_share: float  # this program's own chance of becoming the match, (1 - pi) * q * c * p
    gain: float  # marginal gain in list chance when it was added
    fee_usd: float
    status: str  # eligible | conditional | uncertain
    reasons: tuple[Reason, ...]
    unknown_fields: tuple[str, ...]
    overridden_fields: tuple[str, ...]
    synthetic: bool = False  # the program row comes from the SYNTHETIC sample, not a real program
    specialty_shift: float = 0.0  # the specialty's log-odds shift for the applicant's group (anchors.py), <= 0
    img_share_basis: str = "program"  # program | specialty | unknown
    typical_basis: str = "program"  # program | specialty median | unknown
    # Which of this row's numbers rest on assumptions, in words (CSV and JSON carry it on every row, since a
    # spreadsheet row travels without the text output's notes).
    assumptions: tuple[str, ...] = ()
    # The interview chance with the program's unknown inputs (IMG share, typical score, the specialty's figure)
    # at their least and most favourable values; equal to `probability` when nothing is unknown.
    probability_low: float | None = None
    probability_high: float | None = None
    # The part of fee_usd that is its system's base fee (SF Match's $60 for the first 10 programs), charged with
    # the specialty's first program on the list: the shown fees then add up to what the applicant pays.
    base_fee_usd: float = 0.0

    @property
    def probability_range(self) -> tuple[float, float]:
        """(low, high): the point at both ends where no input is unknown (JSON, CSV and the app read it here)."""
        return (self.probability if self.probability_low is None else self.probability_low,
                self.probability if self.probability_high is None else self.probability_high)


class SpecialtyNote(NamedTuple):
    """What the specialty's NRMP figures give the applicant's group, and how the chance uses them."""

    code: str
    programs: int
    openness: Openness
    system: str
    needs_pgy1: bool

    def to_dict(self) -> dict[str, Any]:
        o = self.openness
        return {"specialty": self.code, "programs_chosen": self.programs, "match_system": self.system,
                "needs_pgy1_year": self.needs_pgy1,
                "implied_group_match_rate": round(self.openness.rate_point, 4),
                "implied_group_match_rate_range": [round(self.openness.rate_low, 4), round(self.openness.rate_high, 4)],
                "interview_logodds_shift": round(self.openness.point, 3),
                "interview_logodds_shift_range": [round(self.openness.low, 3), round(self.openness.high, 3)],
                "openness_known": self.openness.known, "basis": self.openness.basis,
                "kind": f"cited figure ({self.system}, see specialty_anchors.toml)" if self.openness.known
                else "assumption (no public figure found)",
                "bound": {"max_chance_from_best_programs": None if o.bound is None else round(o.bound, 4),
                          "range": [None if o.bound_low is None else round(o.bound_low, 4),
                                    None if o.bound_high is None else round(o.bound_high, 4)],
                          "holds_chance_down": o.bound_binds,
                          "extra_logodds_shift": round(o.bound_shift, 3),
                          "kind": "assumption (selective-specialty bound, docs/matching-model.md 2b)"}}


class Shortlist(NamedTuple):
    entries: list[Entry]  # order added: best first
    chance: float  # estimated chance of at least one match (point: unknown inputs at their point values)
    chance_low: float  # the same with every unknown input at its least favourable value in its range
    chance_high: float  # ... and at its most favourable
    specialty_notes: list[SpecialtyNote]
    ceiling: float  # no list can reach above this (1 - season_failure)
    bound_chance: float
    total_fee_usd: float
    expected_interviews: float
    budget_programs: int | None
    budget_usd: float | None
    eligible_count: int  # kept programs in scope (eligible, conditional or uncertain)
    excluded_count: int
    out_of_scope_count: int
    include_planned: bool
    fee_season: str
    disclaimer: str
    model_version: str
    ranking: Ranking
    one_time_fees: tuple[dict, ...] = ()
    warnings: tuple[str, ...] = ()  # e.g. H-1B needs Step 3 before ranking (ApplicantFacts.warnings)
    exclusions: tuple[ExclusionCount, ...] = ()  # excluded programs per failed requirement, most first
    stop: StopAdvice | None = None  # where more money adds about nothing (the marginal-gain curve)
    pgy1: Pgy1Plan | None = None  # the PGY-1 year planned beside specialties whose programs start at PGY-2
    # The optimiser's next programs past the budget (up to 1 + BEYOND_BUDGET times it), in the order it would add
    # them: not on the list, only for the budget curve (curve.py). Nothing at the budget depends on them.
    beyond: tuple[Entry, ...] = ()
    budget_default: bool = False  # the budget is DEFAULT_BUDGET_PROGRAMS: neither the profile nor the command set one
    fee_schedule_season: str = ""  # the ERAS season of the fee schedule that priced the list ("2026")
    # Said beside fee_season when that season is not the Match year's own (fee_season_note); "" when it is.
    fee_note: str = ""
    # The lowest fee of a first application among the eligible programs' specialties (base fee included): said
    # when the budget buys none.
    cheapest_first_usd: float | None = None
    # The profile's two budgets when it sets both (programs, USD): the list keeps within each, and says so.
    profile_budgets: tuple[int, float] | None = None

    def budget_words(self, *, hint: bool = False) -> str:
        """The budget as the CLI, the app and the budget curve say it, the default said to be one (with how to
        set yours where there is room: `hint`)."""
        if self.profile_budgets is not None:
            programs, usd = self.profile_budgets
            return (f"{counted(programs, 'program')} and ${usd:,.0f} in application fees (your profile sets both: "
                    "the list keeps within each)")
        text = (counted(self.budget_programs, "program") if self.budget_programs is not None
                else f"${self.budget_usd:,.0f} in application fees")
        if not self.budget_default:
            return text
        return f"{text} ({DEFAULT_BUDGET_NOTE}; {DEFAULT_BUDGET_HINT})" if hint else f"{text} ({DEFAULT_BUDGET_NOTE})"

    def why_nothing_eligible(self) -> str | None:
        if self.entries:
            return None
        if self.eligible_count:
            # Programs are eligible but none was chosen: the money ran out before the first fee. This said "no
            # eligible program: all 8 programs ... fail a requirement" beside "chosen 0 of 22 eligible programs".
            # The first fee says by how much: with SF Match's base fee it is $60, not the $11 a reader assumes.
            cheapest = (f" (the cheapest first application costs ${self.cheapest_first_usd:,.0f})"
                        if self.cheapest_first_usd is not None and self.budget_usd is not None else "")
            return (f"none of the {counted(self.eligible_count, 'eligible program')} fits your budget of "
                    f"{self.budget_words()}{cheapest}: raise it with --budget-usd or "
                    "`imgcoach profile set --budget-usd X`")
        total = self.eligible_count + self.excluded_count + self.out_of_scope_count
        return nothing_eligible_text(list(self.exclusions), self.excluded_count, self.out_of_scope_count, total)  # ECFMG token, USMLE transcript, NRMP registration (eras_fees.toml)

    def ids(self) -> list[str]:
        return [e.program_id for e in self.entries]

    def ranking_for(self, program_id: str) -> Ranking:
        """The ranking that assessed the program: the PGY-1 list's for a preliminary or transitional program
        outside the targets (the main ranking would call it "outside your preferences", though it is listed)."""
        if self.pgy1 is not None and self.ranking.by_id(program_id) is None \
                and self.pgy1.shortlist.ranking.by_id(program_id) is not None:
            return self.pgy1.shortlist.ranking
        return self.ranking

    def listed(self, program_id: str) -> tuple[Shortlist, Entry] | None:
        """The list (this one or the PGY-1 list beside it) and its row for a chosen program; None if not chosen.
        A program's chance range is computed with the programs chosen with it (the specialty bound)."""
        for shortlist in (self, *((self.pgy1.shortlist,) if self.pgy1 is not None else ())):
            for entry in shortlist.entries:
                if entry.program_id == program_id:
                    return shortlist, entry
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "disclaimer": self.disclaimer,
            "model_version": self.model_version,
            "include_planned_rotations": self.include_planned,
            "match_year": self.ranking.standing.facts.match_year,
            "match_year_reason": self.ranking.standing.facts.match_year_reason,
            # With both of the profile's budgets, both are said: the one held internally may be a count below
            # the profile's ("39 programs" of a 40-program, $600 profile), which is no budget the user set.
            "budget": {"programs": self.profile_budgets[0] if self.profile_budgets else self.budget_programs,
                       "usd": self.profile_budgets[1] if self.profile_budgets else self.budget_usd,
                       "default": self.budget_default, "text": self.budget_words(hint=True),
                       "profile_both": (None if self.profile_budgets is None else
                                        {"programs": self.profile_budgets[0], "usd": self.profile_budgets[1]})},
            "warnings": list(self.warnings),
            "chance_of_at_least_one_match": round(self.chance, 4),
            "chance_range": [round(self.chance_low, 4), round(self.chance_high, 4)],
            "chance_display": chance_range_text(self.chance, self.chance_low, self.chance_high,
                                                assumed_specialties(self)),
            "chance_is_assumption_range": bool(assumed_specialties(self)),
            "specialties": [n.to_dict() for n in self.specialty_notes],
            "what_is_cited_and_what_is_assumed": provenance_note(),
            "chance_ceiling": round(self.ceiling, 4),
            "at_ceiling": at_ceiling(self.chance, self.ceiling),
            "chance_note": chance_note(self.ceiling),
            "chance_upper_bound_for_budget": round(self.bound_chance, 4),
            "expected_interviews": round(self.expected_interviews, 2),
            "total_fee_usd": round(self.total_fee_usd, 2),
            "fee_schedule": self.fee_season,
            "fee_schedule_season": self.fee_schedule_season,
            "fee_schedule_note": self.fee_note or None,
            "one_time_fees": [{"what": f["what"], "usd": f["usd"], "season": f.get("season"),
                               "source": f["url"], "verified": bool(f.get("verified", False))}
                              for f in self.one_time_fees],
            # False with no program chosen: the fees above are then what applying would add, not owed now.
            "one_time_fees_apply": bool(self.entries),
            "counts": {
                "chosen": len(self.entries),
                "eligible": self.eligible_count,
                "excluded": self.excluded_count,
                "out_of_scope": self.out_of_scope_count,
            },
            "exclusions": [c.to_dict() for c in self.exclusions],
            "why_nothing_eligible": self.why_nothing_eligible(),
            "stop_here": self.stop.to_dict(len(self.entries)) if self.stop else None,
            "signals": [a.to_dict() for a in advise_signals(self.entries)],
            "programs": [entry_dict(e) for e in self.entries],
            "pgy1_year": self.pgy1.to_dict() if self.pgy1 else None,
        }


class Pgy1Plan(NamedTuple):
    """The preliminary and transitional programs planned beside target specialties whose programs (all or some)
    start at PGY-2: NRMP matches that year through a supplemental list, so it is a list of its own, outside the
    main budget, chosen and priced with the same model and fee schedule."""

    for_specialties: tuple[str, ...]  # the targets that need it (codes)
    shortlist: Shortlist  # chosen over the PGY-1 positions alone, PGY1_LIST_PROGRAMS at most

    def lines(self) -> list[str]:
        from imgcoach.matching.vocab import specialty_name

        s = self.shortlist
        names = ", ".join(specialty_name(c) for c in self.for_specialties)
        head = (f"PGY-1 year beside {names} (for programs that start at PGY-2), a list of its own, not in the budget "
                f"above: ")
        if not s.entries:
            return [head + (s.why_nothing_eligible() or "no preliminary or transitional program is eligible"),
                    f"  {PGY1_LIST_BASIS}"]
        picks = [f"{e.program_id} ({specialty_name(e.specialty)}) {pct(e.probability)}" for e in s.entries]
        return [head + f"the best {len(s.entries)} of "
                f"{counted(s.eligible_count, 'eligible preliminary and transitional program')}, application fees ${s.total_fee_usd:,.0f}; {shortlist_sentence(s)}; expected interviews "
                f"about {s.expected_interviews:.0f}",
                "  interview chance:",
                *(f"    {', '.join(picks[k:k + 4])}" for k in range(0, len(picks), 4)),
                f"  {PGY1_LIST_BASIS}"]

    def to_dict(self) -> dict[str, Any]:
        s = self.shortlist
        return {"for_specialties": list(self.for_specialties), "list_size": PGY1_LIST_PROGRAMS,
                "list_size_basis": PGY1_LIST_BASIS, "in_main_budget": False,
                "chance_of_at_least_one_match": round(s.chance, 4),
                "chance_range": [round(s.chance_low, 4), round(s.chance_high, 4)],
                "expected_interviews": round(s.expected_interviews, 2), "total_fee_usd": round(s.total_fee_usd, 2),
                "fee_schedule": s.fee_season, "fee_schedule_season": s.fee_schedule_season,
                "fee_schedule_note": s.fee_note or None, "specialties": [n.to_dict() for n in s.specialty_notes],
                "counts": {"chosen": len(s.entries), "eligible": s.eligible_count, "excluded": s.excluded_count},
                "why_nothing_eligible": s.why_nothing_eligible(),
                "programs": [entry_dict(e) for e in s.entries]}


def entry_dict(e: Entry) -> dict[str, Any]:
    return {
        "id": e.program_id,
        "name": e.name,
        "specialty": e.specialty,
        "state": e.state,
        "tier": e.tier,
        "probability": round(e.probability, 4),
        "probability_range": [round(x, 4) for x in e.probability_range],
        "match_share": round(e.match_share, 4),
        "marginal_gain": round(e.gain, 5),
        "fee_usd": e.fee_usd,
        "fee_includes_base_usd": e.base_fee_usd,
        "status": e.status,
        "reasons": [r.text for r in e.reasons],
        "unknown_fields": list(e.unknown_fields),
        "overridden_fields": list(e.overridden_fields),
        "synthetic": e.synthetic,
        "specialty_logodds_shift": round(e.specialty_shift, 3),
        "img_share_basis": e.img_share_basis,
        "typical_step2_basis": e.typical_basis,
        "what_is_assumed": list(e.assumptions),
    }


def row_assumptions(specialty: str, openness: Openness | None, img_share_basis: str, typical_basis: str,
                    fee_system: SystemFees | None, no_score_margin: float | None = None,
                    fee_note: str = "", base_fee: dict | None = None) -> tuple[str, ...]:
    """What in one shortlist row is an assumption rather than a cited figure, in words. The interview chance is
    always a model estimate (the factor weights are assumptions); the rest depends on what is unknown.
    ``no_score_margin`` is given when the applicant has no Step 2 CK score: the model then takes that margin
    whatever the program's typical score, with no range (model.interview_logodds), so the typical-score lines,
    which describe a range around the applicant's own score, would be false."""
    from imgcoach.matching.vocab import specialty_name

    name = specialty_name(specialty)
    out = ["interview chance: a model estimate, not a promise (factor weights are assumptions; "
           "see docs/matching-model.md)"]
    if openness is not None and not openness.known:
        out.append(f"{name}: no public IMG figure found; how open it is to your group is assumed")
    elif openness is not None:
        out.append(f"{name}: held to what its cited figures give your group ({openness.basis})")
    if openness is not None and openness.bound_binds:
        out.append(f"{name}: chance held down by the selective-specialty bound (an assumption)")
    if img_share_basis == "specialty":
        out.append("program's IMG share unknown: its specialty's NRMP share used")
    elif img_share_basis == "unknown":
        out.append("program's IMG share unknown and no specialty figure: the smallest specialty share used")
    if no_score_margin is not None:
        out.append(no_score_text(no_score_margin))
    elif typical_basis == "specialty median":
        out.append("program's typical Step 2 CK unknown: the median of imported programs of its specialty used, "
                   "+/- 10 points")
    elif typical_basis == "unknown":
        out.append("no typical Step 2 CK known for the program or its specialty: no score effect assumed, "
                   "+/- 15 points")
    if fee_system is not None and fee_system.tiers:
        out.append(f"fee: {fee_system.label}, {fee_system.season} season, UNVERIFIED for the current season")
        if base_fee is not None:
            out.append(f"fee: includes the ${float(base_fee['usd']):g} {base_fee['what']}, paid with the first "
                       f"{name} application on the list ({base_fee.get('season', 'season unknown')}, UNVERIFIED "
                       "for the current season)")
    elif fee_note:  # an ERAS fee from another season's schedule: a CSV row travels without the list's fees line
        out.append(f"fee: {fee_note}")
    return tuple(out)


def no_score_text(no_score_margin: float) -> str:
    """The assumption every chance rests on while no Step 2 CK score is recorded (calibration.toml's
    no_score_margin), for each row and for the list."""
    return (f"no Step 2 CK score recorded: counted as {-no_score_margin:g} points below each program's typical "
            "score (an assumption); record yours with `imgcoach exams add`")


def build_shortlist(
    table: ProgramTable,
    facts: ApplicantFacts,
    today: date,
    fees: FeeSchedule,
    *,
    budget_programs: int | None = None,
    budget_usd: float | None = None,
    include_planned: bool = True,
) -> Shortlist:
    default = False
    both: tuple[int, float] | None = None
    if budget_programs is None and budget_usd is None:
        budget_programs, budget_usd = facts.preferences.budget_programs, facts.preferences.budget_usd
        if budget_programs is not None and budget_usd is not None:
            both = (budget_programs, budget_usd)
        elif budget_programs is None and budget_usd is None:
            budget_programs, default = DEFAULT_BUDGET_PROGRAMS, True
    ranking = rank(table, facts, today, include_planned=include_planned)
    if both is not None:
        result = _within_both(ranking, fees, *both)._replace(profile_budgets=both)
    else:
        result = select(ranking, fees, budget_programs=budget_programs, budget_usd=budget_usd)._replace(
            budget_default=default)
    targets = facts.preferences.specialties
    chosen = {e.specialty for e in result.entries}  # a target with no program on the list needs no PGY-1 year yet
    needing = tuple(code for code in targets if code in chosen and code in BY_CODE and pgy1_partners(code))
    partners = tuple(code for code in PGY1_CODES if code not in targets)
    if not needing or not partners:
        return result
    pgy1_facts = dc_replace(facts, preferences=facts.preferences._replace(specialties=partners))
    pgy1_ranking = rank(table, pgy1_facts, today, include_planned=include_planned)
    plan = Pgy1Plan(needing, select(pgy1_ranking, fees, budget_programs=PGY1_LIST_PROGRAMS, budget_usd=None,
                                    extend=0.0))
    return result._replace(pgy1=plan)


def _within_both(ranking: Ranking, fees: FeeSchedule, programs: int, usd: float) -> Shortlist:
    """The best list kept within both of the profile's budgets. The programs budget alone used to win and the
    dollar one was dropped unsaid: a profile of 80 programs and $500 got a $1,754 list. The optimiser takes one
    budget, so each is tried and a list that breaks the other is not used."""
    by_count = select(ranking, fees, budget_programs=programs, budget_usd=None)
    if by_count.total_fee_usd <= usd + 1e-9:
        return by_count
    by_usd = select(ranking, fees, budget_programs=None, budget_usd=usd)
    if len(by_usd.entries) <= programs:
        return by_usd
    # Both limit it: the largest count budget whose list's fees fit the dollars (fees grow with the count).
    low, high = 0, programs - 1
    while low < high:
        mid = (low + high + 1) // 2
        if select(ranking, fees, budget_programs=mid, budget_usd=None).total_fee_usd <= usd + 1e-9:
            low = mid
        else:
            high = mid - 1
    return select(ranking, fees, budget_programs=low, budget_usd=None)


def select(ranking: Ranking, fees: FeeSchedule, *, budget_programs: int | None, budget_usd: float | None,
           extend: float = BEYOND_BUDGET) -> Shortlist:
    table = ranking.table
    params = table.params
    by_index: dict[int, Assessment] = {a.index: a for a in ranking.kept}
    shared = params.shared()
    def shift(a: Assessment) -> float:
        return 0.0 if a.openness is None else a.openness.point

    no_score = params.a["no_score_margin"] if ranking.standing.facts.step2_score is None else None
    fee_note = fee_season_note(fees, ranking.standing.facts.match_year)
    candidates = [Candidate(a.index, table.specialty[a.index], a.logodds) for a in ranking.kept]
    selection: Selection = choose(candidates, shared, fees, budget_programs=budget_programs, budget_usd=budget_usd,
                                  extend=extend)
    chosen = [by_index[pick.candidate.key] for pick in selection.picks]

    first_of: set[int] = set()  # the picks that open their specialty, in the optimiser's order (so they pay its base)
    opened: set[str] = set()
    for pick in (*selection.picks, *selection.beyond):
        if pick.candidate.specialty not in opened:
            opened.add(pick.candidate.specialty)
            first_of.add(pick.candidate.key)

    def entry(pick: Pick) -> Entry:
        a = by_index[pick.candidate.key]
        program = table.programs[a.index]
        base = fees.base_fee_of(program.specialty) if a.index in first_of else None
        return Entry(
            program_id=program.program_id,
            name=program.name,
            specialty=program.specialty,
            state=program.state,
            tier=a.tier or "reach",
            probability=a.probability,
            match_share=shared.ceiling * shared.q * a.probability,
            gain=pick.gain,
            fee_usd=pick.fee_usd,
            status=a.verdict.status,
            reasons=a.verdict.reasons,
            unknown_fields=table.unknown[a.index],
            overridden_fields=tuple(sorted(program.overridden)),
            synthetic=program.synthetic,
            specialty_shift=shift(a),
            img_share_basis=table.img_basis[a.index],
            typical_basis=table.typical_basis[a.index],
            assumptions=row_assumptions(program.specialty, a.openness, table.img_basis[a.index],
                                        table.typical_basis[a.index], fees.system_of(program.specialty),
                                        no_score, fee_note, base),
            base_fee_usd=float(base["usd"]) if base else 0.0,
        )

    entries = [entry(pick) for pick in selection.picks]
    lows, highs = range_logodds(ranking, chosen, *unbounded_range_logodds(ranking, chosen))
    for k, a in enumerate(chosen):
        entries[k] = entries[k]._replace(probability_low=min(shared.probability(lows[k]), a.probability),
                                probability_high=max(shared.probability(highs[k]), a.probability))
    counts: dict[str, int] = {}
    for a in chosen:
        counts[table.specialty[a.index]] = counts.get(table.specialty[a.index], 0) + 1
    from imgcoach.matching.anchors import anchors

    notes = []
    for code, o in sorted((ranking.openness or {}).items()):
        anchor = anchors().anchor(code)
        notes.append(SpecialtyNote(code, counts.get(code, 0), o, anchor.system if anchor else "NRMP",
                                   bool(anchor and anchor.needs_pgy1)))
    return Shortlist(
        entries=entries,
        chance=selection.chance,
        chance_low=min(shared.chance(lows), selection.chance),
        chance_high=max(shared.chance(highs), selection.chance),
        specialty_notes=notes,
        ceiling=shared.ceiling,
        bound_chance=selection.bound_chance,
        total_fee_usd=selection.total_fee_usd,
        expected_interviews=sum(e.probability for e in entries),
        budget_programs=budget_programs,
        budget_usd=budget_usd,
        eligible_count=len(ranking.kept),
        excluded_count=len(ranking.excluded),
        out_of_scope_count=ranking.out_of_scope,
        include_planned=ranking.standing.include_planned,
        fee_season=_fee_basis(fees, {e.specialty for e in entries}),
        fee_schedule_season=fees.season,
        fee_note=fee_note,
        disclaimer=params.disclaimer,
        model_version=params.version,
        ranking=ranking,
        one_time_fees=fees.one_time_for(e.specialty for e in entries),
        cheapest_first_usd=min((fees.marginal_fee_for(spec, 1) if fees.per_specialty else fees.marginal_fee(1)
                                for spec in {table.specialty[a.index] for a in ranking.kept}), default=None),
        warnings=ranking.standing.facts.warnings() + ((no_score_text(no_score),) if no_score is not None else ()),
        exclusions=tuple(exclusion_summary(ranking.excluded)),
        stop=stop_advice(entries, every_eligible=len(entries) >= len(ranking.kept)),
        beyond=tuple(entry(pick) for pick in selection.beyond),
    )


def unbounded_range_logodds(ranking: Ranking, chosen: list[Assessment]) -> tuple[list[float], list[float]]:
    """Each program's low and high interview log-odds (unknown inputs and the specialty's figure at their least
    and most favourable values), before the selective-specialty bound, which depends on the list."""
    table = ranking.table
    lows, highs = interview_logodds_range(table, ranking.standing, [a.index for a in chosen],
                                          [a.logodds for a in chosen])
    lows = [x + (a.openness.low - a.openness.point if a.openness else 0.0) for x, a in zip(lows, chosen, strict=True)]
    highs = [x + (a.openness.high - a.openness.point if a.openness else 0.0)
             for x, a in zip(highs, chosen, strict=True)]
    return lows, highs


def range_logodds(ranking: Ranking, chosen: list[Assessment], lows: list[float], highs: list[float],
                  shift: Callable[[SharedFactor, Sequence[float], float | None], float] = bound_shift,
                  ) -> tuple[list[float], list[float]]:
    """The list's range log-odds: `unbounded_range_logodds` held to the bound of each scenario over the programs of
    this list, the high end also under each program's interview rate last season. The one rule for the range at
    the budget (`Shortlist.chance_low/high`) and at every point of the budget curve (`prefix_ranges`)."""
    table = ranking.table
    shared = table.params.shared()
    lows = _held_to_bound(lows, chosen, table, shared, high=False, shift=shift)
    highs = _held_to_bound(highs, chosen, table, shared, high=True, shift=shift)
    capacity = table.capacity
    for k, a in enumerate(chosen):
        cap = capacity[a.index] if capacity else -1.0
        if cap >= 0.0:  # last season's interview rate bounds the high end too (the list's range as well)
            highs[k] = min(highs[k], max(shared.logodds_for(cap), a.logodds))
    return lows, highs


def prefix_ranges(result: Shortlist) -> list[tuple[float, float]]:
    """The chance range (low, high) of each prefix of the list and then of the list with the next programs past
    the budget (`Shortlist.beyond`), by the rule the range at the budget uses (`range_logodds`; the caller keeps
    the low end at or under its point and the high end at or over it, as `select` does): for a budget in programs
    each is the range that budget itself would state."""
    ranking = result.ranking
    shared = ranking.table.params.shared()
    by_id = {ranking.table.program_ids[a.index]: a for a in ranking.kept}
    chosen = [by_id[e.program_id] for e in (*result.entries, *result.beyond)]
    lows, highs = unbounded_range_logodds(ranking, chosen)
    # Each prefix is the one before plus a program, so most of its inputs were seen already: the bound's shift
    # (a pure function of a specialty's best values) and each program's per-node exponents are remembered, and the
    # sums are added in shared.chance's order, so every figure is the one the plain computation gives (tested).
    shifts: dict[tuple[tuple[float, ...], float | None], float] = {}
    exponents: dict[float, tuple[float, ...]] = {}

    def remembered_shift(shared: SharedFactor, best: Sequence[float], limit: float | None) -> float:
        key = (tuple(best), limit)
        if key not in shifts:
            shifts[key] = bound_shift(shared, best, limit)
        return shifts[key]

    def chance(xs: list[float]) -> float:
        totals = [0.0] * len(shared.nodes)
        for x in xs:
            e = exponents.get(x)
            if e is None:
                e = exponents[x] = shared.exponents(x)
            for k, v in enumerate(e):
                totals[k] += v
        return shared.chance_from_totals(totals)

    out = []
    for k in range(1, len(chosen) + 1):
        low, high = range_logodds(ranking, chosen[:k], lows[:k], highs[:k], remembered_shift)
        out.append((chance(low), chance(high)))
    return out


def _held_to_bound(xs: list[float], chosen: list[Assessment], table: ProgramTable, shared: SharedFactor, *,
                   high: bool, shift: Callable[[SharedFactor, Sequence[float], float | None], float] = bound_shift,
                   ) -> list[float]:
    """The range's low or high log-odds with the selective-specialty bound of that scenario (bound.py): the
    unknown program facts at their extremes must not lift a specialty past what its figures allow."""
    n = int(table.params.a["bound_programs"])
    out = list(xs)
    by_spec: dict[str, list[int]] = {}
    for k, a in enumerate(chosen):
        by_spec.setdefault(table.specialty[a.index], []).append(k)
    for ks in by_spec.values():
        o = chosen[ks[0]].openness
        limit = None if o is None else o.bound_high if high else o.bound_low
        if limit is None:
            continue
        d = shift(shared, heapq.nlargest(n, (out[k] for k in ks)), limit)
        for k in ks:
            out[k] += d
    return out


def fee_season_note(fees: FeeSchedule, match_year: int) -> str:
    """What the fees rest on when the newest schedule on file is another season's than the Match the list is for
    (an ERAS season is named after its Match): the list said "for the 2028 Match" and "fees: ERAS 2026" with
    nothing to say that the 2028 season's fees are not known here. "" when the season is the Match's own."""
    if fees.season == str(match_year):
        return ""
    return (f"ERAS {fees.season} is the newest ERAS schedule on file, not the ERAS {match_year} season's (the "
            f"{match_year} Match): its fees are assumed unchanged (an assumption)")


def _fee_basis(fees: FeeSchedule, specialties: set[str]) -> str:
    """Which schedules priced the list, each with its season (another system's own tiers named apart)."""
    text = f"ERAS {fees.season} ({fees.source})"
    used = {s.code: s for s in (fees.system_of(spec) for spec in sorted(specialties)) if s is not None and s.tiers}
    for system in used.values():
        text += f"; {system.label}: {system.season} season ({system.source}), UNVERIFIED for the current season"
        if system.base:
            text += (f"; its ${system.base_usd:g} base fee (covers the first {system.base.get('covers', 1)} "
                     "programs) is in the first program's fee and the total")
    return text


# --- what changed between two recomputations -----------------------------------------------------------

class Change(NamedTuple):
    program_id: str
    kind: str  # entered | left | moved
    old_tier: str | None
    new_tier: str | None
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"program_id": self.program_id, "kind": self.kind, "old_tier": self.old_tier,
                "new_tier": self.new_tier, "why": self.why}


def diff_shortlists(previous: dict[str, str], current: Shortlist,
                    previous_chance: dict[str, float] | None = None) -> list[Change]:
    """Changes from a previous run (program id -> tier; `previous_chance`: its interview chances) to the current
    shortlist, each with its reason. A program whose own chance fell (its typical score rose, say) was said to
    have left because "others now give more", as if the others had changed; its fall is now said first."""
    before = previous_chance or {}
    now = {e.program_id: e for e in current.entries}
    ranking = current.ranking
    table = ranking.table
    changes: list[Change] = []
    for pid, entry in now.items():
        old = previous.get(pid)
        if old is None:
            changes.append(Change(pid, "entered", None, entry.tier,
                                  f"now among the best choices for your budget ({pct(entry.probability)} interview chance)"))
        elif old != entry.tier:
            was = f" (was {pct(before[pid])})" if pid in before else ""
            changes.append(Change(pid, "moved", old, entry.tier,
                                  f"interview chance now {pct(entry.probability)}{was}"))
    for pid, old in previous.items():
        if pid in now:
            continue
        i = table.index.get(pid)
        if i is None:
            why = "no longer in the program data"
        else:
            a = ranking.by_id(pid)
            if a is None:
                why = "outside your preferences (specialty, place, type or size)"
            elif a.tier is None:
                fails = [r.text for r in a.verdict.reasons if r.kind == "excluded"]
                why = "no longer eligible: " + "; ".join(fails)
            elif pid in before and pct(a.probability) != pct(before[pid]) and a.probability < before[pid]:
                why = (f"its interview chance fell from {pct(before[pid])} to {pct(a.probability)}: others now "
                       "give more for your budget")
            else:
                why = f"others now give more for your budget (interview chance {pct(a.probability)})"
        changes.append(Change(pid, "left", old, None, why))
    return changes

