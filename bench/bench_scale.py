"""Speed at the scale of a real plan (issue 17): the demo, 10x and 100x, each figure against a baseline of the same run.

    .venv/bin/python -m bench --scale 10      # demo and 10x
    .venv/bin/python -m bench --scale 100     # demo, 10x and 100x
    .venv/bin/python -m bench --scale 100 --only --skip cli,import,send   # one figure: the app at 100x

The databases are built through the public use cases, as a person would: the demo (`build_demo`), then
rotations (`add_rotation`, which derives their reminders), study blocks (`add_study_blocks`), calendar
events as ICS files through the calendar import (`apply_import`), and at 100x a 50,000-program CSV
through `import_programs`. They are cached in .bench-cache/, keyed by the schema heads, imgcoach's version and the
generators (code_version), so a second run only measures. Every figure is printed with its ratio to a baseline measured in the
same run, interleaved round by round (the machine is shared: read the ratios):
- CLI commands against `python -c pass`;
- the app's first paint with plan data against a bare Textual app (a real 80x24 pty, bench_tui's children);
- re-importing an unchanged ICS file against icalendar's own parse of the same bytes;
- importing the programs CSV against the stdlib csv module reading the same file;
- sending 2,000 reminders (bench_daemon) against plain smtplib over one connection.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench-cache"
PYTHON = sys.executable
IMGCOACH = str(Path(sys.executable).with_name("imgcoach"))
NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
EVENTS_PER_FILE = 17_200  # a big hospital or school calendar export; 100x is ten of them


@dataclass(frozen=True)
class Scale:
    name: str
    rotations: int
    study_blocks: int
    events: int
    programs: int | None  # None: the demo's sample programs only


SCALES = {
    1: Scale("demo", 0, 0, 0, None),
    10: Scale("10x", 40, 200, 17_000, None),
    100: Scale("100x", 400, 2_000, 172_000, 50_000),
}


# --- building (in a child process, so the parent's memory never counts) --------------------------


def code_version() -> str:
    """What the cached databases depend on: the schema heads, imgcoach's version, the builder and the generators.

    Not every source file (a change to a screen or to this report must not cost a long 100x rebuild); a
    change to what is written (a migration, build(), the scales, the ICS or program generator) makes a new key.
    """
    from imgcoach import __version__
    from imgcoach.storage.schema_heads import SCHEMA_HEADS as HEADS

    digest = hashlib.sha256(f"{__version__}:{sorted(HEADS)}:{SCALES}:{EVENTS_PER_FILE}:{NOW}".encode())
    for source in (inspect.getsource(build), inspect.getsource(ics_files)):
        digest.update(source.encode())
    for path in (ROOT / "bench" / "gen_ics.py", ROOT / "imgcoach" / "matching" / "generate.py"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# The builds, one folder per code version, apart from the rest of .bench-cache (the khal venv `make bench` installs):
# clearing stale builds once emptied every folder there, deleted khal-venv/pyvenv.cfg and stopped on its lib/.
BUILDS = CACHE / "scale"


def database_for(factor: int) -> Path:
    """The cached database of this scale, built first if the code changed since."""
    folder = BUILDS / code_version()
    db = folder / f"{SCALES[factor].name}.sqlite"
    if not db.exists():
        folder.mkdir(parents=True, exist_ok=True)
        drop_stale_builds(BUILDS, folder)
        started = time.perf_counter()
        partial = db.with_suffix(".building")
        partial.unlink(missing_ok=True)
        subprocess.run([PYTHON, "-m", "bench.bench_scale", "--build", str(factor), str(partial)], check=True)
        partial.rename(db)
        print(f"built {SCALES[factor].name} in {time.perf_counter() - started:.0f} s: {db}", flush=True)
    return db


def drop_stale_builds(builds: Path, keep: Path) -> None:
    """Remove the builds of other code versions under `builds` (a 100x one is a gigabyte), and nothing else."""
    import shutil

    for stale in builds.iterdir():
        if stale != keep and stale.is_dir():
            shutil.rmtree(stale)


def build(factor: int, path: Path) -> None:
    from imgcoach.calendar import apply_import
    from imgcoach.composition import open_context
    from imgcoach.core.clock import FixedClock
    from imgcoach.demo import build_demo
    from imgcoach.matching import import_programs
    from imgcoach.matching.generate import generate_rows, render_csv
    from imgcoach.plan import add_rotation, add_study_blocks

    scale = SCALES[factor]
    ctx = open_context(f"sqlite:///{path}", clock=FixedClock(NOW), refresh_feeds=False)
    build_demo(ctx)
    first = NOW.date() + timedelta(days=7)  # ahead, so each rotation derives its reminders (past ones are not made)
    for i in range(scale.rotations):  # a 4-8 week rotation starting every ~9 days (many overlap, as in bench_tui)
        start = first + timedelta(days=(i * 9) % 1800)
        add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution=f"Hospital {i} (synthetic)",
                     start_date=start, end_date=start + timedelta(weeks=4 + i % 5), hours_per_week=20 + i % 3 * 10)
    blocks = [{"exam": "Step 3", "start_date": first + timedelta(days=(i * 9) % 1800),
               "end_date": first + timedelta(days=(i * 9) % 1800 + 20), "hours_per_week": 10,
               "weekly_goal": "synthetic"} for i in range(scale.study_blocks)]
    if blocks:
        add_study_blocks(ctx, blocks)
    files = ics_files(factor, path.parent)
    for ics in files:
        report = apply_import(ctx, ics)
        assert report.status == "imported", report.status
    if scale.programs:
        csv_path = path.parent / f"programs-{scale.programs}.csv"
        csv_path.write_text(render_csv(generate_rows(scale.programs, 7)))
        import_programs(ctx, csv_path)
    ctx.db.close()


def ics_files(factor: int, folder: Path) -> list[Path]:
    """The scale's calendar exports (synthetic, bench/gen_ics.py), written once next to the database."""
    from bench.gen_ics import generate

    total = SCALES[factor].events
    out = []
    for n, start in enumerate(range(0, total, EVENTS_PER_FILE)):
        path = folder / f"{SCALES[factor].name}-calendar-{n}.ics"
        if not path.exists():
            path.write_bytes(generate(min(EVENTS_PER_FILE, total - start), seed=1000 * factor + n))
        out.append(path)
    return out


