"""The shortlist counts in words (`core.words.counted`): "1 program", never "1 programs".

Found walking the shortlist with small numbers: `shortlist --budget 1` said "budget: 1 programs" and "last programs
added gained"; a database whose one program fails a requirement said "no eligible program: all 1 programs in your
preferences fail a requirement"; a program taking graduates of the last year said "accepts graduates up to 1 years
before the Match"; and the app's Shortlist said "about 1 interviews expected".
"""

from __future__ import annotations

import pytest
from textual.widgets import Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.matching import add_program
from imgcoach.tui.app import make_app
from tests.cli_helpers import run_cli
from tests.tui_helpers import press, settle


def _program(ctx: Context, program_id: str, **facts: str) -> None:
    add_program(ctx, {"program_id": program_id, "name": f"Riverside {program_id} (test)", "specialty": "IM",
                      "state": "NY", "source": "test", "checked_on": "2026-11-01", **facts})


def test_a_budget_of_one_program(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    text = run_cli(capsys, "shortlist", "--budget", "1", "--db", demo_ctx.db.url)
    assert text.code == 0
    lines = text.out.splitlines()
    assert any(line.startswith("budget: 1 program; chosen 1 of ") for line in lines), lines[:6]
    assert any(line.startswith("last program added gained: ") for line in lines)
    assert "1 programs" not in text.out
    data = run_cli(capsys, "shortlist", "--json", "--budget", "1", "--db", demo_ctx.db.url).json()
    assert data["budget"]["text"] == "1 program"


async def test_the_app_counts_the_interviews_in_words(demo_ctx: Context) -> None:
    from imgcoach.plan import set_profile

    set_profile(demo_ctx, application_budget_programs=1)
    app = make_app(context=demo_ctx)
    async with app.run_test(size=(120, 48)) as pilot:
        await settle(pilot)
        await press(pilot, "m")  # the list loads in a worker
        await app.workers.wait_for_complete()
        summary = " ".join(str(app.screen.query_one("#shortlist-summary", Static).render()).split())
    assert "budget: 1 program; chosen 1 of " in summary
    assert summary.endswith("about 1 interview expected")


def test_one_program_failing_a_requirement(ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    _program(ctx, "P1", visa_j1="no", visa_h1b="no")
    text = run_cli(capsys, "shortlist", "--db", ctx.db.url)
    assert text.code == 0
    assert ("no eligible program: the 1 program in your preferences fails a requirement: does not sponsor the visa "
            "you need: 1") in text.out.splitlines()


def test_one_program_outside_the_preferences(ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    add_program(ctx, {"program_id": "D1", "name": "Riverside Dermatology (test)", "specialty": "Dermatology",
                      "state": "NY", "source": "test", "checked_on": "2026-11-01"})
    text = run_cli(capsys, "shortlist", "--db", ctx.db.url)
    assert ("none of the 1 program is inside your preferences (specialties, states, program type or size): widen "
            "them with `imgcoach profile set`") in text.out.splitlines()


def test_a_one_year_graduation_limit(ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    _program(ctx, "P1", visa_j1="yes", yog_cutoff_years="1")
    explained = run_cli(capsys, "shortlist", "--explain", "P1", "--db", ctx.db.url)
    assert explained.code == 0
    assert ("  - accepts graduates up to 1 year before the Match; you graduated in 2022, 6 years before the 2028 "
            "Match, counted by year") in explained.out.splitlines()


async def test_the_app_says_why_the_list_is_empty(ctx: Context) -> None:
    """The CLI's reason line; the app's table was empty beside the disclaimer, the reason only in the picture (C)."""
    _program(ctx, "P1", visa_j1="no", visa_h1b="no")
    app = make_app(context=ctx)
    async with app.run_test(size=(120, 48)) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        await app.workers.wait_for_complete()
        detail = str(app.screen.query_one("#shortlist-detail", Static).render())
    assert detail.startswith("No eligible program: the 1 program in your preferences fails a requirement: does not "
                             "sponsor the visa you need: 1.\n\n")
