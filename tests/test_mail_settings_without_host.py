"""A malformed mail setting is refused whether or not an SMTP host is set: one message naming the setting, exit 2,
the config file and the database byte-identical.

Found on 5 December: with no host, `mail setup --local` and `mail test` read IMGCOACH_SMTP_PORT=abc (or a timeout
of "abc" in the file) as fine and wrote to the local mailbox; `mail setup --host` never read the variables at all,
so the daemon it said was ready then refused to start. A port of 0 in the file became 587 without a word.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.reminders.mail.errors import MailSettingsError
from imgcoach.reminders.mail.settings import load_mail_settings
from tests.cli_helpers import database_state, run_cli


def _named(message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """`message` with the config file in use in place of {config}: a file IMGCOACH_CONFIG names, so the path said is
    the one imgcoach reads (it said "config file: smtp.port")."""
    config = tmp_path / "my config.toml"
    monkeypatch.setenv("IMGCOACH_CONFIG", str(config))
    return message.replace("{config}", re.escape(str(config)))


@pytest.mark.parametrize(("table", "env", "message"), [
    ({}, {"IMGCOACH_SMTP_PORT": "abc"}, "IMGCOACH_SMTP_PORT: 'abc' is not a number"),
    ({"port": "abc"}, {}, "{config}: smtp.port: 'abc' is not a number"),
    ({"port": 70000}, {}, "{config}: smtp.port: 70000 is not a valid port"),
    ({"port": True}, {}, "{config}: smtp.port: True is not a number"),
    ({"security": "ssl"}, {}, "{config}: smtp.security: 'ssl' is not one of starttls, tls, none"),
    ({}, {"IMGCOACH_SMTP_SECURITY": "ssl"}, "IMGCOACH_SMTP_SECURITY: 'ssl' is not one of"),
    ({"timeout": "abc"}, {}, "{config}: smtp.timeout: 'abc' is not a number of seconds"),
    ({"data_timeout": -5}, {}, "{config}: smtp.data_timeout: -5 must be more than 0"),
    ({"user": 5}, {}, "{config}: smtp.user: 5 is not a login name"),
    ({"maildir": 5}, {}, "{config}: smtp.maildir: 5 is not a folder path"),
    # The From address and the host named both places ("IMGCOACH_SMTP_FROM/smtp.from") whichever was set, so a
    # user with no variable set went looking for one.
    ({"from": "not an address"}, {}, "^{config}: smtp.from: invalid e-mail address"),
    ({}, {"IMGCOACH_SMTP_FROM": "not an address"}, "^IMGCOACH_SMTP_FROM: invalid e-mail address"),
    ({"host": "smtp example.org"}, {}, "^{config}: smtp.host: 'smtp example.org' is not a host name"),
    ({"host": "smtp.example.org"}, {"IMGCOACH_SMTP_HOST": "a b"}, "^IMGCOACH_SMTP_HOST: 'a b' is not a host name"),
])
def test_each_setting_is_checked_without_a_host(tmp_path: Path, table: dict[str, Any], env: dict[str, str],
                                                message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(MailSettingsError, match=_named(message, tmp_path, monkeypatch)):
        load_mail_settings({"smtp": table}, data_dir=tmp_path, env=env)


@pytest.mark.parametrize(("table", "message"), [
    ({"port": 0}, "{config}: smtp.port: 0 is not a valid port"),  # was read as "no port": 587
    ({"security": 1}, "{config}: smtp.security: 1 is not one of"),  # was a crash (int has no .lower())
])
def test_a_value_once_taken_for_unset_or_a_crash_is_refused_with_a_host(
        tmp_path: Path, table: dict[str, Any], message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(MailSettingsError, match=_named(message, tmp_path, monkeypatch)):
        load_mail_settings({"smtp": {"host": "smtp.example.org", **table}}, data_dir=tmp_path, env={})


@pytest.fixture
def config(isolated_user_dirs: Path) -> Path:
    path = isolated_user_dirs / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# mine\n[smtp]\ntimeout = 20.0\n")
    return path


def test_mail_test_refuses_a_port_of_abc_with_no_host(capsys: pytest.CaptureFixture[str], ctx: Context, config: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      isolated_user_dirs: Path) -> None:
    monkeypatch.setenv("IMGCOACH_SMTP_PORT", "abc")
    before = config.read_bytes()
    result = run_cli(capsys, "mail", "test", "--db", ctx.db.url)
    assert (result.code, result.err.strip()) == (2, "imgcoach: error: IMGCOACH_SMTP_PORT: 'abc' is not a number")
    assert config.read_bytes() == before
    assert not (isolated_user_dirs / "data" / "Maildir").exists()  # nothing written to the local mailbox


@pytest.mark.parametrize("args", [["--local"], ["--host", "smtp.example.org"]])
def test_mail_setup_refuses_a_malformed_variable_and_writes_nothing(
        capsys: pytest.CaptureFixture[str], ctx: Context, config: Path, monkeypatch: pytest.MonkeyPatch,
        args: list[str]) -> None:
    monkeypatch.setenv("IMGCOACH_SMTP_PORT", "abc")
    before = config.read_bytes()
    result = run_cli(capsys, "mail", "setup", "--db", ctx.db.url, *args, "--no-test")
    assert (result.code, result.err.strip()) == (2, "imgcoach: error: IMGCOACH_SMTP_PORT: 'abc' is not a number")
    assert config.read_bytes() == before


def test_mail_setup_local_refuses_a_malformed_timeout_kept_from_the_file(
        capsys: pytest.CaptureFixture[str], ctx: Context, config: Path) -> None:
    config.write_text('[smtp]\ntimeout = "abc"\n')
    before = config.read_bytes()
    result = run_cli(capsys, "mail", "setup", "--db", ctx.db.url, "--local", "--no-test")
    assert result.code == 2 and f"{config}: smtp.timeout: 'abc' is not a number of seconds" in result.err
    assert config.read_bytes() == before


def test_the_daemon_refuses_to_start_on_it_too(capsys: pytest.CaptureFixture[str], ctx: Context, db_url: str,
                                               monkeypatch: pytest.MonkeyPatch, cli_clock: FixedClock) -> None:
    monkeypatch.setenv("IMGCOACH_SMTP_SECURITY", "ssl")
    before = database_state(db_url)
    result = run_cli(capsys, "daemon", "--once", "--db", db_url)
    assert result.code == 2 and "IMGCOACH_SMTP_SECURITY: 'ssl' is not one of starttls, tls, none" in result.err
    assert database_state(db_url) == before
