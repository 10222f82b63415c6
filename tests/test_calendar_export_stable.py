"""A re-export of an unchanged plan is byte-identical, in any process.

icalendar adds the missing VTIMEZONEs in the order of a Python set of TZIDs, which follows the process's
string hash seed: a plan in two zones came out in another order after every restart of the daemon, so a
subscribed feed and its ETag changed although nothing in the plan had.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo
from imgcoach.calendar.writer import ExportItem, to_ics_bytes
items = [ExportItem(f"e{n}@imgcoach", f"Event {n}", datetime(2027, 3, 1 + n, 9, tzinfo=ZoneInfo(zone)),
                    datetime(2027, 3, 1 + n, 10, tzinfo=ZoneInfo(zone)), tzid=zone)
         for n, zone in enumerate(["Asia/Kolkata", "America/New_York", "Europe/Berlin", "Africa/Lagos"])]
sys.stdout.buffer.write(to_ics_bytes(items, now=datetime(2027, 1, 1, tzinfo=UTC)))
"""


def _export(seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, check=True).stdout


def test_the_same_plan_exports_the_same_bytes_under_any_hash_seed() -> None:
    outputs = {_export(seed) for seed in ("0", "1", "2", "3", "4", "5")}
    assert len(outputs) == 1
    (data,) = outputs
    tzids = [line.split(b":", 1)[1] for line in data.split(b"\r\n") if line.startswith(b"TZID:")]
    assert tzids == sorted(tzids) and len(tzids) == 4, tzids
