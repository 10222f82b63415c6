"""User settings: defaults here, overridden by the TOML config file.

Secrets never live here (see imgcoach.reminders.mail for the SMTP password: environment or keyring).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from imgcoach.core.errors import UserError, shown
from imgcoach.core.locations import config_file
from imgcoach.core.record import Record

# Both records are core.record.Records, not dataclasses: every quick read command loads this module, and the two
# dataclasses imported `dataclasses` and its `inspect` and compiled their methods, 6-9 ms of each (issue 17).


class ReminderTiming(Record):
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


# Every section and key the config file may hold, and who reads it. A name outside this list is warned
# about with the nearest known name (a typo must not silently leave a default in force).
KNOWN_KEYS: dict[str, frozenset[str]] = {
    "reminders": frozenset(ReminderTiming.__record_fields__),
    "general": frozenset({"import_max_bytes", "database_url"}),
    "smtp": frozenset({"host", "port", "security", "user", "from", "maildir", "timeout", "command_timeout",
                       "data_timeout"}),
    "digest": frozenset({"enabled"}),
    "coach": frozenset({"match_year", "exam_path"}),
    "matching": frozenset({"match_year"}),
}
# The allowed range of each [reminders] value: an hour of 99 would put every reminder on a day that
# does not exist, and a negative offset before the rotation it is about.
REMINDER_RANGES: dict[str, tuple[int, int]] = {
    "hour": (0, 23), "minute": (0, 59), "letter_window_days": (1, 120), "letter_last_call_days": (0, 120),
    "thank_you_after_days": (0, 60), "feedback_expires_after_end_days": (0, 60),
    "letter_expires_after_end_days": (0, 120), "thank_you_expires_days": (1, 365),
}
# `match_year` ([coach], [matching]): a whole year; whether that Match is over needs today, so
# plan.rules.season checks it where the year is used.
MATCH_YEAR_SECTIONS = ("coach", "matching")
MATCH_YEAR_RANGE = (2000, 2100)
MAX_IMPORT_BYTES = 1024 * 1024 * 1024  # 1 GiB: a calendar or program file larger than that is not one
IMPORT_MAX_BYTES = 20 * 1024 * 1024  # the default largest import ([general] import_max_bytes)


class _NoSections(Mapping[str, Any]):
    """Settings.extra when the config file has no other section: empty, unchangeable, equal to {} and written as
    {} (as the dataclass's default dict was, in the kept answers' keys too), and copied and pickled as a record is
    (a mappingproxy is neither)."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "{}"


class Settings(Record):
    reminders: ReminderTiming = ReminderTiming()
    import_max_bytes: int = IMPORT_MAX_BYTES
    database_url: str | None = None
    # sections owned by other modules (smtp, ...); none: an empty mapping no one can change (a record's default is
    # shared by every record)
    extra: Mapping[str, Any] = _NoSections()
    warnings: tuple[str, ...] = ()  # unknown sections or keys, each with the nearest known name


def in_config_file(what: str) -> str:
    """`what` (a setting, a section, a line of them) as every refusal of the config file names it: the path of the
    file imgcoach reads (IMGCOACH_CONFIG, else config.toml in the config folder), then `what`. A setting refused
    where it is used, after the file was read (the mail settings, [coach] exam_path, a Match year), said "config
    file: smtp.port", leaving which file to guess, where the reader's own refusals give the path."""
    return f"{config_file()}: {what}"


def _nearest(name: str, known: Iterable[str]) -> str:
    import difflib  # only for a warning: not on every command's start-up

    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(sorted(known))})"


