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


def test_reminders_due_at_the_same_moment_export_in_one_order_on_any_engine(ctx) -> None:  # type: ignore[no-untyped-def]
    """Pending reminders were ordered by their due time only: two rotations with the same dates give reminders
    due at the same moment, and those came out in the order the engine stored them (PostgreSQL's heap order,
    which rewrites change), so a subscribed feed's bytes could change with no change to the plan."""
    from datetime import date

    from sqlalchemy import delete
    from sqlmodel import col, select

    from imgcoach.calendar.exporting import plan_items
    from imgcoach.plan.rotations import add_rotation
    from imgcoach.storage.applicants import current_applicant
    from imgcoach.storage.models import Reminder

    for place in ("Hospital A", "Hospital B", "Hospital C"):
        add_rotation(ctx, institution=place, specialty="Internal Medicine", kind="observership",
                     start_date=date(2027, 3, 1), end_date=date(2027, 3, 26), hours_per_week=40)
    with ctx.db.transaction() as session:  # the same rows, stored in reverse (as rewrites leave PostgreSQL's heap)
        rows = [r.model_dump() for r in session.exec(select(Reminder).order_by(col(Reminder.id).desc())).all()]
        session.execute(delete(Reminder))
        for values in rows:
            session.add(Reminder(**values))
            session.flush()
    with ctx.db.read() as session:
        items = plan_items(session, current_applicant(session, ctx), ctx.clock.now().date())
        uid_to_id = {r.calendar_uid: r.id for r in session.exec(select(Reminder)).all()}
    reminders = [(item.start, uid_to_id[item.uid]) for item in items if item.uid in uid_to_id]
    assert len({start for start, _ in reminders}) < len(reminders), reminders  # some share a due time
    assert reminders == sorted(reminders), reminders
