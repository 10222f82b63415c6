"""Shared fixtures: real databases on both engines, a fixed clock, isolated user folders.

Every test that asks for a database (``db_url``, ``empty_ctx``, ``ctx``, ``demo_ctx``, ``new_db_url``) runs
twice, ``[sqlite]`` on a real SQLite file in a tmp folder and ``[postgresql]`` on a real PostgreSQL server
started by the tests (tests/pg_server.py), in a database cloned from a migrated template. Tests that check
SQLite itself carry ``@pytest.mark.sqlite_only`` and run on SQLite alone. Choose engines with
``--engines sqlite`` / ``--engines postgresql`` (or IMGCOACH_TEST_ENGINES), or ``-k sqlite`` / ``-k postgresql``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_textual_snapshot

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.storage.db import Database
from tests.pg_server import TEMPLATE, PostgresServer

# The moment every test lives in unless it says otherwise: 09:00 in New York.
FIXED_NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[1]


# Kept from the developer's environment: how pytest itself was asked to run (read before any fixture).
KEPT_IMGCOACH_VARIABLES = frozenset({"IMGCOACH_TEST_ENGINES"})
XDG_FOLDERS = {"XDG_CONFIG_HOME": ".config", "XDG_DATA_HOME": ".local/share", "XDG_STATE_HOME": ".local/state",
               "XDG_CACHE_HOME": ".cache"}


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's data, config or keyring, nor sees the developer's settings.

    HOME and the XDG folders point into a per-test folder: a `~/...` path (the demo's CV, which the profile
    and letters screens check) and platformdirs' defaults resolve there, not in the developer's home, where a
    file at the demo's CV path changed what four snapshots showed. Every IMGCOACH_* variable is removed (a
    developer's IMGCOACH_APPLICANT made CLI tests act on someone else); then the data and config folders are
    set to empty ones in the same place. Subprocesses inherit all of it (os.environ)."""
    base = tmp_path_factory.mktemp("userdirs")
    home = base / "home"
    monkeypatch.setenv("HOME", str(home))
    for variable, folder in XDG_FOLDERS.items():
        (home / folder).mkdir(parents=True)
        monkeypatch.setenv(variable, str(home / folder))
    for variable in [v for v in os.environ if v.startswith("IMGCOACH_") and v not in KEPT_IMGCOACH_VARIABLES]:
        monkeypatch.delenv(variable)
    monkeypatch.setenv("IMGCOACH_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("IMGCOACH_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    return base


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(FIXED_NOW)


@pytest.fixture
def cli_clock(clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> FixedClock:
    """A CLI command run in this process (tests.cli_helpers.run_cli, run_command) reads the test's moment, not the
    wall clock: the default clock both paths read (core.clock.default_clock: the full path's composition root and
    the quick read) is this FixedClock."""
    monkeypatch.setattr("imgcoach.core.clock.default_clock", lambda: clock)
    return clock


ENGINES = ("sqlite", "postgresql")
_ENGINE_ID = re.compile(r"(?<=\[)(?:sqlite|postgresql)-|-(?:sqlite|postgresql)(?=\])|\[(?:sqlite|postgresql)\]")


class _EngineNeutralSVG(pytest_textual_snapshot.SVGImageExtension):
    """A screen must look the same on both engines: ``test_x[postgresql-timeline]`` is compared with the
    same SVG file as ``test_x[sqlite-timeline]`` (named ``test_x[timeline]``)."""

    @classmethod
    def get_snapshot_name(cls, *, test_location: Any, index: Any = 0) -> str:
        return _ENGINE_ID.sub("", super().get_snapshot_name(test_location=test_location, index=index))


# snap_compare looks the extension up in its module each time it runs.
pytest_textual_snapshot.SVGImageExtension = _EngineNeutralSVG  # type: ignore[misc]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--engines", default=os.environ.get("IMGCOACH_TEST_ENGINES", ",".join(ENGINES)),
                     help="comma-separated database engines to run the database tests on (sqlite,postgresql)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_engine" not in metafunc.fixturenames:
        return
    chosen = [e.strip() for e in metafunc.config.getoption("engines").split(",") if e.strip()]
    unknown = set(chosen) - set(ENGINES)
    if unknown:
        raise pytest.UsageError(f"--engines: unknown engine(s) {', '.join(sorted(unknown))}; use {', '.join(ENGINES)}")
    if metafunc.definition.get_closest_marker("sqlite_only"):
        chosen = [e for e in chosen if e == "sqlite"]
    if metafunc.definition.get_closest_marker("postgresql_only"):
        chosen = [e for e in chosen if e == "postgresql"]
    metafunc.parametrize("db_engine", chosen, ids=chosen, scope="function")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server per test process, its template database migrated once."""
    server = PostgresServer()
    try:
        Database(server.url("imgcoach_template")).close()
        yield server
    finally:
        server.stop()


@pytest.fixture
def db_path(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """The SQLite file of a test; on PostgreSQL there is none (use ``db_url``, or mark the test sqlite_only)."""
    if "db_engine" in request.fixturenames and request.getfixturevalue("db_engine") != "sqlite":
        pytest.fail("db_path is a SQLite file: this test runs on PostgreSQL, so use db_url or mark it sqlite_only")
    return tmp_path / "imgcoach.sqlite"


@pytest.fixture
def new_db_url(db_engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[..., str]:
    """Makes further databases on the test's engine: ``new_db_url("other")`` is migrated (on SQLite it is
    migrated when first opened), ``new_db_url("x", migrated=False)`` is empty on both engines."""
    def make(name: str, *, migrated: bool = True) -> str:
        if db_engine == "sqlite":
            return f"sqlite:///{tmp_path / (name + '.sqlite')}"
        server: PostgresServer = request.getfixturevalue("pg_server")
        db_name = server.new_database(TEMPLATE if migrated else "template0")
        request.addfinalizer(lambda: server.drop_database(db_name))
        return server.url(db_name)
    return make


@pytest.fixture
def db_url(db_engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The URL of this test's database (``empty_ctx``/``ctx`` open it): a SQLite file, or a PostgreSQL
    database cloned from the migrated template. With ``demo_ctx`` use ``demo_ctx.db.url`` instead."""
    if "demo_ctx" in request.fixturenames:
        pytest.fail("db_url is the empty/ctx database; a test on the demo data passes demo_ctx.db.url")
    return _clone(db_engine, tmp_path, request, demo=False)


def _clone(db_engine: str, tmp_path: Path, request: pytest.FixtureRequest, *, demo: bool) -> str:
    if db_engine == "sqlite":
        path = tmp_path / "imgcoach.sqlite"
        if demo:
            shutil.copyfile(request.getfixturevalue("demo_template"), path)
        return f"sqlite:///{path}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    name = server.new_database(request.getfixturevalue("pg_demo_template") if demo else TEMPLATE)
    request.addfinalizer(lambda: server.drop_database(name))
    return server.url(name)


@pytest.fixture
def empty_ctx(db_url: str, clock: FixedClock) -> Iterator[Context]:
    """A fresh, migrated database with no applicant yet."""
    db = Database(db_url)
    yield Context(db=db, clock=clock, settings=Settings())
    db.close()


@pytest.fixture
def ctx(empty_ctx: Context) -> Context:
    """A database with one applicant in America/New_York."""
    from imgcoach.plan.profile import set_profile

    set_profile(empty_ctx, name="Test Applicant", email="applicant@example.com", timezone="America/New_York",
                graduation_year=2022, visa="j1", target_specialties=["Internal Medicine"])
    return empty_ctx


@pytest.fixture
def rotation_under_way(ctx: Context) -> int:
    """An observing-only observership two weeks in, two to go (the rules that refuse hands-on work, a week
    outside it or a case dated past today have something to refuse): its id."""
    from datetime import timedelta

    from imgcoach.plan import add_rotation

    today = ctx.clock.now().date()
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Riverside General (fictional)", start_date=today - timedelta(days=14),
                            end_date=today + timedelta(days=13))
    assert rotation.id is not None
    return rotation.id


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database on SQLite, built once per test process (it loads thousands of sample programs)."""
    from imgcoach.demo import build_demo

    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite"
    db = Database(f"sqlite:///{path}")
    build_demo(Context(db=db, clock=FixedClock(FIXED_NOW), settings=Settings()))
    db.close()  # the last connection checkpoints the WAL into the main file
    return path


@pytest.fixture(scope="session")
def pg_demo_template(pg_server: PostgresServer) -> str:
    """The demo database on PostgreSQL, built once per test process; tests get clones of it."""
    from imgcoach.demo import build_demo

    name = pg_server.new_database()
    db = Database(pg_server.url(name))
    build_demo(Context(db=db, clock=FixedClock(FIXED_NOW), settings=Settings()))
    db.close()  # CREATE DATABASE ... TEMPLATE needs no other connection to the template
    return name


@pytest.fixture
def demo_ctx(db_engine: str, tmp_path: Path, clock: FixedClock, request: pytest.FixtureRequest) -> Iterator[Context]:
    """The demo applicant, built under the fixed clock: a fresh copy for every test."""
    db = Database(_clone(db_engine, tmp_path, request, demo=True))
    yield Context(db=db, clock=clock, settings=Settings())
    db.close()
