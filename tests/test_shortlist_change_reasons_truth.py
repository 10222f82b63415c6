"""A change's reason says what changed. A program whose own interview chance fell (its typical Step 2 CK rose
from 218 to 250) left the list "because others now give more for your budget (interview chance 7%)", as if the
other programs had changed and with no word of its own 42% before; a moved program gave its new chance alone.
Now the fall is said, from the chance the applicant last saw to the chance now, in `shortlist`, its JSON and the
app's Shortlist (one stored run, runs.current)."""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.matching import edit_program
from imgcoach.matching import runs as service
from imgcoach.matching.present import pct
from tests.cli_helpers import run_cli

PID = "SYN03967"  # a demo family medicine program on the list, typical Step 2 CK 218


def test_a_program_whose_own_chance_fell_is_said_to_have_fallen(
    demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    assert run_cli(capsys, "shortlist", "--db", demo_ctx.db.url).code == 0  # the list the applicant sees
    before = next(e.probability for e in service.current(demo_ctx).shortlist.entries if e.program_id == PID)
    edit_program(demo_ctx, PID, {"step2_typical": "250"})
    now = service.current(demo_ctx)
    assert now.stored is not None
    after = now.shortlist.ranking.by_id(PID).probability
    assert pct(after) != pct(before) and after < before
    why = f"its interview chance fell from {pct(before)} to {pct(after)}: others now give more for your budget"
    (left,) = [c for c in now.stored.changes if c["kind"] == "left"]
    assert left["program_id"] == PID and left["why"] == why
    data = run_cli(capsys, "shortlist", "--json", "--db", demo_ctx.db.url).json()
    assert [c["why"] for c in data["changes_since_last_seen"] if c["program_id"] == PID] == [why]


def test_a_moved_program_says_its_chance_before(
    demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    first = service.current(demo_ctx).shortlist
    likely = next(e for e in first.entries if e.tier == "likely")
    edit_program(demo_ctx, likely.program_id, {"step2_typical": "228"})  # still listed, a tier lower
    now = service.current(demo_ctx)
    assert now.stored is not None
    moved = [c for c in now.stored.changes if c["program_id"] == likely.program_id]
    assert [c["kind"] for c in moved] == ["moved"], moved
    after = next(e.probability for e in now.shortlist.entries if e.program_id == likely.program_id)
    assert moved[0]["why"] == f"interview chance now {pct(after)} (was {pct(likely.probability)})"
