"""Why nothing is eligible (counts per failed requirement) and where more money stops helping."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from imgcoach.matching import programs as programs_service
from imgcoach.matching import runs as service
from imgcoach.matching.advice import STOP_POINTS_PER_100_USD, points_per_100, stop_advice
from imgcoach.plan import exams
from tests.cli_helpers import run_cli
from tests.matching_support import csv_text, row


def test_nothing_eligible_says_why_with_counts(
    ctx: Context, tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    exams.add_exam(ctx, "Step 2 CK", date(2026, 5, 1), score=230)
    path = tmp_path / "p.csv"
    path.write_text(csv_text(
        row(program_id="A", step2_min="250", yog_cutoff_years="none"),
        row(program_id="B", step2_min="250", visa_j1="no", yog_cutoff_years="none"),
        row(program_id="C", visa_j1="no", yog_cutoff_years="none"),
        row(program_id="D", specialty="psychiatry"),  # outside the profile's Internal Medicine
    ))
    programs_service.import_programs(ctx, path)
    shortlist, _, _, _ = service.compute(ctx)
    assert shortlist.entries == []
    assert [(c.code, c.programs) for c in shortlist.exclusions] == [("step2_below", 2), ("visa", 2)]
    why = shortlist.why_nothing_eligible()
    assert why == ("no eligible program: all 3 programs in your preferences fail a requirement (1 more are outside "
                   "your preferences): Step 2 CK minimum above your score: 2; does not sponsor the visa you need: 2")
    data = run_cli(capsys, "shortlist", "--json", "--db", str(db_path)).json()
    assert data["why_nothing_eligible"] == why and data["exclusions"][0] == {
        "reason": "step2_below", "label": "Step 2 CK minimum above your score", "programs": 2}
    assert why in run_cli(capsys, "shortlist", "--db", str(db_path)).out


@dataclass
class _Pick:
    gain: float
    fee_usd: float


def test_stop_here_is_where_the_marginal_gain_per_100_usd_falls_under_the_threshold() -> None:
    # 0.5 points for $11 -> 4.5 pts/$100; 0.02 points for $30 -> 0.067 pts/$100
    picks = [_Pick(0.005, 11)] * 3 + [_Pick(0.0002, 30)] * 4
    advice = stop_advice(picks)
    assert advice is not None and advice.programs == 3 and advice.fee_usd == 33
    assert advice.points_per_100_usd_after == pytest.approx(points_per_100(0.0002, 30))
    assert advice.points_per_100_usd_after < STOP_POINTS_PER_100_USD
    assert advice.text(7).startswith("stop here: after 3 programs ($33) each further $100 adds at most 0.07 points")
    still = stop_advice([_Pick(0.005, 11)] * 3)
    assert still is not None and "more money can still help" in still.text(3)
    assert stop_advice([]) is None
