"""A program requiring US clinical experience without saying whether observerships count: the shortlist said
"you have 0 hands-on and 1 observing" while readiness said "Completed 1.75 months (0.75 hands-on, ...)" of the same
plan, the difference being the weeks served of a hands-on rotation still under way. It now says which months it
counts ("from rotations that have ended"), as its "not enough" reason already did."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.matching_support import csv_text, row


def test_the_hands_on_months_say_they_are_from_ended_rotations(
    ctx: Context, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    for args in (("observership", "2026-06-01", "2026-06-28", "--observing"),  # 4 weeks, ended
                 ("externship", "2026-11-02", "2026-12-27", "--hands-on")):  # under way on 25 Nov: 3 weeks served
        kind, start, end, mode = args
        assert run_cli(capsys, "rotations", "add", "--kind", kind, "--specialty", "Internal Medicine",
                       "--institution", f"{kind} Hospital (fictional)", "--start", start, "--end", end, mode,
                       "--db", db_url).code == 0
    path = tmp_path / "p.csv"
    path.write_text(csv_text(row(program_id="U1", usce_months_required="1", usce_hands_on_only="unknown",
                                 yog_cutoff_years="none")))
    assert run_cli(capsys, "programs", "import", str(path), "--db", db_url).code == 0
    readiness = run_cli(capsys, "readiness", "--json", "--db", db_url).json()
    (usce,) = [c for c in readiness["checks"] if c["key"] == "usce_months"]
    assert usce["evidence"][0].startswith("Completed 1.75 months (0.75 hands-on, 1 observing, 0.75 of them in a "
                                          "rotation under way)")
    (program,) = run_cli(capsys, "shortlist", "--json", "--db", db_url).json()["programs"]
    (reason,) = [r for r in program["reasons"] if "requires 1 month" in r]
    assert reason == ("requires 1 month of US clinical experience; you have 0 hands-on and 1 observing from rotations "
                      "that have ended; unknown whether observerships count")
