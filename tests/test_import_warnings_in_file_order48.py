"""The series an import leaves out are named in the file's order (walk48).

A real Google calendar (recurring-ical-events' daylight_saving_time.ics) has 17 weekly series that end years before
the import window: `import --dry-run` named each ("recurring series has no occurrence between ... (the import
window)") in the order of a set difference, lines 42, 1036, 975, 196, 450, ... and another order in another run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

FILE = Path(__file__).resolve().parent / "data" / "ics" / "corpus" / "recurring-ical-events__daylight_saving_time.ics"


def test_series_outside_the_window_are_named_in_line_order(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                            db_url: str, cli_clock: object) -> None:
    res = run_cli(capsys, "import", str(FILE), "--dry-run", "--db", db_url)
    assert res.code == 0, res.err
    lines = [int(n) for n in re.findall(rf"{re.escape(str(FILE))}:(\d+): .*recurring series has no occurrence",
                                        res.err)]
    assert len(lines) > 10 and lines == sorted(lines), lines
