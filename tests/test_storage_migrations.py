"""Schema versions: the models and the migrations agree, and upgrades keep the user's data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from imgcoach.core.errors import UserError
from imgcoach.storage.db import Database, _alembic_config
from imgcoach.storage.models import register_all

register_all()  # every table registered on the metadata


def test_models_and_migrations_agree(db_url: str) -> None:
    """Every table and column the code uses exists after migrating a new database (on both engines)."""
    db = Database(db_url)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    # Type-only differences of our UTC column are expected (stored as DATETIME).
    real = [d for d in diff if not (isinstance(d, list) and d and d[0][0] == "modify_type")]
    assert real == [], f"models and migrations differ: {real}"


@pytest.mark.sqlite_only  # SQLite files and PRAGMAs
def test_upgrade_from_first_migration_keeps_data(tmp_path: Path) -> None:
    """A database made by the first migration, holding data, is upgraded in place."""
    from alembic import command

    path = tmp_path / "old.sqlite"
    db = Database(f"sqlite:///{path}", migrate=False)
    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001_core")
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO applicant (name, email, timezone, school, school_country, visa, target_specialties,"
                    " target_countries, target_states, cv_path, personal_statement_path, synthetic)"
                    " VALUES ('Old User', 'old@example.com', 'Asia/Kolkata', '', '', 'none', '[]', '[]', '[]', '', '', 0)")
        raw.execute("INSERT INTO rotation (applicant_id, kind, specialty, institution, department, city, state, country,"
                    " start_date, end_date, setting, hours_per_week, hands_on, responsibilities, learned)"
                    " VALUES (1, 'observership', 'Internal Medicine', 'Old Hospital', '', '', '', 'US', '2027-01-04',"
                    " '2027-01-29', 'inpatient', 40, 0, '', '')")
    db.close()
    upgraded = Database(f"sqlite:///{path}")
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT name, timezone FROM applicant").fetchall() == [("Old User", "Asia/Kolkata")]
        assert raw.execute("SELECT institution FROM rotation").fetchall() == [("Old Hospital",)]
        heads = {r[0] for r in raw.execute("SELECT version_num FROM alembic_version")}
    from alembic.script import ScriptDirectory

    with upgraded.engine.connect() as conn:
        assert heads == set(ScriptDirectory.from_config(_alembic_config(conn)).get_heads())
    upgraded.close()


@pytest.mark.sqlite_only  # SQLite files and PRAGMAs
def test_newer_schema_is_refused_and_untouched(db_path: Path) -> None:
    Database(f"sqlite:///{db_path}").close()
    with sqlite3.connect(db_path) as raw:
        # Several heads (one per feature branch) are several rows: replace them all.
        raw.execute("DELETE FROM alembic_version")
        raw.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    before = db_path.read_bytes()
    with pytest.raises(UserError, match="newer than this imgcoach knows"):
        Database(f"sqlite:///{db_path}")
    assert db_path.read_bytes() == before


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello, not a database\n")
    with pytest.raises(UserError, match="not an imgcoach database"):
        Database(f"sqlite:///{bogus}")
    assert bogus.read_text() == "hello, not a database\n"


@pytest.mark.sqlite_only  # SQLite files and PRAGMAs
def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as raw:
        raw.execute("CREATE TABLE t (x)")
    with pytest.raises(UserError, match="other tables"):
        Database(f"sqlite:///{other}")


@pytest.mark.sqlite_only  # SQLite files and PRAGMAs
def test_sqlite_is_set_up_for_two_writers(db_path: Path) -> None:
    db = Database(f"sqlite:///{db_path}")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_upgrade_merges_events_stored_twice_and_keeps_their_plan_links(tmp_path: Path) -> None:
    """Quirk: the same UIDs imported from two files were stored twice (54 rows for 27 UIDs). The identity
    migration keeps one row per (applicant, UID, RECURRENCE-ID), with the plan link either copy held."""
    from alembic import command

    path = tmp_path / "dupes.sqlite"
    db = Database(f"sqlite:///{path}", migrate=False)
    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "calendar_0001")
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO applicant (name, email, timezone, school, school_country, visa, target_specialties,"
                    " target_countries, target_states, cv_path, personal_statement_path, synthetic)"
                    " VALUES ('Old User', 'old@example.com', 'UTC', '', '', 'none', '[]', '[]', '[]', '', '', 0)")
        raw.execute("INSERT INTO calendar_source (applicant_id, path, name, sha256) VALUES (1, '/a.ics', 'a', 'x')")
        raw.execute("INSERT INTO calendar_source (applicant_id, path, name, sha256) VALUES (1, '/b.ics', 'b', 'y')")
        cols = ("source_id, uid, recurrence_id, component, summary, description, location, categories, all_day,"
                " start_date, end_date, tzid, status, sequence, suggested_kind, mapped_kind, mapped_id")
        for source in (1, 2):
            for uid in ("u1", "u2", "u3"):
                linked = ("rotation", 1) if (source, uid) == (1, "u1") else ("", None)
                raw.execute(f"INSERT INTO calendar_event ({cols}) VALUES (?, ?, '', 'VEVENT', ?, '', '', '[]', 1,"
                            " '2027-01-04', '2027-01-30', '', '', 0, 'rotation', ?, ?)",
                            (source, uid, f"{uid} from {source}", *linked))
        raw.execute("INSERT INTO rotation (applicant_id, kind, specialty, institution, department, city, state,"
                    " country, start_date, end_date, setting, hours_per_week, hands_on, responsibilities, learned,"
                    " source_event_id) VALUES (1, 'observership', 'IM', 'Old Hospital', '', '', '', 'US',"
                    " '2027-01-04', '2027-01-29', 'inpatient', 40, 0, '', '', 1)")
    db.close()
    Database(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as raw:
        rows = raw.execute("SELECT id, applicant_id, uid, summary, mapped_kind, mapped_id FROM calendar_event"
                           " ORDER BY uid").fetchall()
        assert [(r[1], r[2], r[3]) for r in rows] == [(1, "u1", "u1 from 2"), (1, "u2", "u2 from 2"),
                                                      (1, "u3", "u3 from 2")]
        assert rows[0][4:] == ("rotation", 1)  # the link held by the older copy is kept
        assert raw.execute("SELECT source_event_id FROM rotation").fetchall() == [(rows[0][0],)]
        assert raw.execute("SELECT path, events FROM calendar_source ORDER BY id").fetchall() == [
            ("/a.ics", 0), ("/b.ics", 3)]
