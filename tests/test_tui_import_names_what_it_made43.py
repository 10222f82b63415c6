"""After an import the app named what it made only when a rotation's hours a week had a note: a link to a
rotation already planned, or a study block made from a daily series, went unnamed (the notification's counts
alone), where `imgcoach import` prints a line for each ("linked to rotation 1 (...) from "..."", "made study
block 1 from "..."", "moved rotation 1 to ..."). The app's notes now give the CLI's lines, from the same
function (ImportReport.mapped_lines, moved_lines), wrapped to the pane at 80 columns."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Static

from imgcoach.core.context import Context
from imgcoach.plan import list_study_blocks
from imgcoach.plan.rotations import add_rotation
from imgcoach.tui.widgets.detail_pane import DetailPane
from tests.cli_helpers import run_cli
from tests.tui_helpers import app_for, preview_import

DATA = Path(__file__).parent / "data" / "ics"
HOSPITAL = DATA / "hospital_schedule_for_planned_rotation.ics"
UWORLD = DATA / "google_daily_series_uworld_block.ics"


def _planned(ctx: Context) -> int:
    row = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside General",
                       start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    assert row.id is not None
    return row.id


async def _imported(ctx: Context, path: Path, size: tuple[int, int]) -> tuple[str, list[str]]:
    """The notes after accepting every suggestion and importing: as one text, and as the lines drawn."""
    app = app_for(ctx)
    async with app.run_test(size=size) as pilot:
        await preview_import(pilot, path, "ctrl+a", "y", "ctrl+s")
        notes = app.screen.query_one("#import-notes", Static)
        pane = app.screen.query_one(DetailPane)
        # readable at this width: wrapped within the pane, never wider than it (cut off at its right edge)
        assert notes.outer_size.width <= pane.content_size.width, (notes.outer_size, pane.content_size)
        drawn = [strip.text for strip in notes.render_lines(notes.region.reset_offset)]
        return str(notes.render()), drawn


def _cli_lines(ctx: Context, capsys: pytest.CaptureFixture[str], path: Path) -> list[str]:
    res = run_cli(capsys, "import", str(path), "--accept-suggestions", "--db", ctx.db.url)
    assert res.code == 0, res.err
    return [line.strip() for line in res.out.splitlines() if line.strip().startswith(("made ", "linked to "))]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_link_to_a_planned_rotation_is_named_after_the_import(ctx: Context, size: tuple[int, int]) -> None:
    rid = _planned(ctx)
    notes, drawn = await _imported(ctx, HOSPITAL, size)
    line = (f'linked to rotation {rid} (same institution (Lakeside General) and overlapping dates) from '
            '"Observership - Internal Medicine"')
    assert line in " ".join(notes.split()), notes
    assert all(len(d.rstrip()) <= size[0] for d in drawn), drawn


async def test_a_study_block_made_from_a_series_is_named_after_the_import(ctx: Context) -> None:
    notes, _ = await _imported(ctx, UWORLD, (80, 24))
    (block,) = list_study_blocks(ctx)
    assert f'made study block {block.id} from "UWorld Step 2 CK block"' in " ".join(notes.split()), notes


async def test_the_app_says_the_lines_the_cli_prints(ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    """One function for both faces: each line the CLI prints of what it made or linked is in the app's notes."""
    _planned(ctx)
    cli = _cli_lines(ctx, capsys, HOSPITAL)
    assert cli, "the CLI names the link"
    run_cli(capsys, "import", "--undo", "--db", ctx.db.url)
    notes, _ = await _imported(ctx, HOSPITAL, (80, 24))
    for line in cli:
        assert line in " ".join(notes.split()), (line, notes)
