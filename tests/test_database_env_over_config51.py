"""Which database a command opens: --db, then IMGCOACH_DB / IMGCOACH_DATABASE_URL, then `[general] database_url`
in config.toml, then the file in the data folder (README, "Where your data lives"; cli/db_cmds.py said the same).
The config file's database_url was passed on as if typed with --db, so it beat the environment: with an
organisation's URL in config.toml, `IMGCOACH_DB=/tmp/try.sqlite imgcoach ...` read and wrote the organisation's
database, on every path (the quick read, the full path, `db status`, the app). SQLite files on both engines' runs:
the configured database is the test's engine, the one the environment names a SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.plan.profile import set_profile
from imgcoach.storage.db import Database
from imgcoach.tui.app import PlannerApp
from tests.cli_helpers import run_subprocess


@pytest.fixture
def configured_and_env(ctx: Context, clock: FixedClock, isolated_user_dirs: Path, tmp_path: Path,
                       monkeypatch: pytest.MonkeyPatch) -> str:
    """config.toml names the test's database (its applicant: Test Applicant); IMGCOACH_DB names another SQLite
    file, whose applicant is Env Person: its path."""
    config = isolated_user_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[general]\ndatabase_url = "{ctx.db.url}"\n', encoding="utf-8")
    ctx.db.close()
    chosen = tmp_path / "chosen-by-env.sqlite"
    db = Database(f"sqlite:///{chosen}")
    set_profile(Context(db=db, clock=clock, settings=Settings()), name="Env Person", email="env@example.com",
                timezone="Europe/Berlin")
    db.close()
    monkeypatch.setenv("IMGCOACH_DB", str(chosen))
    return str(chosen)


@pytest.mark.parametrize("full", [False, True], ids=["quick", "full"])
def test_the_environment_beats_the_config_file(configured_and_env: str, full: bool) -> None:
    shown = run_subprocess("profile", "show", env={"IMGCOACH_FULL_READ": "1"} if full else {})
    assert shown.code == 0, shown.err
    assert "Env Person" in shown.out and "Test Applicant" not in shown.out, shown.out


def test_db_status_and_a_write_go_to_the_database_the_environment_names(configured_and_env: str) -> None:
    status = run_subprocess("db", "status")
    assert status.code == 0 and status.out.startswith(configured_and_env), status.out
    added = run_subprocess("exams", "add", "--exam", "Step 1", "--date", "2026-03-02", "--result", "pass", "--json")
    assert added.code == 0, added.err
    listed = run_subprocess("exams", "list", "--json")
    assert [e["exam"] for e in listed.json()] == ["Step 1"]


def test_the_app_opens_the_database_the_environment_names(configured_and_env: str, clock: FixedClock) -> None:
    app = PlannerApp(clock=clock, cursor_blink=False, poll_seconds=0)
    app._database_gate.set()  # as on_mount does once no new database is to be asked about
    try:
        assert app.open_context().db.url == f"sqlite:///{configured_and_env}"
    finally:
        if app.context is not None:
            app.context.db.close()
