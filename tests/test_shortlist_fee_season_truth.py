"""The shortlist's fees name the season they are for, and the app shows them as the CLI does.

Found walking the demo on 25 Nov 2026: `imgcoach shortlist` said "for the 2028 Match" and "fees: ERAS 2026 (AAMC, Fees
for 2026 ERAS Season)" (an ERAS season is named after its Match), with nothing to say that the 2028 season's fees are
not known and the 2026 ones are assumed for it; the app's Shortlist showed "application fees $1,754" with no
schedule, season or source at all.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from textual.widgets import Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.tui.app import make_app
from tests.cli_helpers import run_cli
from tests.tui_helpers import press, settle

NOTE_2028 = ("ERAS 2026 is the newest ERAS schedule on file, not the ERAS 2028 season's (the 2028 Match): its fees "
             "are assumed unchanged (an assumption)")


def test_the_cli_says_the_fees_are_another_seasons(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    text = run_cli(capsys, "shortlist", "--db", demo_ctx.db.url)
    assert text.code == 0 and "for the 2028 Match (" in text.out
    fees = [line for line in text.out.splitlines() if line.startswith("fees: ")]
    assert fees == [f"fees: ERAS 2026 (AAMC, Fees for 2026 ERAS Season); {NOTE_2028}"]
    data = run_cli(capsys, "shortlist", "--json", "--db", demo_ctx.db.url).json()
    assert data["match_year"] == 2028
    assert data["fee_schedule"] == "ERAS 2026 (AAMC, Fees for 2026 ERAS Season)"  # the key's value as before
    assert (data["fee_schedule_season"], data["fee_schedule_note"]) == ("2026", NOTE_2028)


def test_no_note_when_the_schedule_is_the_match_years(demo_ctx: Context) -> None:
    from imgcoach import matching

    aiming = replace(demo_ctx, settings=Settings(extra={"matching": {"match_year": 2026}}))
    assert isinstance(demo_ctx.clock, FixedClock)
    # In January 2026 the 2026 Match is under way (on the suite's 25 Nov 2026 it is over, and refused).
    demo_ctx.clock.set(datetime(2026, 1, 15, 15, tzinfo=UTC))
    result, _, _, _ = matching.compute(aiming)
    assert result.ranking.standing.facts.match_year == 2026
    assert matching.fee_words(result) == "fees: ERAS 2026 (AAMC, Fees for 2026 ERAS Season)"
    assert result.to_dict()["fee_schedule_note"] is None


async def test_the_app_shows_the_fees_schedule_as_the_cli_does(demo_ctx: Context) -> None:
    from imgcoach import matching

    result, _, _, _ = matching.compute(demo_ctx)
    app = make_app(context=demo_ctx)
    async with app.run_test(size=(120, 48)) as pilot:
        await settle(pilot)
        await press(pilot, "m")  # the list loads in a worker
        await app.workers.wait_for_complete()
        provenance = str(app.screen.query_one("#shortlist-provenance", Static).render())
        summary = str(app.screen.query_one("#shortlist-summary", Static).render())
    assert "application fees $1,754" in summary and f"${result.total_fee_usd:,.0f}" == "$1,754"
    assert f"Fees: ERAS 2026 (AAMC, Fees for 2026 ERAS Season); {NOTE_2028}" in provenance.splitlines()


def test_every_row_carries_the_fee_assumption(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """A CSV or JSON row travels without the list's fees line: it says so itself, as an SF Match row does."""
    import csv
    import io

    data = run_cli(capsys, "shortlist", "--json", "--db", demo_ctx.db.url).json()
    assert data["programs"] and all(f"fee: {NOTE_2028}" in p["what_is_assumed"] for p in data["programs"])
    rows = list(csv.DictReader(io.StringIO(run_cli(capsys, "shortlist", "--csv", "--db", demo_ctx.db.url).out)))
    assert rows and all(f"fee: {NOTE_2028}" in r["what_is_assumed"].split(" | ") for r in rows)
