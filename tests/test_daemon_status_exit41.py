"""`daemon status` exits 0 whatever the state, and says so: scripts read `--json`'s "running".

Nothing said what its exit code meant, so a script could take 0 for "a daemon runs". The code is kept (scripts
may rely on it); `daemon status --help` and docs/daemon.md now say it. Real SQLite, the command in-process on
the test's clock, by the quick read and by the full path.
"""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli, run_command
from tests.conftest import REPO


def test_help_says_it_exits_0_and_what_scripts_read(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "daemon", "status", "--help")
    words = " ".join(result.out.split())
    assert result.code == 0
    assert "Exits 0 whatever the state (no daemon running too): scripts read `--json`'s \"running\"" in words, words


def test_the_docs_say_it_too() -> None:
    text = " ".join((REPO / "docs" / "daemon.md").read_text(encoding="utf-8").split())
    assert "`daemon status` exits 0 whatever the state, no daemon running included: scripts read `--json`'s `running`" \
        in text


@pytest.mark.parametrize("full", [False, True], ids=["quick", "full"])
def test_no_daemon_exits_0_with_running_false(ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch, full: bool) -> None:
    if full:
        monkeypatch.setenv("IMGCOACH_FULL_READ", "1")
    result = run_command(capsys, "daemon", "status", "--json", "--db", ctx.db.url)
    assert (result.code, result.json()["running"]) == (0, False), result.err
