""""Since you last looked" lists what differs from the list the applicant last saw. It listed every unseen run's
changes in turn: a program edit the nightly refresh saw, then its revert, said "4 changes since you last looked"
(SYN03967 left, SYN04429 entered, SYN03967 entered, SYN04429 left) of the very list they had seen, and an edit
made, undone and made again listed six, with reasons from runs long replaced. Now each program appears once,
where it was when last seen against where it is now, with the latest run's reason; the CLI text, its JSON and
the app's Shortlist (the same function) agree."""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.matching import edit_program, refresh_all
from imgcoach.matching import runs as service
from tests.cli_helpers import run_cli

PID = "SYN03967"  # a demo family medicine program on the list: a typical Step 2 CK of 250 pushes it off


def _typical(demo_ctx: Context, score: str) -> None:
    edit_program(demo_ctx, PID, {"step2_typical": score})
    assert refresh_all(demo_ctx) == 1  # the daemon's nightly refresh: a run the applicant has not seen


def _seen(demo_ctx: Context, capsys: pytest.CaptureFixture[str]) -> str:
    """The applicant looks (every run marked seen); the program's typical score as it stands."""
    assert run_cli(capsys, "shortlist", "--json", "--db", demo_ctx.db.url).code == 0
    now = service.current(demo_ctx)
    assert PID in {e.program_id for e in now.shortlist.entries}
    return str(next(p for p in now.table.programs if p.program_id == PID).step2_typical)


def test_an_edit_and_its_revert_between_two_looks_is_no_change(
    demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    typical = _seen(demo_ctx, capsys)
    _typical(demo_ctx, "250")
    _typical(demo_ctx, typical)
    assert service.changes_since_seen(demo_ctx) == []
    data = run_cli(capsys, "shortlist", "--json", "--db", demo_ctx.db.url).json()
    assert data["changes_since_last_seen"] == []


def test_each_program_is_said_once_with_its_latest_reason(
    demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    typical = _seen(demo_ctx, capsys)
    _typical(demo_ctx, "250")
    _typical(demo_ctx, typical)
    _typical(demo_ctx, "250")
    text = run_cli(capsys, "shortlist", "--db", demo_ctx.db.url).out
    listed = [line.split()[1].rstrip(":") for line in text.split("since you last looked:\n")[1].splitlines()
              if line.startswith("  ") and line.split()[0] in ("entered", "left", "moved")]
    assert "2 changes since you last looked:" in text and len(listed) == 2 and PID in listed
    assert f"  left     {PID}: its interview chance fell from " in text
    assert run_cli(capsys, "shortlist", "--db", demo_ctx.db.url).out.count("since you last looked") == 0
