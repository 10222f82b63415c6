"""Where mail goes: SMTP settings from the config file's ``[smtp]`` table or IMGCOACH_SMTP_* variables.

The password is never read from the config file or the database: ``IMGCOACH_SMTP_PASSWORD`` or the
system keyring (service ``imgcoach``, user name = SMTP user). With no SMTP host, mail goes to a Maildir.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from imgcoach.core.settings import in_config_file
from imgcoach.core.words import counted
from imgcoach.reminders.mail.errors import InvalidAddressError, MailSettingsError
from imgcoach.reminders.mail.headers import check_address

Security = Literal["starttls", "tls", "none"]
SECURITIES: tuple[str, ...] = ("starttls", "tls", "none")
DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "tls": 465, "none": 25}
KEYRING_SERVICE = "imgcoach"


def is_loopback(host: str) -> bool:
    """True for localhost and loopback literals; only these may be used without TLS."""
    if host.lower().rstrip(".") in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: Security
    user: str | None = None
    # Connecting, and how long one message may hold its connection before the rest of the batch goes on
    # over a new one (the slow message keeps waiting for its reply on its own connection).
    timeout: float = 30.0
    # RFC 5321 4.5.3.2 client timeouts: greeting, MAIL and RCPT 5 min, DATA 2 min, each data block 3 min,
    # and 10 min for the reply to the final dot (giving up early there is what duplicates mail). The DATA and
    # data-block waits may keep a longer timeout already set (the RFC's are minimums; see SmtpTransport._wait).
    command_timeout: float = 300.0
    data_start_timeout: float = 120.0
    data_block_timeout: float = 180.0
    data_timeout: float = 600.0

    def __post_init__(self) -> None:
        if self.security not in SECURITIES:
            raise MailSettingsError(
                f"smtp.security: {self.security!r} is not one of starttls, tls, none"
            )
        if self.security == "none" and not is_loopback(self.host):
            raise MailSettingsError(
                f"smtp.security: 'none' is allowed only for a loopback host, not {self.host!r}; "
                "use starttls or tls"
            )
        if not 0 < self.port < 65536:
            raise MailSettingsError(f"smtp.port: {self.port} is not a valid port")
        for name in ("timeout", "command_timeout", "data_start_timeout", "data_block_timeout", "data_timeout"):
            if not 0 < getattr(self, name) <= 3600:
                raise MailSettingsError(f"smtp.{name}: {getattr(self, name)!r} must be more than 0 and at most "
                                        "3600 seconds")


@dataclass(frozen=True)
class MailSettings:
    """``smtp`` is None when no host is configured: the Maildir in ``maildir`` is used instead."""

    maildir: Path
    smtp: SmtpSettings | None = None
    sender: str | None = None  # From address; defaults to the applicant's own address
    password_source: Callable[[str], str | None] | None = field(default=None, repr=False, compare=False)

    @property
    def transport_name(self) -> str:
        return "maildir" if self.smtp is None else "smtp"


def password_for(user: str, env: Mapping[str, str] | None = None) -> str | None:
    """IMGCOACH_SMTP_PASSWORD first, then the system keyring; None when neither has one."""
    env = os.environ if env is None else env
    if env.get("IMGCOACH_SMTP_PASSWORD"):
        return env["IMGCOACH_SMTP_PASSWORD"]
    try:
        import keyring  # slow import; only needed when logging in

        return keyring.get_password(KEYRING_SERVICE, user)
    except Exception:  # no usable keyring backend (headless server): treat as "no password stored"
        return None


def password_source(user: str, env: Mapping[str, str] | None = None) -> str:
    """Where `password_for` finds `user`'s password, in words: "IMGCOACH_SMTP_PASSWORD", "the system keyring", or
    "" when neither has one. `mail setup` told a user whose variable was set (and whose test message had just
    gone out with it) "password: set IMGCOACH_SMTP_PASSWORD", as if none were there."""
    env = os.environ if env is None else env
    if env.get("IMGCOACH_SMTP_PASSWORD"):
        return "IMGCOACH_SMTP_PASSWORD"
    return "the system keyring" if password_for(user, env) else ""


def _setting(env: Mapping[str, str], variable: str, table: Mapping[str, Any], key: str) -> tuple[Any, str]:
    """A setting's value and the name that says where it came from: the variable when set (it wins), else the
    config file's key; (None, ...) when neither is set. An empty variable is unset, as the shell reads it."""
    if env.get(variable):
        return env[variable], variable
    return table.get(key), in_config_file(f"smtp.{key}")


