"""The budget's words, one rule each (found in the day-41 review).

Whether a save says "no application budget in your profile: the shortlist uses a default of 60 programs" was
decided twice: `profile set` said it whenever a budget option was `none` (a budget already gone too), the app's
profile form whenever its own copy of the profile had a budget. The save use case decides now
(plan.ProfileSaved.budget_words): the save removed the last budget the profile had.

`profile show` printed "Programs  not set" where the app's profile screen says the shortlist then uses a
default of 60 programs; both now say it from core.budget, which the quick path may import (no SQLAlchemy).
"""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import save_profile
from tests.cli_helpers import run_cli
from tests.test_cli_quickread import same_both_ways

SAID = "no application budget in your profile: the shortlist uses a default of 60 programs"


def test_the_save_says_whether_it_removed_the_budget(ctx: Context) -> None:
    assert save_profile(ctx, application_budget_programs=None).budget_words() == ""  # there was none to remove
    assert save_profile(ctx, application_budget_programs=80).budget_words() == ""
    assert save_profile(ctx, application_budget_usd=900.0, application_budget_programs=None).budget_words() == ""
    assert save_profile(ctx, application_budget_usd=None).budget_words().startswith(SAID)
    assert save_profile(ctx, name="Test Applicant", application_budget_usd=None).budget_words() == ""  # the form's


def test_profile_set_none_on_no_budget_says_what_the_form_says(ctx: Context, db_url: str, cli_clock: FixedClock,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """`--budget-usd none` with no budget left nothing to remove: the form's save of such a profile says
    nothing of the budget, and now neither does the CLI (it said the note on every such call)."""
    said = run_cli(capsys, "profile", "set", "--db", db_url, "--budget-usd", "none")
    assert said.code == 0, said.err
    assert SAID not in " ".join(said.out.split()) and SAID not in said.err
    assert run_cli(capsys, "profile", "set", "--db", db_url, "--budget-usd", "900").code == 0
    cleared = run_cli(capsys, "profile", "set", "--db", db_url, "--budget-usd", "none")
    assert SAID in " ".join(cleared.out.split())  # a budget removed: said, as before


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_profile_show_says_the_default_the_list_uses(ctx: Context, db_url: str) -> None:
    shown = same_both_ways("--db", db_url, "profile", "show", quick=True)  # the quick path and the full path
    line = next(t for t in shown.out.decode().splitlines() if t.strip().startswith("Programs"))
    assert line.split(None, 1)[1] == "not set: the shortlist uses a default of 60 programs", line
    save_profile(ctx, application_budget_usd=900.0)
    shown = same_both_ways("--db", db_url, "profile", "show", quick=True)
    line = next(t for t in shown.out.decode().splitlines() if t.strip().startswith("Programs"))
    assert line.split(None, 1)[1] == "not set", line  # the dollar budget holds: no default is used
