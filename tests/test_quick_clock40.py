"""The quick read (cli.quick) and the full path read the same clock (core.clock.default_clock), so a test's
cli_clock fixes both. The quick read took `datetime.now(UTC)` itself: a test comparing the two paths ran them on
different clocks, and at a midnight in the applicant's zone the two could print different days.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation
from tests.cli_helpers import run_command

LAST_SECOND = datetime(2026, 11, 25, 23, 59, 59, tzinfo=ZoneInfo("America/New_York"))


@pytest.mark.parametrize("command", [("readiness",), ("reminders", "list"), ("reminders", "list", "--json"),
                                     ("daemon", "status"), ("rotations", "show", "1")], ids=" ".join)
def test_the_quick_and_full_paths_print_the_same_day_at_the_last_second_of_it(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        command: tuple[str, ...]) -> None:
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside General (synthetic)",
                 start_date=date(2026, 11, 2), end_date=date(2026, 12, 18))
    cli_clock.set(LAST_SECOND)
    ctx.db.close()
    monkeypatch.delenv("IMGCOACH_FULL_READ", raising=False)
    from imgcoach.cli.quick import quick_listing

    assert quick_listing(["--db", ctx.db.url, *command]) is not None, "the quick read answers it"
    quick = run_command(capsys, "--db", ctx.db.url, *command)
    monkeypatch.setenv("IMGCOACH_FULL_READ", "1")
    full = run_command(capsys, "--db", ctx.db.url, *command)
    assert (quick.code, quick.err, quick.out) == (full.code, full.err, full.out) and full.code == 0
    if command == ("readiness",):
        assert "As of 2026-11-25:" in full.out, full.out


def test_a_second_later_both_paths_say_the_next_day(ctx: Context, cli_clock: FixedClock,
                                                     capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cli_clock.set(LAST_SECOND + timedelta(seconds=1))
    ctx.db.close()
    monkeypatch.delenv("IMGCOACH_FULL_READ", raising=False)
    quick = run_command(capsys, "--db", ctx.db.url, "readiness")
    monkeypatch.setenv("IMGCOACH_FULL_READ", "1")
    full = run_command(capsys, "--db", ctx.db.url, "readiness")
    assert "As of 2026-11-26:" in quick.out and quick.out == full.out, quick.out
