"""Whether `imgcoach daemon` can start with this config file and environment: the checks it refuses by, which
`daemon status` reports (it said only "NOT running", and a script reading `--json` could not tell a stopped daemon
from one that cannot start).

Light (stdlib and core only): the quick read of `daemon status` calls it before click and SQLAlchemy, and the mail
settings' module (dataclasses, inspect: issue 17) is imported only when there is a mail setting to check.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from imgcoach.core.errors import UserError

POLL_ENV = "IMGCOACH_DAEMON_POLL"
SMTP_ENV_PREFIX = "IMGCOACH_SMTP_"  # every variable mail.settings.load_mail_settings reads


def daemon_poll_seconds(env: Mapping[str, str] | None = None) -> float:
    """How often the daemon re-checks the outbox when `--poll` is not given: IMGCOACH_DAEMON_POLL, default 5."""
    raw = (os.environ if env is None else env).get(POLL_ENV, "5")
    try:
        value = float(raw)
    except ValueError:
        raise UserError(f"{POLL_ENV}: {raw!r} is not a number of seconds") from None
    if not 0 < value <= 5:
        raise UserError(f"{POLL_ENV}: must be more than 0 and at most 5 seconds, got {raw}")
    return value


def daemon_start_problem(config: Mapping[str, Any], *, data_dir: Path,
                         env: Mapping[str, str] | None = None) -> str | None:
    """Why `imgcoach daemon` (without --poll) would refuse to start with this config file and environment (the
    message it exits 2 with), or None: the daemon runs these same two checks (`daemon_poll_seconds`, then
    `load_mail_settings`) before it starts. With no [smtp] table and no IMGCOACH_SMTP_* variable the mail settings
    are all defaults, which load_mail_settings accepts, so it is not imported for nothing."""
    env = os.environ if env is None else env
    try:
        daemon_poll_seconds(env)
        if "smtp" in config or any(name.startswith(SMTP_ENV_PREFIX) for name in env):
            from imgcoach.reminders.mail.settings import load_mail_settings

            load_mail_settings(config, data_dir=data_dir, env=env)
    except UserError as exc:
        return str(exc)
    return None
