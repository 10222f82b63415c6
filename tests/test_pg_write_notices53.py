"""The app's change marker on PostgreSQL (plan.change_marker): write notices, not a scan of every watched table.

It summed each watched table's xmin beside counts and highest ids at every 2 s poll and every screen return: a
sequential scan of every table each time (140 ms with 10,800 reminders and 50,000 programs, issue 17). Migration
0017's statement triggers notify one channel at each committed write; the app's listening connection counts what
it hears (storage.write_notices) and reads no table. A write must still move the marker once committed, whoever
makes it, and never before. Real PostgreSQL (the suite's server); the writer is a second connection pool, as
another process (the CLI, the daemon) would be."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from imgcoach import plan
from imgcoach.calendar import apply_import
from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.plan import plan as plan_module
from imgcoach.storage.db import Database, _alembic_config
from imgcoach.storage.quickconn import server_conninfo
from tests.migration_helpers import load_migration

pytestmark = pytest.mark.postgresql_only

# storage.write_notices' names, written out so that this file also runs on the code before 0017 (its first test
# failed there); test_the_code_checks_the_migrations_triggers compares them.
TRIGGER = FUNCTION = "imgcoach_write_notice"

ROTATION = {"kind": "observership", "specialty": "Internal Medicine", "country": "US", "hours_per_week": 40}
ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//notices//EN\r\nBEGIN:VEVENT\r\nUID:teaching@test\r\n"
       "DTSTAMP:20261101T000000Z\r\nDTSTART:20270115T140000Z\r\nDTEND:20270115T150000Z\r\nSUMMARY:Teaching\r\n"
       "END:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.fixture
def other(ctx: Context) -> Iterator[Context]:
    """Another process on the same database."""
    db = Database(ctx.db.url)
    yield Context(db=db, clock=ctx.clock, settings=Settings())
    db.close()


def _sql(ctx: Context, statement: str) -> None:
    """One statement committed by a raw connection of its own (any tool on the database)."""
    conninfo = server_conninfo(ctx.db.url)
    assert conninfo is not None
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


def _rotation(ctx: Context, institution: str = "Lakeside General") -> int:
    rotation = plan.add_rotation(ctx, institution=institution, start_date=date(2026, 10, 5),
                                 end_date=date(2026, 11, 1), **ROTATION)
    assert rotation.id is not None
    return rotation.id


def _scans_once_every_backend_is_gone(url: str) -> int:
    """seq_scan + idx_scan over the user tables, once every other connection to the database has ended: a
    backend hands its counts to the statistics when it ends (or when idle, at most once a second: not waited
    for here), so the sum is complete only then."""
    conninfo = server_conninfo(url)
    assert conninfo is not None
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for _ in range(600):  # waiting for a condition, at most about 30 s; nothing timed
            others = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                  "AND pid <> pg_backend_pid()").fetchone()
            if others is not None and others[0] == 0:
                break
            conn.execute("SELECT pg_sleep(0.05)")
        else:
            pytest.fail("the marker's connections did not end")
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute("SELECT sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)) FROM pg_stat_user_tables"
                           ).fetchone()
        assert row is not None
        return int(row[0])


def test_the_poll_reads_no_table(demo_ctx: Context) -> None:
    """Five polls after the first (which opens the listening connection) scan no user table: the statistics
    the server keeps per table, read after every connection of the marker has ended. Before 0017 each poll
    scanned every watched table (19 sequential scans a poll)."""
    plan.change_marker(demo_ctx)
    demo_ctx.db.close()  # the marker's connections end, and hand their counts in
    before = _scans_once_every_backend_is_gone(demo_ctx.db.url)
    first = plan.change_marker(demo_ctx)
    markers = [plan.change_marker(demo_ctx) for _ in range(5)]
    demo_ctx.db.close()
    assert _scans_once_every_backend_is_gone(demo_ctx.db.url) - before == 0
    assert markers == [first] * 5  # nothing was written: the marker stays


def test_a_use_case_in_another_process_moves_the_marker(ctx: Context, other: Context) -> None:
    rotation = _rotation(ctx)
    before = plan.change_marker(ctx)
    plan.edit_rotation(other, rotation, institution="Riverside Clinic")
    after = plan.change_marker(ctx)
    assert after != before
    assert plan.change_marker(ctx) == after  # and stays, with nothing more written


@pytest.mark.parametrize("statement", [
    "UPDATE rotation SET institution = institution || ' (moved)'",  # in place, no change time touched
    "DELETE FROM case_note",
    "UPDATE calendar_event SET start_at = start_at + interval '2 hours', end_at = end_at + interval '2 hours'",
    "INSERT INTO rotation_contact (rotation_id, contact_id, role) SELECT r.id, c.id, 'attending' "
    "FROM rotation r, contact c WHERE NOT EXISTS (SELECT 1 FROM rotation_contact x WHERE x.contact_id = c.id)",
    "TRUNCATE case_note",
])
def test_raw_sql_from_another_connection_moves_the_marker(ctx: Context, tmp_path: Path, statement: str) -> None:
    rotation = _rotation(ctx)
    plan.add_case(ctx, rotation, "Chest pain", occurred_on=date(2026, 10, 12))
    plan.add_contact(ctx, "Dr. Synthetic Supervisor", rotation_id=rotation, role="supervisor")
    plan.add_contact(ctx, "Dr. Synthetic Attending")  # on no rotation yet: the INSERT links it
    path = tmp_path / "teaching.ics"
    path.write_text(ICS, encoding="utf-8", newline="")
    apply_import(ctx, path)
    before = plan.change_marker(ctx)
    _sql(ctx, statement)
    assert plan.change_marker(ctx) != before


def test_an_uncommitted_write_does_not_move_the_marker_and_its_commit_does(ctx: Context, other: Context) -> None:
    rotation = _rotation(ctx)
    before = plan.change_marker(ctx)
    with other.db.engine.connect() as conn:
        transaction = conn.begin()
        conn.execute(text("UPDATE rotation SET institution = 'Riverside Clinic' WHERE id = :id"), {"id": rotation})
        assert plan.change_marker(ctx) == before  # not visible yet: a reload now would show the old row
        transaction.commit()
    assert plan.change_marker(ctx) != before


def test_a_rolled_back_write_does_not_move_the_marker(ctx: Context, other: Context) -> None:
    rotation = _rotation(ctx)
    before = plan.change_marker(ctx)
    with other.db.engine.connect() as conn:
        transaction = conn.begin()
        conn.execute(text("UPDATE rotation SET institution = 'Riverside Clinic' WHERE id = :id"), {"id": rotation})
        transaction.rollback()
    assert plan.change_marker(ctx) == before


def test_one_transaction_of_many_statements_is_one_notice(ctx: Context, other: Context) -> None:
    """An import of 100,000 events is a few statements in one transaction: one call each (statement triggers,
    not row triggers), and the server folds equal notices of a transaction into one."""
    rotation = _rotation(ctx)
    before = plan.change_marker(ctx)
    with other.db.engine.begin() as conn:
        for n in range(20):
            conn.execute(text("UPDATE rotation SET institution = :i WHERE id = :id"), {"i": f"Ward {n}", "id": rotation})
            conn.execute(text("UPDATE reminder SET status = status"))
    after = plan.change_marker(ctx)
    assert after[0] == before[0] == "writes noticed"
    assert after[1] - before[1] == 1


def test_a_dropped_trigger_falls_back_to_reading_the_tables(ctx: Context) -> None:
    rotation = _rotation(ctx)
    noticed = plan.change_marker(ctx)
    assert noticed[0] == "writes noticed"
    _sql(ctx, f"DROP TRIGGER {TRIGGER} ON rotation")
    fallback = plan.change_marker(ctx)
    assert fallback != noticed and fallback[0] != "writes noticed"  # the full row, as before 0017
    _sql(ctx, f"UPDATE rotation SET institution = 'Riverside Clinic' WHERE id = {rotation}")  # not notified
    assert plan.change_marker(ctx) != fallback


def test_a_trigger_dropped_and_made_again_between_two_polls_moves_the_marker(ctx: Context) -> None:
    """A write made while the trigger was gone told nobody: the trigger's catalog row changed, and that is seen."""
    rotation = _rotation(ctx)
    before = plan.change_marker(ctx)
    _sql(ctx, f"DROP TRIGGER {TRIGGER} ON rotation")
    _sql(ctx, f"UPDATE rotation SET institution = 'Riverside Clinic' WHERE id = {rotation}")
    _sql(ctx, f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rotation "
              f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()")
    after = plan.change_marker(ctx)
    assert after[0] == "writes noticed" and after != before


def test_a_disabled_trigger_or_a_function_made_silent_falls_back(ctx: Context) -> None:
    before = plan.change_marker(ctx)
    _sql(ctx, f"ALTER TABLE reminder DISABLE TRIGGER {TRIGGER}")
    assert plan.change_marker(ctx)[0] != "writes noticed"
    _sql(ctx, f"ALTER TABLE reminder ENABLE TRIGGER {TRIGGER}")
    assert plan.change_marker(ctx)[0] == "writes noticed"
    _sql(ctx, f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
              "$$ BEGIN RETURN NULL; END $$")
    assert plan.change_marker(ctx)[0] != "writes noticed"
    assert plan.change_marker(ctx) != before


def test_a_lost_listening_connection_falls_back_then_listens_again(ctx: Context) -> None:
    rotation = _rotation(ctx)
    before = plan.change_marker(ctx)
    _sql(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
              "'imgcoach write notices' AND datname = current_database()")
    _sql(ctx, f"UPDATE rotation SET institution = 'Riverside Clinic' WHERE id = {rotation}")  # heard by nobody
    lost = plan.change_marker(ctx)
    assert lost != before and lost[0] != "writes noticed"  # this call read the tables
    again = plan.change_marker(ctx)
    assert again[0] == "writes noticed" and again != before  # listening again, from a new generation
    _sql(ctx, f"UPDATE rotation SET institution = 'Mercy Hospital' WHERE id = {rotation}")
    assert plan.change_marker(ctx) != again


def test_a_write_while_the_database_was_closed_moves_the_marker(ctx: Context, other: Context) -> None:
    """Database.close ends the listening connection; a marker taken before it never comes back equal."""
    rotation = _rotation(ctx)
    before = plan.change_marker(ctx)
    ctx.db.close()
    plan.edit_rotation(other, rotation, institution="Riverside Clinic")
    assert plan.change_marker(ctx) != before


def test_every_table_the_marker_watches_notifies_as_the_code_expects(ctx: Context) -> None:
    """The migration's text (kept as of its day) is what storage.write_notices checks for, and a database at the
    head has the trigger on every table of plan._WATCHED: a table added to the marker needs a migration giving
    it one, or the marker reads the tables at every poll."""
    from imgcoach.storage import write_notices

    migration = load_migration("0017_write_notices.py")
    assert (TRIGGER, FUNCTION) == (write_notices.TRIGGER, write_notices.FUNCTION)
    for name in ("CHANNEL", "FUNCTION", "TRIGGER", "BODY"):
        assert getattr(migration, name) == getattr(write_notices, name), name
    with ctx.db.read() as session:
        tables = {row[0] for row in session.execute(text(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = :t"),
            {"t": TRIGGER})}
    assert tables == set(plan_module._WATCHED_NAMES)
    assert plan.change_marker(ctx)[0] == "writes noticed"


def _triggers(conn: Any) -> int:
    return int(conn.execute(text("SELECT count(*) FROM pg_trigger WHERE tgname = :t"),
                            {"t": TRIGGER}).scalar())


def test_the_migration_keeps_the_data_and_goes_down_and_up_again(ctx: Context, other: Context) -> None:
    from alembic import command

    rotation = _rotation(ctx)
    ctx.db.close()
    db = Database(ctx.db.url, migrate=False)
    try:
        with db.engine.begin() as conn:
            assert _triggers(conn) == 19
            rows = conn.execute(text("SELECT id, institution FROM rotation")).all()
            command.downgrade(_alembic_config(conn), "0016_log_week_labels")
            assert _triggers(conn) == 0
            assert conn.execute(text("SELECT count(*) FROM pg_proc WHERE proname = :f"),
                                {"f": FUNCTION}).scalar() == 0
        before = plan.change_marker(ctx)
        assert before[0] != "writes noticed"  # no triggers: the tables are read, as before 0017
        plan.edit_rotation(other, rotation, institution="Riverside Clinic")
        assert plan.change_marker(ctx) != before
        with db.engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "heads")
            assert _triggers(conn) == 19
            assert conn.execute(text("SELECT id, institution FROM rotation")).all() == [(rows[0][0], "Riverside Clinic")]
    finally:
        db.close()
    assert plan.change_marker(ctx)[0] == "writes noticed"
