"""`imgcoach mail setup`: the first-run step that chooses the local mailbox or SMTP and tests it (issue 12,
point 3). Without it a new user's reminders land in a Maildir nobody opens and show as "sent"."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.smtp_server import SmtpServer

USER_CONFIG = """# my settings: kept as written
[reminders]
hour = 8  # I start early

[smtp]
timeout = 20.0
"""


@pytest.fixture
def config(isolated_user_dirs: Path) -> Path:
    path = isolated_user_dirs / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_smtp_is_saved_with_the_users_comments_and_a_test_message_arrives(
        capsys: pytest.CaptureFixture[str], ctx: Context, config: Path) -> None:
    config.write_text(USER_CONFIG)
    with SmtpServer() as server:
        result = run_cli(capsys, "mail", "setup", "--db", ctx.db.url, "--host", server.host, "--port",
                         str(server.port), "--security", "none")
        assert result.code == 0, result.err
        assert len(server.received) == 1 and server.received[0].message["Subject"] == "imgcoach test message"
    assert f"e-mailed via {server.host}:{server.port} (none)" in result.out and "sent a test message" in result.out
    text = config.read_text()
    assert "# my settings: kept as written" in text and "hour = 8  # I start early" in text
    smtp = tomllib.loads(text)["smtp"]
    assert smtp == {"timeout": 20.0, "host": server.host, "port": server.port, "security": "none"}
    # the daemon and `mail test` now use it
    with SmtpServer() as other:
        run_cli(capsys, "mail", "setup", "--db", ctx.db.url, "--host", other.host, "--port", str(other.port),
                "--security", "none", "--no-test")
        tested = run_cli(capsys, "mail", "test", "--db", ctx.db.url)
        assert tested.code == 0 and len(other.received) == 1, tested.err


def test_local_mailbox_says_it_is_not_email_and_removes_the_server(
        capsys: pytest.CaptureFixture[str], ctx: Context, config: Path) -> None:
    config.write_text(USER_CONFIG + 'host = "smtp.example.org"\nuser = "me@example.org"\n')
    result = run_cli(capsys, "mail", "setup", "--db", ctx.db.url, "--local", "--no-test")
    assert result.code == 0, result.err
    assert "local mailbox" in result.out and "not e-mail" in result.out
    assert tomllib.loads(config.read_text())["smtp"] == {"timeout": 20.0}


def test_a_test_message_to_the_local_mailbox_is_not_said_to_be_sent_to_the_address(
        capsys: pytest.CaptureFixture[str], ctx: Context, config: Path, isolated_user_dirs: Path) -> None:
    """`mail test` said "sent a test message to you@example.com via Maildir ..." of a file written to a folder on
    this machine: the applicant looked for it in their inbox."""
    for argv in (("mail", "setup", "--db", ctx.db.url, "--local", "--to", "ravi@example.com"),
                 ("mail", "test", "--db", ctx.db.url, "--to", "ravi@example.com")):
        result = run_cli(capsys, *argv)
        assert result.code == 0, result.err
        said = result.out.splitlines()[-1]
        assert "sent" not in said and said.startswith("wrote a test message for ravi@example.com to the local "
                                                      "mailbox "), said
        assert "not e-mailed: no SMTP host is set" in said
    maildir = tomllib.loads(config.read_text())["smtp"]
    assert "host" not in maildir
    assert len(list(isolated_user_dirs.rglob("new/*"))) == 2, "both messages are in the local mailbox"


def test_a_new_config_file_is_readable_by_its_owner_only(
        capsys: pytest.CaptureFixture[str], ctx: Context, config: Path) -> None:
    assert run_cli(capsys, "mail", "setup", "--local", "--no-test").code == 0
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


@pytest.mark.parametrize(("args", "message"), [
    (("--host", "smtp.example.org", "--security", "none"), "'none' is allowed only for a loopback host"),
    (("--local", "--host", "smtp.example.org"), "choose one of --local and --host"),
    ((), "choose --local"),  # not a terminal: no prompt to answer
])
def test_a_refused_choice_leaves_the_config_file_byte_identical(
        capsys: pytest.CaptureFixture[str], config: Path, args: tuple[str, ...], message: str) -> None:
    config.write_text(USER_CONFIG)
    before = config.read_bytes()
    result = run_cli(capsys, "mail", "setup", "--no-test", *args)
    assert result.code == 2 and message in result.err, result.err
    assert config.read_bytes() == before


def test_a_failing_test_message_is_one_clear_line_and_exit_2(
        capsys: pytest.CaptureFixture[str], ctx: Context, config: Path) -> None:
    with SmtpServer() as server:
        server.handler.mail_replies.extend(["550 5.7.1 Sender address rejected: not owned by user"])
        result = run_cli(capsys, "mail", "setup", "--db", ctx.db.url, "--host", server.host, "--port",
                         str(server.port), "--security", "none")
    assert result.code == 2 and "mail test via" in result.err and "550" in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1


def test_a_host_in_the_environment_is_said_to_override_local_and_the_test_goes_where_the_daemon_sends(
        capsys: pytest.CaptureFixture[str], ctx: Context, config: Path, monkeypatch: pytest.MonkeyPatch,
        isolated_user_dirs: Path) -> None:
    """With IMGCOACH_SMTP_HOST set, `mail setup --local` said "local mailbox" and wrote its test message there,
    while the daemon (load_mail_settings: the variable wins) e-mailed through the variable's host."""
    from imgcoach.core.locations import data_dir
    from imgcoach.core.settings import load_settings
    from imgcoach.reminders import load_mail_settings

    with SmtpServer() as server:
        for name, value in (("IMGCOACH_SMTP_HOST", server.host), ("IMGCOACH_SMTP_PORT", str(server.port)),
                            ("IMGCOACH_SMTP_SECURITY", "none")):
            monkeypatch.setenv(name, value)
        result = run_cli(capsys, "mail", "setup", "--db", ctx.db.url, "--local", "--to", "ravi@example.com")
        assert result.code == 0, result.err
        assert len(server.received) == 1, "the test message goes where the daemon will send"
    daemon = load_mail_settings(load_settings(config).extra, data_dir=data_dir())
    assert daemon.smtp is not None and (daemon.smtp.host, daemon.smtp.port) == (server.host, server.port)
    assert ("but IMGCOACH_SMTP_HOST and IMGCOACH_SMTP_PORT and IMGCOACH_SMTP_SECURITY are set in the environment "
            f"and override the config file: the daemon and `imgcoach mail test` use e-mail via {server.host}:"
            f"{server.port} (none)") in result.out
    assert "this is not e-mail" not in result.out and "wrote a test message" not in result.out
    assert result.out.splitlines()[-1].startswith("sent a test message to ravi@example.com via ")
    assert not list(isolated_user_dirs.rglob("new/*")), "nothing in the local mailbox the daemon will not use"
    assert "host" not in tomllib.loads(config.read_text())["smtp"], "the file keeps the choice made"


