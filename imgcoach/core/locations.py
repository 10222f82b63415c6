"""Where imgcoach keeps its files: one place, so tests and users can move them."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "imgcoach"


def data_dir() -> Path:
    """The user data folder (database, Maildir); IMGCOACH_DATA_DIR overrides it."""
    override = os.environ.get("IMGCOACH_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs  # only when no override says where (start-up time of the quick read commands, issue 17)

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The user config folder (config.toml, template overrides); IMGCOACH_CONFIG_DIR overrides it."""
    override = os.environ.get("IMGCOACH_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    override = os.environ.get("IMGCOACH_CONFIG")
    return Path(override) if override else config_dir() / "config.toml"


def default_db_path() -> Path:
    return data_dir() / "imgcoach.sqlite"


def chosen_database(db: str | None = None) -> str | None:
    """The database the person chose: --db, then IMGCOACH_DB, then IMGCOACH_DATABASE_URL; None for the default."""
    return db or os.environ.get("IMGCOACH_DB") or os.environ.get("IMGCOACH_DATABASE_URL") or None


def resolve_database_url(db: str | None = None) -> str:
    """--db, then IMGCOACH_DB, then IMGCOACH_DATABASE_URL, then the file in the data folder.

    A value with "://" is a SQLAlchemy URL (e.g. postgresql+psycopg://...); anything else is a path.
    """
    value = chosen_database(db)
    if not value:
        return sqlite_url(default_db_path())
    if "://" in value:
        return value
    return sqlite_url(Path(value))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.expanduser().resolve()}"
