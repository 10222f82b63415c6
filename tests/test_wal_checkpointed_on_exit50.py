"""The daemon stopped with SIGTERM and the app quit with `q` leave their writes in the database file itself.

Both left `imgcoach.sqlite-wal` (and -shm) behind: their connections were never closed, so SQLite did not
checkpoint the log into the file. The daemon's last writes (a digest sent, its sent stamps) then lived only in the
-wal file, and a person who stopped the daemon and copied `imgcoach.sqlite` alone (a backup by hand, a sync folder)
copied a database without them. `imgcoach db backup` was always safe; this is about the file a person sees.

Real processes on real SQLite files: the daemon with its local Maildir delivery (no SMTP host), the app in an
80x24 pseudo-terminal. The daemon's test failed before the fix. The app's is a guard here: it left the -wal when
run by hand on the demo (6 runs of 6), never under pytest, whose process the -wal's fate depends on (what the
interpreter's exit happens to finalise); the fix closes the connections instead of leaving it to chance.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
IMGCOACH = str(Path(sys.executable).with_name("imgcoach"))


def _env(root: Path) -> dict[str, str]:
    env = {**os.environ, "IMGCOACH_DATA_DIR": str(root / "data"), "IMGCOACH_CONFIG_DIR": str(root / "cfg")}
    # The default poll, as a person runs it: with a 0.2 s poll the threads sometimes let go of their connections
    # before the exit, and the -wal went with them.
    for name in ("IMGCOACH_DB", "IMGCOACH_DATABASE_URL", "IMGCOACH_SMTP_HOST", "IMGCOACH_APPLICANT",
                 "IMGCOACH_DAEMON_POLL"):
        env.pop(name, None)
    return env


def _new_database(root: Path) -> Path:
    """The demo's plan, as `make run` makes it: the app builds its other screens ahead in threads of its own."""
    db = root / "imgcoach.sqlite"
    subprocess.run([IMGCOACH, "demo", "--db", str(db), "--quiet"], env=_env(root), check=True, capture_output=True)
    return db


def _sent_in_file_alone(db: Path, root: Path) -> tuple[int, int]:
    """The sent reminders a copy of the database file alone holds (no -wal beside it), and those the database
    holds as SQLite reads it (with its -wal, if one was left)."""
    copy = root / "copy" / db.name
    copy.parent.mkdir()
    shutil.copyfile(db, copy)
    counts = []
    for path in (copy, db):
        with sqlite3.connect(path) as conn:
            counts.append(conn.execute("select count(*) from reminder where status = 'sent'").fetchone()[0])
    return counts[0], counts[1]


def test_daemon_stopped_by_sigterm_leaves_no_wal(tmp_path: Path) -> None:
    db = _new_database(tmp_path)
    log = tmp_path / "daemon.log"
    with log.open("ab") as fh:
        proc = subprocess.Popen([IMGCOACH, "daemon", "--db", str(db)], env=_env(tmp_path), stdout=fh, stderr=fh)
    try:
        end = time.monotonic() + 60  # the first wake sends what is due (this week's digest at least) to the Maildir
        while " failed 0 in " not in log.read_text() and time.monotonic() < end:
            time.sleep(0.05)
        assert " failed 0 in " in log.read_text(), log.read_text()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, log.read_text()
    assert " stopped; sent " in log.read_text()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("imgcoach.sqlite")) == ["imgcoach.sqlite"]
    alone, whole = _sent_in_file_alone(db, tmp_path)
    assert alone == whole > 0


def _drain(fd: int, seconds: float) -> bytes:
    out = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
    return out


def test_app_quit_with_q_leaves_no_wal(tmp_path: Path) -> None:
    db = _new_database(tmp_path)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app, as `imgcoach --db FILE` opens it
        try:
            os.environ.clear()
            os.environ.update({**_env(tmp_path), "TERM": "xterm-256color"})
            os.execv(IMGCOACH, [IMGCOACH, "--db", str(db)])
        finally:
            os._exit(127)
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        seen = b""
        end = time.monotonic() + 60
        while b"Timeline" not in seen and time.monotonic() < end:
            seen += _drain(fd, 0.5)
        assert b"Timeline" in seen
        end = time.monotonic() + 60  # the app opens its database in a worker once the timeline is painted
        while not (tmp_path / "imgcoach.sqlite-wal").exists() and time.monotonic() < end:
            _drain(fd, 0.2)
        assert (tmp_path / "imgcoach.sqlite-wal").exists()  # the app has the database open
        _drain(fd, 4)  # a person looks before quitting: meanwhile the app builds the other screens ahead
        os.write(fd, b"q")
        _drain(fd, 5)
        _, status = os.waitpid(pid, 0)
        pid = 0
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("imgcoach.sqlite")) == ["imgcoach.sqlite"]
