"""A budget once set could not be removed: `profile set --budget-programs none` was refused ("'none' is not a
valid integer") and the app's profile form had no budget at all, so the shortlist kept a budget the applicant no
longer meant. Now `none` or an empty value removes it (CLI and form), and the save says the list then uses the
default (core.budget.no_budget_words), as the shortlist's own budget line does; the app's profile screen shows the
budget (it showed none), "not set" with what the list uses instead."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.matching import compute
from imgcoach.plan.profile import get_profile
from imgcoach.tui.widgets.form import FormScreen
from tests.cli_helpers import database_state, run_cli
from tests.tui_helpers import SIZE, app_for, fill, press, until

SAID = "no application budget in your profile: the shortlist uses a default of 60 programs"


@pytest.mark.parametrize("word", ["none", "", "None"])
def test_profile_set_removes_a_budget(ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str],
                                      cli_clock: FixedClock, word: str) -> None:
    assert run_cli(capsys, "profile", "set", "--db", db_url, "--budget-programs", "80", "--budget-usd", "900").code == 0
    kept = run_cli(capsys, "profile", "set", "--db", db_url, "--budget-programs", word, "--json")
    assert kept.code == 0, kept.err
    assert (kept.json()["application_budget_programs"], kept.json()["application_budget_usd"]) == (None, 900.0)
    assert SAID not in kept.err  # the dollar budget still holds: no default is used

    cleared = run_cli(capsys, "profile", "set", "--db", db_url, "--budget-usd", word, "--json")
    assert cleared.code == 0, cleared.err
    assert (cleared.json()["application_budget_programs"], cleared.json()["application_budget_usd"]) == (None, None)
    assert f"imgcoach: note: {SAID}" in cleared.err
    assert run_cli(capsys, "profile", "set", "--db", db_url, "--budget-usd", "900").code == 0
    text = run_cli(capsys, "profile", "set", "--db", db_url, "--budget-usd", word)  # said when one is removed
    assert SAID in " ".join(text.out.split())  # (test_budget_words_one_rule42: not when none was left to remove)


def test_a_budget_that_is_no_number_is_refused(ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = database_state(db_url)
    refused = run_cli(capsys, "profile", "set", "--db", db_url, "--budget-programs", "many")
    assert refused.code == 2 and "--budget-programs" in refused.err and "'none' to remove the budget" in refused.err
    assert database_state(db_url) == before


async def test_the_profile_form_removes_a_budget(demo_ctx: Context, cli_clock: FixedClock) -> None:
    profile = get_profile(demo_ctx)
    assert profile is not None and profile.application_budget_programs == 80  # the demo applicant's
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "p")
        shown = pilot.app.screen.query_one("#profile-text", Static)
        await until(pilot, lambda: "Budget" in str(shown.render()))
        assert "Budget       80 programs" in str(shown.render())  # the screen had no budget line at all
        await press(pilot, "e")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, application_budget_programs="")
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, FormScreen), "saved and closed"
        said = " ".join(str(n.message) for n in pilot.app._notifications)
        assert SAID[1:] in said, said
        await until(pilot, lambda: "not set" in str(shown.render()))
        assert "Budget       not set: the shortlist uses a default of 60 programs" in str(shown.render())
    now = get_profile(demo_ctx)
    assert now is not None and (now.application_budget_programs, now.application_budget_usd) == (None, None)
    shortlist, *_ = compute(demo_ctx)  # the list says the default is one, as `shortlist --json` does
    assert shortlist.to_dict()["budget"]["default"] is True and shortlist.to_dict()["budget"]["programs"] == 60
