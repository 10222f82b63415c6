"""`imgcoach db check|backup|restore` on real SQLite files, with another connection writing meanwhile."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.reminders import outbox
from tests.cli_helpers import run_cli

# Backup, restore and check are about the SQLite file (PostgreSQL gets pg_dump advice, tested elsewhere).
pytestmark = pytest.mark.sqlite_only


def _count(path: Path, table: str = "rotation") -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def _wal_only_writer(db: Path, rows: int) -> sqlite3.Connection:
    """Another process's connection that has committed ``rows`` rotations still only in the -wal file."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the one existing rotation is in the main file
    conn.execute("PRAGMA wal_autocheckpoint=0")
    cols = ", ".join(r[1] for r in conn.execute("PRAGMA table_info(rotation)") if r[1] != "id")
    for _ in range(rows):
        conn.execute(f"INSERT INTO rotation ({cols}) SELECT {cols} FROM rotation ORDER BY id LIMIT 1")
    return conn


def test_backup_includes_data_still_in_the_wal_that_a_file_copy_misses(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.daemon_helpers import add_supervised_rotation

    add_supervised_rotation(ctx)
    db = ctx.db.path
    assert db is not None
    ctx.db.close()
    writer = _wal_only_writer(db, 50)
    try:
        assert Path(f"{db}-wal").stat().st_size > 0
        copied = tmp_path / "copied.sqlite"
        shutil.copyfile(db, copied)  # what a user would do by hand
        assert _count(copied) == 1, "the plain copy misses the WAL (the defect this command fixes)"
        dest = tmp_path / "backup.sqlite"
        result = run_cli(capsys, "db", "backup", str(dest), "--db", str(db))
        assert result.code == 0, result.err
        assert _count(dest) == 51 and not Path(f"{dest}-wal").exists()
        again = run_cli(capsys, "db", "backup", str(dest), "--db", str(db))
        assert again.code == 2 and "already exists" in again.err
    finally:
        writer.close()


def test_restore_puts_the_backup_back_and_keeps_the_previous_data(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.daemon_helpers import add_supervised_rotation

    db = ctx.db.path
    add_supervised_rotation(ctx)
    dest = tmp_path / "backup.sqlite"
    assert run_cli(capsys, "db", "backup", str(dest), "--db", str(db)).code == 0
    add_supervised_rotation(ctx, date(2026, 10, 5), date(2026, 10, 30))  # the next block, not the same one again
    assert _count(db) == 2  # type: ignore[arg-type]
    ctx.db.close()
    result = run_cli(capsys, "db", "restore", str(dest), "--db", str(db))
    assert result.code == 0, result.err
    assert _count(db) == 1  # type: ignore[arg-type]
    kept = [p for p in tmp_path.rglob("*.before-restore-*")]
    assert len(kept) == 1 and _count(kept[0]) == 2
    bad = tmp_path / "notes.txt"
    bad.write_text("not a database")
    before = db.read_bytes()  # type: ignore[union-attr]
    refused = run_cli(capsys, "db", "restore", str(bad), "--db", str(db))
    assert refused.code == 2 and "not a SQLite database" in refused.err
    assert db.read_bytes() == before  # type: ignore[union-attr]


def test_restore_refuses_while_a_daemon_runs(ctx: Context, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from imgcoach.core.clock import SystemClock

    db = ctx.db.path
    dest = tmp_path / "backup.sqlite"
    assert run_cli(capsys, "db", "backup", str(dest), "--db", str(db)).code == 0
    owner = outbox.new_owner()  # this process: alive
    outbox.register_daemon(ctx, owner, SystemClock().now() - timedelta(seconds=1), 5.0)
    refused = run_cli(capsys, "db", "restore", str(dest), "--db", str(db))
    assert refused.code == 2 and "daemon is running" in refused.err


def test_db_check_names_the_damage_and_exits_2(ctx: Context, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    from tests.daemon_helpers import add_due_reminders, add_supervised_rotation

    rid = add_supervised_rotation(ctx)
    add_due_reminders(ctx, rid, 300, due=ctx.clock.now())
    db = ctx.db.path
    ok = run_cli(capsys, "db", "check", "--db", str(db))
    assert ok.code == 0 and ": ok" in ok.out
    ctx.db.close()
    conn = sqlite3.connect(db)  # type: ignore[arg-type]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='reminder'").fetchone()[0]
    conn.close()
    damaged = tmp_path / "damaged.sqlite"
    shutil.copyfile(db, damaged)  # type: ignore[arg-type]
    with damaged.open("r+b") as fh:  # scribble over the reminder table's root page
        fh.seek((page - 1) * 4096 + 8)
        fh.write(os.urandom(2000))
    bad = run_cli(capsys, "db", "check", "--db", str(damaged))
    assert bad.code == 2 and "DAMAGED" in bad.err and "db restore" in bad.err and "\n" not in bad.err.strip()
    missing = run_cli(capsys, "db", "check", "--db", str(tmp_path / "nope" / "x.sqlite"))
    assert missing.code == 2 and "no database at" in missing.err and not (tmp_path / "nope").exists()


def test_restore_takes_the_rotations_it_removed_out_of_the_subscribed_feed_too(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """A rotation added after the backup stayed in the feed file after `db restore` had taken it away: the restored
    rows and the digest recorded with them agreed, so every refresh (the daemon's too) skipped the file, and a
    subscribed calendar kept the rotation and its reminders. The restore rewrites the feed, and a refresh now
    compares the file's own bytes with the plan."""
    import icalendar

    from imgcoach.calendar.exporting import add_feed, refresh_feed
    from imgcoach.core.settings import Settings
    from imgcoach.plan.rotations import add_rotation
    from imgcoach.storage.db import Database

    def summaries(path: Path) -> list[str]:
        return sorted(str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))

    db = ctx.db.path
    feed = add_feed(ctx, tmp_path / "plan.ics")
    assert run_cli(capsys, "db", "backup", str(tmp_path / "backup.sqlite"), "--db", str(db)).code == 0
    add_rotation(ctx, institution="Later Hospital", specialty="Pediatrics", kind="observership",
                 start_date=date(2027, 1, 4), end_date=date(2027, 1, 29), hours_per_week=40)
    refresh_feed(ctx.db, ctx.settings, ctx.clock)
    after_backup = feed.read_bytes()
    assert "Observership: Pediatrics at Later Hospital" in summaries(feed)
    ctx.db.close()

    assert run_cli(capsys, "db", "restore", str(tmp_path / "backup.sqlite"), "--db", str(db)).code == 0
    assert summaries(feed) == []

    feed.write_bytes(after_backup)  # as a restore by hand (a copied file) leaves it
    restored = Database(f"sqlite:///{db}")
    try:
        assert refresh_feed(restored, Settings(), ctx.clock) == [str(feed)]
    finally:
        restored.close()
    assert summaries(feed) == []
