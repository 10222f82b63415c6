"""`imgcoach daemon status` says why a daemon cannot start, in text and in `--json`.

With a setting the daemon refuses (config.toml's smtp.port "abc", IMGCOACH_DAEMON_POLL "x"), `imgcoach daemon`
exits 2 naming it, but `daemon status` said only "daemon: NOT running" and `--json` "running": false: a script (or a
person) could not tell a daemon stopped from one that cannot start. Both read paths (the quick read and the full
one, IMGCOACH_FULL_READ=1) now say it by the daemon's own check (reminders.daemon_start_problem); the exit code stays
0 (docs/daemon.md: "exits 0 whatever the state"). Real SQLite/PostgreSQL, the real CLI, a FixedClock.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli

PORT_PROBLEM = "smtp.port: 'abc' is not a number"
PORT = f"config file: {PORT_PROBLEM}"  # the words a DaemonStatus is given in the unit test below
REFUSES = "(`imgcoach daemon` refuses to start until it is fixed)"


def _config(text: str) -> None:
    folder = Path(os.environ["IMGCOACH_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text, encoding="utf-8")


@pytest.fixture(params=["quick", "full"])
def read_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "full":
        monkeypatch.setenv("IMGCOACH_FULL_READ", "1")
    return str(request.param)


def test_status_says_why_the_daemon_refuses_to_start_and_stops_saying_it_once_fixed(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], read_path: str) -> None:
    db = ctx.db.url
    _config('[smtp]\nport = "abc"\n')
    port = f"{Path(os.environ['IMGCOACH_CONFIG_DIR']) / 'config.toml'}: {PORT_PROBLEM}"  # the file named, not "config file"
    before = database_state(db)
    refused = run_cli(capsys, "daemon", "--once", "--db", db)
    assert refused.code == 2 and port in refused.err, refused
    assert database_state(db) == before

    shown = run_cli(capsys, "daemon", "status", "--db", db)
    assert shown.code == 0, shown
    assert shown.out.splitlines()[:2] == ["daemon: NOT running (last checked the outbox: never)",
                                          f"cannot start: {port} {REFUSES}"], shown.out
    as_json = run_cli(capsys, "daemon", "status", "--db", db, "--json")
    assert as_json.code == 0 and (as_json.json()["running"], as_json.json()["cannot_start"]) == (False, port)

    _config("")  # fixed: a stopped daemon is only stopped
    shown = run_cli(capsys, "daemon", "status", "--db", db)
    assert shown.code == 0 and "cannot start" not in shown.out, shown.out
    assert run_cli(capsys, "daemon", "status", "--db", db, "--json").json()["cannot_start"] is None


def test_status_names_the_poll_variable_the_daemon_refuses(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        read_path: str) -> None:
    monkeypatch.setenv("IMGCOACH_DAEMON_POLL", "x")
    refused = run_cli(capsys, "daemon", "--once", "--db", ctx.db.url)
    problem = "IMGCOACH_DAEMON_POLL: 'x' is not a number of seconds"
    assert refused.code == 2 and problem in refused.err, refused
    as_json = run_cli(capsys, "daemon", "status", "--db", ctx.db.url, "--json")
    assert as_json.code == 0 and as_json.json()["cannot_start"] == problem


def test_beside_a_running_daemon_it_says_a_restart_would_fail() -> None:
    """A daemon started before the setting changed still runs: it is not "cannot start", but its next start is."""
    from datetime import UTC, datetime

    from imgcoach.reminders import DaemonStatus

    running = DaemonStatus(running=True, owners=["host:41"], last_run_at=None,
                           last_heartbeat_at=datetime(2026, 11, 25, 14, tzinfo=UTC), counts={})
    lines = running.with_start_problem(PORT).report_lines(UTC)
    assert lines[1] == f"a restart would fail: {PORT} {REFUSES}", lines
    assert running.with_start_problem(None).report_lines(UTC)[1] == "process: host:41"
