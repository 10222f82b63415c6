"""A migration script loaded as a module, so a test can call its functions or read its constants."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

VERSIONS = Path(__file__).parents[1] / "imgcoach" / "storage" / "migrations" / "versions"


def load_migration(file_name: str) -> ModuleType:
    """The script `versions/<file_name>` (not importable by name: the folder is Alembic's, not a package's)."""
    spec = importlib.util.spec_from_file_location(file_name.removesuffix(".py"), VERSIONS / file_name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def migrate_file(path: Path, step: Callable[..., None], revision: str) -> None:
    """The SQLite file at `path` moved to `revision` by `step` (alembic's `command.upgrade` or `downgrade`), as
    storage.db.upgrade runs migrations: foreign keys off (0008 rebuilds tables)."""
    from imgcoach.storage.db import Database, _alembic_config

    db = Database(f"sqlite:///{path}", migrate=False)
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        with conn.begin():
            step(_alembic_config(conn), revision)
    db.close()
