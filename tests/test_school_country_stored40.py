"""The school's country is kept by the name the check matched, not as typed.

profile39 checked `--school-country` against the country list but stored the text as typed: "usa", "INDIA" and
"India " were all accepted, and `profile show`, `applicants list` and the Profile screen then printed "usa" where
the same check (and the target countries beside it) call the country "United States". One rule
(plan.profile.normalise_profile) for `profile set`, `applicants add` and the app's form. Real SQLite and
PostgreSQL databases, the CLI in process on the fixed clock.
"""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import get_profile, set_profile
from tests.cli_helpers import run_cli


@pytest.mark.parametrize(("typed", "kept"), [("usa", "United States"), ("India ", "India"), ("INDIA", "India"),
                                             ("  pakistan", "Pakistan")])
def test_profile_set_keeps_the_matched_name_and_show_says_it(
        ctx: Context, db_url: str, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], typed: str,
        kept: str) -> None:
    saved = run_cli(capsys, "profile", "set", "--db", db_url, "--school-country", typed, "--json")
    assert saved.code == 0 and saved.json()["school_country"] == kept, saved.err
    shown = run_cli(capsys, "profile", "show", "--db", db_url, "--json")
    assert shown.json()["school_country"] == kept
    text = run_cli(capsys, "profile", "show", "--db", db_url).out
    line = next(x for x in text.splitlines() if x.strip().startswith("School country"))
    assert line.split(None, 2)[2] == kept, text


def test_applicants_add_keeps_the_matched_name(ctx: Context, db_url: str, cli_clock: FixedClock,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    added = run_cli(capsys, "applicants", "add", "--db", db_url, "--name", "Second Person", "--email",
                    "second@example.org", "--school-country", "india", "--json")
    assert added.code == 0 and added.json()["school_country"] == "India", added.err
    listed = run_cli(capsys, "applicants", "list", "--db", db_url, "--json").json()
    assert [r["school_country"] for r in listed if r["email"] == "second@example.org"] == ["India"]


def test_the_apps_save_is_the_same_rule(ctx: Context) -> None:
    """The Profile form saves through set_profile: the same name whichever face typed it."""
    set_profile(ctx, school_country="u.s.a.")
    assert get_profile(ctx).school_country == "United States"  # type: ignore[union-attr]