def _whole_number(path: Path, section: str, key: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError(f"{path}: [{section}] {key} = {value!r}: must be a whole number from {low} to {high}")
    if not low <= value <= high:
        raise UserError(f"{path}: [{section}] {key} = {value!r}: must be from {low} to {high}")
    return value


def _config_text(path: Path) -> str:
    """The config file's text, read as every hand-saved file is (core.textfile): Notepad's UTF-8 with a byte-order
    mark was "not valid TOML: Invalid statement (at line 1, column 1)", its "Unicode" an error about byte 0xff."""
    from imgcoach.core.textfile import hand_saved_text

    return hand_saved_text(path, "the config file", "save the config file as UTF-8")


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file if there is one. A bad value is a user error naming the file, section, key and
    value; an unknown section or key is a warning (Settings.warnings) naming the nearest known one."""
    path = path or config_file()
    if not path.exists():
        return Settings()
    import tomllib  # only when there is a file to read (start-up time, issue 17)

    try:
        data = tomllib.loads(_config_text(path))
    except (tomllib.TOMLDecodeError, ValueError) as exc:  # ValueError: a 5,000-digit number
        raise UserError(f"{path}: not valid TOML: {shown(str(exc), 300)}") from None
    warnings: list[str] = []
    for section, table in data.items():
        if section not in KNOWN_KEYS:
            if isinstance(table, dict):
                warnings.append(f"{path}: unknown section [{section}] ignored{_nearest(section, KNOWN_KEYS)}")
            else:  # `timezone = "..."` above every section was called "unknown section [timezone]"
                warnings.append(f"{path}: {section!r} is outside any section and no setting; ignored (sections: "
                                f"{', '.join(f'[{name}]' for name in sorted(KNOWN_KEYS))})")
            continue
        if not isinstance(table, dict):
            raise UserError(f"{path}: {section} must be a section ([{section}]), got {table!r}")
        for key in table:
            if key not in KNOWN_KEYS[section]:
                # Mail settings are read strictly (a mistyped `securty` must not send in clear): "ignored" was
                # false there, while the daemon refused to start over the same key.
                effect = ("the daemon and `imgcoach mail test` refuse to run until it is corrected or removed"
                          if section == "smtp" else "ignored")
                warnings.append(f"{path}: [{section}] has no setting {key!r}; {effect}"
                                f"{_nearest(key, KNOWN_KEYS[section])}")
    for section in MATCH_YEAR_SECTIONS:  # a year in words or a float reached int() deep in readiness
        if "match_year" in data.get(section, {}):
            _whole_number(path, section, "match_year", data[section]["match_year"], *MATCH_YEAR_RANGE)
    enabled = data.get("digest", {}).get("enabled", True)
    if not isinstance(enabled, bool):  # "no" was truthy: a digest turned off in words still went out every Monday
        raise UserError(f"{path}: [digest] enabled = {enabled!r}: must be true or false (no quotes)")
    timing = ReminderTiming(**{key: _whole_number(path, "reminders", key, value, *REMINDER_RANGES[key])
                               for key, value in data.get("reminders", {}).items() if key in REMINDER_RANGES})
    general = data.get("general", {})
    max_bytes = general.get("import_max_bytes", IMPORT_MAX_BYTES)
    max_bytes = _whole_number(path, "general", "import_max_bytes", max_bytes, 1, MAX_IMPORT_BYTES)
    url = general.get("database_url")
    if url is not None and (not isinstance(url, str) or not url.strip()):
        raise UserError(f"{path}: [general] database_url = {url!r}: must be a database URL or file path")
    return Settings(
        reminders=timing,
        import_max_bytes=max_bytes,
        database_url=url,
        extra={k: v for k, v in data.items() if k not in {"reminders", "general"}},
        warnings=tuple(warnings),
    )


APPLICANT_ENV = "IMGCOACH_APPLICANT"


def applicant_from_env() -> str | None:
    """IMGCOACH_APPLICANT (an applicant's id or e-mail), or None when unset or blank."""
    import os

    return os.environ.get(APPLICANT_ENV, "").strip() or None


def write_config_section(path: Path, section: str, values: dict[str, Any]) -> None:
    """Set keys of one section of the config file, keeping every other line and comment as it was.

    A value of None removes its key. tomlkit keeps the user's layout (tomllib only reads). The file is
    replaced atomically, keeps its mode, and is created readable by its owner only.
    """
    import os
    import tempfile

    import tomlkit

    try:
        document = tomlkit.parse(_config_text(path)) if path.exists() else tomlkit.document()
    except tomlkit.exceptions.TOMLKitError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
    table = document.get(section)
    if table is None:
        table = tomlkit.table()
        document[section] = table
    elif not isinstance(table, dict):
        raise UserError(f"{path}: {section} must be a section ([{section}]), got {table!r}")
    for key, value in values.items():
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(tomlkit.dumps(document))
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
