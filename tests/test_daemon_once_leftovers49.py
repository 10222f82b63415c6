"""`daemon --once` (cron) leaves nothing behind and says what it did once.

Found by a new user's walk: each run left three empty `imgcoach.sqlite.maintenance-*.lock` files beside the
database, and its summary ("wrote 2 reminders to the local mailbox ...") came again on stderr as INFO lines
stamped in the machine's zone ("2026-12-07 07:51:37,128 INFO ...: sent 1 reminder, failed 0 in 0.13 s"). The
lock files elect one daemon of several per maintenance task, so they exist while a daemon runs; the holder
removes its file as it lets go, never one another daemon holds.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation
from imgcoach.storage.db import Database
from imgcoach.storage.leases import Leases
from tests.cli_helpers import run_subprocess


def _lock_files(url: str) -> list[str]:
    folder = Path(url.removeprefix("sqlite:///")).parent
    return sorted(p.name for p in folder.glob("*.lock"))


@pytest.mark.sqlite_only
def test_once_leaves_no_lock_files_and_says_its_summary_once(ctx: Context) -> None:
    from datetime import UTC, datetime

    today = datetime.now(UTC).date()  # a subprocess reads the wall clock: a rotation that ended 5 days ago
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside General (synthetic)",
                 start_date=today - timedelta(days=32), end_date=today - timedelta(days=5))
    url = ctx.db.url
    ctx.db.close()
    result = run_subprocess("daemon", "--once", "--db", url)
    assert result.code == 0, (result.out, result.err)
    assert "to the local mailbox" in result.out, result.out
    assert result.err == "", "the summary again on stderr, in the machine's zone"
    assert _lock_files(url) == [], "lock files left beside the database"


def test_the_holder_removes_its_lock_file_and_no_other(db_url: str) -> None:
    """A guard of the election: one holder per task, the file gone once it lets go, and a daemon that is not the
    holder removes nothing as it stops."""
    Database(db_url).close()
    first, second, third = Leases(db_url), Leases(db_url), Leases(db_url)
    try:
        assert first.holds("digest") is True
        assert second.holds("digest") is False
        second.close()  # a daemon that never led stops: the leader's file stays, and so does its lock
        assert third.holds("digest") is False
        first.close()
        if db_url.startswith("sqlite"):
            assert _lock_files(db_url) == []
        assert third.holds("digest") is True
        assert Leases(db_url).holds("digest") is False
    finally:
        for lease in (first, second, third):
            lease.close()


@pytest.mark.sqlite_only
def test_a_file_removed_between_open_and_lock_is_not_a_second_leader(db_url: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The holder lets go (and removes the file) after another daemon opened it but before it locked it: that
    daemon must not lead on the removed file while a third takes the new one."""
    import imgcoach.storage.leases as leases

    Database(db_url).close()
    holder, late = Leases(db_url), Leases(db_url)
    assert holder.holds("digest") is True
    real_open = leases.os.open
    opened: list[int] = []

    def open_then_holder_lets_go(path: object, flags: int, mode: int = 0o777) -> int:
        fd = real_open(path, flags, mode)  # type: ignore[arg-type]
        if not opened:
            holder.close()
        opened.append(fd)
        return fd

    monkeypatch.setattr(leases.os, "open", open_then_holder_lets_go)
    try:
        assert late.holds("digest") is True
        monkeypatch.setattr(leases.os, "open", real_open)
        assert Leases(db_url).holds("digest") is False, "two daemons both lead the task"
    finally:
        late.close()
        holder.close()


@pytest.mark.sqlite_only
def test_once_with_the_server_down_says_it_once_and_exits_1(ctx: Context) -> None:
    """The SMTP server is down: cron's mail said it three times, the summary on stdout and, on stderr, a line per
    reminder ("will be retried at 2026-12-07 08:11:08.771030+00:00") and "delivery paused until ... UTC" (a
    pause that ends with the run: the next cron run tries again)."""
    from datetime import UTC, datetime

    from tests.smtp_server import free_port

    today = datetime.now(UTC).date()
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside General (synthetic)",
                 start_date=today - timedelta(days=32), end_date=today - timedelta(days=5))
    url = ctx.db.url
    ctx.db.close()
    down = {"IMGCOACH_SMTP_HOST": "127.0.0.1", "IMGCOACH_SMTP_PORT": str(free_port()),
            "IMGCOACH_SMTP_SECURITY": "none"}
    result = run_subprocess("daemon", "--once", "--db", url, env=down)
    assert result.code == 1, (result.out, result.err)
    assert "due and not delivered" in result.out and "last problem: delivery paused: cannot reach 127.0.0.1:" \
        in result.out, result.out
    assert result.err == "", "said again on stderr"
    quiet = run_subprocess("daemon", "--once", "--quiet", "--db", url, env=down)
    assert quiet.code == 1 and "due and not delivered" in quiet.out and quiet.err == "", (quiet.out, quiet.err)
