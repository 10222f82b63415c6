"""Eligibility reasons tied to the plan, unknown requirements kept and marked, and model monotonicity."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imgcoach.matching.eligibility import CONDITIONAL, ELIGIBLE, EXCLUDED, UNCERTAIN
from imgcoach.matching.facts import Preferences
from imgcoach.matching.model import chance_at_least_one_match, interview_probabilities
from imgcoach.matching.params import default_params
from imgcoach.matching.ranking import rank
from imgcoach.matching.table import build_table
from tests.matching_support import TODAY, applicant, program, rotation

EXTERNSHIP = rotation("internal medicine externship", "externship", "2026-06-01", "2026-07-26", completed=True)
OBSERVERSHIP = rotation("cardiology observership", "observership", "2027-02-27", "2027-03-26", completed=False)


def verdict_of(prog, facts, *, include_planned=True):
    ranking = rank(build_table([prog]), facts, TODAY, include_planned=include_planned)
    return (ranking.kept + ranking.excluded)[0].verdict


def test_usce_reason_names_the_planned_rotation_that_would_fix_it() -> None:
    prog = program(usce_months_required="3", usce_hands_on_only="no", application_deadline="2027-10-15")
    two_months = rotation("surgery externship", "externship", "2026-03-02", "2026-04-26", completed=True)
    another = rotation("medicine observership", "observership", "2026-05-04", "2026-05-31", completed=True)
    facts = applicant(rotations=(two_months, OBSERVERSHIP))
    assert two_months.months == 2.0 and another.months == 1.0
    text = ("requires 3 months of US clinical experience; you have 2; your planned cardiology observership "
            "ending 2027-03-26 would make it 3")
    completed_only = verdict_of(prog, facts, include_planned=False)
    assert completed_only.status == EXCLUDED and completed_only.reasons[0].text == text
    with_plan = verdict_of(prog, facts)
    assert with_plan.status == CONDITIONAL and with_plan.reasons[0].text == text
    assert verdict_of(prog, replace(facts, rotations=(two_months, another))).status == ELIGIBLE


def test_a_rotation_under_way_is_not_called_planned_nor_counted_as_had() -> None:
    """Three weeks into a five-week externship, the shortlist said "you have 1; your planned family medicine
    externship ending ... would make it 2.25" while readiness said "Completed 1.5 months (..., 0.5 of them in a
    rotation under way)": the externship is not planned, it is under way, and the 1 is the ended rotations'."""
    ended = rotation("medicine observership", "observership", "2026-05-04", "2026-05-31", completed=True)
    start = TODAY - timedelta(weeks=3)
    under_way = rotation("family medicine externship", "externship", start.isoformat(),
                         (start + timedelta(weeks=5) - timedelta(days=1)).isoformat(), completed=False)
    prog = program(usce_months_required="2", usce_hands_on_only="no", application_deadline="2027-10-15")
    text = verdict_of(prog, applicant(rotations=(ended, under_way))).reasons[0].text
    assert text.startswith("requires 2 months of US clinical experience; you have 1 from rotations that have "
                           "ended; your family medicine externship, under way, ending "), text
    assert "planned" not in text
    # Hands-on only: the observership never counted, and the externship under way is named as under way.
    hands_on = verdict_of(program(usce_months_required="1", usce_hands_on_only="yes"),
                          applicant(rotations=(ended, under_way))).reasons[0].text
    assert "you have 0 from rotations that have ended; your family medicine externship, under way," in hands_on
    # An observership under way says nothing of a hands-on requirement's count.
    watching = under_way._replace(kind="observership", label="family medicine observership")
    only_hands_on = verdict_of(program(usce_months_required="1", usce_hands_on_only="yes"),
                               applicant(rotations=(watching,))).reasons[0].text
    assert only_hands_on == "requires 1 month of hands-on US clinical experience; you have 0", "not '1 months'"


def test_plan_ending_after_the_deadline_does_not_count() -> None:
    prog = program(usce_months_required="3", application_deadline="2027-01-15")
    verdict = verdict_of(prog, applicant(match_year=2027, rotations=(EXTERNSHIP, OBSERVERSHIP)))
    assert verdict.status == EXCLUDED
    assert "after the application deadline 2027-01-15" in verdict.reasons[0].text


