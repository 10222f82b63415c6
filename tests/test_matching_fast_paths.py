"""The fast paths of ranking give exactly what the plain code gives, on the shipped sample and on the bench's
generated programs: `check_all` (eligibility parts cached per distinct requirement value) against `check`
program by program, and the bound's Newton solve against plain bisection."""

from __future__ import annotations

import math
from datetime import date
from functools import cache

import pytest

from imgcoach.matching.bound import _chance_and_slope, bound_shift
from imgcoach.matching.csv_reader import read_programs
from imgcoach.matching.eligibility import Context, check, check_all
from imgcoach.matching.facts import ApplicantFacts, Preferences, RotationFact
from imgcoach.matching.generate import generate_rows, render_csv
from imgcoach.matching.params import default_params
from imgcoach.matching.ranking import rank
from imgcoach.matching.table import ProgramTable, build_table
from tests.matching_support import TODAY
from tests.test_matching_anchors import sample


@cache
def sample_table() -> ProgramTable:
    return build_table(sample())


@cache
def generated_table() -> ProgramTable:
    return build_table(read_programs(render_csv(generate_rows(3000, 11))).programs)


def rot(label: str, kind: str, start: str, end: str, completed: bool, state: str | None = None) -> RotationFact:
    return RotationFact(label, kind, date.fromisoformat(start), date.fromisoformat(end), completed, state)


APPLICANTS = {
    "j1 with a planned externship": dict(
        step2_score=238, graduation_year=2022, visa_need="j1", us_letters_received=2,
        rotations=(rot("im externship", "externship", "2026-06-01", "2026-07-26", True, "NY"),
                   rot("cardiology observership", "observership", "2027-02-27", "2027-03-26", False, "NJ"),
                   rot("fm externship", "externship", "2027-04-05", "2027-06-27", False, "PA"))),
    "h1b without step 3, two attempts, no score": dict(
        step2_score=None, graduation_year=2015, visa_need="h1b", max_attempts_any_step=2, rotations=()),
    "either visa, observing only": dict(
        step2_score=221, graduation_year=2024, visa_need="j1_or_h1b",
        rotations=(rot("observership", "observership", "2026-01-05", "2026-04-26", True, "MI"),)),
    "late plan": dict(
        step2_score=245, graduation_year=2023, visa_need="j1",
        rotations=(rot("observership", "observership", "2026-01-05", "2026-02-01", True, "NY"),
                   rot("late externship", "externship", "2027-09-01", "2027-11-20", False, "NY"))),
    "no visa, strong": dict(step2_score=268, graduation_year=2025, visa_need="none", img_group="us_img",
                            rotations=(rot("externship", "externship", "2026-01-05", "2026-06-21", True, "NY"),)),
}


def facts_for(name: str, match_year: int = 2028) -> ApplicantFacts:
    base: dict[str, object] = {"match_year": match_year, "preferences": Preferences()}
    base.update(APPLICANTS[name])
    return ApplicantFacts(**base)  # type: ignore[arg-type]


# Today, and a day when part of the sample's deadlines (2027-09-15 to 2027-12-04) have passed, and a Match
# whose season starts after them (stale deadlines).
DAYS = {"today": (TODAY, 2028), "mid-season": (date(2027, 10, 20), 2028), "next season": (TODAY, 2029)}


@pytest.mark.parametrize("day", list(DAYS))
@pytest.mark.parametrize("include_planned", [True, False])
@pytest.mark.parametrize("name", list(APPLICANTS))
@pytest.mark.parametrize("which", ["shipped sample", "generated"])
def test_check_all_gives_check_s_verdicts_program_by_program(which: str, name: str, include_planned: bool,
                                                             day: str) -> None:
    table = sample_table() if which == "shipped sample" else generated_table()
    today, match_year = DAYS[day]
    ctx = Context.make(facts_for(name, match_year).standing(include_planned=include_planned), today)
    indices = list(range(len(table)))
    fast = check_all(table, indices, ctx)
    plain = [check(table, i, ctx) for i in indices]
    assert fast == plain
    assert len({v.status for v in plain}) >= 2 and any(v.reasons for v in plain)  # real, varied verdicts


def test_the_cases_reach_every_status_and_every_requirement() -> None:
    seen_status, seen_codes = set(), set()
    for name in APPLICANTS:
        for planned, (today, match_year) in ((p, d) for p in (True, False) for d in DAYS.values()):
            ctx = Context.make(facts_for(name, match_year).standing(include_planned=planned), today)
            for table in (sample_table(), generated_table()):
                for v in check_all(table, list(range(len(table))), ctx):
                    seen_status.add(v.status)
                    seen_codes |= {r.code for r in v.reasons}
    assert seen_status == {"eligible", "uncertain", "conditional", "excluded"}
    assert {"visa", "step2_below", "step2_pending", "yog_over", "usce_short", "usce_by_plan", "attempts_over",
            "h1b_step3", "usce_after_deadline", "deadline_passed", "deadline_stale", "usce_type_unknown"} <= seen_codes, \
        seen_codes


@pytest.mark.parametrize("name", list(APPLICANTS))
@pytest.mark.parametrize("which", ["shipped sample", "generated"])
def test_ranking_is_the_same_with_the_plain_checks(which: str, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped sample and the bench's kind of seeded generated programs (where the cached requirement
    codes and joined parts do the most work)."""
    from imgcoach.matching import ranking

    table = sample_table() if which == "shipped sample" else generated_table()
    facts = facts_for(name)
    fast = rank(table, facts, TODAY)
    assert rank(table, facts, TODAY) == fast  # the second ranking reuses the table's requirement codes
    monkeypatch.setattr(ranking, "check_all", lambda table, idx, ctx: [check(table, i, ctx) for i in idx])
    plain = rank(table, facts, TODAY)
    assert [(a.index, a.verdict, a.probability, a.logodds, a.tier) for a in fast.kept] == \
        [(a.index, a.verdict, a.probability, a.logodds, a.tier) for a in plain.kept]
    assert [(a.index, a.verdict) for a in fast.excluded] == [(a.index, a.verdict) for a in plain.excluded]


def _bisect(shared, best: list[float], limit: float) -> float:  # type: ignore[no-untyped-def]
    lo, hi = -30.0, 0.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if shared.chance([x + mid for x in best]) > limit:
            hi = mid
        else:
            lo = mid
    return lo


@pytest.mark.parametrize("limit", [0.02, 0.15, 0.41, 0.6])
@pytest.mark.parametrize("best", [[-1.0] * 60, [1.5 - 0.05 * k for k in range(60)], [0.3, -2.0, 2.5]])
def test_bound_solve_matches_plain_bisection(best: list[float], limit: float) -> None:
    shared = default_params().shared()
    if shared.chance(best) <= limit:
        assert bound_shift(shared, best, limit) == 0.0
        return
    d = bound_shift(shared, best, limit)
    assert d == pytest.approx(_bisect(shared, best, limit), abs=1e-7)
    assert shared.chance([x + d for x in best]) <= limit + 1e-12
    assert _chance_and_slope(shared, best, d)[0] == pytest.approx(shared.chance([x + d for x in best]), abs=1e-12)
    assert math.isfinite(d) and d < 0
