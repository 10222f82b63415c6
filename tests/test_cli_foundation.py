"""The foundation CLI: scriptable output, exit codes, and errors that change nothing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from tests.cli_helpers import run_cli, run_subprocess


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "cli.sqlite")
    result = run_cli(capsys, "--db", path, "profile", "set", "--name", "Ana Test", "--email", "ana@example.com",
                     "--timezone", "Asia/Kolkata", "--graduation-year", "2021", "--visa", "j1",
                     "--specialties", "Internal Medicine,Family Medicine", "--school", "Fictional Medical College",
                     "--school-country", "India")
    assert result.code == 0, result.err
    return path


def add_args(**over: str) -> list[str]:
    opts = {"kind": "observership", "specialty": "Internal Medicine", "institution": "Mercy Hospital", "city": "Chicago",
            "state": "IL", "country": "US", "start": "2027-01-04", "end": "2027-01-29", "hours": "40",
            "setting": "inpatient", **over}
    return ["rotations", "add", *[x for k, v in opts.items() for x in (f"--{k}", v)], "--hands-on"]


ADD = add_args()


def test_profile_round_trip(capsys: pytest.CaptureFixture[str], db: str) -> None:
    data = run_cli(capsys, "--db", db, "profile", "show", "--json").json()
    assert data["target_specialties"] == ["Internal Medicine", "Family Medicine"]
    assert data["visa"] == "j1" and data["timezone"] == "Asia/Kolkata" and data["graduation_year"] == 2021
    run_cli(capsys, "profile", "set", "--db", db, "--visa", "h1b")  # --db after the subcommand works too
    assert run_cli(capsys, "--db", db, "profile", "show", "--json").json()["visa"] == "h1b"
    assert run_cli(capsys, "--db", db, "profile", "show", "--json").json()["us_citizen"] is False
    run_cli(capsys, "--db", db, "profile", "set", "--us-citizen")
    assert run_cli(capsys, "--db", db, "profile", "show", "--json").json()["us_citizen"] is True


def test_rotation_add_prints_id_and_lists(capsys: pytest.CaptureFixture[str], db: str) -> None:
    result = run_cli(capsys, "--db", db, *ADD)
    assert result.code == 0 and result.out.strip() == "1"
    rows = run_cli(capsys, "--db", db, "rotations", "list", "--json").json()
    assert rows[0]["institution"] == "Mercy Hospital" and rows[0]["hands_on"] is True
    assert rows[0]["start_date"] == "2027-01-04"
    assert run_cli(capsys, "--db", db, "rotations", "edit", "1", "--hours", "30").code == 0
    assert run_cli(capsys, "--db", db, "rotations", "list", "--json").json()[0]["hours_per_week"] == 30


def test_reminders_json_shows_local_time_with_offset(capsys: pytest.CaptureFixture[str], db: str, cli_clock: FixedClock) -> None:
    run_cli(capsys, "--db", db, *ADD)
    rows = run_cli(capsys, "--db", db, "reminders", "list", "--json", "--status", "pending").json()
    thanks = next(r for r in rows if r["kind"] == "thank_you")
    assert thanks["due_at"] == "2027-02-01T09:00:00+05:30"  # Sunday -> Monday
    assert datetime.fromisoformat(thanks["due_at"]).utcoffset().total_seconds() == 5.5 * 3600
    assert run_cli(capsys, "--db", db, "reminders", "list", "--status", "sent", "--json").json() == []


def test_exams_add_and_list(capsys: pytest.CaptureFixture[str], db: str) -> None:
    assert run_cli(capsys, "--db", db, "exams", "add", "--exam", "Step 2 CK", "--date", "2026-08-14", "--score", "245").code == 0
    assert run_cli(capsys, "--db", db, "exams", "add", "--exam", "Step 1", "--date", "2025-03-01", "--result", "pass").code == 0
    rows = run_cli(capsys, "--db", db, "exams", "list", "--json").json()
    assert [(r["exam"], r["score"], r["result"]) for r in rows] == [("Step 1", None, "pass"), ("Step 2 CK", 245, "pass")]  # 245 is above every Step 2 CK standard


def test_remove_reports_cancelled_reminders(capsys: pytest.CaptureFixture[str], db: str, cli_clock: FixedClock) -> None:
    run_cli(capsys, "--db", db, *ADD)
    data = run_cli(capsys, "--db", db, "rotations", "remove", "1", "--json").json()
    assert data["removed"] == 1 and len(data["cancelled_reminders"]) == 4


ERROR_CASES = [
    (add_args(start="2027-02-30"), "--start"),
    (add_args(end="2027-01-01"), "--end:"),  # the option typed, as click names --start and --kind
    (add_args(hours="99"), "--hours:"),
    (add_args(kind="holiday"), "--kind"),
    (["rotations", "edit", "42", "--hours", "10"], "no rotation with id 42"),
    (["rotations", "remove", "42"], "no rotation with id 42"),
    (["exams", "add", "--exam", "Step 2 CK", "--date", "2026-08-14", "--score", "245", "--result", "pass"], "either"),
    (["profile", "set", "--email", "not-an-email"], "email"),
    (["profile", "set", "--timezone", "Mars/Base"], "timezone"),
    (["profile", "set", "--graduation-year", "1800"], "--graduation-year"),
    (["reminders", "cancel", "999"], "no reminder with id 999"),
]


@pytest.mark.parametrize(("args", "needle"), ERROR_CASES)
def test_user_errors_exit_2_and_leave_database_byte_identical(
    capsys: pytest.CaptureFixture[str], db: str, args: list[str], needle: str
) -> None:
    run_cli(capsys, "--db", db, *ADD)
    before = Path(db).read_bytes()
    result = run_cli(capsys, "--db", db, *args)
    assert result.code == 2, (result.out, result.err)
    assert needle in result.err and "Traceback" not in result.err
    assert Path(db).read_bytes() == before


def test_bad_db_file_is_one_line_exit_2(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("this is not a database")
    result = run_subprocess("--db", str(bogus), "rotations", "list")
    assert result.code == 2
    assert result.err.strip().count("\n") == 0 and str(bogus) in result.err and "Traceback" not in result.err
    assert bogus.read_text() == "this is not a database"


def test_env_var_selects_database(tmp_path: Path) -> None:
    path = tmp_path / "env.sqlite"
    env = {"IMGCOACH_DB": str(path)}
    assert run_subprocess("profile", "set", "--name", "Env", "--email", "env@example.com", env=env).code == 0
    result = run_subprocess("profile", "show", "--json", env=env)
    assert result.code == 0 and '"Env"' in result.out


def test_version_and_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from imgcoach import __version__

    assert __version__ in run_cli(capsys, "--version").out
    demo = str(tmp_path / "demo.sqlite")
    assert run_cli(capsys, "demo", "--db", demo).code == 0
    assert run_cli(capsys, "demo", "--db", demo).code == 2  # exists: needs --reset
    assert run_cli(capsys, "demo", "--db", demo, "--reset", "--quiet").code == 0
    rows = run_cli(capsys, "--db", demo, "rotations", "list", "--json").json()
    assert 3 <= len(rows) <= 4 and len({r["kind"] for r in rows}) >= 3


def test_demo_reset_refuses_a_real_database(capsys: pytest.CaptureFixture[str], db: str) -> None:
    before = Path(db).read_bytes()
    result = run_cli(capsys, "demo", "--db", db, "--reset")
    assert result.code == 2 and "real applicant" in result.err
    assert Path(db).read_bytes() == before