def test_hands_on_only_ignores_observerships() -> None:
    observed = rotation("neurology observership", "observership", "2026-01-05", "2026-03-29", completed=True)
    prog = program(usce_months_required="2", usce_hands_on_only="yes")
    verdict = verdict_of(prog, applicant(rotations=(observed,)))
    assert verdict.status == EXCLUDED
    assert verdict.reasons[0].text == "requires 2 months of hands-on US clinical experience; you have 0"


def test_each_hard_filter_gives_its_reason() -> None:
    facts = applicant(step2_score=215, graduation_year=2019, max_attempts_any_step=2, visa_need="h1b")
    prog = program(step2_min="220", yog_cutoff_years="5", attempts_allowed="1", visa_h1b="no",
                   application_deadline="2026-10-01")
    texts = [r.text for r in verdict_of(prog, replace(facts, match_year=2027)).reasons]
    assert texts == [
        "does not sponsor H-1B visas; you need an H-1B",
        "requires Step 2 CK of at least 220; yours is 215",
        "accepts graduates up to 5 years before the Match; you graduated in 2019, 8 years before the 2027 Match, counted by year",
        "accepts at most 1 attempt on any Step; you needed 2",
        "application deadline 2026-10-01 has passed",
    ]


def test_unknown_requirements_keep_the_program_and_mark_it() -> None:
    prog = program(visa_j1="unknown", step2_min="unknown", yog_cutoff_years="unknown",
                   usce_months_required="unknown", application_deadline="unknown")
    ranking = rank(build_table([prog]), applicant(), TODAY)
    assert len(ranking.kept) == 1 and not ranking.excluded
    verdict = ranking.kept[0].verdict
    assert verdict.status == UNCERTAIN
    assert {r.field for r in verdict.reasons} == {"visa_j1", "step2_min", "yog_cutoff_years",
                                                  "usce_months_required", "application_deadline"}
    assert ranking.kept[0].probability > 0


def test_preferences_scope_programs() -> None:
    progs = [program(program_id="A", state="NY"), program(program_id="B", state="CA"),
             program(program_id="C", specialty="pediatrics", state="NJ")]
    facts = applicant(preferences=Preferences(specialties=("internal_medicine",), regions=("northeast",)))
    ranking = rank(build_table(progs), facts, TODAY)
    assert [ranking.table.programs[a.index].program_id for a in ranking.kept] == ["A"]
    assert ranking.out_of_scope == 2


PROGRAMS = [program(program_id=f"P{i}", step2_typical=str(215 + 5 * i), img_share_pct=str(10 * i),
                    state=["NY", "CA", "TX", "OH"][i % 4], usce_months_required="0") for i in range(8)]
TABLE = build_table(PROGRAMS)


def probs(facts):
    return interview_probabilities(TABLE, facts.standing(), range(len(TABLE)))


@settings(max_examples=60, deadline=None)
@given(score=st.integers(180, 280), bump=st.integers(1, 40), letters=st.integers(0, 6),
       extra_letters=st.integers(1, 4), weeks=st.integers(0, 30), extra_weeks=st.integers(1, 20))
def test_more_score_experience_or_letters_never_lower_a_probability(
    score: int, bump: int, letters: int, extra_letters: int, weeks: int, extra_weeks: int
) -> None:
    def facts(s: int, n_letters: int, n_weeks: int):
        from datetime import date, timedelta

        start = date(2025, 1, 6)
        rot = rotation("externship", "externship", start.isoformat(),
                       (start + timedelta(days=7 * n_weeks - 1)).isoformat(), completed=True, state="NY")
        return applicant(step2_score=s, us_letters_received=n_letters, rotations=(rot,) if n_weeks else ())

    base = probs(facts(score, letters, weeks))
    for better in (facts(score + bump, letters, weeks), facts(score, letters + extra_letters, weeks),
                   facts(score, letters, weeks + extra_weeks)):
        assert all(b >= a - 1e-12 for a, b in zip(base, probs(better), strict=True))


