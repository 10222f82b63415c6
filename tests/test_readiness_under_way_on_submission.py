"""A rotation running through the application submission date: readiness's months counted its full weeks served
by then ("under way on the submission date"), while the recency check said "No host-country rotation ends by the
submission date" (not met) and the specialty check said "No Internal Medicine rotation ending ..." (not met) of
the same rotation, and the shortlist left it out whole ("not counted"). Now all count it alike: its weeks served
by the submission date, said in the same words everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.matching import runs as service
from imgcoach.plan import UNDER_WAY_WORDS
from tests.cli_helpers import run_cli
from tests.matching_support import csv_text, row

# The test clock is 25 Nov 2026: the 2028 Match, submission 2027-09-03 (estimated). 2027-07-19 to 2027-10-10 runs
# through it: 46 days, 6 full weeks served by then = 1.5 months (4 weeks a month).
START, END, SUBMISSION = "2027-07-19", "2027-10-10", "2027-09-03"


def _add(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    added = run_cli(capsys, "rotations", "add", "--kind", "externship", "--specialty", "Internal Medicine",
                    "--institution", "Riverside General (fictional)", "--start", START, "--end", END, "--hands-on",
                    "--db", db_url)
    assert added.code == 0, added.err


def test_the_three_readiness_checks_agree_on_a_rotation_under_way_on_the_submission_date(
    ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    _add(db_url, capsys)
    data = run_cli(capsys, "readiness", "--json", "--db", db_url).json()
    assert data["submission"] == SUBMISSION
    checks = {c["key"]: c for c in data["checks"]}
    months, recency, specialty = checks["usce_months"], checks["recency"], checks["specialty:Internal Medicine"]
    assert "planned 1.5 months (1.5 hands-on" in months["evidence"][0]
    assert any(f"{UNDER_WAY_WORDS}: 6 weeks served by then counted" in e for e in months["evidence"])
    # what the months count, the other two count: at risk until served, not "not met"
    assert recency["status"] == "at_risk" and specialty["status"] == "at_risk"
    for check in (recency, specialty):
        (line,) = check["evidence"]
        assert f"{UNDER_WAY_WORDS} ({SUBMISSION}): 6 weeks served by then counted" in line
        assert "No " not in line
        assert check["action"]["due"] == SUBMISSION
    text = run_cli(capsys, "readiness", "--db", db_url).out
    assert "No host-country rotation ends by" not in text and "No Internal Medicine rotation ending" not in text


def test_the_shortlist_counts_the_same_weeks(
    ctx: Context, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    _add(db_url, capsys)
    path = tmp_path / "p.csv"
    path.write_text(csv_text(row(program_id="NEEDS1", usce_months_required="1", yog_cutoff_years="none",
                                 application_deadline="2027-10-15")))
    assert run_cli(capsys, "programs", "import", str(path), "--db", db_url).code == 0
    shortlist, _, inputs, _ = service.compute(ctx)
    standing = shortlist.ranking.standing
    assert standing.hands_on_months == 1.5  # readiness's "planned 1.5 months (1.5 hands-on ...)"
    data = run_cli(capsys, "shortlist", "--json", "--db", db_url).json()
    (program,) = data["programs"]
    (reason,) = [r for r in program["reasons"] if "requires 1 month" in r]
    assert "would make it 1.5" in reason and UNDER_WAY_WORDS in reason and SUBMISSION in reason
    warnings = " ".join(data["warnings"])
    assert "not counted: internal medicine externship" not in warnings
    assert f"counted up to the submission date only: internal medicine externship ending {END}: 1.5 months" in warnings
