"""The app and the daemon write to one SQLite file at once: no "database is locked", no lost write."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date

import pytest

from imgcoach.core.context import Context
from imgcoach.plan import list_contacts
from imgcoach.reminders.sync import list_reminders

WRITES = 25  # per process; both start together, so their transactions interleave
WRITER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from sqlmodel import select
    from imgcoach.core.context import Context
    from imgcoach.storage.db import Database
    from imgcoach.storage.models import Reminder
    from imgcoach.plan import people, rotations

    db_url, role, writes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ctx = Context(db=Database(db_url))
    n = 0
    # A fixed count, not a time budget: on a loaded CI machine a 4 s window held only 5 writes.
    while n < writes:
        if role == "app":
            # The app: a user action that reads, validates and writes, re-deriving reminders.
            rotations.edit_rotation(ctx, 1, hours_per_week=20 + n % 40)
            people.add_contact(ctx, f"app-{n}")
        else:
            # The daemon: read-then-write on the outbox, the pattern that deadlocks under plain BEGIN.
            with ctx.db.transaction() as session:
                row = session.exec(select(Reminder).order_by(Reminder.id)).first()
                row.attempts += 1
                session.add(row)
            people.add_contact(ctx, f"daemon-{n}")
        n += 1
    print(n)
    """
)


@pytest.mark.slow
def test_two_processes_write_for_seconds_without_lock_errors(ctx: Context) -> None:
    from imgcoach.plan.rotations import add_rotation

    add_rotation(ctx, kind="externship", specialty="Family Medicine", institution="Clinic",
                 start_date=date(2027, 1, 4), end_date=date(2027, 2, 26))
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, ctx.db.url, role, str(WRITES)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for role in ("app", "daemon")
    ]
    counts = {}
    for role, proc in zip(("app", "daemon"), procs, strict=True):
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "locked" not in err
        counts[role] = int(out.strip())
    assert counts == {"app": WRITES, "daemon": WRITES}
    names = [c.name for c in list_contacts(ctx)]
    # Every write that reported success is there: nothing lost.
    assert sum(n.startswith("app-") for n in names) == counts["app"]
    assert sum(n.startswith("daemon-") for n in names) == counts["daemon"]
    first = min(list_reminders(ctx), key=lambda r: r.id)
    assert first.attempts == counts["daemon"]
