"""Where imgcoach keeps its files: one place, so tests and users can move them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "imgcoach"


def _home_folder(variable: str, default: str) -> str | None:
    """platformdirs' user folder for imgcoach where its answer is certain without importing it (5-7 ms of every quick
    read command, issue 17): on Linux (not Android), with the XDG variable unset or empty and an absolute HOME,
    platformdirs gives `~/<default>/imgcoach` (os.path.expanduser's home; the XDG base directory rule, checked with
    requirements.lock's platformdirs by tests/test_locations_without_platformdirs.py, assumed of other 4.x
    releases). None anywhere else: platformdirs decides."""
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel") or "ANDROID_DATA" in os.environ:
        return None
    if os.environ.get(variable) or not os.environ.get("HOME", "").startswith("/"):
        return None
    return os.path.join(os.path.expanduser(f"~/{default}"), APP_NAME)


def data_dir() -> Path:
    """The user data folder (database, Maildir); IMGCOACH_DATA_DIR overrides it."""
    override = os.environ.get("IMGCOACH_DATA_DIR")
    if override:
        return Path(override)
    known = _home_folder("XDG_DATA_HOME", ".local/share")
    if known is not None:
        return Path(known)
    import platformdirs  # only when no override says where (start-up time of the quick read commands, issue 17)

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The user config folder (config.toml, template overrides); IMGCOACH_CONFIG_DIR overrides it."""
    override = os.environ.get("IMGCOACH_CONFIG_DIR")
    if override:
        return Path(override)
    known = _home_folder("XDG_CONFIG_HOME", ".config")
    if known is not None:
        return Path(known)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    override = os.environ.get("IMGCOACH_CONFIG")
    return Path(override) if override else config_dir() / "config.toml"


def default_db_path() -> Path:
    return data_dir() / "imgcoach.sqlite"


def chosen_database(db: str | None = None, configured: str | None = None) -> str | None:
    """The database the person chose: --db, then IMGCOACH_DB, then IMGCOACH_DATABASE_URL, then `configured`
    (config.toml's [general] database_url); None for the default. The config file comes after the environment,
    as a setting does: it was passed on as if typed with --db, so `IMGCOACH_DB=/tmp/try.sqlite` beside an
    organisation's URL in config.toml read and wrote the organisation's database."""
    return db or os.environ.get("IMGCOACH_DB") or os.environ.get("IMGCOACH_DATABASE_URL") or configured or None


def resolve_database_url(db: str | None = None, configured: str | None = None) -> str:
    """--db, then IMGCOACH_DB, then IMGCOACH_DATABASE_URL, then `configured` (config.toml), then the file in the
    data folder.

    A value with "://" is a SQLAlchemy URL (e.g. postgresql+psycopg://...); anything else is a path.
    """
    value = chosen_database(db, configured)
    if not value:
        return sqlite_url(default_db_path())
    if "://" in value:
        return value
    return sqlite_url(Path(value))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.expanduser().resolve()}"


def missing_folder(path: Path) -> Path | None:
    """The folder `path` (a file to write) would go in when it does not exist, else None (also when a file stands
    where one of its folders should be: the writer names that file).

    The commands that write a file the user names (`export -o`, `export --feed`, `cv -o`, `applicants export -o`)
    refuse such a path, as cp does: they made every missing folder without a word, so a typo in a folder's name
    wrote the file somewhere the user did not look."""
    folder = path.parent if str(path.parent) else Path(".")
    if folder.is_dir() or any(p.exists() and not p.is_dir() for p in (folder, *folder.parents)):
        return None
    return folder


def refuse_missing_folder(path: Path) -> None:
    """Raise the UserError every writing command gives for a file whose folder does not exist (missing_folder)."""
    folder = missing_folder(path)
    if folder is not None:
        from imgcoach.core.errors import UserError

        raise UserError(f"{path}: no folder {folder}; nothing written (check its name, or create it first)")
