"""What `profile set` says is what it did. Each test failed before its fix: a school country "Narnia" was saved, a
CV path to no file was taken silently, and a change of zone moved imported events without a word. Real SQLite
and PostgreSQL databases, a real .ics file, the CLI in process on the fixed clock (2026-11-25)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.storage.models import Applicant
from tests.cli_helpers import database_state, run_cli
from tests.test_floating_events_zone import ICS


def test_an_unknown_school_country_is_refused_as_a_target_country_is(
        ctx: Context, db_url: str, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    before = database_state(db_url)
    refused = run_cli(capsys, "profile", "set", "--db", db_url, "--school-country", "Narnia")
    assert refused.code == 2 and refused.out == ""
    assert refused.err.startswith("imgcoach: error: --school-country: unknown country"), refused.err
    assert "(got 'Narnia')" in refused.err and refused.err.count("\n") == 1, refused.err
    assert database_state(db_url) == before
    # The target countries' message, word for word after the option's name.
    target = run_cli(capsys, "profile", "set", "--db", db_url, "--countries", "Narnia")
    assert target.code == 2 and refused.err.split(":", 3)[3] == target.err.split(":", 3)[3], (refused.err, target.err)
    assert database_state(db_url) == before
    saved = run_cli(capsys, "profile", "set", "--db", db_url, "--school-country", "India", "--json")
    assert saved.code == 0 and saved.json()["school_country"] == "India", saved.err


def test_a_bad_school_country_already_stored_does_not_block_other_changes(
        ctx: Context, db_url: str, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    with ctx.db.transaction() as session:  # saved before the rule existed
        row = session.exec(select(Applicant)).one()
        row.school_country = "Narnia"
        session.add(row)
    done = run_cli(capsys, "profile", "set", "--db", db_url, "--name", "Renamed Applicant", "--json")
    assert done.code == 0, done.err
    assert (done.json()["name"], done.json()["school_country"]) == ("Renamed Applicant", "Narnia")


@pytest.mark.parametrize("option", ["--cv-path", "--personal-statement-path"])
def test_a_document_path_to_no_file_is_kept_and_said_at_once(
        ctx: Context, db_url: str, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        option: str) -> None:
    missing = tmp_path / "no" / "such.pdf"
    done = run_cli(capsys, "profile", "set", "--db", db_url, option, str(missing))
    assert done.code == 0, done.err
    assert done.err == (f"imgcoach: warning: {option}: {missing} does not exist (yet); the packet will leave it "
                        "out until it does\n")
    field = option.removeprefix("--").replace("-", "_")
    assert run_cli(capsys, "profile", "show", "--db", db_url, "--json").json()[field] == str(missing)
    present = tmp_path / "doc.pdf"
    present.write_bytes(b"%PDF-1.4\n")
    quiet = run_cli(capsys, "profile", "set", "--db", db_url, option, str(present))
    assert quiet.code == 0 and quiet.err == "", quiet.err


def test_a_change_of_zone_says_how_many_floating_events_kept_their_clock_time(
        ctx: Context, db_url: str, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    first = run_cli(capsys, "profile", "set", "--db", db_url, "--timezone", "Europe/London")
    assert first.out == "profile saved for Test Applicant\n", first.out  # nothing imported: nothing said
    path = tmp_path / "rota.ics"
    path.write_text(ICS, encoding="utf-8", newline="")
    assert run_cli(capsys, "import", str(path), "--db", db_url).code == 0
    # Floating: the ward round and the five weekly clinics; the TZID, UTC and all-day events keep their instants.
    moved = run_cli(capsys, "profile", "set", "--db", db_url, "--timezone", "America/Chicago")
    assert moved.code == 0, moved.err
    assert moved.out == ("profile saved for Test Applicant; 6 imported events without a time zone keep their "
                         "clock time in America/Chicago\n"), moved.out
    shown = run_cli(capsys, "profile", "show", "--db", db_url, "--json").json()
    back = run_cli(capsys, "profile", "set", "--db", db_url, "--timezone", "Europe/London", "--json")
    # --json: the profile as `profile show --json` has it (one shape per object); the count is said on stderr
    assert back.json() == {**shown, "timezone": "Europe/London"}
    assert back.err == ("imgcoach: note: 6 imported events without a time zone keep their clock time in "
                        "Europe/London\n"), back.err
    same = run_cli(capsys, "profile", "set", "--db", db_url, "--name", "Test Applicant", "--json")
    assert same.json() == {**shown, "timezone": "Europe/London"} and same.err == "", same.err
