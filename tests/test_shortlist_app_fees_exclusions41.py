"""`imgcoach shortlist` prints the one-time fees (ECFMG token, USMLE transcript, NRMP registration) and how many
programs each requirement excluded; the app's Shortlist showed neither, so its list read as all that applying
costs and "(1 excluded by requirements)" said no why. The screen now shows both, in the CLI's words (the same
functions, matching.one_time_fee_block and exclusion_line), in a pane the keyboard reaches and scrolls at 80x24."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.matching import add_program
from imgcoach.tui.widgets.detail_pane import DetailPane
from tests.cli_helpers import run_cli
from tests.tui_helpers import app_for, press, scroll_to_its_end, until


def _flat(text: str) -> str:
    return " ".join(text.split())


async def test_the_app_shows_the_one_time_fees_and_the_excluded_counts(
    ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    add_program(ctx, {"program_id": "P1", "name": "First Program", "specialty": "Internal Medicine", "state": "NY"})
    # graduated 2022: a program taking graduates of the last 2 years only excludes the applicant
    add_program(ctx, {"program_id": "P2", "name": "Recent Graduates Only", "specialty": "Internal Medicine",
                      "state": "NY", "yog_cutoff_years": "2"})
    cli = run_cli(capsys, "shortlist", "--db", db_url).out.splitlines()
    start = next(i for i, line in enumerate(cli) if line.startswith("one-time fees"))
    fees = [cli[start]] + [line for line in cli[start + 1:] if line.startswith("  $")]
    (excluded,) = [line for line in cli if line.startswith("excluded by requirements: ")]
    assert len(fees) >= 2, fees
    assert excluded == "excluded by requirements: graduated longer ago than the program accepts: 1"

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "m")
        text = app.screen.query_one("#shortlist-provenance", Static)
        await until(pilot, lambda: "Cited figures" in str(text.render()))
        shown = _flat(str(text.render()))
        for line in fees:
            assert _flat(line)[1:] in shown, line  # as the CLI says it (the screen capitalises a line's start)
        assert _flat(excluded)[1:] in shown
        # At 80x24 the pane shows one line: the keyboard reaches it and scrolls to its end.
        pane = app.screen.query_one("#shortlist-provenance-pane", DetailPane)
        assert pane.max_scroll_y > 0
        await scroll_to_its_end(pilot, pane)
