"""A daemon stopped with SIGTERM says so in its log (found walking the daemon): the journal had "daemon ... started"
and nothing when it stopped, so a stopped daemon's last line read as one still running. A real process on a real
SQLite file, a loopback SMTP server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.smtp_server import SmtpServer

pytestmark = pytest.mark.slow
IMGCOACH = str(Path(sys.executable).with_name("imgcoach"))


def test_sigterm_is_logged_with_what_the_daemon_sent(ctx: Context, tmp_path: Path) -> None:
    log = tmp_path / "daemon.log"
    with SmtpServer() as server:
        env = {**os.environ, "IMGCOACH_SMTP_HOST": server.host, "IMGCOACH_SMTP_PORT": str(server.port),
               "IMGCOACH_SMTP_SECURITY": "none", "IMGCOACH_DAEMON_POLL": "0.2"}
        with log.open("ab") as fh:
            proc = subprocess.Popen([IMGCOACH, "daemon", "--db", ctx.db.url], env=env, stdout=fh, stderr=fh)
        try:
            end = time.monotonic() + 60
            while "started" not in log.read_text() and time.monotonic() < end:
                time.sleep(0.05)
            assert "started" in log.read_text(), log.read_text()
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=15) == 0
    lines = log.read_text().splitlines()
    started = next(line for line in lines if " started; " in line)
    owner = started.split("daemon ", 1)[1].split(" started", 1)[0]
    (stopped,) = [line for line in lines if " stopped; " in line]
    # the real clock: this week's digest may or may not be due now, so the count is whatever the server received
    sent = len(server.received)
    assert f"daemon {owner} stopped; sent {sent} e-mail{'' if sent == 1 else 's'} since it started" in stopped, lines
