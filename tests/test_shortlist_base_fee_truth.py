"""SF Match's base fee ($60 for the first 10 ophthalmology applications) is the price of the first application:
`shortlist --budget-usd` left it outside the budget, priced the first 10 ophthalmology programs at $0 and chose
them under a budget that could not pay it. Now it is charged with the first program of the specialty, so the
shown fees add up to the total in the text, the JSON and the app's Shortlist alike."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from imgcoach.matching import runs as service
from imgcoach.matching.advice import stop_advice
from imgcoach.matching.fees import load_schedule
from imgcoach.matching.optimiser import Candidate, best_subset_exhaustive, choose
from imgcoach.matching.params import default_params
from tests.cli_helpers import run_cli
from tests.matching_support import csv_text, row

BASE = "SF Match CAS base distribution fee (covers the first 10 ophthalmology programs)"


def _ophthalmology(tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str], n: int = 14) -> None:
    """Programs imported and the profile set through the CLI, as a user would."""
    path = tmp_path / "eye.csv"
    path.write_text(csv_text(*[row(program_id=f"OP{i:02d}", name=f"Eye {i}", specialty="Ophthalmology",
                                   yog_cutoff_years="none") for i in range(n)]))
    assert run_cli(capsys, "programs", "import", str(path), "--db", db_url).code == 0
    assert run_cli(capsys, "profile", "set", "--specialties", "Ophthalmology", "--db", db_url).code == 0


def test_a_budget_under_the_base_fee_buys_no_ophthalmology_application(
    ctx: Context, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _ophthalmology(tmp_path, db_url, capsys)
    data = run_cli(capsys, "shortlist", "--json", "--budget-usd", "50", "--db", db_url).json()
    assert data["programs"] == [] and data["total_fee_usd"] == 0
    shortlist, _, _, _ = service.compute(ctx, budget_usd=50)
    assert shortlist.entries == [] and "fits your budget of $50 in application fees (the cheapest first application costs $60)" in (
        shortlist.why_nothing_eligible() or "")


@pytest.mark.parametrize("budget", [60, 100, 175])
def test_the_shown_fees_add_up_to_what_the_applicant_pays(
    ctx: Context, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str], budget: int
) -> None:
    _ophthalmology(tmp_path, db_url, capsys)
    data = run_cli(capsys, "shortlist", "--json", "--budget-usd", str(budget), "--db", db_url).json()
    fees = [p["fee_usd"] for p in data["programs"]]
    n = len(fees)
    assert n == {60: 10, 100: 14, 175: 14}[budget]
    paid = load_schedule().total(["ophthalmology"] * n)  # 60 for 1-10, then $10 each
    assert paid == 60 + 10 * max(n - 10, 0)
    assert sum(fees) == data["total_fee_usd"] == paid <= budget
    assert fees[0] == 60 and data["programs"][0]["fee_includes_base_usd"] == 60
    assert all(p["fee_includes_base_usd"] == 0 for p in data["programs"][1:])
    assert any("includes the $60 " + BASE in a for a in data["programs"][0]["what_is_assumed"])
    assert BASE not in [f["what"] for f in data["one_time_fees"]]  # counted once: not also "beside the budget"
    # the text: the fee column adds up to the "application fees $X" it states
    text = run_cli(capsys, "shortlist", "--budget-usd", str(budget), "--db", db_url).out
    column = [int(m) for m in re.findall(r"^\d+\s+OP\d\d .*?\$(\d+)", text, flags=re.M)]
    assert sum(column) == paid and f"application fees ${paid:,.0f}" in text
    assert "fee incl. $60 base" in text and "its base fee is a one-time fee" not in text
    # the app's Shortlist model: the same numbers
    shortlist, _, _, _ = service.compute(ctx, budget_usd=budget)
    assert [e.fee_usd for e in shortlist.entries] == fees and shortlist.total_fee_usd == paid


@pytest.mark.parametrize("seed", range(8))
def test_the_optimiser_pays_the_base_fee_and_its_bound_still_bounds(seed: int) -> None:
    """Ophthalmology beside internal medicine on small instances: the greedy list pays the base fee within the
    budget, is within 1% of the exhaustive optimum, and the certified bound is above that optimum."""
    rng = random.Random(300 + seed)
    cands = [Candidate(i, rng.choice(["ophthalmology", "internal_medicine"]), rng.uniform(-4.0, 1.0))
             for i in range(13)]
    shared, fees = default_params().shared(), load_schedule()
    budget = rng.choice([30, 59, 60, 75, 100])
    greedy = choose(cands, shared, fees, budget_usd=budget)
    best, _ = best_subset_exhaustive(cands, shared, fees, budget_usd=budget)
    chosen = [p.candidate.specialty for p in greedy.picks]
    assert greedy.total_fee_usd == pytest.approx(sum(p.fee_usd for p in greedy.picks))
    assert greedy.total_fee_usd == pytest.approx(fees.total(chosen)) and greedy.total_fee_usd <= budget
    assert greedy.chance >= best - 0.01 * best
    assert greedy.bound_chance >= best - 1e-12


@dataclass
class _Pick:
    gain: float
    fee_usd: float


def test_where_to_stop_counts_the_programs_the_base_fee_already_bought() -> None:
    """Priced alone, each of the 9 programs after the first read "0.00 points per $100" (they cost $0), so the list
    said "stop here: after 1 program ($60) ... the rest of this list adds about nothing" of nine free programs."""
    picks = [_Pick(0.004, 60)] + [_Pick(0.003, 0)] * 9 + [_Pick(0.000001, 10)] * 3
    advice = stop_advice(picks)
    assert advice is not None and advice.programs == 10 and advice.fee_usd == 60
    assert advice.text(13).startswith("stop here: after 10 programs ($60)")
    whole = stop_advice(picks[:10])
    assert whole is not None and whole.last_programs == 10
    assert whole.text(10).startswith("the last 10 programs (one fee buys them) still add 5.")


def test_the_cli_does_not_say_stop_after_the_first_ophthalmology_program(
    ctx: Context, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _ophthalmology(tmp_path, db_url, capsys)
    data = run_cli(capsys, "shortlist", "--json", "--budget-usd", "60", "--db", db_url).json()
    assert len(data["programs"]) == 10
    assert "after 1 program" not in data["stop_here"]["text"] and data["stop_here"]["stop_after_programs"] == 10


def test_the_curve_prices_each_free_program_at_its_purchase_rate(
    ctx: Context, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The curve said "0 points per $100" of each program the base fee had paid for, as though it added nothing."""
    _ophthalmology(tmp_path, db_url, capsys)
    data = run_cli(capsys, "shortlist", "--json", "--budget-usd", "60", "--db", db_url).json()
    points = [p for p in data["curve"]["points"] if p["within_budget"]]
    assert len(points) == 10 and [p["fee_usd"] for p in points] == [60] * 10  # running total: $60 from the first
    rate = points[0]["points_per_100_usd"]
    assert rate > 0 and all(p["points_per_100_usd"] == rate for p in points)
    assert rate == pytest.approx(data["stop_here"]["last_points_per_100_usd"], abs=1e-4)


def test_with_nothing_chosen_the_one_time_fees_are_said_as_if_you_apply(
    ctx: Context, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A budget that buys nothing still listed the ECFMG token and the rest under "one-time fees, not in the
    program budget:", as if they were part of an application that the list does not make."""
    _ophthalmology(tmp_path, db_url, capsys)
    text = run_cli(capsys, "shortlist", "--budget-usd", "50", "--db", db_url).out
    assert "one-time fees, not in the program budget:" not in text
    assert "one-time fees you would also pay if you apply (none now: no program is chosen):" in text
    data = run_cli(capsys, "shortlist", "--json", "--budget-usd", "50", "--db", db_url).json()
    assert data["programs"] == [] and data["one_time_fees"] and data["one_time_fees_apply"] is False
    chosen = run_cli(capsys, "shortlist", "--budget-usd", "100", "--db", db_url).out
    assert "one-time fees, not in the program budget:" in chosen and "if you apply" not in chosen
    assert run_cli(capsys, "shortlist", "--json", "--budget-usd", "100", "--db", db_url).json()["one_time_fees_apply"]
