"""User settings: defaults here, overridden by the TOML config file.

Secrets never live here (see imgcoach.reminders.mail for the SMTP password: environment or keyring).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from imgcoach.core.errors import UserError
from imgcoach.core.locations import config_file


@dataclass(frozen=True)
class ReminderTiming:
    """When each rotation reminder falls due. Offsets are in days, relative to the rotation.

    The letter-request window follows the field's advice: ask 2 to 4 weeks before the end
    (see docs in README, "Reminders").
    """

    hour: int = 9  # local time in the applicant's zone
    minute: int = 0
    letter_window_days: int = 28  # window opens this many days before the end
    letter_last_call_days: int = 14
    thank_you_after_days: int = 2
    # How long after its natural moment a reminder is still worth sending.
    feedback_expires_after_end_days: int = 0
    letter_expires_after_end_days: int = 14
    thank_you_expires_days: int = 30


@dataclass(frozen=True)
class Settings:
    reminders: ReminderTiming = field(default_factory=ReminderTiming)
    import_max_bytes: int = 20 * 1024 * 1024
    database_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # sections owned by other modules (smtp, ...)


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file if there is one; a broken file is a user error naming it."""
    path = path or config_file()
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
    timing = ReminderTiming()
    section = data.get("reminders", {})
    known = {f.name for f in fields(ReminderTiming)}
    for key, value in section.items():
        if key not in known:
            raise UserError(f"{path}: [reminders] has no setting {key!r} (known: {', '.join(sorted(known))})")
        if not isinstance(value, int) or isinstance(value, bool):
            raise UserError(f"{path}: [reminders] {key} must be a whole number, got {value!r}")
        timing = replace(timing, **{key: value})
    general = data.get("general", {})
    return Settings(
        reminders=timing,
        import_max_bytes=int(general.get("import_max_bytes", Settings.import_max_bytes)),
        database_url=general.get("database_url"),
        extra={k: v for k, v in data.items() if k not in {"reminders", "general"}},
    )


APPLICANT_ENV = "IMGCOACH_APPLICANT"


def applicant_from_env() -> str | None:
    """IMGCOACH_APPLICANT (an applicant's id or e-mail), or None when unset or blank."""
    import os

    return os.environ.get(APPLICANT_ENV, "").strip() or None
