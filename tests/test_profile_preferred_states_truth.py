"""Preferred states are checked as home states are: the shortlist reads them.

Found walking the shortlist: `imgcoach profile set --states NY,ZZ` said "profile saved" (the home states refuse
"ZZ"), `profile show` then listed "NY, ZZ", and `--states ZZ` left the shortlist with "chosen 0 of 0 eligible
programs" and "none of the 6000 programs is inside your preferences": a typo read as a choice.
"""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_applicant, get_profile
from tests.cli_helpers import database_state, run_cli


def test_an_unknown_preferred_state_is_refused(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    before = database_state(demo_ctx.db.url)
    refused = run_cli(capsys, "profile", "set", "--states", "NY,ZZ", "--db", demo_ctx.db.url)
    assert (refused.code, refused.out) == (2, "")
    assert refused.err.strip() == ("imgcoach: error: --states: two-letter US state codes (50 states, DC, PR), "
                                   "e.g. NY,NJ (got ['ZZ'])")
    assert database_state(demo_ctx.db.url) == before


def test_preferred_states_are_kept_as_codes(ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    saved = run_cli(capsys, "profile", "set", "--states", "ny, nj", "--home-states", "pa", "--db", ctx.db.url)
    assert saved.code == 0, saved.err
    profile = get_profile(ctx)
    assert profile is not None
    assert (profile.target_states, profile.home_states) == (["NY", "NJ"], ["PA"])
    shown = run_cli(capsys, "profile", "show", "--db", ctx.db.url).out
    assert "Preferred states   NY, NJ" in shown


def test_a_new_applicant_gets_the_same_rule(ctx: Context) -> None:
    from imgcoach.core.errors import UserError

    with pytest.raises(UserError, match=r"target_states: two-letter US state codes .* \(got \['ZZ'\]\)"):
        add_applicant(ctx, name="Second Applicant", email="second@example.com", target_states=["ZZ"])
    added = add_applicant(ctx, name="Third Applicant", email="third@example.com", target_states=["ny"])
    assert added.target_states == ["NY"]