LOGODDS = st.floats(-12, 8)


@given(st.lists(LOGODDS, max_size=30), LOGODDS)
def test_adding_a_program_never_lowers_the_list_chance(xs: list[float], extra: float) -> None:
    shared = default_params().shared()
    assert chance_at_least_one_match(xs + [extra], shared) >= chance_at_least_one_match(xs, shared) - 1e-12


@given(st.lists(LOGODDS, min_size=1, max_size=30), st.integers(0, 29), st.floats(0.01, 5))
def test_a_better_standing_at_one_program_never_lowers_the_list_chance(xs: list[float], at: int, up: float) -> None:
    shared = default_params().shared()
    better = list(xs)
    better[at % len(xs)] += up
    assert chance_at_least_one_match(better, shared) >= chance_at_least_one_match(xs, shared) - 1e-12
    assert shared.probability(xs[0] + up) >= shared.probability(xs[0])


def test_the_list_chance_levels_off_below_the_ceiling() -> None:
    """The shared component: more and better programs approach 1 - season_failure, never 100%."""
    params = default_params()
    shared = params.shared()
    assert shared.ceiling == pytest.approx(1 - params.season_failure) and shared.ceiling < 1
    strong = [0.6] * 80  # 80 programs each giving a 65% interview chance from the measured standing
    assert shared.independent_chance(strong) > 0.99  # what independence used to claim
    assert shared.chance(strong) < shared.ceiling
    chances = [shared.chance([0.6] * n) for n in (10, 40, 80, 160, 400, 2000)]
    assert chances == sorted(chances) and chances[-1] <= shared.ceiling
    assert chances[-1] - chances[-2] < 0.01 and chances[-1] > shared.ceiling - 0.01


def test_gauss_hermite_nodes_integrate_the_normal() -> None:
    from math import exp, sqrt

    from imgcoach.matching.shared import _GH_NODES, _GH_WEIGHTS, logistic, shared_factor

    for power, moment in ((0, 1), (2, 1), (4, 3), (6, 15), (8, 105), (10, 945), (12, 10395)):
        assert sum(w * z**power for z, w in zip(_GH_NODES, _GH_WEIGHTS, strict=True)) == pytest.approx(moment)
    shared = shared_factor(1.3, 0.2, 0.07)
    for x in (-6.0, -3.1, -0.37, 0.0, 1.9, 4.4):  # the table against a fine direct integral
        grid = [-8 + 16 * i / 4000 for i in range(4001)]
        dens = [exp(-z * z / 2) for z in grid]
        direct = sum(d * logistic(x + 1.3 * z) for z, d in zip(grid, dens, strict=True)) / sum(dens)
        assert shared.probability(x) == pytest.approx(direct, abs=1e-4)
    assert sqrt(2) * 2.651961356835233 == pytest.approx(_GH_NODES[-1])


def test_top_factors_and_tiers_are_explained() -> None:
    from imgcoach.matching.explain import explain, explain_text

    ranking = rank(TABLE, applicant(home_states=frozenset({"NY"})), TODAY)
    data = explain(ranking, "P0")
    assert data["tier"] in ("reach", "target", "likely")
    assert data["top_factors"] and {"factor", "text", "logodds"} <= set(data["top_factors"][0])
    assert any(f["factor"] == "ties" for f in data["top_factors"]) or "ties to NY" in explain_text(ranking, "P0")
    assert "not a promise" in data["disclaimer"]


def test_years_since_graduation_say_how_they_are_counted() -> None:
    """The shortlist said "7 years since graduation at the 2027 Match" next to readiness's "6 full years before
    the 2026 submission date" for the same 2020 graduate: both true, read as a contradiction. The shortlist's
    count is by year (what a "graduated in 2021 or later" cutoff compares), and now says so."""
    from imgcoach.matching.model import applicant_factors
    from imgcoach.matching.params import default_params

    facts = replace(applicant(graduation_year=2020), match_year=2027)
    yog = next(f.text for f in applicant_factors(facts.standing(), default_params()) if f.key == "yog")
    assert yog == "7 years from graduation in 2020 to the 2027 Match (by year)"
