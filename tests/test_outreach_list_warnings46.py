"""`outreach list` prints each entry's warnings, not only how many there are.

Found walking the demo: the list's "warnings" column said "4" beside Harborview's offer, and the four checks
("asks for $4,200 but is not verified: do not pay before verifying", ...) were only in `--json` or printed once
the offer was accepted, too late. They are now printed under the table, named by the entry's id and institution.
The quick read keeps the same text (cli.quick), so a second run prints them too.
"""

from __future__ import annotations

import pytest

from imgcoach.coach import list_outreach
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli


def test_the_list_prints_each_warning_under_the_table(demo_ctx: Context, capsys: pytest.CaptureFixture[str],
                                                      cli_clock: FixedClock) -> None:
    flagged = [(row, warnings) for row, _, _, warnings in list_outreach(demo_ctx) if warnings]
    assert any("do not pay before verifying" in w for _, warnings in flagged for w in warnings)
    for _ in range(2):  # the second run may be answered from the kept text: the same words
        listed = run_cli(capsys, "outreach", "list", "--db", demo_ctx.db.url)
        assert listed.code == 0, listed.err
        lines = listed.out.splitlines()
        for row, warnings in flagged:
            at = lines.index(f"outreach {row.id} ({row.institution}):")
            assert lines[at + 1:at + 1 + len(warnings)] == [f"  - {w}" for w in warnings]


def test_an_entry_without_warnings_adds_no_line(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                cli_clock: FixedClock) -> None:
    from imgcoach.coach import add_outreach

    add_outreach(ctx, "Riverside (fictional)", specialty="Internal Medicine", status="sent")
    listed = run_cli(capsys, "outreach", "list", "--db", ctx.db.url)
    assert listed.code == 0 and len(listed.out.splitlines()) == 3  # header, rule, one row
