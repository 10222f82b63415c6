"""An estimated season's Match Week follows the NRMP's weekday pattern, not 2026's month and day.

Found on stop 45's walk: for a Match after the last known season (2026: Match Week 16-20 March, Match Day Friday
20 March) the dates were 2026's shifted by whole years, so Match 2028's Match Week "began" on Thursday 16 March
2028 and readiness's ECFMG certification was "due 2028-03-16". Match Day is the third Friday of March (season.toml
cites it), and Match Week runs from the Monday before it. The dates stay "estimated". Real SQLite through the CLI,
the context's fixed clock (25 November 2026: Match 2028).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import season_days
from tests.cli_helpers import run_cli


@pytest.mark.parametrize("year", range(2027, 2041))
def test_an_estimated_match_week_runs_monday_to_the_third_friday_of_march(year: int) -> None:
    days, estimated = season_days(year)
    assert estimated
    week = days["match_week"]
    match_day = week + timedelta(days=4)
    assert week.weekday() == 0 and match_day.weekday() == 4, (year, week)
    assert match_day.month == 3 and 15 <= match_day.day <= 21, (year, match_day)  # the third Friday


def test_the_known_season_keeps_its_own_dates() -> None:
    days, estimated = season_days(2026)
    assert not estimated and days["match_week"] == date(2026, 3, 16)  # Match Day 20 March 2026, a third Friday


def test_readiness_dates_ecfmg_certification_by_the_estimated_match_week(
    ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    readiness = run_cli(capsys, "readiness", "--json", "--db", db_url).json()
    assert readiness["match_year"] == 2028 and readiness["season_estimated"] is True
    (ecfmg,) = [c for c in readiness["checks"] if c["key"] == "exam:ecfmg_certification"]
    # Match Day 2028 is Friday 17 March; its week begins Monday 13 March (not Thursday 16 March).
    assert "due 2028-03-13 (the match week date: a planning rule of thumb)" in ecfmg["evidence"][0], ecfmg
    text = run_cli(capsys, "readiness", "--db", db_url).out
    assert ("(dates estimated: ERAS 2026's month and day, Match Week by the NRMP's pattern)"
            in text.splitlines()[0]), text
