"""A profile may set both budgets (`profile set --budget-programs 40 --budget-usd 200`), and `profile show` lists
both. The shortlist used only the programs budget and dropped the dollars unsaid: it said "budget: 40 programs"
and chose a $630 list for an applicant who can spend $200. Now the list keeps within each, and the CLI text, the
JSON and the app's Shortlist (runs.current) say both budgets."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.matching import runs as service
from tests.cli_helpers import run_cli
from tests.matching_support import csv_text, row


def _programs(tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str], programs: int, usd: int) -> None:
    path = tmp_path / "im.csv"
    path.write_text(csv_text(*[row(program_id=f"IM{i:02d}", name=f"IM {i}", img_share_pct=40 + i % 20,
                                   yog_cutoff_years="none")
                               for i in range(50)]))
    assert run_cli(capsys, "programs", "import", str(path), "--db", db_url).code == 0
    assert run_cli(capsys, "profile", "set", "--budget-programs", str(programs), "--budget-usd", str(usd),
                   "--db", db_url).code == 0


def test_the_dollar_budget_holds_when_the_program_count_would_cost_more(
    ctx: Context, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    _programs(tmp_path, db_url, capsys, 40, 200)  # 40 internal medicine programs cost $630 in ERAS fees
    data = run_cli(capsys, "shortlist", "--json", "--db", db_url).json()
    fees = [p["fee_usd"] for p in data["programs"]]
    assert 0 < len(fees) <= 40 and sum(fees) == data["total_fee_usd"] <= 200
    assert len(fees) == 18  # 18 x $11 = $198: the most $200 buys
    assert data["budget"]["profile_both"] == {"programs": 40, "usd": 200.0}
    assert (data["budget"]["programs"], data["budget"]["usd"]) == (40, 200.0)
    assert "40 programs and $200 in application fees" in data["budget"]["text"]
    text = run_cli(capsys, "shortlist", "--db", db_url).out
    assert "budget: 40 programs and $200 in application fees" in text and "application fees $198" in text
    current = service.current(ctx).shortlist  # what the app's Shortlist shows
    assert current.total_fee_usd == 198 and len(current.entries) == 18


def test_the_program_count_holds_when_it_costs_less_than_the_dollars(
    ctx: Context, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    _programs(tmp_path, db_url, capsys, 5, 500)
    data = run_cli(capsys, "shortlist", "--json", "--db", db_url).json()
    assert len(data["programs"]) == 5 and data["total_fee_usd"] == 55
    assert data["budget"]["profile_both"] == {"programs": 5, "usd": 500.0}


def test_when_both_limit_the_list_keeps_within_each(
    demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    """The demo's 40 programs over two specialties cost more than $600, and $600 buys more than 40: neither
    budget alone gives a list that keeps the other."""
    url = demo_ctx.db.url
    assert run_cli(capsys, "profile", "set", "--budget-programs", "40", "--budget-usd", "600", "--db", url).code == 0
    data = run_cli(capsys, "shortlist", "--json", "--db", url).json()
    fees = [p["fee_usd"] for p in data["programs"]]
    assert 30 < len(fees) <= 40 and sum(fees) == data["total_fee_usd"] <= 600
    assert (data["budget"]["programs"], data["budget"]["usd"]) == (40, 600.0)


def test_a_what_if_keeps_to_both_budgets_too(
    demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    """`--what-if-step2` compared with a list held to the count kept for the applicant's own list (39 programs),
    no budget they set: its other score's list is the one the profile's two budgets give that score."""
    url = demo_ctx.db.url
    assert run_cli(capsys, "profile", "set", "--budget-programs", "40", "--budget-usd", "600", "--db", url).code == 0
    data = run_cli(capsys, "shortlist", "--json", "--what-if-step2", "260", "--db", url).json()
    alternative = data["what_if"]["alternative"]
    own, _, _, _ = service.compute(demo_ctx, step2_score=260)  # the profile's budgets, the other score
    assert own.profile_budgets == (40, 600.0) and len(own.entries) <= 40 and own.total_fee_usd <= 600
    assert (alternative["total_fee_usd"], alternative["chance_of_at_least_one_match"]) == (
        own.total_fee_usd, round(own.chance, 4))
    assert data["what_if"]["base"]["total_fee_usd"] == data["total_fee_usd"]
