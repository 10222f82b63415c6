"""`events list` names the zone of its times (issue 13: "times in the applicant's zone with the zone named"):
it printed "2027-01-15 10:00" with no zone, in a tool that stores UTC and imports files from other zones."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

DATA = Path(__file__).parent / "data" / "ics"


def test_an_imported_event_is_listed_with_its_zone(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                   db_url: str) -> None:
    # the `ctx` applicant lives in America/New_York; the file's evaluation is at 10:00 there (EST in January)
    assert run_cli(capsys, "import", "--db", db_url, str(DATA / "hospital_schedule_for_planned_rotation.ics")).code == 0
    listed = run_cli(capsys, "events", "list", "--db", db_url)
    assert listed.code == 0
    line = next(row for row in listed.out.splitlines() if "Mid-rotation evaluation" in row)
    assert "2027-01-15 10:00 EST" in line
    all_day = next(row for row in listed.out.splitlines() if "Observership" in row)
    assert "2027-01-04 " in all_day and "EST" not in all_day  # a day has no zone
