"""`outreach accept` names the offer's checks, as the app's Accept form does.

Found walking the demo: `imgcoach outreach accept 2 ...` turned Harborview's offer, which `outreach list` flags "asks
for $4,200 but is not verified: do not pay before verifying" (and three more checks), into a planned rotation and said
only "outreach 2: accepted; rotation 5 planned ...", while the app's Accept form lists each one as "Check: ...".
"""

from __future__ import annotations

import pytest

from imgcoach.coach import list_outreach
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli


def test_accepting_a_flagged_offer_names_each_check(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    row, _, _, checks = next(item for item in list_outreach(demo_ctx) if item[0].status == "offered")
    assert any("do not pay before verifying" in c for c in checks)
    accepted = run_cli(capsys, "outreach", "accept", str(row.id), "--start", "2027-04-05", "--end", "2027-05-02",
                       "--hours", "30", "--db", demo_ctx.db.url)
    assert accepted.code == 0 and accepted.out.startswith(f"outreach {row.id}: accepted; rotation ")
    assert accepted.err.splitlines() == [f"imgcoach: warning: check: {c}" for c in checks]


def test_an_offer_with_nothing_to_check_says_nothing_more(ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    from imgcoach.coach import add_outreach, set_outreach_status

    row = add_outreach(ctx, "Riverside (fictional)", specialty="Internal Medicine", status="sent",
                       verified_legitimate=True, role_in_writing=True, visa_requirement="B-1/B-2 accepted",
                       cost_usd=0)
    assert row.id is not None
    set_outreach_status(ctx, row.id, "offered")
    assert next(w for r, _, _, w in list_outreach(ctx) if r.id == row.id) == []
    accepted = run_cli(capsys, "outreach", "accept", str(row.id), "--start", "2027-04-05", "--end", "2027-05-02",
                       "--hours", "30", "--db", ctx.db.url)
    assert (accepted.code, accepted.err) == (0, "")