def counts(db: Path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # noqa: S608 (fixed names)
                for t in ("rotation", "study_block", "calendar_event", "reminder", "program")}


# --- timing --------------------------------------------------------------------------------------


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MiB) and CPU seconds (user + system) of one command, output discarded.

    CPU time is far steadier than wall time on a loaded machine (it leaves out the waiting for a core)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv}: exit {proc.returncode}: {proc.stderr.read().decode()[-400:] if proc.stderr else ''}")
    if proc.stderr:
        proc.stderr.close()
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


@dataclass
class Figure:
    label: str
    scale: str
    seconds: float
    ratio: float
    baseline: str
    rss: float | None = None
    cpu_ratio: float | None = None


def interleaved(commands: dict[str, list[str]], base: list[str], env: dict[str, str], rounds: int,
                ) -> dict[str, tuple[float, float, float, float]]:
    """label -> (median seconds, median per-round wall ratio to `base`, median peak RSS, median CPU ratio);
    rounds run A B C A B C."""
    walls: dict[str, list[float]] = {k: [] for k in commands}
    cpus: dict[str, list[float]] = {k: [] for k in commands}
    rss: dict[str, list[float]] = {k: [] for k in commands}
    bases: list[tuple[float, float]] = []
    for argv in [base, *commands.values()]:  # warm-up: page cache, .pyc
        run(argv, env)
    for _ in range(rounds):
        wall, _, cpu = run(base, env)
        bases.append((wall, cpu))
        for label, argv in commands.items():
            wall, peak, cpu = run(argv, env)
            walls[label].append(wall)
            cpus[label].append(cpu)
            rss[label].append(peak)
    return {label: (statistics.median(walls[label]),
                    statistics.median(w / b[0] for w, b in zip(walls[label], bases, strict=True)),
                    statistics.median(rss[label]),
                    statistics.median(c / max(b[1], 1e-3) for c, b in zip(cpus[label], bases, strict=True)))
            for label in commands}


