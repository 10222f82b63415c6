"""A season's estimated ERAS dates are said to be estimated, and from what, wherever one is shown.

For a Match after the last season in season.toml (2026), the ERAS dates are 2026's month and day moved to the
later year. Readiness's first line said "dates estimated: the last known season's ERAS dates" (which read as that
season's own days), and the shortlist's warning gave "the 2028 Match's submission date (2027-09-03)" with no word
that the date is an estimate. Both now say it in one phrase (plan.estimate_words): "estimated: ERAS 2026's month
and day". The fixed clock is 25 November 2026: Match 2028, submission 2027-09-03, estimated.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_exam, add_rotation
from tests.cli_helpers import run_cli
from tests.matching_support import csv_text, row


def test_the_shortlist_says_its_submission_date_is_estimated(
        ctx: Context, db_url: str, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="Lake Hospital (fictional)",
                 state="NJ", country="US", start_date=date(2027, 10, 4), end_date=date(2027, 12, 26), hands_on=True)
    add_exam(ctx, "Step 2 CK", date(2026, 5, 1), score=245)
    path = tmp_path / "p.csv"
    path.write_text(csv_text(row(program_id="P1", usce_months_required="3", application_deadline="unknown",
                                 yog_cutoff_years="none")))
    assert run_cli(capsys, "programs", "import", str(path), "--db", db_url).code == 0
    shown = run_cli(capsys, "shortlist", "--db", db_url)
    assert shown.code == 0, shown.err
    assert ("after the 2028 Match's submission date (2027-09-03, estimated: ERAS 2026's month and day)"
            in " ".join(shown.out.split())), shown.out


def test_readiness_names_the_season_its_dates_are_estimated_from(
        ctx: Context, db_url: str, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    first = run_cli(capsys, "readiness", "--db", db_url).out.splitlines()[0]
    assert first.endswith("submission 2027-09-03 (dates estimated: ERAS 2026's month and day, Match Week by the "
                          "NRMP's pattern)"), first


def test_a_season_in_the_table_is_not_called_estimated() -> None:
    from imgcoach.plan import estimate_words

    assert estimate_words(2026) == ""
    assert estimate_words(2028) == "estimated: ERAS 2026's month and day"