def _port(value: Any, name: str) -> int:
    """A whole number 1-65535. A bool or a fraction (TOML `port = true`, `587.9`) was cut to 1 or 587 by int()."""
    if isinstance(value, bool | float) or not isinstance(value, int | str):
        raise MailSettingsError(f"{name}: {value!r} is not a number")
    try:
        port = int(value)
    except ValueError:
        raise MailSettingsError(f"{name}: {value!r} is not a number") from None
    if not 0 < port < 65536:
        raise MailSettingsError(f"{name}: {port} is not a valid port (1-65535)")
    return port


def _seconds(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise MailSettingsError(f"{name}: {value!r} is not a number of seconds")
    try:
        seconds = float(value)
    except ValueError:
        raise MailSettingsError(f"{name}: {value!r} is not a number of seconds") from None
    if not 0 < seconds <= 3600:  # also refuses nan and inf
        raise MailSettingsError(f"{name}: {value!r} must be more than 0 and at most 3600 seconds")
    return seconds


def load_mail_settings(
    config: Mapping[str, Any], *, data_dir: Path, env: Mapping[str, str] | None = None
) -> MailSettings:
    """Merge the config file's ``[smtp]`` table with IMGCOACH_SMTP_* variables (which win)."""
    env = os.environ if env is None else env
    table = config.get("smtp") or {}
    if not isinstance(table, Mapping):
        raise MailSettingsError(in_config_file("[smtp] must be a table"))
    if "password" in table:
        raise MailSettingsError(in_config_file(
            "smtp.password is not allowed; set IMGCOACH_SMTP_PASSWORD or store it in the system keyring (service "
            "'imgcoach')"))
    unknown = set(table) - {"host", "port", "security", "user", "from", "timeout", "maildir", "command_timeout",
                            "data_timeout"}
    if unknown:
        raise MailSettingsError(in_config_file(f"{counted(len(unknown), 'unknown key')} in [smtp]: "
                                               f"{', '.join(sorted(unknown))}"))

    host, host_name = _setting(env, "IMGCOACH_SMTP_HOST", table, "host")
    host = host or None  # an empty host is no host, as an empty variable is unset
    maildir_raw = table.get("maildir")
    if maildir_raw is not None and (not isinstance(maildir_raw, str) or not maildir_raw.strip()):
        raise MailSettingsError(in_config_file(f"smtp.maildir: {maildir_raw!r} is not a folder path"))
    maildir = Path(maildir_raw or data_dir / "Maildir").expanduser()
    sender, sender_name = _setting(env, "IMGCOACH_SMTP_FROM", table, "from")
    sender = sender or None
    # Checked here, before the daemon takes a reminder: a mistyped From address failed every reminder it
    # tried ("sender: invalid e-mail address"), each marked failed, where a setting error stops it at start.
    if sender is not None:
        try:
            check_address(str(sender), field=sender_name)
        except InvalidAddressError as exc:
            raise MailSettingsError(str(exc)) from None
    if host is not None and (not isinstance(host, str) or not host.strip() or any(
            c.isspace() or not c.isprintable() for c in host)):
        raise MailSettingsError(f"{host_name}: {host!r} is not a host name")
    # Every SMTP setting is checked with or without a host: checked only with one, `mail setup --local` and
    # `mail test` said all was well over a port of "abc", and the daemon refused to start once a host was set.
    security, security_name = _setting(env, "IMGCOACH_SMTP_SECURITY", table, "security")
    if security is None:
        security = "starttls"
    if not isinstance(security, str) or security.lower() not in SECURITIES:
        raise MailSettingsError(f"{security_name}: {security!r} is not one of starttls, tls, none")
    security = security.lower()
    port_raw, port_name = _setting(env, "IMGCOACH_SMTP_PORT", table, "port")
    port = DEFAULT_PORTS[security] if port_raw is None else _port(port_raw, port_name)
    user, user_name = _setting(env, "IMGCOACH_SMTP_USER", table, "user")
    if user is not None and not isinstance(user, str):
        raise MailSettingsError(f"{user_name}: {user!r} is not a login name")
    timeouts = {key: _seconds(table.get(key, default), in_config_file(f"smtp.{key}"))
                for key, default in (("timeout", 30.0), ("command_timeout", 300.0), ("data_timeout", 600.0))}
    if not host:
        return MailSettings(maildir=maildir, smtp=None, sender=sender, password_source=password_for)
    smtp = SmtpSettings(host=str(host), port=port, security=security,  # type: ignore[arg-type]
                        user=user or None, **timeouts)
    return MailSettings(maildir=maildir, smtp=smtp, sender=sender, password_source=password_for)
