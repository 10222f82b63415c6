"""CLI start-up and a scripted read on a large plan, against `python -c pass` in the same run.

    python -m bench.bench_cli [WORD ...] [--rounds N]   # only the read commands whose label holds one of the words
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from bench.timing import PYTHON, med, report, time_call, time_interleaved

# The read commands answered before click and SQLAlchemy (imgcoach.cli.quick; issue 17: within 5x).
QUICK_COMMANDS = [
    ("rotations list --json (300 rotations)", ["rotations", "list", "--json"]),
    ("rotations list (300 rotations)", ["rotations", "list"]),
    ("reminders list --json (~1,200 reminders)", ["reminders", "list", "--json"]),
    # The table's first line (is a daemon running, overdue...) is computed with the full path's rule (daemon_view).
    ("reminders list (~1,200 reminders)", ["reminders", "list"]),
    ("daemon status", ["daemon", "status"]),
    ("db status", ["db", "status"]),
    ("db check", ["db", "check"]),  # quick_check and the cross-applicant queries with sqlite3 (storage.quickcheck)
    # Its reminders (which are overdue now) computed at each run from the rows (plan.read_rotation_quickly).
    ("rotations show 1", ["rotations", "show", "1"]),
    ("rotations show 1 --json", ["rotations", "show", "1", "--json"]),  # the schema's revision with sqlite3 alone (composition.schema_status_quickly)
    # Answered from the full path's kept answer while nothing it depends on changed (storage.readcache): the
    # warm-up round below runs each full path first, so the measured rounds find it kept.
    ("readiness --json", ["readiness", "--json"]),
    ("readiness", ["readiness"]),
    ("shortlist --json (sample programs)", ["shortlist", "--json"]),
    ("shortlist (sample programs)", ["shortlist"]),
    # The other read-only commands, kept the same way (cli.common.kept_answer; issue 17, every read command).
    ("shortlist --csv", ["shortlist", "--csv"]),
    ("shortlist --budget 20", ["shortlist", "--budget", "20"]),
    ("programs list --json (50 of 6,000)", ["programs", "list", "--json"]),
    ("cv (300 rotations)", ["cv"]),
    ("applicants show", ["applicants", "show"]),
    ("outreach list", ["outreach", "list"]),
    ("log list", ["log", "list"]),
    ("cases list", ["cases", "list"]),
    ("projects list", ["projects", "list"]),
    ("stories", ["stories"]),
    ("import --history", ["import", "--history"]),
    # Read with sqlite3 by storage.transfer's rule (composition.export_applicant_quickly).
    ("applicants export (300 rotations)", ["applicants", "export"]),
    # The plan's ICS on standard output, kept like the others (cli.calendar_cmds._export_to_stdout).
    ("export (ICS, 300 rotations)", ["export"]),
]


def build_large_plan(path: Path) -> None:
    """5 years, 300 rotations: many service calls, each its own transaction."""
    from imgcoach.core.clock import SystemClock
    from imgcoach.core.context import Context
    from imgcoach.plan import profile, rotations
    from imgcoach.storage.db import Database

    ctx = Context(db=Database(f"sqlite:///{path}"), clock=SystemClock())
    profile.set_profile(ctx, name="Bench", email="bench@example.com", timezone="America/New_York",
                        target_specialties=["Internal Medicine", "Family Medicine"])
    rng = random.Random(7)
    start = date.today() - timedelta(days=365 * 2)
    for i in range(300):
        s = start + timedelta(days=rng.randrange(0, 365 * 5))
        rotations.add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution=f"Hospital {i}",
                               start_date=s, end_date=s + timedelta(days=27), hours_per_week=40)
    from importlib import resources

    from imgcoach.matching import import_programs

    sample = resources.files("imgcoach.matching").joinpath("data/sample_programs.csv.gz")
    with resources.as_file(sample) as programs:
        import_programs(ctx, programs)  # the shortlist's program data (the packaged synthetic sample)
    ctx.db.close()


def _khal_list(khal: str, tmp: Path) -> list[str]:
    """`khal list` as its user runs it; on a machine where khal has no configuration, with one of its own
    (a calendar folder and cache here) holding 20 events in the days `khal list` shows."""
    if subprocess.run([khal, "list"], capture_output=True).returncode == 0:
        return [khal, "list"]
    folder = tmp / "khal"
    (folder / "cal").mkdir(parents=True)
    config = folder / "config"
    config.write_text(f"[calendars]\n[[bench]]\npath = {folder / 'cal'}\ntype = calendar\n[sqlite]\n"
                      f"path = {folder / 'khal.db'}\n[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\n"
                      "longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\n"
                      "longdatetimeformat = %Y-%m-%d %H:%M\n", encoding="utf-8")
    for i in range(20):
        day = date.today() + timedelta(days=i % 3)
        subprocess.run([khal, "-c", str(config), "new", "-a", "bench", f"{day} {8 + i % 10:02d}:00", f"{9 + i % 10:02d}:00",
                        f"Bench event {i}"], check=True, capture_output=True)
    return [khal, "-c", str(config), "list"]


def _touch(db: Path) -> None:
    """A write another tool could make (the applicant's name set to itself): the read_version triggers count
    it, so every kept answer is stale and the next read takes whatever path a first read after a write takes."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE applicant SET name = name")
    conn.close()


