"""The shipped synthetic dataset: big enough, every state, says it is synthetic, regenerates identically."""

from __future__ import annotations

import gzip
from collections import Counter

from imgcoach.matching.csv_reader import read_programs
from imgcoach.matching.generate import default_path, generate_rows, render_csv
from imgcoach.matching.vocab import REGION_OF
from imgcoach.matching.whatif import planned_vs_completed, with_step2
from tests.matching_support import TODAY, applicant, program, rotation


def test_shipped_sample_is_large_complete_and_marked_synthetic() -> None:
    raw = default_path().read_bytes()
    assert len(raw) < 1_000_000
    text = gzip.decompress(raw).decode()
    result = read_programs(text)
    assert len(result.programs) >= 5000
    assert "SYNTHETIC" in result.comments[0]
    assert all("SYNTHETIC" in p.source for p in result.programs)
    states = Counter(p.state for p in result.programs)
    assert set(REGION_OF) - {"PR"} <= set(states)  # all 50 states and DC
    assert len(Counter(p.specialty for p in result.programs)) >= 15
    # Shaped by the cited figures: about a quarter of programs do not state visa sponsorship.
    unknown_visa = sum(p.visa_j1.__class__.__name__ == "_Unknown" for p in result.programs) / len(result.programs)
    assert 0.2 < unknown_visa < 0.3


def test_generator_is_deterministic() -> None:
    assert render_csv(generate_rows(300, 1), 1) == render_csv(generate_rows(300, 1), 1)
    assert gzip.decompress(default_path().read_bytes()).decode() == render_csv(generate_rows())


def test_what_if_planned_rotations_and_step2() -> None:
    from imgcoach.matching.fees import load_schedule
    from imgcoach.matching.table import build_table

    progs = [program(program_id=f"U{i}", usce_months_required=str(i % 4), step2_min=str(225 + 5 * (i % 3)),
                     application_deadline="2027-10-01") for i in range(24)]
    table = build_table(progs)
    facts = applicant(step2_score=228, rotations=(
        rotation("IM externship", "externship", "2026-06-01", "2026-06-28", completed=True),
        rotation("cardiology observership", "observership", "2027-02-01", "2027-03-28", completed=False),
    ))
    fees = load_schedule()
    plan = planned_vs_completed(table, facts, TODAY, fees, budget_programs=10)
    assert plan.eligible_delta > 0 and plan.chance_delta >= 0
    assert plan.newly_eligible and not plan.no_longer_eligible
    assert "with the rotations you have planned" in plan.summary()
    score = with_step2(table, facts, TODAY, fees, 240, budget_programs=10)
    assert score.eligible_delta > 0 and score.chance_delta > 0
    assert score.to_dict()["alternative"]["label"] == "if your Step 2 CK were 240"


def test_a_what_if_says_the_difference_of_the_chances_it_shows() -> None:
    """84% (shown for 83.6%) against 85% (85.4%) was said to be "+2 points": the unrounded difference, 1.8. The
    points are now the difference of the two shown percents, and the base's chance is said beside its label."""
    from imgcoach.matching.whatif import Scenario, WhatIf

    what_if = WhatIf(Scenario("your Step 2 CK as entered (246)", 166, 0.836, 1754.0),
                     Scenario("if your Step 2 CK were 250", 166, 0.854, 1754.0), (), ())
    assert "about 85% (+1 points)" in what_if.summary()
    assert what_if.summary() == ("if your Step 2 CK were 250: 166 eligible programs (+0) and an estimated chance of "
                                 "matching of about 85% (+1 points) versus your Step 2 CK as entered (246): about 84%")
    assert what_if.to_dict()["chance_delta"] == 0.018  # the JSON keeps the unrounded difference
    tiny = WhatIf(Scenario("a", 1, 0.004, 11.0), Scenario("b", 1, 0.012, 11.0), (), ())
    assert "about 1% (+1 points) versus a: <1%" in tiny.summary()
