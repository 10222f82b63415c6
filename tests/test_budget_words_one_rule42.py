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

from imgcoach.core.context import Context
from imgcoach.plan import save_profile
from tests.test_cli_quickread import same_both_ways


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
