"""Opening a database decides "is a migration due?" from a generated constant, without importing Alembic."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from imgcoach.storage import schema_version
from imgcoach.storage.db import Database, stored_revisions


def test_heads_constant_matches_alembics_heads() -> None:
    """A new migration without `python -m imgcoach.storage.schema_version` fails here."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("imgcoach.storage") / "migrations"))
    assert frozenset(ScriptDirectory.from_config(cfg).get_heads()) == schema_version.HEADS


def test_regenerate_rewrites_only_the_generated_block(tmp_path: Path) -> None:
    copy = tmp_path / "schema_version.py"
    original = Path(schema_version.__file__).read_text(encoding="utf-8")
    copy.write_text(original.replace('"matching_0001"', '"stale_0000"'), encoding="utf-8")
    assert schema_version.regenerate(copy) is True
    assert copy.read_text(encoding="utf-8") == original
    assert schema_version.regenerate(copy) is False


def test_open_reads_the_recorded_revisions(db_url: str) -> None:
    db = Database(db_url)
    try:
        assert stored_revisions(db.engine) == schema_version.HEADS
    finally:
        db.close()


@pytest.mark.sqlite_only  # a fresh process opening a SQLite file; the PostgreSQL path is the same code
def test_a_read_command_on_a_current_database_never_imports_alembic(tmp_path: Path) -> None:
    db = tmp_path / "plan.sqlite"
    made = subprocess.run([sys.executable, "-m", "imgcoach", "--db", str(db), "profile", "set", "--name", "Probe",
                           "--email", "probe@example.org", "--timezone", "UTC"], capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr  # created and migrated (this one does import Alembic)
    probe = (
        "import sys\n"
        "from imgcoach.cli.main import main\n"
        "try:\n    main(['rotations', 'list', '--json', '--db', sys.argv[1]])\n"
        "finally:\n    print('ALEMBIC' if any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules) else 'NONE')\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(db)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "NONE"


@pytest.mark.sqlite_only
def test_a_stale_database_is_still_migrated(tmp_path: Path) -> None:
    """Fast path says "due" (revision differs): Alembic runs as before and the file reaches the heads."""
    db = tmp_path / "old.sqlite"
    database = Database(f"sqlite:///{db}")
    with database.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM alembic_version WHERE version_num = 'daemon_0001'")
        conn.exec_driver_sql("DROP TABLE daemon_state")
    database.close()
    assert stored_revisions(Database(f"sqlite:///{db}", migrate=False).engine) == schema_version.HEADS - {"daemon_0001"}
    reopened = Database(f"sqlite:///{db}")
    try:
        assert stored_revisions(reopened.engine) == schema_version.HEADS
        with reopened.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT COUNT(*) FROM daemon_state").scalar_one() == 0
    finally:
        reopened.close()
