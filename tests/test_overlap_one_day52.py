"""A clash of one working day was written as a range from that day to itself: `rotations add` warned '... overlaps
full-time Mercy Hospital (08 Feb 2027 to 05 Mar 2027) for 05 Mar 2027 to 05 Mar 2027 (80 h/week together)', and an
import said the same of a rotation it made (core.datewords.WRITTEN, the CLI's spelling of conflicts and overlaps).
One day is now written once, as the app's day_range writes it."""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.datewords import WRITTEN
from tests.cli_helpers import run_cli


def test_a_one_day_overlap_names_its_day_once(ctx: Context, capsys: pytest.CaptureFixture[str],
                                              cli_clock: FixedClock) -> None:
    common = ("rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine", "--state", "IL",
              "--hours", "40", "--db", ctx.db.url)
    assert run_cli(capsys, *common, "--institution", "Mercy Hospital", "--start", "2027-02-08",
                   "--end", "2027-03-05").code == 0
    # Harbor starts on Mercy's last day, a Friday; the weekend after it is no clinical day
    added = run_cli(capsys, *common, "--institution", "Harbor Medical Center", "--start", "2027-03-05",
                    "--end", "2027-03-26")
    assert added.code == 0, added.err
    assert ("Harbor Medical Center (05 Mar 2027 to 26 Mar 2027) overlaps full-time Mercy Hospital (08 Feb 2027 to "
            "05 Mar 2027) for 05 Mar 2027 (80 h/week together)") in added.err, added.err


def test_a_range_keeps_both_ends() -> None:
    """A guard: two days or more are still a range."""
    from datetime import date

    assert WRITTEN.span(date(2027, 3, 4), date(2027, 3, 5)) == "04 Mar 2027 to 05 Mar 2027"
