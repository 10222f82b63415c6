"""Shared fixtures: real SQLite files in tmp folders, a fixed clock, isolated user folders."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.storage.db import Database

# The moment every test lives in unless it says otherwise: 09:00 in New York.
FIXED_NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's data, config or keyring."""
    home = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("IMGCOACH_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("IMGCOACH_CONFIG_DIR", str(home / "config"))
    for var in ("IMGCOACH_DB", "IMGCOACH_DATABASE_URL", "IMGCOACH_CONFIG", "IMGCOACH_SMTP_HOST",
                "IMGCOACH_SMTP_PASSWORD", "IMGCOACH_SMTP_USER", "IMGCOACH_SMTP_PORT", "IMGCOACH_SMTP_SECURITY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    return home


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(FIXED_NOW)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "imgcoach.sqlite"


@pytest.fixture
def empty_ctx(db_path: Path, clock: FixedClock) -> Context:
    """A fresh, migrated database with no applicant yet."""
    db = Database(f"sqlite:///{db_path}")
    yield Context(db=db, clock=clock, settings=Settings())
    db.close()


@pytest.fixture
def ctx(empty_ctx: Context) -> Context:
    """A database with one applicant in America/New_York."""
    from imgcoach.plan.profile import set_profile

    set_profile(empty_ctx, name="Test Applicant", email="applicant@example.com", timezone="America/New_York",
                graduation_year=2022, visa="j1", target_specialties=["Internal Medicine"])
    return empty_ctx


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, built once per test process (it loads thousands of sample programs)."""
    from imgcoach.demo import build_demo

    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite"
    db = Database(f"sqlite:///{path}")
    build_demo(Context(db=db, clock=FixedClock(FIXED_NOW), settings=Settings()))
    db.close()  # the last connection checkpoints the WAL into the main file
    return path


@pytest.fixture
def demo_ctx(demo_template: Path, db_path: Path, clock: FixedClock) -> Context:
    """The demo applicant, built under the fixed clock: a fresh copy for every test."""
    shutil.copyfile(demo_template, db_path)
    db = Database(f"sqlite:///{db_path}")
    yield Context(db=db, clock=clock, settings=Settings())
    db.close()