def cli_figures(db: Path, scale: str, rounds: int) -> list[Figure]:
    env = {**os.environ, "IMGCOACH_DB": str(db), "IMGCOACH_CONFIG_DIR": str(db.parent / "config")}
    commands = {
        "imgcoach --version": [IMGCOACH, "--version"],
        "imgcoach --help": [IMGCOACH, "--help"],
        "rotations list --json": [IMGCOACH, "rotations", "list", "--json"],
        "reminders list --json": [IMGCOACH, "reminders", "list", "--json"],
        "readiness --json": [IMGCOACH, "readiness", "--json"],
        "shortlist --json": [IMGCOACH, "shortlist", "--json"],
    }
    out = interleaved(commands, [PYTHON, "-c", "pass"], env, rounds)
    return [Figure(f"CLI {label}", scale, s, r, "python -c pass", m, c) for label, (s, r, m, c) in out.items()]


def app_figures(db: Path, scale: str, rounds: int) -> list[Figure]:
    """First paint with plan data in a real pty, against a bare Textual app (bench_tui's children)."""
    from bench.bench_tui import run_in_pty

    me = [PYTHON, "-m", "bench.bench_tui"]
    hello, app = me + ["--child-hello"], me + ["--child-app", str(db), "data"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "paint"
        run_in_pty(hello, out)
        walls, bases, rss = [], [], []
        for _ in range(rounds):
            bases.append(run_in_pty(hello, out)[0])
            wall, peak = run_in_pty(app, out)
            walls.append(wall)
            rss.append(peak)
    ratio = statistics.median(w / b for w, b in zip(walls, bases, strict=True))
    return [Figure("app: timeline first paint with data", scale, statistics.median(walls), ratio,
                   "bare Textual app", statistics.median(rss))]


def _in_child(code: str, *args: str) -> tuple[float, float]:
    """Seconds printed by a child running `code`, and the child's peak RSS."""
    proc = subprocess.run([PYTHON, "-c", code, *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-800:])
    seconds, rss = proc.stdout.split()
    return float(seconds), float(rss)


_PARSE = """
import resource, sys, time
import icalendar
data = open(sys.argv[1], 'rb').read()
t = time.perf_counter(); icalendar.Calendar.from_ical(data); s = time.perf_counter() - t
print(s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
_REIMPORT = """
import resource, shutil, sys, time
from pathlib import Path
from imgcoach.calendar import apply_import
from imgcoach.composition import open_context
ctx = open_context('sqlite:///' + sys.argv[1], refresh_feeds=False)
t = time.perf_counter(); report = apply_import(ctx, Path(sys.argv[2])); s = time.perf_counter() - t
# 'unchanged': the file's bytes are those of its last import, known before any parse (the import says "unchanged
# since its last import; nothing to write"); the bench asserted 'imported' from before that and stopped here.
assert report.status in ('imported', 'unchanged'), report.status
print(s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
_CSV = """
import csv, resource, sys, time
t = time.perf_counter()
with open(sys.argv[1], newline='') as fh:
    rows = [r for r in csv.DictReader(line for line in fh if not line.startswith('#'))]
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
_PROGRAMS = """
import resource, sys, time
from pathlib import Path
from imgcoach.composition import open_context
from imgcoach.matching import import_programs
ctx = open_context('sqlite:///' + sys.argv[1], refresh_feeds=False)
t = time.perf_counter(); import_programs(ctx, Path(sys.argv[2])); s = time.perf_counter() - t
print(s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def copy_of(db: Path, tmp: Path) -> Path:
    """A scratch copy (a write must not change the cached database)."""
    import sqlite3

    target = tmp / db.name
    with sqlite3.connect(db) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def paired(baseline: Callable[[], tuple[float, float]], ours: Callable[[], tuple[float, float]], rounds: int,
           ) -> tuple[float, float, float]:
    walls, ratios, rss = [], [], []
    for _ in range(rounds):
        b, _ = baseline()
        w, m = ours()
        walls.append(w)
        ratios.append(w / b)
        rss.append(m)
    return statistics.median(walls), statistics.median(ratios), max(rss)


def import_figures(factor: int, db: Path, rounds: int) -> list[Figure]:
    scale = SCALES[factor]
    out: list[Figure] = []
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        if scale.events:
            ics = ics_files(factor, db.parent)[0]
            scratch = copy_of(db, tmp)
            s, r, m = paired(lambda: _in_child(_PARSE, str(ics)), lambda: _in_child(_REIMPORT, str(scratch), str(ics)),
                             rounds)
            n = min(EVENTS_PER_FILE, scale.events)
            out.append(Figure(f"re-import an unchanged file ({n:,} VEVENTs)", scale.name, s, r,
                              "icalendar parse", m))
            scratch.unlink()
        if scale.programs:
            csv_path = db.parent / f"programs-{scale.programs}.csv"
            empty = tmp / "empty.sqlite"

            def fresh_import() -> tuple[float, float]:
                empty.unlink(missing_ok=True)
                subprocess.run([IMGCOACH, "--db", str(empty), "profile", "set", "--name", "Bench", "--email",
                                "bench@example.org", "--timezone", "UTC"], check=True, capture_output=True)
                return _in_child(_PROGRAMS, str(empty), str(csv_path))

            s, r, m = paired(lambda: _in_child(_CSV, str(csv_path)), fresh_import, max(1, rounds // 2))
            out.append(Figure(f"import {scale.programs:,} programs (new database)", scale.name, s, r,
                              "stdlib csv read", m))
    return out


def sending_figures(rounds: int) -> list[Figure]:
    import multiprocessing

    from bench import bench_daemon

    port = bench_daemon._free_port()
    spawn = multiprocessing.get_context("spawn")
    ready = spawn.Event()
    sink = spawn.Process(target=bench_daemon._sink, args=(port, ready), daemon=True)
    sink.start()
    ready.wait(30)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            baselines, daemons = bench_daemon.throughput(port, Path(tmp), rounds=rounds, sink_pid=sink.pid)
    finally:
        sink.terminate()
    # Throughput ratio (>1 is faster): baseline seconds over ours, per round.
    ratio = statistics.median(b.wall / d.wall for b, d in zip(baselines, daemons, strict=True))
    return [Figure(f"send {bench_daemon.N:,} reminders (throughput, higher is better)", "any",
                   statistics.median(d.wall for d in daemons), ratio, "raw smtplib, one connection")]


# --- report --------------------------------------------------------------------------------------


def print_table(figures: list[Figure], scales: list[str]) -> None:
    print(f"\n## imgcoach performance ({datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}; a shared machine: read the ratios)\n")
    print("| figure | baseline | " + " | ".join(f"{s}: ratio (time, peak RSS; CPU ratio)" for s in scales) + " |")
    print("|---|---|" + "---|" * len(scales))
    labels = list(dict.fromkeys(f.label for f in figures))
    for label in labels:
        row = {f.scale: f for f in figures if f.label == label}
        base = next(iter(row.values())).baseline
        cells = []
        for s in scales:
            f = row.get(s) or row.get("any")
            if f is None:
                cells.append("-")
                continue
            unit = f"{f.seconds * 1000:.0f} ms" if f.seconds < 10 else f"{f.seconds:.1f} s"
            rss = f", {f.rss:.0f} MiB" if f.rss else ""
            cpu = f"; CPU {f.cpu_ratio:.1f}x" if f.cpu_ratio is not None else ""
            cells.append(f"{f.ratio:.2f}x ({unit}{rss}{cpu})")
        print(f"| {label} | {base} | " + " | ".join(cells) + " |")


def main() -> None:
    if sys.argv[1:2] == ["--build"]:
        return build(int(sys.argv[2]), Path(sys.argv[3]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, choices=(10, 100), default=10)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--skip", default="", help="comma-separated: cli,app,import,send")
    parser.add_argument("--only", action="store_true",
                        help="measure --scale alone, not the smaller ones (e.g. --scale 100 --only --skip cli,import,send)")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    factors = [args.scale] if args.only else [f for f in SCALES if f <= args.scale]
    figures: list[Figure] = []
    for factor in factors:
        db = database_for(factor)
        name = SCALES[factor].name
        print(f"\n{name}: {counts(db)}", flush=True)
        if "cli" not in skip:
            figures += cli_figures(db, name, args.rounds)
        if "app" not in skip:
            figures += app_figures(db, name, max(3, args.rounds // 2))
        if "import" not in skip:
            figures += import_figures(factor, db, 3)
        print_table([f for f in figures if f.scale == name], [name])
    if "send" not in skip:
        figures += sending_figures(3)
    print_table(figures, [SCALES[f].name for f in factors])
    print("\nGrowth (each figure's ratio at 10x and 100x over its ratio on the demo):")
    for label in dict.fromkeys(f.label for f in figures):
        row = {f.scale: f.ratio for f in figures if f.label == label}
        if "demo" in row and len(row) > 1:
            print(f"  {label}: " + " -> ".join(f"{row[s] / row['demo']:.2f}" for s in row))


if __name__ == "__main__":
    main()
