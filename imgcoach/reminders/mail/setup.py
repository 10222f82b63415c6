"""Choosing where reminders go (the first-run mail step, `imgcoach mail setup`) and checking it with one
test message (`imgcoach mail test`): the same two functions for the CLI and the app.

A reminder written to the local mailbox is not an e-mail: nobody reads that folder unless they open it
with a mail program. The set-up says so and offers SMTP instead; the password never goes into the config
file (the system keyring or IMGCOACH_SMTP_PASSWORD).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from imgcoach.core.context import Context
from imgcoach.core.settings import write_config_section
from imgcoach.reminders.mail.errors import DeliveryError, InvalidAddressError, MailSettingsError
from imgcoach.reminders.mail.message import Mailbox, build_message
from imgcoach.reminders.mail.settings import DEFAULT_PORTS, SECURITIES, MailSettings, load_mail_settings
from imgcoach.reminders.mail.transport import open_transport

SMTP_KEYS = ("host", "port", "security", "user")
# The variables that win over the config file's [smtp] keys (load_mail_settings), in the order they are named.
OVERRIDING_VARIABLES = ("IMGCOACH_SMTP_HOST", "IMGCOACH_SMTP_PORT", "IMGCOACH_SMTP_SECURITY", "IMGCOACH_SMTP_USER",
                        "IMGCOACH_SMTP_FROM")


@dataclass(frozen=True)
class MailChoice:
    """Local mailbox (``host`` None) or an SMTP server; ``sender`` is the From address (default: yours)."""

    host: str | None = None
    port: int | None = None
    security: str = "starttls"
    user: str | None = None
    sender: str | None = None


@dataclass(frozen=True)
class MailSetup:
    """What the config file now says and what the daemon will do: they differ when IMGCOACH_SMTP_* variables
    are set, since those win. `mail setup --local` with IMGCOACH_SMTP_HOST set said "local mailbox" and wrote
    its test message there while the daemon e-mailed through the variable's host."""

    saved: MailSettings
    effective: MailSettings  # as the daemon and `mail test` read them (load_mail_settings, variables included)
    overrides: tuple[str, ...] = ()  # the variables set that make ``effective`` differ from ``saved``

    def override_line(self) -> str | None:
        """One plain sentence naming the variables and where reminders really go; None when nothing overrides."""
        if not self.overrides:
            return None
        one = len(self.overrides) == 1
        names = " and ".join(self.overrides)
        return (f"but {names} {'is' if one else 'are'} set in the environment and {'overrides' if one else 'override'}"
                f" the config file: the daemon and `imgcoach mail test` use {where_words(self.effective)}; "
                f"unset {'it' if one else 'them'} to use what was saved")


def where_words(settings: MailSettings) -> str:
    """Where reminders go under ``settings``, in the words every mail set-up message uses."""
    if settings.smtp is None:
        return f"the local mailbox {settings.maildir} (not e-mail)"
    smtp = settings.smtp
    return f"e-mail via {smtp.host}:{smtp.port} ({smtp.security})" + (f" as {smtp.user}" if smtp.user else "")


def configure_mail(config_path: Path, choice: MailChoice, *, config: dict[str, Any], data_dir: Path,
                   env: Mapping[str, str] | None = None) -> MailSetup:
    """Check the choice as the daemon will read it, then write it to the config file's [smtp] section.

    ``config`` is the config file as loaded now (its other [smtp] keys, such as timeouts, are kept).
    Nothing is written when the choice is refused: a malformed key kept from the file, or an IMGCOACH_SMTP_*
    variable (``env``, default the process's) the daemon would refuse, refuses it too. The result says both
    what was saved and what the daemon will use, so a caller never reports (or tests) the one the daemon ignores.
    """
    if choice.security not in SECURITIES:
        raise MailSettingsError(f"security: {choice.security!r} is not one of {', '.join(SECURITIES)}")
    host = (choice.host or "").strip() or None
    values: dict[str, Any] = {"host": host, "port": None, "security": None, "user": None}
    if host is not None:
        values.update(port=choice.port or DEFAULT_PORTS[choice.security], security=choice.security,
                      user=(choice.user or "").strip() or None)
    if choice.sender is not None:
        values["from"] = choice.sender.strip() or None
    table = {k: v for k, v in {**(config.get("smtp") or {}), **values}.items() if v is not None}
    # As the daemon reads it, variables included: set up without them, a port of "abc" in IMGCOACH_SMTP_PORT
    # passed here and stopped the daemon.
    env = os.environ if env is None else env
    effective = load_mail_settings({**config, "smtp": table}, data_dir=data_dir, env=env)
    saved = load_mail_settings({**config, "smtp": table}, data_dir=data_dir, env={})
    write_config_section(config_path, "smtp", values)
    overrides = () if effective == saved else tuple(name for name in OVERRIDING_VARIABLES if env.get(name))
    return MailSetup(saved=saved, effective=effective, overrides=overrides)


def send_test_message(ctx: Context, settings: MailSettings, to_addr: str) -> str:
    """Send one short message through ``settings``; returns where it went, raises MailSettingsError on failure."""
    now = ctx.clock.now()
    transport = open_transport(settings)
    try:
        msg = build_message(
            sender=Mailbox("imgcoach", settings.sender or to_addr), recipient=Mailbox("", to_addr),
            subject="imgcoach test message", text="If you can read this, imgcoach can send you reminders.\n",
            html=None, message_id=f"<test.{int(now.timestamp())}.{os.getpid()}@imgcoach.local>", date=now,
        )
        with transport:
            transport.send(msg)
    except (DeliveryError, InvalidAddressError) as exc:
        raise MailSettingsError(f"mail test via {transport.description} failed: {exc}") from None
    return transport.description
