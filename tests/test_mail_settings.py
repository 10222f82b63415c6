"""SMTP settings from the config table and IMGCOACH_SMTP_* variables; passwords never from the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imgcoach.reminders.mail.errors import MailSettingsError
from imgcoach.reminders.mail.settings import is_loopback, load_mail_settings, password_for


def test_no_host_means_maildir_in_the_data_folder(tmp_path: Path) -> None:
    s = load_mail_settings({}, data_dir=tmp_path, env={})
    assert s.smtp is None and s.maildir == tmp_path / "Maildir" and s.transport_name == "maildir"


def test_config_table_and_default_port(tmp_path: Path) -> None:
    s = load_mail_settings({"smtp": {"host": "smtp.gmail.com", "user": "me@gmail.com", "from": "me@gmail.com"}},
                           data_dir=tmp_path, env={})
    assert s.smtp is not None
    assert (s.smtp.host, s.smtp.port, s.smtp.security, s.smtp.user) == ("smtp.gmail.com", 587, "starttls",
                                                                       "me@gmail.com")
    assert s.sender == "me@gmail.com"
    tls = load_mail_settings({"smtp": {"host": "smtp.example.org", "security": "tls"}}, data_dir=tmp_path, env={})
    assert tls.smtp is not None and tls.smtp.port == 465


def test_environment_wins_over_the_file(tmp_path: Path) -> None:
    env = {"IMGCOACH_SMTP_HOST": "smtp.office365.com", "IMGCOACH_SMTP_PORT": "2525",
           "IMGCOACH_SMTP_SECURITY": "STARTTLS", "IMGCOACH_SMTP_USER": "me@outlook.com"}
    s = load_mail_settings({"smtp": {"host": "smtp.gmail.com", "port": 465, "security": "tls"}},
                           data_dir=tmp_path, env=env)
    assert s.smtp is not None
    assert (s.smtp.host, s.smtp.port, s.smtp.security, s.smtp.user) == ("smtp.office365.com", 2525, "starttls",
                                                                       "me@outlook.com")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.53"])
def test_security_none_only_for_loopback(tmp_path: Path, host: str) -> None:
    assert is_loopback(host)
    s = load_mail_settings({}, data_dir=tmp_path, env={"IMGCOACH_SMTP_HOST": host, "IMGCOACH_SMTP_SECURITY": "none"})
    assert s.smtp is not None and s.smtp.port == 25


def test_security_none_refused_for_a_remote_host(tmp_path: Path) -> None:
    with pytest.raises(MailSettingsError, match="'none' is allowed only for a loopback host"):
        load_mail_settings({}, data_dir=tmp_path, env={"IMGCOACH_SMTP_HOST": "smtp.gmail.com",
                                                       "IMGCOACH_SMTP_SECURITY": "none"})


@pytest.mark.parametrize(
    ("config", "env", "message"),
    [
        ({"smtp": {"host": "h.example", "password": "x"}}, {}, "^{config}: smtp.password is not allowed"),
        ({"smtp": {"host": "h.example", "secuirty": "tls"}}, {}, "^{config}: 1 unknown key.*secuirty"),
        ({}, {"IMGCOACH_SMTP_HOST": "h.example", "IMGCOACH_SMTP_SECURITY": "ssl"}, "'ssl' is not one of"),
        ({}, {"IMGCOACH_SMTP_HOST": "h.example", "IMGCOACH_SMTP_PORT": "abc"}, "IMGCOACH_SMTP_PORT.*not a number"),
        ({}, {"IMGCOACH_SMTP_HOST": "h.example", "IMGCOACH_SMTP_PORT": "70000"}, "not a valid port"),
        ({"smtp": "smtp.gmail.com"}, {}, r"^{config}: \[smtp\] must be a table"),
        # Each of these failed every reminder the daemon tried (marked failed) instead of stopping it at start.
        ({}, {"IMGCOACH_SMTP_FROM": "not an address"}, r"IMGCOACH_SMTP_FROM: invalid e-mail address"),
        ({"smtp": {"from": "me@example.org\r\nBcc: x@example.org"}}, {}, "^{config}: smtp.from: invalid e-mail address"),
        ({}, {"IMGCOACH_SMTP_HOST": "a\nb"}, r"^IMGCOACH_SMTP_HOST: 'a\\nb' is not a host name"),
        ({"smtp": {"host": "smtp example.org"}}, {}, "^{config}: smtp.host: .* is not a host name"),
        ({"smtp": {"host": 25}}, {}, "is not a host name"),
        ({"smtp": {"host": "h.example", "pasword": "x", "prot": 1}}, {}, "^{config}: 2 unknown keys in"),
    ],
)
def test_bad_settings_name_the_field(tmp_path: Path, config: dict, env: dict, message: str,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A setting of the file is named with the file's path: one IMGCOACH_CONFIG names, so the path is the one
    imgcoach reads (it said "config file: smtp.password")."""
    path = tmp_path / "my config.toml"
    monkeypatch.setenv("IMGCOACH_CONFIG", str(path))
    with pytest.raises(MailSettingsError, match=message.replace("{config}", re.escape(str(path)))):
        load_mail_settings(config, data_dir=tmp_path, env=env)


def test_password_from_environment_then_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    assert password_for("me", env={"IMGCOACH_SMTP_PASSWORD": "s3cret"}) == "s3cret"
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    assert password_for("me", env={}) is None


def test_password_is_not_in_the_settings_repr(tmp_path: Path) -> None:
    s = load_mail_settings({}, data_dir=tmp_path, env={"IMGCOACH_SMTP_HOST": "localhost",
                                                       "IMGCOACH_SMTP_PASSWORD": "s3cret"})
    assert "s3cret" not in repr(s)
