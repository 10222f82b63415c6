"""Issue 15: `shortlist --json` carries the chance-by-budget curve the app draws, with a range at every point and the
optimiser's next programs past the budget (marked), and nothing the list states at the budget changes.

Every figure is checked against another output of the same database (the list's own keys, the same command with
another budget, the matching API), never against a number written here.
"""

from __future__ import annotations

from typing import Any

import pytest

from imgcoach import matching
from imgcoach.core.context import Context
from imgcoach.matching.fees import load_schedule
from imgcoach.matching.optimiser import Candidate, choose
from tests.cli_helpers import run_cli


def _json(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> Any:
    result = run_cli(capsys, "shortlist", "--json", *args, "--db", url)
    assert result.code == 0, result.err
    return result.json()


@pytest.mark.parametrize("budget", [(), ("--budget", "30"), ("--budget-usd", "1500")], ids=["own", "30", "usd"])
def test_the_json_carries_the_curve_ending_at_the_lists_own_figures(demo_ctx: Context, budget: tuple[str, ...],
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Before, `shortlist --json` had no "curve": a script could not get what the app's picture shows."""
    data = _json(capsys, demo_ctx.db.url, *budget)
    curve = data["curve"]
    points = curve["points"]
    within = [p for p in points if p["within_budget"]]
    beyond = [p for p in points if not p["within_budget"]]
    assert points == within + beyond and beyond, "the points past the budget follow the list's"
    assert [p["added_program_id"] for p in within] == [p["id"] for p in data["programs"]]
    assert (curve["programs_within_budget"], curve["programs_beyond_budget"]) == (len(within), len(beyond))
    assert not {p["added_program_id"] for p in beyond} & {p["id"] for p in data["programs"]}
    assert [p["programs"] for p in points] == list(range(1, len(points) + 1))
    at_budget = within[-1]
    assert at_budget["chance"] == data["chance_of_at_least_one_match"]
    assert [at_budget["chance_low"], at_budget["chance_high"]] == data["chance_range"]
    assert at_budget["fee_usd"] == data["total_fee_usd"]
    for p in points:
        assert p["chance_low"] <= p["chance"] <= p["chance_high"]
    chances = [p["chance"] for p in points]
    assert chances == sorted(chances) and chances[-1] > at_budget["chance"], "more programs never lower the chance"
    fees = [p["fee_usd"] for p in points]
    assert fees == sorted(fees)
    if "--budget-usd" in budget:
        assert fees[-1] <= 1.5 * 1500 < fees[-1] + 100
    else:
        assert len(points) == -(-len(within) * 3 // 2)  # 1.5 x the budget, rounded up
    assert curve["beyond_budget"] and f"next {len(beyond)} programs" in curve["beyond_budget"]
    assert curve["stop_text"] == data["stop_here"]["text"]
    # The same key with the same meaning: the curve said null where `stop_here` said the list's length.
    assert curve["stop_after_programs"] == data["stop_here"]["stop_after_programs"] is not None
    assert any("point estimate" in a for a in curve["assumptions"])


def test_past_a_budget_in_programs_each_point_is_what_that_budget_states(demo_ctx: Context,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Top-k is exactly optimal, so the curve's point k (inside the budget or past it) is the list `--budget k`
    prints: its chance and its range, by the range's one rule."""
    url = demo_ctx.db.url
    points = _json(capsys, url, "--budget", "20")["curve"]["points"]
    for k in (1, 7, 20, 24, 30):
        other = _json(capsys, url, "--budget", str(k))
        point = points[k - 1]
        assert point["within_budget"] == (k <= 20)
        assert point["chance"] == other["chance_of_at_least_one_match"], k
        assert [point["chance_low"], point["chance_high"]] == other["chance_range"], k
        assert point["fee_usd"] == other["total_fee_usd"]
        assert point["added_program_id"] == other["programs"][-1]["id"]


def test_the_points_range_follows_the_specialty_bound_as_the_budgets_does(demo_ctx: Context) -> None:
    """Where the selective-specialty bound holds a scenario down (psychiatry, for the demo's non-U.S. IMG, from
    about 27 programs on), each point's range is the one `select` states for that budget (the bound over that
    prefix's programs), not the budget's range carried along nor the range without the bound."""
    from imgcoach.matching.shortlist import range_logodds, unbounded_range_logodds
    from imgcoach.plan.profile import set_profile

    set_profile(demo_ctx, target_specialties=["Psychiatry"])
    result, _, _, _ = matching.compute(demo_ctx, budget_programs=30)
    curve = matching.budget_curve(result)
    assert len(curve.within) == 30 < len(curve.points) <= 45
    ranking, shared = result.ranking, result.ranking.table.params.shared()
    by_id = {ranking.table.programs[a.index].program_id: a for a in ranking.kept}
    held = 0
    for k in (3, 20, 27, 30, 36, len(curve.points)):
        other, _, _, _ = matching.compute(demo_ctx, budget_programs=k)
        point = curve.points[k - 1]
        assert point.chance == pytest.approx(other.chance, abs=1e-12)
        assert (point.chance_low, point.chance_high) == pytest.approx((other.chance_low, other.chance_high), abs=1e-12)
        chosen = [by_id[e.program_id] for e in other.entries]
        free = range_logodds(ranking, chosen, *unbounded_range_logodds(ranking, chosen), lambda *_: 0.0)
        held += (shared.chance(free[0]), shared.chance(free[1])) != (point.chance_low, point.chance_high)
    assert held >= 2, "the bound binds at some of these prefixes (else this test shows nothing)"
    assert (curve.within[-1].chance_low, curve.within[-1].chance_high) == (result.chance_low, result.chance_high)


@pytest.mark.parametrize("budget", [{"budget_programs": 25}, {"budget_usd": 400.0}], ids=["programs", "usd"])
@pytest.mark.parametrize("factors", [False, True], ids=["one-factor", "factors-differ"])
def test_going_past_the_budget_changes_nothing_the_optimiser_states_at_it(demo_ctx: Context, budget: dict[str, Any],
                                                                          factors: bool) -> None:
    """The next picks are made after the budget's list and bound are final: picks, chance, fees and the tangent
    bound are the same with and without them (also for the greedy a budget in programs takes when factors differ)."""
    result, _, _, _ = matching.compute(demo_ctx)
    table = result.ranking.table
    candidates = [Candidate(a.index, table.specialty[a.index], a.logodds, 0.7 if factors and n % 3 == 0 else 1.0)
                  for n, a in enumerate(result.ranking.kept)]
    shared, fees = table.params.shared(), load_schedule()
    alone = choose(candidates, shared, fees, **budget)
    more = choose(candidates, shared, fees, **budget, extend=0.5)
    assert alone.beyond == [] and more.beyond
    assert (more.picks, more.chance, more.total_fee_usd, more.bound_chance) == \
        (alone.picks, alone.chance, alone.total_fee_usd, alone.bound_chance)
    keys = [p.candidate.key for p in more.picks + more.beyond]
    assert len(set(keys)) == len(keys)
    assert all(b.gain >= 0 for b in more.beyond) and more.beyond[0].chance_after >= more.chance


def test_the_kept_answer_carries_the_curve_and_is_the_full_paths(demo_ctx: Context, db_engine: str) -> None:
    """`shortlist --json` from the kept answer (cli.quick) is byte for byte the full path's, and both carry the
    curve: the kept text is the output of this code (its key holds every package file, storage.readcache), so an
    answer kept by a version without the curve is not served."""
    from tests.test_cli_quickread import HEAVY, run

    if db_engine != "sqlite":
        pytest.skip("the quick read answers from SQLite files only")
    url = demo_ctx.db.url
    demo_ctx.db.close()
    for _ in range(2):  # the first run marks changes seen; the second is kept
        run("--db", url, "shortlist", "--json", full=True)
    kept, slow = run("--db", url, "shortlist", "--json"), run("--db", url, "shortlist", "--json", full=True)
    assert not set(HEAVY) & kept.modules, "answered from the kept text"
    assert (kept.code, kept.err, kept.out) == (slow.code, slow.err, slow.out) and kept.code == 0
    import json

    assert json.loads(kept.out)["curve"]["points"], "the kept answer has the curve"
