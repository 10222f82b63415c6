"""A mistyped mail setting is not "ignored": the daemon refuses to start over it, and every command says so.

`usr = "me"` in [smtp] made every command warn "[smtp] has no setting 'usr'; ignored; did you mean 'user'?", and
`imgcoach daemon status` under that warning said only "NOT running", while the daemon itself refused to start
("config file: 1 unknown key in [smtp]": mail settings are read strictly, so a mistyped `securty` cannot send in
clear). A user reading "ignored" had no reason to look further. The warning now says what the key does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import run_cli

TYPO = "[smtp]\nhost = \"localhost\"\nusr = \"me\"\n"
WORDS = ("[smtp] has no setting 'usr'; the daemon and `imgcoach mail test` refuse to run until it is corrected or "
         "removed; did you mean 'user'?")


def test_a_mistyped_mail_setting_is_said_to_stop_the_daemon_it_stops(
        ctx, capsys: pytest.CaptureFixture[str], db_url: str, isolated_user_dirs: Path) -> None:  # type: ignore[no-untyped-def]
    config = isolated_user_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(TYPO, encoding="utf-8")
    status = run_cli(capsys, "daemon", "status", "--db", db_url)
    assert status.code == 0 and WORDS in status.err, status.err
    assert "ignored" not in status.err, status.err
    refused = run_cli(capsys, "daemon", "--once", "--db", db_url)
    assert refused.code == 2 and f"error: {config}: 1 unknown key in [smtp]: usr" in refused.err, refused.err


def test_a_mistyped_setting_elsewhere_is_still_ignored(
        ctx, capsys: pytest.CaptureFixture[str], db_url: str, isolated_user_dirs: Path) -> None:  # type: ignore[no-untyped-def]
    """A guard: outside [smtp] an unknown key is ignored, and the daemon starts."""
    config = isolated_user_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[reminders]\nhours = 8\n", encoding="utf-8")
    res = run_cli(capsys, "daemon", "status", "--db", db_url)
    assert res.code == 0 and "[reminders] has no setting 'hours'; ignored; did you mean 'hour'?" in res.err, res.err
