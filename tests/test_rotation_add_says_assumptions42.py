"""`rotations add` said nothing of two things it decided for the applicant (found walking a new applicant's
first rotation): without --end the rotation ends four weeks from its start, an assumption every reminder is
timed from (a rotation really ending on the Friday had its thank-you on the Tuesday after the Sunday), and a
typed subspecialty ("Cardiology") is kept as Internal Medicine with the typed name as its department, so
`rotations list` showed a specialty the applicant never typed. Both are now said where they are decided: on
stderr in the CLI (stdout stays the id scripts read), and the subspecialty in the app's save message too."""

from __future__ import annotations

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.tui_helpers import app_for, fill, press


def test_the_cli_says_the_assumed_end_and_the_subspecialty(ctx: Context, db_url: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(capsys, "rotations", "add", "--db", db_url, "--kind", "observership", "--specialty", "Cardiology",
                  "--institution", "Lakeview Clinic", "--start", "2027-01-04", "--hours", "30")
    assert res.code == 0, res.err
    rid = res.out.strip()
    assert rid.isdigit()  # stdout is the id alone, as before
    assert (f"note: no --end given: rotation {rid} ends Sun 31 Jan 2027, four weeks from its start (an "
            "assumption; its reminders are timed from it); give the real last day with "
            f"`imgcoach rotations edit {rid} --end YYYY-MM-DD`") in res.err
    assert ("note: Cardiology is counted as Internal Medicine experience, the residency specialty it belongs to; "
            "Cardiology is kept as the department") in res.err
    shown = run_cli(capsys, "rotations", "show", rid, "--db", db_url, "--json").json()["rotation"]
    assert (shown["specialty"], shown["department"]) == ("Internal Medicine", "Cardiology")


def test_the_cli_says_nothing_more_when_nothing_was_assumed(ctx: Context, db_url: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(capsys, "rotations", "add", "--db", db_url, "--kind", "observership", "--specialty",
                  "Internal Medicine", "--institution", "Lakeview Clinic", "--start", "2027-01-04",
                  "--end", "2027-01-29", "--hours", "30")
    assert res.code == 0 and res.err == "", res.err
    edited = run_cli(capsys, "rotations", "edit", res.out.strip(), "--db", db_url, "--specialty", "Nephrology")
    assert edited.code == 0, edited.err
    assert "note: Nephrology is counted as Internal Medicine experience" in edited.err


async def test_the_apps_save_message_says_the_subspecialty(ctx: Context) -> None:
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "r", "a")
        fill(pilot.app.screen, specialty="Cardiology", institution="Lakeview Clinic", start_date="2027-01-04",
             end_date="2027-01-29")
        await press(pilot, "ctrl+s")
        said = " ".join(str(n.message) for n in pilot.app._notifications)
    assert "Added Internal Medicine at Lakeview Clinic" in said, said
    assert "Cardiology is counted as Internal Medicine experience" in said, said


def test_a_department_given_with_the_subspecialty_is_kept_and_not_said_otherwise(
        ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(capsys, "rotations", "add", "--db", db_url, "--kind", "observership", "--specialty", "Cardiology",
                  "--department", "Cardiac ICU", "--institution", "Lakeview Clinic", "--start", "2027-01-04",
                  "--end", "2027-01-29", "--hours", "30")
    assert res.code == 0, res.err
    assert "note: Cardiology is counted as Internal Medicine experience" in res.err
    assert "kept as the department" not in res.err  # it is not: the department given is
    shown = run_cli(capsys, "rotations", "show", res.out.strip(), "--db", db_url, "--json").json()["rotation"]
    assert shown["department"] == "Cardiac ICU"
