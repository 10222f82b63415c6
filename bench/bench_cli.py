"""CLI start-up and a scripted read on a large plan, against `python -c pass` in the same run."""

from __future__ import annotations

import os
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

from bench.timing import PYTHON, med, report, time_call, time_command


def build_large_plan(path: Path) -> None:
    """5 years, 300 rotations: many service calls, each its own transaction."""
    from imgcoach.core.clock import SystemClock
    from imgcoach.core.context import Context
    from imgcoach.plan import profile, rotations
    from imgcoach.storage.db import Database

    ctx = Context(db=Database(f"sqlite:///{path}"), clock=SystemClock())
    profile.set_profile(ctx, name="Bench", email="bench@example.com", timezone="America/New_York")
    rng = random.Random(7)
    start = date.today() - timedelta(days=365 * 2)
    for i in range(300):
        s = start + timedelta(days=rng.randrange(0, 365 * 5))
        rotations.add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution=f"Hospital {i}",
                               start_date=s, end_date=s + timedelta(days=27), hours_per_week=40)
    ctx.db.close()


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "large.sqlite"
    build_times = time_call(lambda: build_large_plan(db), repeat=1)
    env = {**os.environ, "IMGCOACH_DB": str(db)}
    base = time_command([PYTHON, "-c", "pass"])
    report("python -c pass (baseline)", base)
    report("imgcoach --version", time_command([PYTHON, "-m", "imgcoach", "--version"], env=env), med(base))
    report("imgcoach --help (80 columns)", time_command([PYTHON, "-m", "imgcoach", "--help"],
                                                        env={**env, "COLUMNS": "80"}), med(base))
    report("imgcoach rotations list --json (300 rotations)",
           time_command([PYTHON, "-m", "imgcoach", "rotations", "list", "--json"], env=env), med(base))
    report("imgcoach reminders list --json (~1,200 reminders)",
           time_command([PYTHON, "-m", "imgcoach", "reminders", "list", "--json"], env=env), med(base))
    per_add = build_times[0] / 300
    print(f"{'add_rotation incl. reminder derivation':<48} {per_add * 1000:8.1f} ms per rotation (300 in one process)")


if __name__ == "__main__":
    main()
