"""Experience is calendar time: two host-country rotations sharing days count those days once.

Found on stop 45's walk: an 8-week observership (1 March to 25 April 2027) and a 4-week externship (4 April to 1 May
2027) share 22 days, yet readiness said "planned 3 months (1 hands-on, 2 observing)" and "at risk: complete them",
and the shortlist said "US clinical experience 1 mo hands-on, 2 mo observing": 12 weeks of rotations in 9 weeks of
calendar. Both now count the union of the days (weeks shared with a hands-on rotation count as hands-on). Real
SQLite through the CLI, the context's fixed clock (25 November 2026: Match 2028, submission 3 September 2027).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.matching_support import csv_text, row


def _add(capsys: pytest.CaptureFixture[str], db_url: str, kind: str, start: str, end: str, mode: str) -> None:
    assert run_cli(capsys, "rotations", "add", "--kind", kind, "--specialty", "Internal Medicine",
                   "--institution", f"{kind} Hospital (fictional)", "--start", start, "--end", end, mode,
                   "--db", db_url).code == 0


def _usce(capsys: pytest.CaptureFixture[str], db_url: str) -> dict:  # type: ignore[type-arg]
    readiness = run_cli(capsys, "readiness", "--json", "--db", db_url).json()
    assert readiness["submission"] == "2027-09-03"
    (usce,) = [c for c in readiness["checks"] if c["key"] == "usce_months"]
    return usce  # type: ignore[no-any-return]


def test_overlapping_rotations_count_their_shared_days_once(
    ctx: Context, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    _add(capsys, db_url, "observership", "2027-03-01", "2027-04-25", "--observing")  # 8 weeks
    _add(capsys, db_url, "externship", "2027-04-04", "2027-05-01", "--hands-on")  # 4 weeks, 22 days shared
    usce = _usce(capsys, db_url)
    # 1 March to 1 May: 62 days, 9 weeks; the externship's 4 weeks hands-on, the 5 others observing only.
    assert usce["evidence"][0].startswith("Completed 0 months (0 hands-on, 0 observing); planned 2.25 months "
                                          "(1 hands-on, 1.25 observing)"), usce["evidence"][0]
    (said,) = [x for x in usce["evidence"] if "shared days once" in x]
    assert said.endswith("0.75 months fewer than their lengths added up"), said
    assert usce["status"] == "missing", usce  # 2.25 of the 3 months aimed at: not "complete them"
    assert usce["action"]["text"].startswith("Find 0.75 more months of host-country clinical experience"), usce

    path = tmp_path / "p.csv"
    path.write_text(csv_text(row(program_id="U1", usce_months_required="3", usce_hands_on_only="no",
                                 yog_cutoff_years="none"),
                             row(program_id="U2", step2_min="none", yog_cutoff_years="none")))  # listed: its factors
    assert run_cli(capsys, "programs", "import", str(path), "--db", db_url).code == 0
    explained = run_cli(capsys, "shortlist", "--explain", "U2", "--db", db_url).out
    assert "US clinical experience 1 mo hands-on, 1.25 mo observing with your planned rotations" in explained, \
        explained
    excluded = run_cli(capsys, "shortlist", "--explain", "U1", "--db", db_url).out
    assert ("requires 3 months of US clinical experience; you have 0 (2.25 with your planned rotations)"
            in excluded), excluded  # it said "your planned ... would make it 3" and met it by plan


def test_rotations_apart_count_as_before(
    ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    _add(capsys, db_url, "observership", "2027-03-01", "2027-04-25", "--observing")
    _add(capsys, db_url, "externship", "2027-05-03", "2027-05-30", "--hands-on")  # no day shared
    usce = _usce(capsys, db_url)
    assert usce["evidence"][0].startswith("Completed 0 months (0 hands-on, 0 observing); planned 3 months "
                                          "(1 hands-on, 2 observing)"), usce["evidence"][0]
    assert usce["status"] == "at_risk"
    assert not [x for x in usce["evidence"] if "shared days once" in x]
