"""A rotation made from a calendar event on the days of a full-time rotation at another place was made without a
word: `imgcoach import FILE --accept-suggestions` said "made rotation 2 from ..." where `rotations add` and the
app's form, given the same rotation, warn "... overlaps full-time ... (80 h/week together)" (plan.overlap_warnings).
The import says it too, in the line that names what it made (the CLI's and the Import screen's, mapped_lines) and
in --json (each made rotation's `overlaps`). Found on a fresh clone with the hospital file under tests/data/ics."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from imgcoach.plan import add_rotation
from tests.cli_helpers import run_cli

HOSPITAL = Path(__file__).parent / "data" / "ics" / "hospital_schedule_for_planned_rotation.ics"


def _full_time_elsewhere(ctx: Context) -> None:
    """Mercy Hospital, 40 h/week, on the hospital file's observership's days (04-29 Jan 2027)."""
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy Hospital",
                 state="IL", start_date=date(2027, 1, 4), end_date=date(2027, 1, 29), hours_per_week=40)


def test_the_import_says_the_rotation_it_made_overlaps_a_full_time_one(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    _full_time_elsewhere(ctx)
    done = run_cli(capsys, "import", str(HOSPITAL), "--accept-suggestions", "--db", db_url)
    assert done.code == 0, done.err
    made = next(line for line in done.out.splitlines() if "made rotation" in line)
    assert "overlaps full-time" in made and "Mercy Hospital" in made, done.out


def test_the_json_names_the_overlap_of_each_rotation_it_made(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    _full_time_elsewhere(ctx)
    done = run_cli(capsys, "import", str(HOSPITAL), "--accept-suggestions", "--json", "--db", db_url)
    assert done.code == 0, done.err
    (made,) = [m for m in done.json()["mapped"] if m["kind"] == "rotation"]
    assert len(made["overlaps"]) == 1 and "Mercy Hospital" in made["overlaps"][0], made


def test_a_rotation_made_on_free_days_says_no_overlap(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    """A guard: nothing to say, nothing said."""
    done = run_cli(capsys, "import", str(HOSPITAL), "--accept-suggestions", "--json", "--db", db_url)
    (made,) = [m for m in done.json()["mapped"] if m["kind"] == "rotation"]
    assert made.get("overlaps", []) == []
