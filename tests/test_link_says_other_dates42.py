"""A rotation linked to the hospital's calendar keeps its own dates, which time its reminders: when the event's
days differ, the import says both (quirk found walking a new applicant's first import: a rotation added with
the default four weeks, 4-31 January, was linked to an Outlook schedule that ends Friday 29 January, and its
thank-you stayed on 2 February with nothing said)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation
from tests.cli_helpers import run_cli

# An Outlook export ("Central Standard Time" zone, Windows-style UIDs): daily Morning Report and an all-day
# observership event from Monday 4 January to Friday 29 January 2027 (DTEND 30 January, exclusive).
SCHEDULE = Path(__file__).parent / "data" / "ics" / "outlook_schedule_ends_on_friday.ics"
OBSERVERSHIP_UID = "040000008200E00074C5B7101A82E0080000000010A1B2C3D4E5F602"


def _rotation(ctx: Context, end: date) -> int:
    row = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy Hospital",
                       city="Chicago", state="IL", country="US", start_date=date(2027, 1, 4), end_date=end)
    assert row.id is not None
    return row.id


@pytest.mark.sqlite_only
def test_a_link_to_an_event_with_other_days_says_both_and_moves_nothing(
        ctx: Context, db_url: str, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rid = _rotation(ctx, date(2027, 1, 31))  # `rotations add` without --end: four weeks
    before = sqlite3.connect(db_path).execute(
        "SELECT start_date, end_date FROM rotation WHERE id = ?", (rid,)).fetchone()
    res = run_cli(capsys, "import", str(SCHEDULE), "--accept-suggestions", "--db", db_url)
    assert res.code == 0, res.err
    assert f"linked to rotation {rid}" in res.out
    said = [line for line in res.err.splitlines() if OBSERVERSHIP_UID in line]
    assert len(said) == 1, res.err
    assert (f"the event covers 04 Jan–29 Jan 2027; rotation {rid}, now linked to it, keeps 04 Jan–31 Jan 2027 "
            "(linking does not change your dates, and the rotation's reminders follow them): if the event's are "
            f"right, `imgcoach rotations edit {rid} --end 2027-01-29`") in said[0]
    assert "--start" not in said[0]  # the same first day is not offered as a change
    after = sqlite3.connect(db_path).execute(
        "SELECT start_date, end_date FROM rotation WHERE id = ?", (rid,)).fetchone()
    assert after == before


def test_a_link_to_an_event_with_the_same_days_says_nothing_more(
        ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    rid = _rotation(ctx, date(2027, 1, 29))
    res = run_cli(capsys, "import", str(SCHEDULE), "--accept-suggestions", "--db", db_url)
    assert res.code == 0, res.err
    assert f"linked to rotation {rid}" in res.out
    assert "the event covers" not in res.err