def test_the_apps_mail_step_says_the_variable_overrides_it_too(
        ctx: Context, config: Path, monkeypatch: pytest.MonkeyPatch, isolated_user_dirs: Path) -> None:
    from imgcoach.tui.setup import save_mail_choice

    with SmtpServer() as server:
        for name, value in (("IMGCOACH_SMTP_HOST", server.host), ("IMGCOACH_SMTP_PORT", str(server.port)),
                            ("IMGCOACH_SMTP_SECURITY", "none")):
            monkeypatch.setenv(name, value)
        said = save_mail_choice(ctx, {"where": "local"}, "ravi@example.com")
        assert len(server.received) == 1
    assert said.startswith(f"e-mail via {server.host}") and "IMGCOACH_SMTP_HOST" in said, said
    assert "local mailbox" not in said.split("(but")[0]


def test_setup_with_the_password_in_the_environment_says_where_it_comes_from(
        capsys: pytest.CaptureFixture[str], ctx: Context, config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With IMGCOACH_SMTP_PASSWORD set (the README's way) and the test message sent with it, `mail setup` said
    "password: set IMGCOACH_SMTP_PASSWORD, or store it ...", as if there were none (found walking the daemon)."""
    monkeypatch.setenv("IMGCOACH_SMTP_PASSWORD", "app-password-43")
    with SmtpServer(users={"me@example.org": "app-password-43"}) as server:
        result = run_cli(capsys, "mail", "setup", "--db", ctx.db.url, "--host", server.host, "--port",
                         str(server.port), "--security", "none", "--user", "me@example.org")
        assert result.code == 0, result.err
        assert len(server.received) == 1
    assert "password: set IMGCOACH_SMTP_PASSWORD" not in result.out, result.out
    assert "password: from IMGCOACH_SMTP_PASSWORD in this environment; a daemon started elsewhere" in result.out
    assert "app-password-43" not in result.out + result.err + config.read_text()
    monkeypatch.delenv("IMGCOACH_SMTP_PASSWORD")
    bare = run_cli(capsys, "mail", "setup", "--db", ctx.db.url, "--host", "127.0.0.1", "--security", "none",
                   "--user", "me@example.org", "--no-test")
    assert "password: set IMGCOACH_SMTP_PASSWORD, or store it: `keyring set imgcoach me@example.org`" in bare.out
