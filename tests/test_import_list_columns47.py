"""`import`'s suggestion list (and the list `--accept-suggestions` prints before it accepts) wrote each row's time
as it is: an all-day row's day ("2027-04-05") is ten characters shorter than a timed row's moment ("2027-03-01
07:00 EST"), so its title and everything after it stood ten columns left of the rows above. The time column now
takes the width of the longest time in the list."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

MIXED = Path(__file__).parent / "data" / "ics" / "outlook_two_rotation_schedules_timed_and_allday.ics"


def _columns(lines: list[str]) -> set[tuple[int, int]]:
    """Where each row's title and its arrow start."""
    return {(line.index("Externship") if "Externship" in line else line.index("Observership"), line.index("->"))
            for line in lines}


@pytest.mark.parametrize("options", [("--dry-run",), ("--accept-suggestions",)])
def test_timed_and_all_day_rows_line_up(ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock,
                                        options: tuple[str, ...]) -> None:
    res = run_cli(capsys, "import", str(MIXED), *options, "--db", ctx.db.url)
    assert res.code == 0, res.err
    rows = [line for line in res.out.splitlines() if "->" in line]
    assert any(" EST " in line for line in rows) and any("2027-04-05 " in line for line in rows), res.out
    assert len(rows) == 2 and len(_columns(rows)) == 1, res.out
