"""A reminder not planned when its rotation was entered keeps saying why when the profile's time zone changes
(walk48).

A rotation entered after its mid-point has its "Ask for feedback" recorded as "not planned: the rotation was added
after its mid-point (20 Nov 2026)"; one entered 26 days after its end, its thank-you "not planned: the rotation was
added 26 days after it ended (30 Oct 2026) ...". `profile set --timezone Asia/Kolkata` moves every reminder to the
same clock time there, these too, and their reasons were written again as if the plan had been made that day:
"not planned: planned only on 28 Nov 2026, after the rotation's mid-point" and "planned only on 28 Nov 2026, 29 days
after the rotation ended": nothing was planned that day, and the rotation was added 26 days after its end, not 29.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli


def _notes(capsys: pytest.CaptureFixture[str], db_url: str) -> dict[tuple[int, str], str]:
    rows = run_cli(capsys, "reminders", "list", "--json", "--db", db_url).json()
    return {(r["rotation_id"], r["kind"]): r["note"] for r in rows if r["status"] == "cancelled"}


def test_a_zone_change_keeps_the_reason_a_reminder_was_not_planned(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                                    db_url: str, cli_clock: FixedClock) -> None:
    # Today is Wednesday 25 November 2026 in New York.
    for start, end in (("2026-11-02", "2026-12-11"), ("2026-10-05", "2026-10-30")):
        assert run_cli(capsys, "rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine",
                       "--institution", f"Mercy Hospital {start}", "--start", start, "--end", end, "--hours", "40",
                       "--db", db_url).code == 0
    entered = _notes(capsys, db_url)
    assert entered[(1, "mid_rotation_feedback")] == "not planned: the rotation was added after its mid-point (20 Nov 2026)"
    assert entered[(2, "thank_you")].startswith(
        "not planned: the rotation was added 26 days after it ended (30 Oct 2026)"), entered
    cli_clock.set(cli_clock.now() + timedelta(days=3))
    moved = run_cli(capsys, "profile", "set", "--timezone", "Asia/Kolkata", "--db", db_url)
    assert moved.code == 0, moved.err
    rows = run_cli(capsys, "reminders", "list", "--json", "--db", db_url).json()
    feedback = next(r for r in rows if (r["rotation_id"], r["kind"]) == (1, "mid_rotation_feedback"))
    assert feedback["due_at"] == "2026-11-20T09:00:00+05:30"  # moved to 09:00 there, as every reminder
    assert _notes(capsys, db_url) == entered