def _input_write(db: Path) -> None:
    """A write the shortlist depends on (the profile's program budget, toggled): its stored run is stale after it."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE applicant SET application_budget_programs = "
                     "CASE WHEN application_budget_programs = 41 THEN 40 ELSE 41 END")
    conn.close()


def _first_look_after_a_write(db: Path, args: list[str], env: dict[str, str]) -> None:
    """A write the shortlist depends on and the first `shortlist` after it, which stores a run and marks its changes
    seen (untimed): the timed run is the look after it, which that first look keeps the answer of
    (cli.common.keep_next_answer)."""
    _input_write(db)
    subprocess.run(args, env=env, check=True, capture_output=True)


ROUNDS = 9  # interleaved rounds (timing.time_interleaved's default)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The bench's arguments: `--help` was taken as a filter word and ran the whole bench (minutes) instead."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_cli",
        description="Wall-clock time of imgcoach's CLI on a large plan (300 rotations, ~1,200 reminders, the sample "
                    "programs), built first in a temporary folder: start-up (--version, --help), each read command on "
                    "its quick path and on the full path (IMGCOACH_FULL_READ=1), some as the first read after a "
                    "write; each as a median over interleaved rounds and a ratio to `python -c pass` run in the "
                    "same rounds, with `khal list` as a reference when khal is installed (IMGCOACH_BENCH_KHAL, else "
                    "khal on PATH; `make bench` installs one into .bench-cache/khal-venv when neither is there), "
                    "and the time of add_rotation while building the plan.",
        epilog="read commands (labels): " + "; ".join(label for label, _ in QUICK_COMMANDS))
    parser.add_argument("words", nargs="*", metavar="WORD",
                        help="only the read commands whose label holds one of these words (e.g. readiness "
                             "shortlist); start-up, the baseline and khal always run; none: every read command")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"interleaved rounds (default {ROUNDS})")
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    tmp = Path(tempfile.mkdtemp())
    try:
        _run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # two 10 MB plans were left in /tmp by every run


def _run(args: argparse.Namespace, tmp: Path) -> None:
    db = tmp / "large.sqlite"
    build_times = time_call(lambda: build_large_plan(db), repeat=1)
    env = {**os.environ, "IMGCOACH_DB": str(db)}
    full = {**env, "IMGCOACH_FULL_READ": "1"}  # the same command on the full path (click, SQLAlchemy)
    imgcoach = [PYTHON, "-m", "imgcoach"]
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "python -c pass (baseline)": ([PYTHON, "-c", "pass"], None),
        "imgcoach --version": ([*imgcoach, "--version"], env),
        "imgcoach --help (80 columns)": ([*imgcoach, "--help"], {**env, "COLUMNS": "80"}),
    }
    wanted = args.words
    after_write: dict[str, Callable[[], object]] = {}
    # A copy of the plan for the first reads after a write: its writes leave the other rows' kept answers current.
    written = tmp / "written.sqlite"
    with sqlite3.connect(db) as source, sqlite3.connect(written) as copy:
        source.backup(copy)
    source.close()
    copy.close()
    written_env = {**os.environ, "IMGCOACH_DB": str(written)}
    for label, command in QUICK_COMMANDS:
        if wanted and not any(word in label for word in wanted):
            continue
        commands[f"imgcoach {label}"] = ([*imgcoach, *command], env)
        commands[f"  same, full path (IMGCOACH_FULL_READ=1)#{label}"] = ([*imgcoach, *command], full)
        if command[0] == "readiness":  # its kept answer made stale by a write just before each run (untimed)
            after_write[f"  same, first read after a write#{label}"] = lambda: _touch(written)
            commands[f"  same, first read after a write#{label}"] = ([*imgcoach, *command], written_env)
        if command[0] == "shortlist":  # the first look after a write ranks (the default list's views store a
            # run): from rows read with sqlite3 on a SQLite file (matching.shortlist_quickly, view_quickly)
            after_write[f"  same, first look after a write to its inputs#{label}"] = lambda: _input_write(written)
            commands[f"  same, first look after a write to its inputs#{label}"] = ([*imgcoach, *command], written_env)
        if command == ["shortlist"]:  # the default view's first look after a write writes: the look after it
            after_write[f"  same, the look after the first one following a write#{label}"] = (
                lambda a=[*imgcoach, *command]: _first_look_after_a_write(written, a, written_env))
            commands[f"  same, the look after the first one following a write#{label}"] = ([*imgcoach, *command],
                                                                                           written_env)
    # Byte-compiled as an installed copy is (pip compiles on install), as bench_tui runs it: with
    # PYTHONDONTWRITEBYTECODE set (the development machine) each command compiled imgcoach's modules again,
    # 20 to 25 ms of `reminders list`, while the baseline and khal come compiled.
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "imgcoach")], check=True,
                   stdout=subprocess.DEVNULL)
    for argv, environment in list(commands.values()):  # warm-up: shortlist's first run marks its changes seen
        if environment is full:
            for _ in range(2):
                subprocess.run(argv, check=True, capture_output=True, env=environment)
    khal = os.environ.get("IMGCOACH_BENCH_KHAL") or shutil.which("khal")
    if khal:  # a reference: another calendar tool's read command on this machine (issue 17: faster than it)
        commands["khal list (reference)"] = (_khal_list(khal, tmp), None)
    times = time_interleaved(commands, repeat=args.rounds, before=after_write)
    base = med(times["python -c pass (baseline)"])
    for label, values in times.items():
        report(label.split("#")[0], values, None if label.startswith("python -c pass") else base)
    if not khal:  # said, not left out silently: the goal is also "faster than `khal list`"
        print(f"{'khal list (reference)':<48} not measured: no khal (IMGCOACH_BENCH_KHAL unset, none on PATH; "
              "`make bench` installs one)")
    per_add = build_times[0] / 300
    print(f"{'add_rotation incl. reminder derivation':<48} {per_add * 1000:8.1f} ms per rotation (300 in one process)")


if __name__ == "__main__":
    main()
